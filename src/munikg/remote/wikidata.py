"""``munikg link wikidata``: propose Wikidata items for municipalities and organisations.

By official identifier first — a Swedish municipality's code (Wikidata property P525, on an
item that is a municipality of Sweden, Q127448, as reference/identifiers.md advises), an
organisation number (P6460) — and by exact label only as a marked low-confidence candidate.
Proposals are written to a reviewable Turtle file (never into the curated data): each link with
an ``mk:Evidence`` node giving its method, confidence grade and the item's page, the shape
``data/reference.ttl`` uses, so an accepted link can be moved there. A proposal that disagrees
with a QID the graph already records is reported as a conflict.

The endpoint is configurable (default: the public Wikidata Query Service); requests carry a
User-Agent that names munikg, time out, and are retried with backoff on 429 (honouring
``Retry-After``) and on 5xx, a bounded number of times.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from munikg import __version__
from munikg.namespaces import ID, MK, PREFIXES, WD
from munikg.release import Release
from munikg.remote.client import Client as RemoteClient
from munikg.remote.client import Endpoint, RemoteError
from munikg.store import select

WDQS = "https://query.wikidata.org/sparql"
WDT = "http://www.wikidata.org/prop/direct/"
MUNICIPALITY_OF_SWEDEN = WD + "Q127448"
USER_AGENT = f"munikg/{__version__} (https://w3id.org/munikg; linking municipal cooperation data)"
BATCH = 50  # values per request: short queries, polite to a shared service

ENTITIES = f"""
PREFIX mk: <{MK}>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX schema: <http://schema.org/>
SELECT ?e ?country ?code ?orgnr
       (GROUP_CONCAT(DISTINCT STR(?qid); separator=" ") AS ?qids)
       (GROUP_CONCAT(DISTINCT STR(?town); separator=" ") AS ?towns)
WHERE {{
  ?e a/rdfs:subClassOf* org:Organization .
  OPTIONAL {{ ?e mk:country ?country }}
  OPTIONAL {{ ?e mk:kommunkod ?code }}
  OPTIONAL {{ ?e mk:organisationsnummer ?orgnr }}
  OPTIONAL {{ ?e mk:wikidata|owl:sameAs ?qid FILTER (STRSTARTS(STR(?qid), "{WD}")) }}
  OPTIONAL {{ ?e schema:areaServed ?town FILTER (STRSTARTS(STR(?town), "{WD}")) }}
}}
GROUP BY ?e ?country ?code ?orgnr
ORDER BY ?e
"""
ENTITY_FIELDS = ("country", "code", "orgnr", "qids", "towns")
LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?l WHERE { ?e rdfs:label ?l FILTER (LANG(?l) IN ("sv", "en")) } ORDER BY ?l
"""


class WikidataError(RemoteError):
    """The endpoint could not be reached or kept refusing; nothing was written (exit 3)."""


@dataclass
class Entity:
    iri: str
    country: str | None
    code: str | None
    orgnr: str | None
    recorded: list[str]  # QIDs the graph already records (mk:wikidata, owl:sameAs)
    towns: list[str]  # QIDs of towns the entity serves (schema:areaServed)
    labels: list[tuple[str, str]] = field(default_factory=list)  # (text, lang)


@dataclass
class Proposal:
    entity: str
    qid: str  # the item's IRI
    method: str  # "P525", "P6460" or "label"
    grade: str  # confidence: a (official identifier) or c (label only)
    detail: str


@dataclass
class Conflict:
    entity: str
    found: str
    recorded: str
    why: str


@dataclass
class Links:
    proposals: list[Proposal] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    checked: int = 0


class Client:
    """A SPARQL endpoint that may throttle: SELECTs with retries and backoff."""

    def __init__(
        self,
        endpoint: str = WDQS,
        timeout: float = 60.0,
        retries: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.retries = retries
        self.sleep = sleep
        self.user_agent = user_agent
        self.waited: list[float] = []  # the pauses taken, for the report

    def select(self, query: str) -> list[dict[str, Any]]:
        endpoint = Endpoint(self.endpoint, timeout=self.timeout, agent=self.user_agent)
        for attempt in range(self.retries + 1):
            try:
                rows = RemoteClient(endpoint).bindings(query)
            except RemoteError as error:
                # Throttled (429), failing (5xx) or unreachable: wait and try again.
                throttled = error.status is None or error.status == 429 or error.status >= 500
                if not throttled or attempt == self.retries:
                    raise WikidataError(str(error)) from None
                self._pause(attempt, error.retry_after)
                continue
            return [{k: v["value"] for k, v in row.items()} for row in rows]
        raise AssertionError("unreachable")

    def _pause(self, attempt: int, retry_after: str | None) -> None:
        seconds = float(min(60, 2**attempt))
        if retry_after and retry_after.strip().isdigit():
            seconds = float(min(120, int(retry_after)))
        self.waited.append(seconds)
        self.sleep(seconds)


def entities(release: Release) -> list[Entity]:
    """Every organisation (municipalities included) with what can identify it."""
    found = []
    for row in select(release.store, ENTITIES):
        value = {n: None if row[n] is None else str(row[n].value) for n in ENTITY_FIELDS}
        entity = Entity(
            str(row["e"].value),
            value["country"],
            value["code"],
            value["orgnr"],
            sorted((value["qids"] or "").split()),
            sorted((value["towns"] or "").split()),
        )
        query = LABELS.replace("?e", f"<{entity.iri}>")
        entity.labels = [
            (str(r["l"].value), str(r["l"].language)) for r in select(release.store, query)
        ]
        found.append(entity)
    return found


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _batches(items: list[str]) -> list[list[str]]:
    return [items[i : i + BATCH] for i in range(0, len(items), BATCH)]


def by_identifier(
    client: Client, prop: str, values: list[str], extra: str = ""
) -> dict[str, list[str]]:
    """Items carrying each value of ``prop``: value -> item IRIs."""
    found: dict[str, list[str]] = {}
    for batch in _batches(sorted(set(values))):
        listed = " ".join(_literal(v) for v in batch)
        query = (
            f"SELECT ?item ?value WHERE {{ VALUES ?value {{ {listed} }} "
            f"?item <{WDT}{prop}> ?value . {extra} }}"
        )
        for row in client.select(query):
            found.setdefault(row["value"], []).append(row["item"])
    return {k: sorted(set(v)) for k, v in found.items()}


def by_label(client: Client, labels: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """Items with exactly one of these labels: (text, lang) -> item IRIs."""
    found: dict[tuple[str, str], list[str]] = {}
    pairs = sorted(set(labels))
    for start in range(0, len(pairs), BATCH):
        batch = pairs[start : start + BATCH]
        listed = " ".join(f"{_literal(text)}@{lang}" for text, lang in batch)
        query = (
            "SELECT ?item ?label WHERE { VALUES ?label { "
            f"{listed} }} ?item <http://www.w3.org/2000/01/rdf-schema#label> ?label . }}"
        )
        for row in client.select(query):
            for text, lang in batch:
                if text == row["label"]:
                    found.setdefault((text, lang), []).append(row["item"])
    return {k: sorted(set(v)) for k, v in found.items()}


def propose(release: Release, client: Client) -> Links:
    """Proposals and conflicts for every organisation of the release."""
    links = Links()
    known = entities(release)
    links.checked = len(known)
    swedish = [e for e in known if e.code and e.country == ID + "country/se"]
    codes = by_identifier(
        client,
        "P525",
        [e.code for e in swedish if e.code],
        f"?item <{WDT}P31> <{MUNICIPALITY_OF_SWEDEN}> .",
    )
    numbers = [e.orgnr for e in known if e.orgnr]
    # Wikidata writes organisation numbers with or without the hyphen.
    orgnrs = by_identifier(client, "P6460", numbers + [n.replace("-", "") for n in numbers])
    matched: set[str] = set()
    for entity in known:
        candidates: list[tuple[str, str, str]] = []  # (item, method, detail)
        if entity in swedish and entity.code in codes:
            detail = f"P525 (Swedish municipality code) {entity.code}, P31 Q127448"
            candidates += [(q, "P525", detail) for q in codes[entity.code]]
        elif entity.orgnr:
            items = orgnrs.get(entity.orgnr, []) + orgnrs.get(entity.orgnr.replace("-", ""), [])
            detail = f"P6460 (Swedish organisation number) {entity.orgnr}"
            candidates += [(q, "P6460", detail) for q in sorted(set(items))]
        if not candidates:
            continue
        matched.add(entity.iri)
        _judge(links, entity, candidates, "a")
    unmatched = [e for e in known if e.iri not in matched and not e.recorded]
    labelled = by_label(client, [label for e in unmatched for label in e.labels])
    for entity in unmatched:
        candidates = []
        for text, lang in entity.labels:
            for item in labelled.get((text, lang), []):
                candidates.append((item, "label", f'label "{text}"@{lang} only — check by hand'))
        if candidates:
            seen: dict[str, tuple[str, str, str]] = {}
            for candidate in candidates:
                seen.setdefault(candidate[0], candidate)
            _judge(links, entity, list(seen.values()), "c")
    links.proposals.sort(key=lambda p: (p.entity, p.qid))
    links.conflicts.sort(key=lambda c: (c.entity, c.found))
    return links


def _judge(
    links: Links, entity: Entity, candidates: list[tuple[str, str, str]], grade: str
) -> None:
    """A proposal for an entity without a QID; a conflict where one is recorded and differs,
    or where the item found is the one recorded as the entity's town."""
    for item, method, detail in candidates:
        if entity.recorded:
            if item not in entity.recorded:
                links.conflicts.append(
                    Conflict(
                        entity.iri, item, " ".join(entity.recorded), f"{detail} finds another item"
                    )
                )
            continue
        if item in entity.towns:
            links.conflicts.append(
                Conflict(
                    entity.iri,
                    item,
                    item,
                    f"{detail} finds the item the graph records as the town it serves "
                    "(schema:areaServed); one of the two is wrong",
                )
            )
        links.proposals.append(Proposal(entity.iri, item, method, grade, detail))
    if len([c for c in candidates if not entity.recorded]) > 1:
        links.conflicts.append(
            Conflict(
                entity.iri, " ".join(c[0] for c in candidates), "", "more than one item matches"
            )
        )


def _curie(iri: str) -> str:
    for prefix in ("municipality", "organisation", "network"):
        if iri.startswith(PREFIXES[prefix]):
            return f"{prefix}:{iri[len(PREFIXES[prefix]) :]}"
    return f"<{iri}>"


def review_file(links: Links, endpoint: str, date: str) -> str:
    """The proposals as Turtle for review: each link and its evidence, sorted, no blank nodes."""
    lines = [
        "# Wikidata links proposed by `munikg link wikidata` — for review, not curated data.",
        f"# Endpoint: {endpoint}; date: {date}.",
        "# Grade a: found by an official identifier; grade c: by label only — check by hand.",
        "# To accept a link, move its two statements into data/reference.ttl, with",
        "# prov:wasDerivedFrom on the evidence.",
        "",
    ]
    for prefix in (
        "conf",
        "dcterms",
        "ev",
        "mk",
        "municipality",
        "network",
        "organisation",
        "rdf",
        "rdfs",
    ):
        lines.append(f"@prefix {prefix}: <{PREFIXES[prefix]}> .")
    lines += ["@prefix wd: <http://www.wikidata.org/entity/> .", ""]
    for conflict in links.conflicts:
        recorded = conflict.recorded or "none"
        lines.append(
            f"# CONFLICT {_curie(conflict.entity)}: {conflict.why} "
            f"({conflict.found}; recorded: {recorded})"
        )
    if links.conflicts:
        lines.append("")
    for p in links.proposals:
        qid = p.qid.removeprefix(WD)
        subject = _curie(p.entity)
        slug = p.entity.rsplit("/", 1)[-1]
        lines += [
            f"{subject} mk:wikidata wd:{qid} .",
            f"ev:link-{slug}-wikidata-{qid.lower()} a mk:Evidence ;",
            f"    rdf:subject {subject} ; rdf:predicate mk:wikidata ; rdf:object wd:{qid} ;",
            f"    mk:confidence conf:{p.grade} ;",
            f"    dcterms:source <https://www.wikidata.org/wiki/{qid}> ;",
            f"    rdfs:comment {_literal('Wikidata item found by ' + p.detail)}@en .",
            "",
        ]
    return "\n".join(lines)
