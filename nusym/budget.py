"""Running a computation under a time budget, in a worker process.

A claim's symbolic and numerical work can take any time (SymPy's simplification, an integral
that does not converge, a precision the user asked for).  :func:`call` runs ``fn(*args,
progress=...)`` in a child process and kills it when the budget runs out, so that

* the limit holds whatever the computation is doing (no cooperation needed from SymPy or mpmath);
* it works from any thread, and the caller's signals and interval timers are not touched;
* what the computation writes to stdout or stderr is discarded, never mixed into the caller's
  output;
* its memory is capped (``MEMORY_BYTES``, where the platform allows it).

Workers are forked from a server process that has imported ``preload`` once (multiprocessing's
"forkserver" start method); where that method does not exist, "spawn" is used.  ``fn`` calls
``progress(text)`` to say what it is doing; a timeout reports the last such text.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from dataclasses import dataclass

__all__ = ["call", "OutOfTime", "WorkerFailed", "MEMORY_BYTES"]

MEMORY_BYTES = 8 * 2**30
PRELOAD = ["nusym.claims"]
_context = None


class OutOfTime(Exception):
    """The budget ran out; ``stage`` is what the worker last said it was doing."""

    def __init__(self, seconds, stage):
        super().__init__(f"the time budget of {seconds:g} s ran out" + (f" during {stage}" if stage else ""))
        self.seconds, self.stage = seconds, stage


@dataclass
class WorkerFailed(Exception):
    """The worker raised ``kind``: ``message`` (an exception that is not one of ``passed``), or died."""

    kind: str
    message: str

    def __str__(self):
        return f"{self.kind}: {self.message}" if self.message else self.kind


def _get_context():
    global _context
    if _context is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(PRELOAD)
        else:
            _context = multiprocessing.get_context("spawn")
    return _context


def _silence():
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        try:
            os.dup2(devnull, fd)
        except OSError:
            pass
    os.close(devnull)


def _cap_memory():
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = MEMORY_BYTES if hard == resource.RLIM_INFINITY else min(MEMORY_BYTES, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def _worker(conn, fn, args, passed):
    _silence()
    _cap_memory()

    def progress(text):
        conn.send(("stage", str(text)))
    try:
        conn.send(("value", fn(*args, progress=progress)))
    except passed as exc:
        conn.send(("passed", exc))
    except MemoryError:
        conn.send(("failed", ("MemoryError", f"the computation needed more than {MEMORY_BYTES // 2**30} GiB")))
    except BaseException as exc:  # noqa: BLE001 - every failure is reported to the caller, none escapes
        conn.send(("failed", (type(exc).__name__, str(exc))))
    finally:
        conn.close()


def call(fn, args: tuple, seconds: float, passed: tuple = ()):
    """``fn(*args, progress=...)`` in a worker, within ``seconds``.

    Returns its value; re-raises exceptions of the types in ``passed`` (they must pickle);
    raises :class:`OutOfTime` when the budget runs out and :class:`WorkerFailed` for any other
    exception in the worker, or when it dies.
    """
    ctx = _get_context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(send, fn, args, passed), daemon=True)
    deadline = time.monotonic() + seconds
    proc.start()
    send.close()
    stage = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not recv.poll(left):
                raise OutOfTime(seconds, stage)
            try:
                kind, payload = recv.recv()
            except EOFError:
                proc.join(1)
                raise WorkerFailed("worker died", f"exit status {proc.exitcode}") from None
            if kind == "stage":
                stage = payload
            elif kind == "value":
                return payload
            elif kind == "passed":
                raise payload
            else:
                raise WorkerFailed(*payload)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()
