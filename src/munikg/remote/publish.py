"""``munikg publish``: a release into a SPARQL 1.1 store, replaced atomically (design §3).

Each named graph of the release, and the merge that the canned queries read, is loaded into a
staging graph (Graph Store HTTP Protocol where the store offers it, chunked ``INSERT DATA``
otherwise), its triple count verified, and only then swapped in — every graph in one SPARQL
Update request (``MOVE``), which the store runs as one transaction. A reader sees the old
release or the new one, never a half-loaded graph; a publish that fails or is killed leaves the
published graphs as they were (its staging graphs are dropped by the next publish).

Where the merge goes depends on the store: into the default graph where the store keeps one of
its own (Oxigraph), or into ``graph/merge`` where the default graph is the union of all graphs
(Virtuoso) — readers then name it (``default-graph-uri``). The metadata graph records what was
published: each graph's SHA-256 and triple count, the release, and the layout; publishing the
same release again changes nothing.
"""

import contextlib
import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from munikg.errors import BadInput
from munikg.namespaces import BASE, DCT, GRAPH, PROV, VOID
from munikg.release import Release
from munikg.remote.client import Client, Endpoint, RemoteError

META = GRAPH + "publication"
META_DEFAULT = META + "#default-graph"  # stands for the default graph in the metadata
MERGE = GRAPH + "merge"
STAGING = BASE + "staging/"
PROBE = STAGING + "probe"
VOID_TRIPLES = VOID + "triples"
SD = "http://www.w3.org/ns/sparql-service-description#"
DEFAULT = "DEFAULT"  # the default graph, as a swap target


class PublishError(RemoteError):
    """The store refused or could not be reached; what was published before is untouched
    (exit 3)."""


@dataclass
class Target:
    """Where and how to write: the store's query, update and (optional) graph-store URLs."""

    query_url: str
    update_url: str
    gsp_url: str | None = None
    user: str | None = None
    password: str | None = None
    digest: bool = False
    timeout: float = 300.0

    @classmethod
    def from_url(
        cls,
        url: str,
        update: str | None = None,
        gsp: str | None = None,
        user: str | None = None,
        password: str | None = None,
        digest: bool = False,
    ) -> "Target":
        """Conventions of the common stores, each overridable: ``…/query`` has ``…/update``
        and ``…/store`` beside it (Oxigraph); Virtuoso's ``…/sparql`` takes authenticated
        updates at ``…/sparql-auth`` and graphs at ``…/sparql-graph-crud-auth``.

        >>> t = Target.from_url("http://127.0.0.1:7878/query")
        >>> t.update_url, t.gsp_url
        ('http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
        >>> Target.from_url("http://h:8890/sparql", user="dba", password="x").update_url
        'http://h:8890/sparql-auth'
        """
        base, _, last = url.rstrip("/").rpartition("/")
        derived_update, derived_gsp = url, None
        if last == "query":
            derived_update, derived_gsp = f"{base}/update", f"{base}/store"
        elif last == "sparql" and user:
            derived_update, derived_gsp = f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth"
        return cls(url, update or derived_update, gsp or derived_gsp, user, password, digest)


@dataclass
class GraphPlan:
    """One graph to publish: its name on the target and its triples, sorted."""

    name: str  # an IRI, or DEFAULT
    lines: list[str]  # N-Triples, sorted
    sha256: str
    published: tuple[str, int] | None = None  # (sha256, triples) recorded on the target

    @property
    def changed(self) -> bool:
        return self.published != (self.sha256, len(self.lines))


@dataclass
class Report:
    release: str
    query_url: str
    union_default: bool | None
    graphs: list[GraphPlan]
    method: str = ""
    loaded: int = 0
    seconds: float = 0.0
    dropped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[GraphPlan]:
        return [g for g in self.graphs if g.changed]

    @property
    def throughput(self) -> float:
        return self.loaded / self.seconds if self.seconds > 0 else 0.0


Progress = Callable[[str, int, int], None]  # (what, done, total)


class Store:
    """The target store, through the one remote client; every failure a :class:`PublishError`."""

    def __init__(self, target: Target) -> None:
        self.target = target
        endpoint = Endpoint(
            target.query_url,
            target.update_url,
            target.gsp_url,
            target.timeout,
            target.user,
            target.password,
            target.digest,
        )
        self.client = Client(endpoint)

    def select(self, text: str) -> list[dict[str, str]]:
        try:
            rows = self.client.bindings(text)
        except RemoteError as error:
            raise PublishError(str(error)) from None
        return [{k: v["value"] for k, v in row.items()} for row in rows]

    def count(self, graph: str) -> int:
        pattern = "?s ?p ?o" if graph == DEFAULT else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(rows[0]["n"]) if rows else 0

    def update(self, text: str) -> None:
        try:
            self.client.update(text)
        except RemoteError as error:
            raise PublishError(str(error)) from None

    def gsp_available(self) -> bool:
        return self.client.gsp_available(PROBE + "/absent")

    def gsp_post(self, graph: str, body: bytes) -> None:
        try:
            self.client.gsp_post(graph, body)
        except RemoteError as error:
            raise PublishError(str(error)) from None


def plan(release: Release, only: str | None = None) -> list[GraphPlan]:
    """Every named graph of the release (or the one named), and the merge, as sorted lines."""
    store = release.store
    names = sorted(g.value for g in store.named_graphs())
    if only is not None:
        wanted = only if only.startswith(("http://", "https://")) else GRAPH + only
        if wanted not in names:
            known = ", ".join(n.removeprefix(GRAPH) for n in names)
            raise BadInput(None, f"the release has no graph {only!r} (its graphs: {known})")
        names = [wanted]
    graphs: list[tuple[str, ox.NamedNode | ox.DefaultGraph]] = [(n, ox.NamedNode(n)) for n in names]
    if only is None:
        graphs.append((DEFAULT, ox.DefaultGraph()))
    plans = []
    for name, graph in graphs:
        lines = sorted(
            str(ox.Triple(q.subject, q.predicate, q.object)) + " ."
            for q in store.quads_for_pattern(None, None, None, graph)
        )
        digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
        plans.append(GraphPlan(name, lines, digest))
    return plans


def _chunks(lines: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(lines), size):
        yield lines[start : start + size]


def _recorded(store: Store) -> dict[str, tuple[str, int]]:
    """What the metadata graph says is published: graph -> (SHA-256, triples)."""
    rows = store.select(
        f"SELECT ?g ?id ?n WHERE {{ GRAPH <{META}> {{ "
        f"?g <{DCT}identifier> ?id ; <{VOID_TRIPLES}> ?n }} }}"
    )
    return {
        (DEFAULT if row["g"] == META_DEFAULT else row["g"]): (
            row["id"].removeprefix("sha256:"),
            int(row["n"]),
        )
        for row in rows
    }


def _union_default(store: Store) -> bool:
    """Whether the store's default graph is the union of its named graphs (Virtuoso) rather
    than a graph of its own (Oxigraph): a probe triple in a named graph, looked for outside."""
    store.update(f'INSERT DATA {{ GRAPH <{PROBE}> {{ <{PROBE}> <{PROBE}> "probe" }} }}')
    try:
        rows = store.select(f"SELECT ?o WHERE {{ <{PROBE}> <{PROBE}> ?o }}")
    finally:
        store.update(f"DROP SILENT GRAPH <{PROBE}>")
    return bool(rows)


def publish(
    release: Release,
    target: Target,
    only: str | None = None,
    dry_run: bool = False,
    batch: int = 1000,
    progress: Progress | None = None,
) -> Report:
    """Publish ``release`` (or its graph ``only``) to ``target``; see the module docstring."""
    store = Store(target)
    plans = plan(release, only)
    recorded = _recorded(store)
    union = None
    report = Report(release.version, target.query_url, union, plans)
    if dry_run:
        for p in plans:
            p.published = recorded.get(_target_name(p.name, False))
            p.published = p.published or recorded.get(_target_name(p.name, True))
        return report
    union = _union_default(store)
    report.union_default = union
    for p in plans:
        name = _target_name(p.name, union)
        p.published = recorded.get(name)
        if p.published is not None and store.count(name) != p.published[1]:
            p.published = None  # the store no longer holds what was recorded
    _drop_leftover_staging(store)
    if not report.changed:
        return report
    use_gsp = store.gsp_available()
    report.method = "Graph Store HTTP Protocol" if use_gsp else "SPARQL Update (INSERT DATA)"
    started = time.monotonic()
    staged: dict[str, str] = {}
    try:
        for p in report.changed:
            staging = f"{STAGING}{p.sha256[:16]}/{len(staged)}"
            staged[p.name] = staging
            store.update(f"DROP SILENT GRAPH <{staging}>")
            done = 0
            for chunk in _chunks(p.lines, batch):
                if use_gsp:
                    store.gsp_post(staging, ("\n".join(chunk) + "\n").encode("utf-8"))
                else:
                    _insert(store, staging, chunk)
                done += len(chunk)
                if progress:
                    progress(_label(p.name), done, len(p.lines))
            found = store.count(staging)
            if found != len(p.lines):
                raise PublishError(
                    f"staging {_label(p.name)} holds {found} triples, not {len(p.lines)}; "
                    "nothing was replaced"
                )
            report.loaded += len(p.lines)
        report.seconds = time.monotonic() - started
        store.update(_swap(release, report, staged, recorded, union, only))
    except PublishError:
        for staging in staged.values():
            with contextlib.suppress(PublishError):  # else the next publish drops it
                store.update(f"DROP SILENT GRAPH <{staging}>")
        raise
    for p in report.graphs:
        name = _target_name(p.name, union)
        if store.count(name) != len(p.lines):
            raise PublishError(
                f"after the swap {_label(name)} does not hold {len(p.lines)} triples"
            )
    return report


def _insert(store: Store, graph: str, lines: list[str]) -> None:
    """``INSERT DATA`` of ``lines``; if the store refuses, name the first triple it refuses."""
    try:
        store.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n} }")
    except PublishError as error:
        for line in lines:
            try:
                store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {line} }} }}")
            except PublishError:
                raise PublishError(f"the store refuses the triple {line} ({error})") from None
        raise


def _target_name(name: str, union: bool) -> str:
    return (MERGE if union else DEFAULT) if name == DEFAULT else name


def _label(name: str) -> str:
    return "the default graph (the merge)" if name == DEFAULT else name.removeprefix(GRAPH)


def _drop_leftover_staging(store: Store) -> None:
    rows = store.select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER (STRSTARTS(STR(?g), "{STAGING}")) }}'
    )
    for row in rows:
        store.update(f"DROP SILENT GRAPH <{row['g']}>")


def _swap(
    release: Release,
    report: Report,
    staged: dict[str, str],
    recorded: dict[str, tuple[str, int]],
    union: bool,
    only: str | None,
) -> str:
    """One update request: every staged graph moved over its target, graphs the release no
    longer has dropped, and the metadata graph rewritten."""
    operations = []
    for name, staging in staged.items():
        target = _target_name(name, union)
        to = "DEFAULT" if target == DEFAULT else f"GRAPH <{target}>"
        operations.append(f"MOVE SILENT GRAPH <{staging}> TO {to}")
    current = {_target_name(p.name, union) for p in report.graphs}
    if only is None:
        for gone in sorted(set(recorded) - current - {DEFAULT, MERGE}):
            if gone.startswith(GRAPH):
                operations.append(f"DROP SILENT GRAPH <{gone}>")
                report.dropped.append(gone)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    release_iri = release.metadata["release"]
    facts = [
        f'<{release_iri}> <{DCT}hasVersion> "{release.version}" ; '
        f'<{DCT}identifier> "sha256:{release.metadata["files"]["munikg.trig"]}" ; '
        f'<{DCT}modified> "{now}"^^<http://www.w3.org/2001/XMLSchema#dateTime> .'
    ]
    if union:
        facts.append(f"<{report.query_url}> <{SD}feature> <{SD}UnionDefaultGraph> .")
    subjects = []
    for p in report.graphs:
        node = _target_name(p.name, union)
        subject = f"<{META_DEFAULT if node == DEFAULT else node}>"
        subjects.append(subject)
        facts.append(
            f'{subject} <{DCT}identifier> "sha256:{p.sha256}" ; '
            f"<{VOID_TRIPLES}> {len(p.lines)} ; <{PROV}wasDerivedFrom> <{release_iri}> ."
        )
    if only is None:
        operations.append(f"DROP SILENT GRAPH <{META}>")
    else:
        operations += [f"DELETE WHERE {{ GRAPH <{META}> {{ {s} ?p ?o }} }}" for s in subjects]
    operations.append(f"INSERT DATA {{ GRAPH <{META}> {{\n" + "\n".join(facts) + "\n} }")
    return " ;\n".join(operations)
