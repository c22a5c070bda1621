"""munikg: a knowledge graph of Swedish municipal international cooperation."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("munikg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__", "open_endpoint", "open_release"]


def __getattr__(name: str) -> object:
    # The API pulls in the store and SPARQLWrapper; import it only when a notebook asks.
    if name in {"open_release", "open_endpoint"}:
        from munikg import api

        return getattr(api, name)
    raise AttributeError(name)
