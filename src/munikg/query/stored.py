"""Answers stored with a release: a release never changes, so the build runs each canned
query's default question (and each value of a small closed set of parameter values) once and
writes the answer beside the store; asking it again is a file read (design §8).

An answer is found by the exact query text that asks it (its SHA-256): the text a canned query
binds to, on the release's own copy of the queries. Any other text, or other queries, miss and
are run. Each answer is a file of JSON lines, one row each, in the query's own order; every
:data:`STEP`-th row's byte offset is kept, so a page is read from near where it starts and a
whole answer is streamed without being held.

>>> import tempfile
>>> from munikg.query.results import Cell
>>> folder = Path(tempfile.mkdtemp())
>>> rows = [(Cell("uri", f"http://e/{n}"), Cell("literal", str(n), None, XSD_INTEGER))
...         for n in range(3)]
>>> _ = write(folder, [Answer("q", {}, "SELECT ?x ?n {}", ["x", "n"], iter(rows))])
>>> stored = StoredAnswers.open(folder).get("SELECT ?x ?n {}")
>>> stored.count, [row[1].value for row in stored.rows(offset=1)]
(3, ['1', '2'])
>>> StoredAnswers.open(folder).get("SELECT ?other {}") is None
True
"""

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from munikg.errors import BadInput
from munikg.namespaces import XSD
from munikg.query.results import Cell, Result

INDEX = "index.json"
STEP = 256  # rows between two kept offsets: a page reads at most this many rows it skips
XSD_INTEGER = XSD + "integer"

Row = tuple[Cell | None, ...]


def key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Answer:
    """An answer to store: which question (query and its parameters) and its rows."""

    query: str
    params: dict[str, str]
    text: str  # the bound text that asks it
    variables: list[str]
    rows: Iterator[Row]


class _Reading:
    """What a stored answer and one held in memory are both read as."""

    variables: list[str]

    def rows(self, offset: int = 0, limit: int | None = None) -> Iterator[Row]:
        raise NotImplementedError

    def result(self, offset: int = 0, limit: int | None = None) -> Result:
        return Result(
            self.variables,
            [dict(zip(self.variables, row, strict=True)) for row in self.rows(offset, limit)],
        )


@dataclass(frozen=True)
class Stored(_Reading):
    """A stored answer: its variables, its row count and where its rows are."""

    path: Path
    query: str
    params: dict[str, str]
    variables: list[str]
    count: int
    offsets: list[int]

    def rows(self, offset: int = 0, limit: int | None = None) -> Iterator[Row]:
        """Rows ``offset`` to ``offset + limit`` (all that follow, without a limit)."""
        if offset >= self.count or limit == 0:
            return
        mark = min(offset // STEP, len(self.offsets) - 1)
        with self.path.open("rb") as lines:
            lines.seek(self.offsets[mark])
            chosen = itertools.islice(lines, offset - mark * STEP, None)
            for line in itertools.islice(chosen, limit):
                yield tuple(None if c is None else Cell(*c) for c in json.loads(line))


@dataclass(frozen=True)
class Listed(_Reading):
    """An answer held in memory, read as a stored one is."""

    variables: list[str]
    held: list[Row]

    @property
    def count(self) -> int:
        return len(self.held)

    def rows(self, offset: int = 0, limit: int | None = None) -> Iterator[Row]:
        end = None if limit is None else offset + limit
        return iter(self.held[offset:end])


Listing = Stored | Listed


class StoredAnswers:
    """The answers stored with a release (none, for a release built before they were)."""

    def __init__(self, directory: Path | None, entries: dict[str, dict[str, Any]]) -> None:
        self.directory = directory
        self.entries = entries

    @classmethod
    def open(cls, directory: Path) -> "StoredAnswers":
        index = directory / INDEX
        if not index.is_file():
            return cls(None, {})
        try:
            entries = json.loads(index.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise BadInput(index, f"not JSON: {error.msg}", error.lineno, error.colno) from None
        return cls(directory, entries)

    def get(self, text: str) -> Stored | None:
        entry = self.entries.get(key(text))
        if entry is None or self.directory is None:
            return None
        return Stored(
            self.directory / entry["file"],
            entry["query"],
            entry["params"],
            entry["variables"],
            entry["rows"],
            entry["offsets"],
        )

    def __len__(self) -> int:
        return len(self.entries)


def write(
    directory: Path, answers: Iterable[Answer], index: bool = True
) -> dict[str, dict[str, Any]]:
    """Write each answer as ``NAME.N.jsonl`` and (unless ``index`` is false: the caller
    writes one index of several parts, :func:`write_index`) the index of them into
    ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    entries: dict[str, dict[str, Any]] = {}
    numbers: dict[str, int] = {}
    for answer in answers:
        number = numbers[answer.query] = numbers.get(answer.query, -1) + 1
        name = f"{answer.query}.{number}.jsonl"
        offsets, count = [], 0
        with (directory / name).open("wb") as out:
            for count, row in enumerate(answer.rows, 1):
                if (count - 1) % STEP == 0:
                    offsets.append(out.tell())
                cells = [None if c is None else _compact(c) for c in row]
                out.write(json.dumps(cells, ensure_ascii=False).encode("utf-8") + b"\n")
        entries[key(answer.text)] = {
            "query": answer.query,
            "params": answer.params,
            "file": name,
            "variables": answer.variables,
            "rows": count,
            "offsets": offsets or [0],
        }
    if index:
        write_index(directory, entries)
    return entries


def write_index(directory: Path, entries: dict[str, dict[str, Any]]) -> None:
    (directory / INDEX).write_text(
        json.dumps(entries, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )


def _compact(cell: Cell) -> list[str | None]:
    """A cell as a list without its trailing Nones (``Cell(*list)`` is it again)."""
    items: list[str | None] = list(cell)
    while items[-1] is None:
        items.pop()
    return items
