"""What the command line says: one line on stderr for bad usage and progress (never on stdout, the data's), exit
statuses, and Ctrl-C that a library swallowed."""
from __future__ import annotations

import re
import sys

__all__ = ["USAGE", "UNFINISHED", "COMMANDS", "INTERRUPTS", "stop_if_interrupted", "say", "stderr_is_terminal", "plain",
           "progress_line", "progress_bar", "usage"]

USAGE = 2          # bad usage: an argument or a path that cannot be used
UNFINISHED = 3     # the command could not finish (for `check`: inconclusive, "could not evaluate")


INTERRUPTS: list = []          # SIGINTs received while main() runs
COMMANDS = ("verify", "codegen", "check", "figure", "bench", "rates", "compare", "references", "atom")


def stop_if_interrupted(*_) -> None:
    """Raise KeyboardInterrupt where a SIGINT arrived that a library swallowed (a progress callback calls this)."""
    if INTERRUPTS:
        raise KeyboardInterrupt


def say(text: str, end: str = "\n") -> None:
    """``text`` on standard error; nowhere when standard error is closed (never on standard output, where
    print(file=None) would put it, in the middle of the data)."""
    if sys.stderr is None:
        return
    try:
        sys.stderr.write(text + end)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def stderr_is_terminal() -> bool:
    """Whether standard error is open and a terminal (progress lines are drawn in place there)."""
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (OSError, ValueError):
        return False


def plain(doc: str) -> str:
    """A docstring as plain text for --help: :class:`X` and ``x`` as X and x."""
    doc = re.sub(r":[a-z]+:`~?([^`]+)`", r"\1", doc)
    return doc.replace("``", "")


def progress_line(msg: str) -> None:
    """A progress message: redrawn in place on a terminal, one line each elsewhere."""
    say(f"\r\033[K{msg}" if stderr_is_terminal() else msg, end="" if stderr_is_terminal() else "\n")


def usage(command: str, message: str) -> int:
    """Bad usage: the message on stderr, exit status 2."""
    say(f"nusym {command}: {message}")
    return USAGE


def progress_bar(command: str):
    def show(done: int, total: int) -> None:
        width = 30
        full = int(width * done / max(total, 1))
        say(f"\rnusym {command}: [{'#' * full}{'.' * (width - full)}] {done}/{total}", end="")
    return show
