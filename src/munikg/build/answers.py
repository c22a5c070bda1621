"""The answers a release stores (:mod:`munikg.query.stored`): each canned query's default
question and, for each parameter whose closed set is small, each of its values with the other
parameters at their defaults; a question whose value the query refuses (a bound it breaks) is
left to be asked. A query the label index answers (``# index: labels``) is answered from it
(its text is then a file read for ``/sparql`` too)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from munikg.api import KnowledgeGraph
from munikg.query.backends import LocalGraph
from munikg.query.canned import CannedQuery
from munikg.query.choices import choices
from munikg.query.params import ParameterError
from munikg.query.results import rows_of
from munikg.query.search import LabelIndex
from munikg.query.stored import Answer, write

BOUND = 64  # values of one parameter answered ahead; a larger closed set is asked when asked


def questions(store: ox.Store, query: CannedQuery) -> Iterator[dict[str, str]]:
    """The parameter values of each question answered ahead: the defaults first."""
    if any(p.required and p.default is None for p in query.params):
        return
    yield {}
    for param in query.params:
        found = choices(store, param)
        if found is None or len(found) > BOUND:
            continue
        for choice in found:
            if choice.value != param.default:
                yield {param.name: choice.value}


def store_answers(
    store: ox.Store,
    queries: dict[str, CannedQuery],
    directory: Path,
    index: bool = True,
    labels: LabelIndex | None = None,
) -> dict[str, dict[str, Any]]:
    """Answer every question of :func:`questions` on ``store`` into ``directory`` (see
    :func:`munikg.query.stored.write` for ``index``); ``labels`` is the release's label
    index, for the queries it answers (without it they are left to be asked)."""
    kg = KnowledgeGraph(LocalGraph(store, labels=labels), queries)

    def answers() -> Iterator[Answer]:
        seen: set[str] = set()
        for name, query in sorted(queries.items()):
            for params in questions(store, query):
                try:
                    text = kg.prepare(name, **params)
                except ParameterError:
                    continue
                if text in seen:  # a value spelt two ways binds one text
                    continue
                seen.add(text)
                if query.index:  # answered by the index, when it is given
                    indexed = kg.at_hand(name, text, dict(params)) if labels is not None else None
                    if indexed is not None:
                        yield Answer(name, params, text, indexed.variables, indexed.rows())
                    continue
                solutions = store.query(text)
                assert isinstance(solutions, ox.QuerySolutions)  # canned queries are SELECTs
                names = [v.value for v in solutions.variables]
                yield Answer(name, params, text, names, rows_of(solutions))

    return write(directory, answers(), index)
