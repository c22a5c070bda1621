"""Finding entities by name: an SQLite FTS5 index of every label (Python's own ``sqlite3``,
Datasette's choice), folded for case and diacritics by FTS5's ``unicode61`` tokenizer, so
"Vaxjo" finds Växjö and "kolomyja" nothing it should not. Each word typed is a prefix; a
label equal to the text comes first, then labels that start with it, then FTS5's bm25 rank.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
>>> for iri, text in [("http://e/v", "Växjö kommun"), ("http://e/k", "Kommunal växjöfond"),
...                   ("http://e/x", "Växjö")]:
...     store.add(ox.Quad(ox.NamedNode(iri), label, ox.Literal(text, language="sv")))
>>> [hit.iri for hit in LabelIndex(store).search("vaxjo")]
['http://e/x', 'http://e/v', 'http://e/k']
>>> [hit.iri for hit in LabelIndex(store).search("VÄXJÖ kom")]
['http://e/v', 'http://e/k']
"""

import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass

import pyoxigraph as ox

from munikg.namespaces import LABEL_PROPERTIES, RDF

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str  # the label that matched
    lang: str
    types: tuple[str, ...]


def folded(text: str) -> str:
    """``text`` without case or diacritics, as the index compares it.

    >>> folded("Växjö  Kommun"), folded("Чортків")
    ('vaxjo kommun', 'чортків')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", bare).split())


class LabelIndex:
    """Every named subject's labels in an in-memory FTS5 table, built once per release."""

    def __init__(self, store: ox.Store) -> None:
        # One connection shared by the server's threads, each query under the lock.
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute(
            "CREATE VIRTUAL TABLE labels USING fts5("
            "label, folded UNINDEXED, iri UNINDEXED, lang UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        rows = []
        for prop in LABEL_PROPERTIES:
            for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
                if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                    text = quad.object.value
                    rows.append((text, folded(text), quad.subject.value, quad.object.language))
        self._db.executemany("INSERT INTO labels VALUES (?, ?, ?, ?)", sorted(set(rows)))
        self._types: dict[str, set[str]] = {}
        for quad in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None, None):
            if isinstance(quad.object, ox.NamedNode) and isinstance(quad.subject, ox.NamedNode):
                self._types.setdefault(quad.subject.value, set()).add(quad.object.value)

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """The entities whose labels hold every word of ``text`` (each as a prefix), best
        first, each entity once (its best label)."""
        words = _WORD.findall(folded(text))
        if not words:
            return []
        match = " ".join(f'"{w}"*' for w in words)  # a word is quoted: never FTS5 syntax
        wanted = " ".join(words)
        with self._lock:
            found = self._db.execute(
                "SELECT label, folded, iri, lang, bm25(labels) FROM labels "
                "WHERE labels MATCH ? ORDER BY bm25(labels) LIMIT 500",
                (match,),
            ).fetchall()
        ranked = sorted(
            found,
            key=lambda r: (r[1] != wanted, not r[1].startswith(wanted), r[4], len(r[0]), r[0]),
        )
        hits: dict[str, Hit] = {}
        for label, _folded, iri, lang, _rank in ranked:
            if iri not in hits:
                hits[iri] = Hit(iri, label, lang or "", tuple(sorted(self._types.get(iri, ()))))
            if len(hits) == limit:
                break
        return list(hits.values())
