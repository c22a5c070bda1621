"""HTML documentation of the ontology and its concept schemes, one page per language
(``ontology.sv.html``, ``ontology.en.html``), generated at build time from the release.

Each page shows only its language's labels, comments and definitions (falling back to the
other language, marked, where a term lacks one), so a Swedish reader never sees English
mixed into headings. Every value is HTML-escaped. Output is deterministic.
"""

from html import escape

import pyoxigraph as ox

from munikg.namespaces import GRAPH, MK, ONTOLOGY, PREFIXES, RDF, RDFS
from munikg.terms import short

OWL = PREFIXES["owl"]
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dcterms"]
LANGUAGES = ("sv", "en")
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;"
    "line-height:1.5}.term{border-top:1px solid #ddd;padding:.5rem 0}"
    ".iri{color:#555;font-size:.9em}dt{font-weight:bold}"
)
WORDS = {
    "sv": {
        "classes": "Klasser",
        "object": "Objektegenskaper",
        "datatype": "Dataegenskaper",
        "schemes": "Begreppsscheman",
        "sub": "Underklass till",
        "domain": "Domän",
        "range": "Värdemängd",
        "subprop": "Underegenskap till",
        "version": "Version",
        "licence": "Licens",
        "other": "English",
        "notation": "kod",
        "contents": "Innehåll",
        "properties": "Egenskaper",
    },
    "en": {
        "classes": "Classes",
        "object": "Object properties",
        "datatype": "Datatype properties",
        "schemes": "Concept schemes",
        "sub": "Subclass of",
        "domain": "Domain",
        "range": "Range",
        "subprop": "Subproperty of",
        "version": "Version",
        "licence": "Licence",
        "other": "Svenska",
        "notation": "notation",
        "contents": "Contents",
        "properties": "Properties",
    },
}


DOCUMENTED_GRAPHS = (GRAPH + "ontology", GRAPH + "schemes")


class _Graph:
    """The triples the pages need, read once from the ontology and schemes graphs (not the
    data: the pages' size and time must not grow with it)."""

    def __init__(self, store: ox.Store) -> None:
        self.out: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]] = {}
        for graph in DOCUMENTED_GRAPHS:
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
                if isinstance(q.subject, ox.NamedNode) and not isinstance(
                    q.object, ox.BlankNode | ox.Triple
                ):
                    by_property = self.out.setdefault(q.subject.value, {})
                    values = by_property.setdefault(q.predicate.value, [])
                    if q.object not in values:
                        values.append(q.object)

    def values(self, s: str, p: str) -> list[ox.NamedNode | ox.Literal]:
        return sorted(self.out.get(s, {}).get(p, []), key=str)

    def text(self, s: str, p: str, lang: str) -> tuple[str, bool]:
        """The literal in ``lang``; else another language's, flagged as a fallback."""
        literals = [v for v in self.values(s, p) if isinstance(v, ox.Literal)]
        for v in literals:
            if v.language == lang:
                return v.value, False
        return (literals[0].value, True) if literals else ("", False)

    def of_type(self, cls: str) -> list[str]:
        return sorted(
            s
            for s, props in self.out.items()
            if any(
                isinstance(o, ox.NamedNode) and o.value == cls for o in props.get(RDF + "type", [])
            )
        )


def _anchor(iri: str) -> str:
    return escape(iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1], quote=True)


def _ref(g: _Graph, term: ox.NamedNode | ox.Literal, lang: str) -> str:
    if not isinstance(term, ox.NamedNode):
        return escape(str(term))
    label, _ = g.text(term.value, RDFS + "label", lang)
    if term.value.startswith(MK):
        return f'<a href="#{_anchor(term.value)}">{escape(label or short(term))}</a>'
    return f'<a href="{escape(term.value, quote=True)}"><code>{escape(short(term))}</code></a>'


def _refs(g: _Graph, terms: list[ox.NamedNode | ox.Literal], lang: str) -> str:
    return ", ".join(_ref(g, t, lang) for t in terms)


def _text(g: _Graph, s: str, p: str, lang: str) -> str:
    value, fallback = g.text(s, p, lang)
    if not value:
        return ""
    other = next(x for x in LANGUAGES if x != lang)
    return f'<span lang="{other}">{escape(value)}</span>' if fallback else escape(value)


def _term(
    g: _Graph,
    iri: str,
    lang: str,
    rows: list[tuple[str, str]],
    properties: list[ox.NamedNode | ox.Literal] | None = None,
) -> str:
    words = WORDS[lang]
    facts = "".join(
        f"<dt>{escape(words[key])}</dt><dd>{_refs(g, g.values(iri, p), lang)}</dd>"
        for key, p in rows
        if g.values(iri, p)
    )
    if properties:  # a class: the properties whose domain it is
        facts += f"<dt>{escape(words['properties'])}</dt><dd>{_refs(g, properties, lang)}</dd>"
    return (
        f'<section id="{_anchor(iri)}" class="term"><h3>{_text(g, iri, RDFS + "label", lang)}</h3>'
        f'<p class="iri"><code>{escape(iri)}</code></p>'
        f"<p>{_text(g, iri, RDFS + 'comment', lang)}</p>"
        + (f"<dl>{facts}</dl>" if facts else "")
        + "</section>"
    )


def _concepts(g: _Graph, scheme: str, parent: str | None, lang: str) -> str:
    """The scheme's concepts under ``parent`` (top concepts for None), nested by skos:broader."""
    members = [
        c
        for c in g.of_type(SKOS + "Concept")
        if scheme in {v.value for v in g.values(c, SKOS + "inScheme")}
    ]

    def broader(c: str) -> set[str]:
        return {v.value for v in g.values(c, SKOS + "broader")}

    children = [c for c in members if (parent in broader(c) if parent else not broader(c))]
    if not children:
        return ""
    items = []
    for c in sorted(children, key=lambda c: g.text(c, SKOS + "prefLabel", lang)[0]):
        notation = ", ".join(v.value for v in g.values(c, SKOS + "notation"))
        definition = _text(g, c, SKOS + "definition", lang)
        items.append(
            f'<li id="{escape(c.rsplit("/", 1)[-1], quote=True)}">'
            f"<strong>{_text(g, c, SKOS + 'prefLabel', lang)}</strong>"
            f" <code>{escape(notation)}</code>"
            + (f" — {definition}" if definition else "")
            + _concepts(g, scheme, c, lang)
            + "</li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


def _domains(g: _Graph) -> dict[str, list[ox.NamedNode | ox.Literal]]:
    """Each class's properties: those whose rdfs:domain it is."""
    found: dict[str, list[ox.NamedNode | ox.Literal]] = {}
    for prop in g.of_type(OWL + "ObjectProperty") + g.of_type(OWL + "DatatypeProperty"):
        for domain in g.values(prop, RDFS + "domain"):
            found.setdefault(domain.value, []).append(ox.NamedNode(prop))
    return {c: sorted(props, key=str) for c, props in found.items()}


def html_page(store: ox.Store, lang: str, version: str) -> str:
    """The documentation page in ``lang`` (sv or en), standalone (a release file)."""
    g = _Graph(store)
    words = WORDS[lang]
    other = next(x for x in LANGUAGES if x != lang)
    title = _text(g, ONTOLOGY, DCT + "title", lang)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        f"<style>{STYLE}</style>"
        f'</head><body><p><a href="ontology.{other}.html" lang="{other}">'
        f"{escape(words['other'])}</a></p>" + _body(g, lang, version) + "</body></html>\n"
    )


def html_body(store: ox.Store, lang: str, version: str) -> str:
    """The documentation in ``lang`` without a page around it (the site puts it in its own)."""
    return _body(_Graph(store), lang, version)


def _body(g: _Graph, lang: str, version: str) -> str:
    words = WORDS[lang]
    title = _text(g, ONTOLOGY, DCT + "title", lang)
    domains = _domains(g)
    sections = []
    for key, cls, rows in (
        ("classes", OWL + "Class", [("sub", RDFS + "subClassOf")]),
        (
            "object",
            OWL + "ObjectProperty",
            [
                ("domain", RDFS + "domain"),
                ("range", RDFS + "range"),
                ("subprop", RDFS + "subPropertyOf"),
            ],
        ),
        (
            "datatype",
            OWL + "DatatypeProperty",
            [
                ("domain", RDFS + "domain"),
                ("range", RDFS + "range"),
                ("subprop", RDFS + "subPropertyOf"),
            ],
        ),
    ):
        terms = sorted(
            (t for t in g.of_type(cls) if t.startswith(MK)),
            key=lambda t: g.text(t, RDFS + "label", lang)[0].lower(),
        )
        sections.append(
            f'<h2 id="{key}">{escape(words[key])}</h2>'
            + "".join(_term(g, t, lang, rows, domains.get(t)) for t in terms)
        )
    schemes = []
    for scheme in g.of_type(SKOS + "ConceptScheme"):
        slug = escape(scheme.rsplit("/", 1)[-1], quote=True)
        label = _text(g, scheme, SKOS + "prefLabel", lang)
        definition = _text(g, scheme, SKOS + "definition", lang)
        schemes.append(
            f'<section id="{slug}"><h3>{label}</h3>'
            f'<p class="iri"><code>{escape(scheme)}</code></p><p>{definition}</p>'
            + _concepts(g, scheme, None, lang)
            + "</section>"
        )
    sections.append(f'<h2 id="schemes">{escape(words["schemes"])}</h2>' + "".join(schemes))
    contents = "".join(
        f'<li><a href="#{key}">{escape(words[key])}</a></li>'
        for key in ("classes", "object", "datatype", "schemes")
    )
    return (
        f"<h1>{title}</h1><p><code>{escape(ONTOLOGY)}</code> — "
        f"{escape(words['version'])} {escape(version)} — {escape(words['licence'])} "
        '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></p>'
        f"<p>{_text(g, ONTOLOGY, DCT + 'description', lang)}</p>"
        f"<nav><h2>{escape(words['contents'])}</h2><ul>{contents}</ul></nav>" + "".join(sections)
    )
