"""The release a server runs is the release it started with, whole, until it is restarted.

``munikg build`` swaps a new release into ``dist/`` while a server may be running. Reading
``dist/`` as it goes, the server would list one release's checksums beside another's files,
and a replaced query worker would open the new store under the old version's name. So at start
the server pins its release: a private directory beside ``dist/`` holding a hard link to every
file of it (no copy: the build never changes a file in place, it writes a new directory and
renames it in). Everything is served from the pin; it is removed when the server stops, and a
pin left by a server that was killed is removed by the next one to start beside it.
"""

import os
import shutil
import tempfile
from pathlib import Path

_PREFIX = ".munikg-serving-"


def pin(release: Path) -> Path:
    """A private directory of hard links to ``release``'s files (copies where the file system
    cannot link), for this process."""
    release = release.resolve()
    sweep(release.parent)
    pinned = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=release.parent))
    try:
        for source in sorted(release.rglob("*")):
            target = pinned / source.relative_to(release)
            if source.is_dir():
                target.mkdir()
                continue
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
    except BaseException:
        shutil.rmtree(pinned, ignore_errors=True)
        raise
    return pinned


def unpin(pinned: Path) -> None:
    shutil.rmtree(pinned, ignore_errors=True)


def sweep(directory: Path) -> None:
    """Remove pins whose server is gone (killed before it could remove its own)."""
    for stale in directory.glob(f"{_PREFIX}*"):
        pid = stale.name.removeprefix(_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
