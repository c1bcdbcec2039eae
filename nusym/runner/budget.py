"""Running a computation under a time budget, in a worker process.

A claim's symbolic and numerical work can take any time (SymPy's simplification, an integral
that does not converge, a precision the user asked for).  :func:`call` runs ``fn(*args,
progress=...)`` in a child process and kills it when the budget runs out, so that

* the limit holds whatever the computation is doing (no cooperation needed from SymPy or mpmath);
* it works from any thread, from a daemonic process, from a forked child, and from a script
  without an ``if __name__ == "__main__"`` guard: nothing of the caller is run again, and the
  caller's signals and interval timers are not touched;
* what the computation writes to stdout or stderr is discarded, never mixed into the caller's output;
* its memory is capped at ``MEMORY_BYTES`` (or the caller's own lower limit), where the platform allows.

How: a server, ``python -m nusym.runner.budget``, is started once by subprocess (a fresh interpreter in a
session of its own) and imports ``PRELOAD``; for each call it forks a child, which runs ``fn``, and
kills the child when its time is up.  A call costs a fork, not an import of SymPy.  Concurrent
callers get a server each.  The budget counts the call, not the server's start.  POSIX only (the
server forks); elsewhere a call fails with :class:`WorkerFailed`.

Inside a worker, :func:`helpers` forks helper processes that share its work (the claim checker judges
its sampled points in one process per core): they die with the worker (Linux: PR_SET_PDEATHSIG), so the
budget that kills the worker kills them, they never write to the server, and the worker's memory cap is
shared out among them.

The protocol: pickled frames, each preceded by its length, over the server's stdin and stdout.
``fn`` must be a module-level function and ``args`` must pickle.
"""
from __future__ import annotations

import atexit
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time

__all__ = ["call", "in_worker", "helpers", "cores", "OutOfTime", "WorkerFailed", "MEMORY_BYTES",
           "GRACE_SECONDS", "IDLE_SERVERS", "PRELOAD", "START_SECONDS", "serve"]

MEMORY_BYTES = 8 * 2**30
PRELOAD = ("nusym.claims.checker",)
START_SECONDS = 120.0        # for the server to start and import PRELOAD (not part of any budget)
GRACE_SECONDS = 10.0         # past the budget, for the server to report that it killed the child
_HEADER = struct.Struct("!Q")
_IN_WORKER = False
_REPORT_FD = None            # in a worker: the pipe to the server (a helper must not write to it, or hold it open)


def in_worker() -> bool:
    """True in a worker's process: its signals and timers are its own to use."""
    return _IN_WORKER


class OutOfTime(Exception):
    """The budget ran out; ``stage`` is what the worker last said it was doing."""

    def __init__(self, seconds, stage=None):
        super().__init__(f"the time budget of {seconds:g} s ran out" + (f" during {stage}" if stage else ""))
        self.seconds, self.stage = seconds, stage


class WorkerFailed(Exception):
    """The worker raised ``kind``: ``message`` (an exception not in ``passed``), or died, or could not start."""

    def __init__(self, kind, message=""):
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind, self.message = kind, message


# ---------------------------------------------------------------- frames
def _write(fd, obj):
    _write_frame(fd, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def _write_frame(fd, data):
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd, n):
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _read(fd, deadline=None):
    """The next frame from ``fd``; None when ``deadline`` (time.monotonic) passes first; EOFError at the end."""
    if deadline is not None:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
    (n,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size))
    return pickle.loads(_read_exactly(fd, n))


# ---------------------------------------------------------------- helpers of a worker
def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _die_with_parent(parent):
    """Have the kernel kill this process when ``parent`` dies (Linux: PR_SET_PDEATHSIG); elsewhere a helper
    outlives a killed worker only until its own work ends."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)          # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError, TypeError):
        pass
    if os.getppid() != parent:                                            # the parent died before the call
        os._exit(0)


def helpers(fn, calls):
    """In a worker: run ``fn(*args)`` for each ``args`` in ``calls``, each in a helper process forked now, the
    worker's own work going on meanwhile; returns for each a function that waits for its value (any failure
    of a helper, its death included, is :class:`WorkerFailed` there).  Helpers die with the worker, so the
    budget that kills the worker stops them too, and they write nothing to the server; the worker's memory
    cap is shared out, the worker and each helper getting an equal part of it."""
    if not _IN_WORKER or not hasattr(os, "fork"):
        raise WorkerFailed("no helper", "helpers are forked only inside a worker (POSIX)")
    _share_memory(len(calls) + 1)
    return [_helper(fn, args, os.getpid()) for args in calls]


def _helper(fn, args, parent):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            if _REPORT_FD is not None:
                os.close(_REPORT_FD)
            _die_with_parent(parent)
            try:
                msg = ("value", fn(*args))
            except BaseException as exc:  # noqa: BLE001 - every failure is reported, none escapes
                msg = ("failed", (type(exc).__name__, str(exc)[:2000]))
            _write(w, msg)
        finally:
            os._exit(0)
    os.close(w)

    def wait():
        try:
            kind, payload = _read(r)
        except (EOFError, pickle.UnpicklingError, OSError) as exc:
            raise WorkerFailed("helper died", str(exc)) from None
        finally:
            os.close(r)
            os.waitpid(pid, 0)
        if kind == "value":
            return payload
        raise WorkerFailed(*payload)
    return wait


def _share_memory(parts):
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            resource.setrlimit(resource.RLIMIT_AS, (soft // parts, hard))
    except (ImportError, ValueError, OSError):
        pass


# ---------------------------------------------------------------- the server (python -m nusym.runner.budget)
def _cap_memory():
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = min(x for x in (MEMORY_BYTES, soft, hard) if x != resource.RLIM_INFINITY)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def _child(w, fn, args, passed):
    """In the forked child: silence it, cap it, run fn, report on ``w``; never returns."""
    global _IN_WORKER, _REPORT_FD
    _IN_WORKER, _REPORT_FD = True, w
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        _cap_memory()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            msg = ("value", fn(*args, progress=lambda text: _write(w, ("stage", str(text)[:300]))))
        except passed as exc:
            msg = ("passed", exc)
        except MemoryError:
            msg = ("failed", ("MemoryError", "the computation needed more memory than the worker's limit"))
        except BaseException as exc:  # noqa: BLE001 - every failure is reported, none escapes
            msg = ("failed", (type(exc).__name__, str(exc)[:2000]))
        try:
            _write(w, msg)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            _write(w, ("failed", ("unpicklable result", str(exc)[:2000])))
    finally:
        os._exit(0)


def _run_one(inp, out, fn, args, seconds, passed):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        _child(w, fn, args, passed)
    os.close(w)
    deadline, stage, reply = time.monotonic() + seconds, None, None
    try:
        while reply is None:
            left = deadline - time.monotonic()
            ready = select.select([r, inp], [], [], left)[0] if left > 0 else []
            if not ready:
                reply = ("timeout", stage)
                break
            if r not in ready:                            # only the caller's pipe: it went away mid-call
                if not os.read(inp, 1):
                    raise SystemExit(0)                   # (the child is killed below)
                continue
            try:
                msg = _read(r)
            except (EOFError, pickle.UnpicklingError):
                _, status = os.waitpid(pid, 0)
                pid = None
                reply = ("failed", ("worker died", f"status {status}"))
                break
            if msg[0] == "stage":
                stage = msg[1]
            else:
                reply = msg
    finally:
        os.close(r)
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
    _write(out, reply)


def serve():
    """The server's loop: a request is (fn, args, seconds, passed); the reply one frame."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)          # the caller's Ctrl-C is the caller's to handle
    inp, out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(devnull, fd)
    sys.path[:] = _read(inp)
    try:
        for name in PRELOAD:
            __import__(name)
        _write(out, ("ready", os.getpid()))
    except BaseException as exc:  # noqa: BLE001
        _write(out, ("failed", (type(exc).__name__, str(exc))))
        return
    while True:
        try:
            request = _read(inp)
        except EOFError:                                  # the caller is gone
            return
        except Exception as exc:  # noqa: BLE001 - a request that does not unpickle (a function not importable)
            _write(out, ("failed", ("bad request", f"{type(exc).__name__}: {exc}")))
            continue
        _run_one(inp, out, *request)


# ---------------------------------------------------------------- the caller's side
class _Server:
    def __init__(self):
        if not hasattr(os, "fork") or not sys.executable:
            raise WorkerFailed("no worker", "time budgets need os.fork (POSIX) and sys.executable")
        self.proc = subprocess.Popen([sys.executable, "-m", "nusym.runner.budget"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        self.inp, self.out = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        try:
            _write(self.inp, list(sys.path))
            ready = _read(self.out, time.monotonic() + START_SECONDS)
        except (EOFError, OSError) as exc:
            self.kill()
            raise WorkerFailed("worker did not start", str(exc)) from None
        if ready is None or ready[0] != "ready":
            self.kill()
            raise WorkerFailed("worker did not start", str(ready[1] if ready else "no answer"))

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)        # the server and the child it runs
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


_idle: list = []
_lock = threading.Lock()
_owner = os.getpid()
IDLE_SERVERS = 4


def _acquire() -> _Server:
    global _owner
    with _lock:
        if os.getpid() != _owner:            # a forked copy of the caller: those servers are the parent's
            _idle.clear()
            _owner = os.getpid()
        while _idle:
            server = _idle.pop()
            if server.alive():
                return server
    return _Server()


def _release(server: _Server):
    with _lock:
        if os.getpid() == _owner and len(_idle) < IDLE_SERVERS and server.alive():
            _idle.append(server)
            return
    server.kill()


def _shutdown():
    with _lock:
        while _idle:
            _idle.pop().kill()


atexit.register(_shutdown)


def call(fn, args: tuple, seconds: float, passed: tuple = ()):
    """``fn(*args, progress=...)`` in a worker, within ``seconds``.

    Returns its value; re-raises exceptions of the types in ``passed`` (they must pickle);
    raises :class:`OutOfTime` when the budget runs out and :class:`WorkerFailed` for any other
    exception in the worker, when it dies, or when it cannot be started.
    """
    try:
        request = pickle.dumps((fn, args, seconds, tuple(passed)), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - what cannot be sent is reported, not raised
        raise WorkerFailed("cannot send to the worker", f"{type(exc).__name__}: {exc}") from None
    server, done = _acquire(), False
    try:
        _write_frame(server.inp, request)
        reply = _read(server.out, time.monotonic() + seconds + GRACE_SECONDS)
        done = reply is not None
    except (EOFError, OSError, pickle.UnpicklingError) as exc:
        raise WorkerFailed("worker died", str(exc)) from None
    finally:
        if done:
            _release(server)
        else:
            server.kill()
    if reply is None:
        raise OutOfTime(seconds)
    kind, payload = reply
    if kind == "value":
        return payload
    if kind == "passed":
        raise payload
    if kind == "timeout":
        raise OutOfTime(seconds, payload)
    raise WorkerFailed(*payload)


if __name__ == "__main__":
    from nusym.runner.budget import serve as _serve  # the module's own globals (in_worker), not __main__'s
    _serve()
