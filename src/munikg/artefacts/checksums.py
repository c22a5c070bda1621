"""``SHA256SUMS`` of a release and ``munikg verify``.

The file is in the format of coreutils' ``sha256sum`` (``sha256sum -c SHA256SUMS`` checks it
too). It covers every file of the release except the store, whose database files are not
reproducible byte for byte (the dumps hold the same data and are covered).
"""

import hashlib
from pathlib import Path

from munikg.release import CHECKSUMS_FILE, STORE_DIR

UNCOVERED = (STORE_DIR,)


def covered(release: Path) -> list[Path]:
    """The files SHA256SUMS covers, relative to the release, sorted."""
    return sorted(
        p.relative_to(release)
        for p in release.rglob("*")
        if p.is_file()
        and p.name != CHECKSUMS_FILE
        and p.relative_to(release).parts[0] not in UNCOVERED
    )


def write(release: Path) -> None:
    lines = [f"{sha256(release / p)}  {p.as_posix()}\n" for p in covered(release)]
    (release / CHECKSUMS_FILE).write_text("".join(lines), encoding="utf-8")


def verify(release: Path) -> list[str]:
    """What is wrong with the release against its SHA256SUMS; empty when all is well."""
    sums = release / CHECKSUMS_FILE
    if not sums.is_file():
        return [f"{sums}: missing"]
    problems = []
    listed = set()
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            problems.append(f"{sums}:{number}: not a checksum line")
            continue
        listed.add(name)
        path = release / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256(path) != digest:
            problems.append(f"{name}: checksum mismatch")
    for path in covered(release):
        if path.as_posix() not in listed:
            problems.append(f"{path.as_posix()}: not listed in {CHECKSUMS_FILE}")
    return problems


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
