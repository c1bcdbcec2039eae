"""nusym's private cache: compiled kernels and computed tables, in a folder only this user can write.

A file that nusym loads (a shared library it runs, a table it trusts) must come from a place no other user can
write: a shared temporary folder is writable by everyone, and whoever creates ``/tmp/nusym-0`` first would own
what is loaded from it.  So the cache lives in the platform's per-user cache directory:

* Linux and other POSIX systems: ``$XDG_CACHE_HOME/nusym``, else ``~/.cache/nusym``;
* macOS: ``~/Library/Caches/nusym``;
* Windows: ``%LOCALAPPDATA%\\nusym\\Cache``;

or ``$NUSYM_CACHE`` where that is set.  The folder is created with mode 0700.  Before anything in it is read,
:func:`directory` refuses (:class:`UnsafeCache`) a folder that is not a folder, is not owned by this user, or is
writable by its group or by others, and :func:`owned_file` refuses such a file (or a symbolic link) in it.  A
file that is loaded is also checked against the SHA-256 recorded when it was written (:func:`write_verified`,
:func:`read_verified`), so a truncated or replaced file is rebuilt rather than used.  On Windows, where POSIX
owners and modes do not apply, only the location and the hashes are checked.
"""
from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

from nusym.files import atomic_write

__all__ = ["UnsafeCache", "root", "directory", "owned_file", "write_verified", "read_verified"]

_POSIX = os.name == "posix"


class UnsafeCache(RuntimeError):
    """A cache folder or file that another user could have written: nothing in it is used."""


def root() -> Path:
    """The cache folder this platform's convention gives (not created, not checked)."""
    given = os.environ.get("NUSYM_CACHE")
    if given:
        return Path(given).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "nusym"
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "nusym" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base and os.path.isabs(base) else Path.home() / ".cache") / "nusym"


def _refuse_unsafe(path: Path, st: os.stat_result, what: str) -> None:
    if not _POSIX:
        return
    if st.st_uid != os.geteuid():
        raise UnsafeCache(f"the cache {what} {str(path)!r} belongs to user id {st.st_uid}, not to this user "
                          f"({os.geteuid()}): nothing in it is used; remove it, or set NUSYM_CACHE to a folder of "
                          "your own")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeCache(f"the cache {what} {str(path)!r} is writable by other users (mode "
                          f"{stat.S_IMODE(st.st_mode):04o}): nothing in it is used; chmod go-w it, or remove it")


def directory(sub: str = "") -> Path:
    """The cache folder (or its subfolder ``sub``), created with mode 0700 where missing, and checked: owned by
    this user, a real folder (after symbolic links are followed), not writable by group or others."""
    top = root()
    path = top / sub if sub else top
    try:
        top.parent.mkdir(parents=True, exist_ok=True)
        for p in ([top, path] if sub else [top]):
            try:
                p.mkdir(mode=0o700)
            except FileExistsError:
                pass
    except OSError as exc:
        raise UnsafeCache(f"cannot create the cache folder {str(path)!r}: {exc.strerror or exc}") from None
    for p in ([top, path] if sub else [top]):
        real = Path(os.path.realpath(p))
        st = os.stat(real)
        if not stat.S_ISDIR(st.st_mode):
            raise UnsafeCache(f"the cache path {str(p)!r} is not a folder")
        _refuse_unsafe(real, st, "folder")
    return Path(os.path.realpath(path))


def owned_file(path: Path) -> bool:
    """Whether ``path`` exists; UnsafeCache where it is a symbolic link, not a regular file, not this user's, or
    writable by others."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        raise UnsafeCache(f"the cache file {str(path)!r} is not a regular file (a link, or something else): not used")
    _refuse_unsafe(path, st, "file")
    return True


def _digest_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def write_verified(path: Path, data: bytes) -> None:
    """Write ``data`` and, beside it, its SHA-256 (``path.sha256``), each atomically and private (mode 0600)."""
    atomic_write(path, data, mode=0o600)
    atomic_write(_digest_path(path), hashlib.sha256(data).hexdigest().encode(), mode=0o600)


def read_verified(path: Path) -> bytes | None:
    """The bytes of ``path`` if it and its recorded SHA-256 are this user's own files and the hash matches; None
    where either is missing or the hash differs (a truncated or replaced file: the caller rebuilds it)."""
    digest = _digest_path(path)
    if not (owned_file(path) and owned_file(digest)):
        return None
    data = path.read_bytes()
    return data if hashlib.sha256(data).hexdigest().encode() == digest.read_bytes().strip() else None
