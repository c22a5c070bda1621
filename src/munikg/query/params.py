"""Typed parameters of canned queries: parsing a value as a user gives it, and refusing what
does not fit, naming the parameter and what it allows.

Values become RDF terms built by pyoxigraph (which validates IRIs and escapes literals); they
reach a query only as those terms (see :mod:`munikg.query.binding`), never as the user's text.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from munikg.errors import MunikgError
from munikg.namespaces import ID, XSD

TYPES = ("iri", "string", "langstring", "integer", "decimal", "date", "year", "country")
COUNTRY = ID + "country/"


class ParameterError(MunikgError):
    """A parameter value that does not fit its declaration (exit 2)."""


@dataclass(frozen=True)
class Param:
    """A declared parameter: ``# param: name type [required] [default=…] [scheme=…]
    [class=A|B] [namespace=…] [values=a|b] [min=…] [max=…] -- description``.

    ``scheme``: the value is a concept of that SKOS scheme; ``class``: an instance of one of
    the classes; ``namespace`` (or ``scheme``): a bare slug is read as an IRI in it; ``min``,
    ``max``: bounds of a number, year or date — a value, or another parameter's name."""

    name: str
    type: str
    required: bool = False
    default: str | None = None
    scheme: str | None = None
    classes: tuple[str, ...] = ()
    namespace: str | None = None
    values: tuple[str, ...] = ()
    minimum: str | None = None
    maximum: str | None = None
    description: dict[str, str] = field(default_factory=dict)

    def allowed(self) -> str:
        """What a value must be, in words, for error messages and ``query show``."""
        what = {
            "iri": "an IRI",
            "string": "a string",
            "langstring": "text with a language tag, e.g. vatten@sv",
            "integer": "an integer",
            "decimal": "a decimal number",
            "date": "a date YYYY-MM-DD",
            "year": "a year YYYY",
            "country": "an ISO 3166-1 alpha-2 country code, e.g. UA",
        }[self.type]
        if self.values:
            what += " — one of: " + ", ".join(self.values)
        if self.minimum is not None and self.maximum is not None:
            what += f" from {self.minimum} to {self.maximum}"
        elif self.minimum is not None:
            what += f", at least {self.minimum}"
        elif self.maximum is not None:
            what += f", at most {self.maximum}"
        if self.scheme:
            what += f" — a concept of <{self.scheme}> (its IRI, or the last part of it)"
        if self.classes:
            what += " — an instance of " + " or ".join(f"<{c}>" for c in self.classes)
        return what


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def is_short_name(param: Param, raw: str) -> bool:
    """Whether ``raw`` is a short name to look up (an IRI parameter without a concept scheme,
    given a slug rather than an IRI). With a namespace a slug also has a meaning offline,
    which :func:`to_term` reads; the graph's lookup comes first wherever there is a graph."""
    return param.type == "iri" and param.scheme is None and bool(_SLUG.fullmatch(raw.strip()))


def to_term(param: Param, raw: str) -> ox.NamedNode | ox.Literal:
    """The RDF term for ``raw`` as ``param`` declares it.

    >>> to_term(Param("year", "year"), "2024")
    <Literal value=2024 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#gYear>>
    >>> to_term(Param("n", "integer"), "12 }")
    Traceback (most recent call last):
    ...
    munikg.query.params.ParameterError: parameter n: '12 }' is not an integer
    >>> area = Param("area", "iri", scheme="https://w3id.org/munikg/id/concept/area")
    >>> to_term(area, "water").value
    'https://w3id.org/munikg/id/concept/area/water'
    """

    def bad() -> ParameterError:
        return ParameterError(f"parameter {param.name}: {raw!r} is not {param.allowed()}")

    if param.values and raw not in param.values:
        raise bad()
    kind = param.type
    if kind == "iri":
        text = raw.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        base = param.namespace or (param.scheme + "/" if param.scheme else None)
        if base and re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
            text = base + text
        if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+", text):
            raise bad()
        try:
            return ox.NamedNode(text)
        except ValueError:
            raise bad() from None
    if kind == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", raw):
            raise bad()
        return ox.NamedNode(COUNTRY + raw.lower())
    if kind == "string":
        return ox.Literal(raw)
    if kind == "langstring":
        match = re.fullmatch(r"(.*)@([a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*)", raw, re.DOTALL)
        if not match:
            raise bad()
        return ox.Literal(match.group(1), language=match.group(2).lower())
    patterns = {
        "integer": (r"[+-]?[0-9]+", "integer"),
        "decimal": (r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", "decimal"),
        "date": (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "date"),
        "year": (r"[0-9]{4}", "gYear"),
    }
    pattern, datatype = patterns[kind]
    if not re.fullmatch(pattern, raw):
        raise bad()
    if kind == "date":
        try:
            dt.date.fromisoformat(raw)
        except ValueError:
            raise bad() from None
    return ox.Literal(raw, datatype=ox.NamedNode(XSD + datatype))


ORDERED = ("integer", "decimal", "year", "date")


def check_bounds(params: list[Param], terms: dict[str, ox.NamedNode | ox.Literal]) -> None:
    """Every ``min``/``max`` of ``params`` holds for ``terms`` (a bound naming another parameter
    compares with that parameter's value).

    >>> goal = Param("goal", "integer", minimum="1", maximum="17")
    >>> check_bounds([goal], {"goal": to_term(goal, "99")})
    Traceback (most recent call last):
    ...
    munikg.query.params.ParameterError: parameter goal: 99 is not an integer from 1 to 17
    >>> start, end = Param("from", "year"), Param("to", "year", minimum="from")
    >>> check_bounds([start, end], {"from": to_term(start, "2024"), "to": to_term(end, "2020")})
    Traceback (most recent call last):
    ...
    munikg.query.params.ParameterError: parameter to: 2020 is before from (2024)
    """
    by_name = {p.name: p for p in params}
    for param in params:
        term = terms.get(param.name)
        if term is None:
            continue
        for bound, below in ((param.minimum, True), (param.maximum, False)):
            if bound is None:
                continue
            other = terms.get(bound) if bound in by_name else to_term(param, bound)
            if other is None:
                continue
            value, limit = _ordered(param, term), _ordered(param, other)
            if (value < limit) if below else (value > limit):
                if bound in by_name:
                    word = "before" if below else "after"
                    raise ParameterError(
                        f"parameter {param.name}: {term.value} is {word} {bound} ({other.value})"
                    )
                raise ParameterError(
                    f"parameter {param.name}: {term.value} is not {param.allowed()}"
                )


def _ordered(param: Param, term: ox.NamedNode | ox.Literal) -> Decimal:
    """A number to compare by (a date by its day number)."""
    if param.type == "date":
        return Decimal(dt.date.fromisoformat(term.value).toordinal())
    return Decimal(term.value)


_EXAMPLES = {
    "iri": "urn:munikg:example",
    "string": "example",
    "langstring": "example@en",
    "integer": "1",
    "decimal": "1.5",
    "date": "2024-01-01",
    "year": "2024",
    "country": "SE",
}


def example_term(param: Param) -> ox.NamedNode | ox.Literal:
    """A value of ``param``'s type, to check that a query binds (no default to use).

    >>> example_term(Param("from", "year")).value
    '2024'
    """
    raw = param.values[0] if param.values else _EXAMPLES[param.type]
    return to_term(Param(param.name, param.type, values=param.values), raw)
