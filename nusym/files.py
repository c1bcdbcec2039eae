"""Writing files whole: a reader sees the old file or the new one, never a part (the one atomic-write helper)."""
from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

__all__ = ["replacing", "atomic_write"]


@contextlib.contextmanager
def replacing(path: Path, suffix: str = "", mode: int = 0o666):
    """A new temporary file's name beside ``path``, moved onto ``path`` (``os.replace``) when the block
    ends without an exception and removed otherwise: an interrupted write leaves no truncated file, and a
    symbolic link at ``path`` is replaced, not followed.  The file's mode is ``mode`` less the umask (0o600 for
    a private file).  ``suffix`` ends the temporary name (a writer that picks its format by the suffix)."""
    path = Path(path)
    for _ in range(100):
        tmp = path.parent / f".nusym-{secrets.token_hex(6)}.tmp{suffix}"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"no free temporary name in {str(path.parent)!r}")
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def atomic_write(path: Path, data: bytes, mode: int = 0o666) -> None:
    """Write ``data`` to ``path`` through :func:`replacing`."""
    with replacing(path, mode=mode) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
