"""Finding entities by name: an SQLite FTS5 index of every label in the release's default graph
(Python's own ``sqlite3``, Datasette's choice), written by the build beside the store
(``labels.sqlite``) and opened read-only by everything that searches: the ``search-by-label``
canned query, the site's search, the editor's entity completion and the API.

Labels are held *folded* (:func:`fold`: lower case, diacritics removed from Latin and Cyrillic
letters) and indexed by FTS5's ``trigram`` tokenizer, so any part of a name of three letters or
more is found through the index; a shorter text is looked for by a scan of the folded labels.

The fold is one table, also written as SPARQL (:func:`sparql_fold`): ``search-by-label.rq``
says in SPARQL exactly what the index answers, so any SPARQL 1.1 store gives the same rows, and
a test holds the two to each other.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
>>> for iri, text in [("http://e/v", "Växjö kommun"), ("http://e/k", "Kommunal växjöfond"),
...                   ("http://e/x", "Växjö")]:
...     store.add(ox.Quad(ox.NamedNode(iri), label, ox.Literal(text, language="sv")))
>>> index = LabelIndex.build(store)
>>> [hit.iri for hit in index.search("vaxjo")]
['http://e/x', 'http://e/v', 'http://e/k']
>>> [hit.iri for hit in index.search("VÄXJÖ kom")]
['http://e/v', 'http://e/k']
"""

import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from munikg.namespaces import LABEL_PROPERTIES, RDF, RDFS

INDEX_FILE = "labels.sqlite"
_WORD = re.compile(r"\w+")
_TRIGRAM = 3  # the shortest text the trigram index can look up; shorter ones are scanned
_SCHEMA = (
    "CREATE VIRTUAL TABLE labels USING fts5("
    "folded, label UNINDEXED, iri UNINDEXED, lang UNINDEXED, property UNINDEXED, "
    "tokenize = 'trigram case_sensitive 1');"  # already folded: case is gone
    "CREATE TABLE types (iri TEXT NOT NULL, class TEXT NOT NULL);"
)


def _fold_table() -> dict[str, str]:
    """Each lower-case Latin or Cyrillic letter with diacritics, and the letter it is made on
    (``ä`` → ``a``, ``й`` → ``и``): the letters whose canonical decomposition is one letter
    and combining marks."""
    table = {}
    for code in [*range(0x00C0, 0x0250), *range(0x0400, 0x0500)]:
        char = chr(code)
        if char != char.lower():
            continue
        parts = unicodedata.normalize("NFD", char)
        if len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:]):
            table[char] = parts[0]
    return table


FOLDS = _fold_table()
_TRANSLATION = str.maketrans(FOLDS)


def fold(text: str) -> str:
    """``text`` as the index compares it: lower case (as SPARQL's ``LCASE``), then each
    letter of :data:`FOLDS` as its base letter.

    >>> fold("Växjö  Kommun"), fold("Чортків"), fold("Київ")
    ('vaxjo  kommun', 'чортків', 'киів')
    """
    return text.lower().translate(_TRANSLATION)


def sparql_fold(expression: str, variable: str) -> str:
    """:func:`fold` in SPARQL 1.1: ``BIND`` lines giving ``?variable`` the folded string of
    ``expression`` — ``LCASE``, then a ``REPLACE`` for each base letter, one step a line
    (pyoxigraph's parser takes twice as long for each nested call, so they are not nested).

    >>> print(sparql_fold("STR(?x)", "f").splitlines()[0])
    BIND (LCASE(STR(?x)) AS ?f_0)
    """
    by_base: dict[str, list[str]] = {}
    for char, base in sorted(FOLDS.items()):
        by_base.setdefault(base, []).append(char)
    steps = [f"BIND (LCASE({expression}) AS ?{variable}_0)"]
    for number, (base, chars) in enumerate(sorted(by_base.items()), 1):
        last = variable if number == len(by_base) else f"{variable}_{number}"
        steps.append(
            f'BIND (REPLACE(?{variable}_{number - 1}, "[{"".join(chars)}]", "{base}") AS ?{last})'
        )
    return "\n".join(steps)


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str  # the label that matched
    lang: str
    types: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """A row of ``search-by-label``: an entity with an ``rdfs:label`` that holds the text
    (folded), one of its classes, and how well its best label matches (0: is the text,
    1: starts with it, 2: holds it elsewhere)."""

    entity: str
    cls: str
    rank: int


class LabelIndex:
    """The release's label index, opened read-only (or built in memory for a store that has
    none). One connection is shared by the server's threads, each query under a lock."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path) -> "LabelIndex":
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        return cls(sqlite3.connect(uri, uri=True, check_same_thread=False))

    @classmethod
    def build(cls, store: ox.Store, path: Path | None = None) -> "LabelIndex":
        """Index the labels and classes of ``store``'s default graph, into ``path`` (a new
        file) or in memory."""
        db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        db.executescript(_SCHEMA)
        graph = ox.DefaultGraph()
        rows = []
        for prop in LABEL_PROPERTIES:
            for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None, graph):
                if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                    text = quad.object.value
                    lang = quad.object.language
                    rows.append((fold(text), text, quad.subject.value, lang, prop))
        db.executemany("INSERT INTO labels VALUES (?, ?, ?, ?, ?)", sorted(rows))
        types = {
            (q.subject.value, q.object.value)
            for q in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None, graph)
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)
        }
        db.executemany("INSERT INTO types VALUES (?, ?)", sorted(types))
        db.execute("CREATE INDEX types_of ON types (iri)")
        db.commit()
        if path is not None:  # written once, then read by everyone without a writer
            db.execute("INSERT INTO labels(labels) VALUES ('optimize')")
            db.commit()
        return cls(db)

    def _holding(self, folded: str, columns: str, extra: str = "") -> list[tuple[str, ...]]:
        """Rows of ``columns`` whose folded label holds ``folded``: by the trigram index, or
        by a scan for a text too short for it."""
        if len(folded) >= _TRIGRAM:
            phrase = '"' + folded.replace('"', '""') + '"'  # quoted: never FTS5 syntax
            sql = f"SELECT {columns} FROM labels WHERE labels MATCH ? {extra}"
            found = self._db.execute(sql, (phrase,)).fetchall()
        else:
            sql = f"SELECT {columns} FROM labels WHERE instr(folded, ?) > 0 {extra}"
            found = self._db.execute(sql, (folded,)).fetchall()
        return found

    def types_of(self, iris: list[str]) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for start in range(0, len(iris), 500):  # SQLite's bound on parameters
            chunk = iris[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT iri, class FROM types WHERE iri IN ({marks})"
            for iri, cls in self._db.execute(sql, chunk):
                found.setdefault(iri, []).append(cls)
        return {iri: tuple(sorted(classes)) for iri, classes in found.items()}

    def matching(self, text: str) -> list[Match]:
        """The answer of ``search-by-label`` for ``text``, in its order (rank, entity,
        class): exactly what its SPARQL says."""
        wanted = fold(text)
        with self._lock:
            found = self._holding(wanted, "iri, folded", f"AND property = '{RDFS}label'")
            best: dict[str, int] = {}
            for iri, folded in found:
                if wanted not in folded:  # the index's phrase is a substring; held to it
                    continue
                rank = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2
                best[iri] = min(rank, best.get(iri, 2))
            types = self.types_of(sorted(best))
        rows = [Match(iri, cls, best[iri]) for iri in best for cls in types.get(iri, ())]
        return sorted(rows, key=lambda m: (m.rank, m.entity, m.cls))

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """The entities whose labels (any label property) hold every word of ``text``, best
        first: a label that is the text, then one that starts with it, then FTS5's bm25
        rank; each entity once, with its best label."""
        words = _WORD.findall(fold(text))
        if not words:
            return []
        wanted = " ".join(words)
        longest = max(words, key=len)
        with self._lock:
            if len(longest) >= _TRIGRAM:
                found = self._db.execute(
                    "SELECT label, folded, iri, lang, bm25(labels) FROM labels "
                    "WHERE labels MATCH ? ORDER BY bm25(labels) LIMIT 2000",
                    (" AND ".join(f'"{w}"' for w in words if len(w) >= _TRIGRAM),),
                ).fetchall()
            else:
                found = [
                    (*row, 0.0)
                    for row in self._holding(longest, "label, folded, iri, lang", "LIMIT 2000")
                ]
            found = [r for r in found if all(w in r[1] for w in words)]
            ranked = sorted(
                found,
                key=lambda r: (
                    " ".join(_WORD.findall(r[1])) != wanted,
                    not r[1].startswith(wanted),
                    r[4],
                    len(r[0]),
                    r[0],
                ),
            )
            hits: dict[str, tuple[str, str]] = {}
            for label, _folded, iri, lang, _rank in ranked:
                if iri not in hits:
                    hits[iri] = (label, lang or "")
                if len(hits) == limit:
                    break
            types = self.types_of(list(hits))
        return [Hit(iri, label, lang, types.get(iri, ())) for iri, (label, lang) in hits.items()]
