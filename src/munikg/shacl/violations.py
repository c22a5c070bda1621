"""A SHACL validation result as munikg reports it."""

from dataclasses import dataclass

from munikg.terms import OxTerm


@dataclass
class Violation:
    """One failed constraint: where, what, why, and which shape says so."""

    focus: OxTerm
    path: OxTerm | None
    value: OxTerm | None
    messages: dict[str, str]
    shape: str
    component: str
    severity: str = "Violation"
    file: str | None = None
    line: int | None = None

    def message(self, lang: str = "en") -> str:
        """The message in ``lang``, else English, else any."""
        return (
            self.messages.get(lang)
            or self.messages.get("en")
            or next(iter(self.messages.values()), "constraint violated")
        )

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.file or "~", self.line or 0, str(self.focus), str(self.path), self.shape)
