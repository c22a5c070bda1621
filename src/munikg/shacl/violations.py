"""A SHACL validation result as munikg reports it."""

from dataclasses import dataclass

from rdflib.term import Node

from munikg.terms import OxTerm

SH = "http://www.w3.org/ns/shacl#"


def severity_name(iri: str | None) -> str:
    """``Violation``, ``Warning`` or ``Info`` for SHACL's severities, the IRI of any other
    (SHACL 1.0 §3.6.2 allows a shape its own), ``Violation`` when none is given.

    >>> severity_name(SH + "Warning"), severity_name("http://e/Low"), severity_name(None)
    ('Warning', 'http://e/Low', 'Violation')
    """
    if iri is None:
        return "Violation"
    return iri.removeprefix(SH) if iri in (SH + "Violation", SH + "Warning", SH + "Info") else iri


@dataclass
class Violation:
    """One failed constraint: where, what, why, and which shape says so.

    ``component`` and ``severity`` are local names in ``sh:`` or else full IRIs;
    ``source_shape`` and ``result_path`` are the nodes of the shapes graph a standard report
    names (``shape`` is for people: an inline property shape is named by its node shape).
    """

    focus: OxTerm
    path: OxTerm | None
    value: OxTerm | None
    messages: dict[str, str]
    shape: str
    component: str
    severity: str = "Violation"
    file: str | None = None
    line: int | None = None
    source_shape: Node | None = None
    result_path: Node | None = None

    def message(self, lang: str = "en") -> str:
        """The message in ``lang``, else English, else any."""
        return (
            self.messages.get(lang)
            or self.messages.get("en")
            or next(iter(self.messages.values()), "constraint violated")
        )

    def key(self) -> tuple[str, str, str, str, str, str]:
        """What makes two results the same result (SHACL 1.0 §3.6: focus node, path, value,
        source shape, component, severity)."""
        return (
            str(self.focus),
            str(self.result_path if self.result_path is not None else self.path),
            str(self.value),
            str(self.source_shape if self.source_shape is not None else self.shape),
            self.component,
            self.severity,
        )

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.file or "~", self.line or 0, str(self.focus), str(self.path), self.shape)
