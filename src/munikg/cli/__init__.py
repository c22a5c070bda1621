"""The ``munikg`` command: one module per command group, all registered on one Typer app
(:mod:`munikg.cli.common`)."""

from munikg.cli import query, release, remote, serve
from munikg.cli.common import app

__all__ = ["app", "query", "release", "remote", "serve"]
