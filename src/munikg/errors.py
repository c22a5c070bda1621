"""The errors munikg reports to a user, each naming the file and line where it can."""

from dataclasses import dataclass
from pathlib import Path


class MunikgError(Exception):
    """Base of munikg's own errors; the CLI turns them into a message and an exit code."""

    exit_code = 2


@dataclass
class BadInput(MunikgError):
    """An input munikg cannot read: missing, empty, not UTF-8, not Turtle, ill-typed.

    >>> str(BadInput(Path("data/x.ttl"), "unexpected end of file", line=3, column=11))
    'data/x.ttl:3:11: unexpected end of file'
    >>> import pickle  # as a build's pool of processes hands it back
    >>> str(pickle.loads(pickle.dumps(BadInput(Path("x.ttl"), "blank node", 2))))
    'x.ttl:2: blank node'
    """

    path: Path | None
    message: str
    line: int | None = None
    column: int | None = None

    def __reduce__(self) -> tuple[type["BadInput"], tuple[object, ...]]:
        return (type(self), (self.path, self.message, self.line, self.column))

    def __str__(self) -> str:
        if self.path is None:  # not about a file: a query text, an option value
            return self.message
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class NoRelease(MunikgError):
    """A command needs a release and there is none."""


def read_utf8(path: Path) -> str:
    """The text of an input file; missing or not UTF-8 is :class:`BadInput` naming the line
    of the first byte that is not.

    >>> import tempfile
    >>> bad = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = bad.write_bytes(b"id\\nfalu\\xe5n\\n")
    >>> read_utf8(bad)
    Traceback (most recent call last):
    ...
    munikg.errors.BadInput: ...t.csv:2: not UTF-8: byte 0xe5 cannot be decoded
    """
    if not path.is_file():
        raise BadInput(path, "no such file")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BadInput(
            path, f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded", line=line
        ) from None
