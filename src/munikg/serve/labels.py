"""Labels for IRIs in the reader's language, read once from the release (it never changes).

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> falun, label = ox.NamedNode("http://e/falun"), ox.NamedNode(RDFS_LABEL)
>>> store.add(ox.Quad(falun, label, ox.Literal("Falun", language="sv")))
>>> store.add(ox.Quad(falun, label, ox.Literal("Falun Municipality", language="en")))
>>> labels = Labels(store)
>>> labels.get("http://e/falun", "sv"), labels.get("http://e/falun", "en")
('Falun', 'Falun Municipality')
>>> labels.get("http://e/none", "en") is None
True
"""

import pyoxigraph as ox

from munikg.namespaces import LABEL_PROPERTIES, RDFS

RDFS_LABEL = RDFS + "label"


class Labels:
    def __init__(self, store: ox.Store) -> None:
        self._labels: dict[str, dict[str, str]] = {}
        for prop in reversed(LABEL_PROPERTIES):
            for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
                if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                    by_lang = self._labels.setdefault(quad.subject.value, {})
                    by_lang[quad.object.language or ""] = quad.object.value

    def get(self, iri: str, lang: str) -> str | None:
        """The label in ``lang``, else one without a language, else English, else any."""
        by_lang = self._labels.get(iri)
        if not by_lang:
            return None
        for key in (lang, "", "en", "sv"):
            if key in by_lang:
                return by_lang[key]
        return next(iter(by_lang.values()))
