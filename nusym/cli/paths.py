"""Paths a command writes to, checked before any work: a folder to write into, a figure file by its suffix."""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["writable_dir", "figure_out", "FIGURE_FORMATS"]

def writable_dir(path: Path, must_exist: bool, write: bool = True) -> str:
    """Why ``path`` cannot be the folder written to (read from, with ``write=False``); '' when it can.
    The file system's own refusals (a name too long, a loop, no permission) are reasons too."""
    try:
        if path.is_symlink() and not path.exists():
            return f"{str(path)!r} is a symbolic link that leads nowhere (dangling, or a loop)"
        if path.exists():
            if not path.is_dir():
                return f"{str(path)!r} exists and is not a folder"
            if write:
                return "" if os.access(path, os.W_OK | os.X_OK) else f"the folder {str(path)!r} is not writable"
            return "" if os.access(path, os.R_OK | os.X_OK) else f"the folder {str(path)!r} is not readable"
        if must_exist:
            return f"the folder {str(path)!r} does not exist"
        parent = path.parent
        if not parent.is_dir():
            return f"the folder {str(parent)!r}, where {path.name!r} would be made, does not exist"
        return "" if os.access(parent, os.W_OK | os.X_OK) else f"the folder {str(parent)!r} is not writable"
    except OSError as exc:
        return f"{str(path)!r} cannot be used: {exc.strerror or exc}"


FIGURE_FORMATS = ("png", "svg", "pdf")


def figure_out(given: str) -> tuple[Path | None, str]:
    """(the file a figure is written to, '') for the --out value ``given``, or (None, why not).  A
    symbolic link is written through: the file it points to is replaced, the link stays."""
    formats = ", ".join("." + f for f in FIGURE_FORMATS)
    if not given:
        return None, f"is empty; give a file name ending in {formats}"
    out = Path(given)
    try:
        if out.is_dir():
            return None, f"is a folder; give a file name ending in {formats}"
        if given.endswith(("/", os.sep)) or os.path.basename(given) in (".", ".."):
            return None, f"does not end in a file name; give a file name ending in {formats}"
        if out.suffix.lower().lstrip(".") not in FIGURE_FORMATS:
            return None, f"the format is chosen by the suffix, one of {formats}"
        if out.is_symlink():
            if not out.exists():
                return None, "is a symbolic link that leads nowhere (dangling, or a loop)"
            out = Path(os.path.realpath(out))
    except OSError as exc:
        return None, f"cannot be used: {exc.strerror or exc}"
    why = writable_dir(out.parent, must_exist=True)
    return (None, why) if why else (out, "")
