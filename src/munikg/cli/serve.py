"""``munikg serve``: the options, checked, and the server started."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from munikg.cli.common import DataDir, OntologyDir, QueriesDir, app, err, fail
from munikg.cli.release import build_command
from munikg.errors import BadInput, MunikgError
from munikg.namespaces import BASE
from munikg.query.params import ParameterError
from munikg.release import (
    METADATA_FILE,
)
from munikg.serve.site import default_rate_limit


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[
        int, typer.Option(help="Port to listen on (0: any free one, announced on start).")
    ] = 8000,
    base_url: Annotated[
        str | None,
        typer.Option(help="The site's public URL, if not http://HOST:PORT/ (behind a proxy)."),
    ] = None,
    release: Annotated[
        Path,
        typer.Option(
            "--release",
            "--dist",
            envvar="MUNIKG_DIST",
            help="Release directory (built if missing).",
        ),
    ] = Path("dist"),
    queries: QueriesDir = None,
    data: DataDir = Path("data"),
    ontology: OntologyDir = Path("ontology"),
    time_limit: Annotated[
        float, typer.Option(help="Seconds a query may run before it is stopped.")
    ] = 10.0,
    row_limit: Annotated[int, typer.Option(help="Rows (or triples) in one answer.")] = 10_000,
    page_rows: Annotated[
        int, typer.Option(help="Rows of a canned query's answer one page shows.")
    ] = 100,
    max_request_bytes: Annotated[
        int, typer.Option(help="Largest query or request body, in bytes.")
    ] = 64 * 1024,
    rate_limit: Annotated[
        int | None,
        typer.Option(
            help="Queries per client per minute (0: no limit). Default: none on a loopback "
            "host (one user, e.g. a notebook loop), 120 on any other."
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Query worker processes (default: 2 per core).")
    ] = None,
    cache_entries: Annotated[
        int, typer.Option(help="Answers kept in memory for repeated queries (0: none).")
    ] = 256,
    memory_limit: Annotated[
        int | None,
        typer.Option(
            help="Resident memory (MB) a query worker may reach before its query is stopped "
            "(default: a quarter of the machine shared by the workers, at most 2048)."
        ),
    ] = None,
    client_share: Annotated[
        int | None,
        typer.Option(help="Query workers one client may hold at once (default: half of them)."),
    ] = None,
    client_budget: Annotated[
        float,
        typer.Option(help="Seconds of query time per client per minute (0: no budget)."),
    ] = 60.0,
    client_queue: Annotated[
        int,
        typer.Option(help="A client's queries that may wait for a worker beyond its share."),
    ] = 16,
    trust_proxy: Annotated[
        list[str] | None,
        typer.Option(
            help="A proxy's address (or CIDR) whose X-Forwarded-For names the client "
            "(repeatable; by default clients are told apart by their own address)."
        ),
    ] = None,
) -> None:
    """Serve the release: SPARQL endpoint, linked-data pages, query forms and editor.

    Builds the release first if there is none. Ctrl-C stops. Exit 2 on a bad option or input.
    """
    from munikg.serve.app import run
    from munikg.serve.site import Settings

    checks = {
        "--port": 0 <= port < 65536,
        "--time-limit": time_limit > 0,
        "--row-limit": row_limit > 0,
        "--page-rows": page_rows > 0,
        "--max-request-bytes": max_request_bytes >= 1024,
        "--rate-limit": rate_limit is None or rate_limit >= 0,
        "--workers": workers is None or workers > 0,
        "--cache-entries": cache_entries >= 0,
        "--memory-limit": memory_limit is None or memory_limit >= 64,
        "--client-share": client_share is None or client_share > 0,
        "--client-budget": client_budget >= 0,
        "--client-queue": client_queue >= 0,
        "--base-url": base_url is None or base_url.startswith(("http://", "https://")),
    }
    for option, ok in checks.items():
        if not ok:
            raise fail(ParameterError(f"{option}: out of range (see munikg serve --help)"))
    settings = Settings(
        release=release,
        queries=queries,
        host=host,
        port=port,
        base_url=base_url,
        time_limit=time_limit,
        row_limit=row_limit,
        page_rows=page_rows,
        max_request_bytes=max_request_bytes,
        rate_limit=rate_limit if rate_limit is not None else default_rate_limit(host),
        cache_entries=cache_entries,
        client_budget=client_budget,
        client_queue=client_queue,
        trusted_proxies=tuple(trust_proxy or ()),
        **({"workers": workers} if workers is not None else {}),
        **({"memory_limit_mb": memory_limit} if memory_limit is not None else {}),
        **({"client_share": client_share} if client_share is not None else {}),
    )
    if not (release / METADATA_FILE).is_file():
        err.print(f"No release in {release}/; building it first.", highlight=False)
        # the release's bytes never depend on where it is served: built as `munikg build` would
        build_command(data, ontology, release, None, BASE)
    try:
        run(settings, announce=lambda text: print(text, file=sys.stderr, flush=True))
    except MunikgError as error:
        raise fail(error) from None
    except OSError as error:  # the port is taken, the address is not ours
        raise fail(BadInput(None, f"cannot serve on {host}:{port}: {error}")) from None
