"""Where long sweeps run: this process, a local pool of worker processes, or a dask.distributed cluster.

:func:`executor` returns a :class:`concurrent.futures.Executor`:

* ``jobs=1``: :class:`InProcess`, which runs each call when it is submitted (no pickling, no processes);
* ``jobs=N``: a :class:`concurrent.futures.ProcessPoolExecutor` of N workers, forked (POSIX) after the
  caller has imported what the work needs, so a worker starts in milliseconds (from a fork server that
  imports nusym once, where the caller runs other threads: forking those could deadlock the child);
* ``scheduler="tcp://host:port"`` (with ``dask[distributed]`` installed): the executor of a
  ``distributed.Client`` connected to that scheduler, within ``connect_timeout`` seconds.

Work sent to an executor is a module-level function and arguments that pickle; its value must
pickle too.  :func:`exclusive` runs a call while holding this process's one lock: mpmath's precision
and SymPy's caches are global to a process, and a dask worker runs several tasks at once in threads,
so every nusym task takes the lock (one nusym task at a time per process; give dask workers one
thread each, ``--nthreads 1``, and more processes, to use more cores).

Claims are checked in the time-budgeted workers of :mod:`nusym.runner.budget`, whose server is a fresh
interpreter: a forked worker does not reuse its parent's servers but starts its own at its first claim,
and that server exits when the worker does (its stdin closes).  Nothing here schedules anything: the
pool and dask do.
"""
from __future__ import annotations

import asyncio
import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
import weakref
from concurrent.futures.process import BrokenProcessPool

from nusym.runner.budget import cores

__all__ = ["executor", "InProcess", "Tasks", "WorkerDied", "SchedulerError", "check_jobs", "default_jobs",
           "exclusive", "finishing", "workers_of", "max_jobs", "CONNECT_TIMEOUT", "JOBS_PER_CORE"]

CONNECT_TIMEOUT = 10.0           # seconds to reach a dask scheduler before giving up
_LOCK = threading.RLock()


class WorkerDied(Exception):
    """The worker process running a call died (killed, out of memory, a crash in C code)."""


class SchedulerError(Exception):
    """A dask scheduler that cannot be used: dask.distributed missing, the address unreachable or malformed."""


# At most this many worker processes per core.  The checks are CPU-bound, so beyond one process per core they only
# share the cores; each worker also holds SymPy and mpmath (about 150 MB).  Four per core still lets a run
# oversubscribe a container whose reported cores are fewer than it may use, and keeps a mistyped -j 300 or
# -j 100000 (past the system's process limit) from starting at all.
JOBS_PER_CORE = 4


def max_jobs() -> int:
    """The most worker processes a run may start: JOBS_PER_CORE per core this process may use."""
    return JOBS_PER_CORE * cores()


def default_jobs() -> int:
    """The number of worker processes when none is asked for: one per core this process may use."""
    return cores()


def check_jobs(value) -> int:
    """``value`` as a number of worker processes, an integer in [1, max_jobs()] (an int, or a string of one);
    ValueError saying what is allowed otherwise."""
    number = value
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?[0-9]{1,12}\s*", value):
        number = int(value)
    if isinstance(number, bool) or not isinstance(number, int):
        raise ValueError(f"{value!r} is not a number of worker processes; give an integer in [1, {max_jobs()}]")
    if number < 1:
        raise ValueError(f"{value!r} is too few worker processes; give an integer in [1, {max_jobs()}] "
                         "(1: in this process)")
    if number > max_jobs():
        raise ValueError(f"{value!r} is too many worker processes; give an integer in [1, {max_jobs()}] "
                         f"({JOBS_PER_CORE} per core of the {cores()} this process may use)")
    return number


class InProcess(cf.Executor):
    """An executor that runs each call in this process when it is submitted: ``-j 1``."""

    workers = 1

    def __init__(self):
        self._shut = False

    def submit(self, fn, /, *args, **kwargs):
        if self._shut:
            raise RuntimeError("cannot schedule new futures after shutdown")
        future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future, as a pool would
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shut = True


def _quiet_worker():
    """Initializer of the local pool's workers: Ctrl-C is the caller's to handle (it stops the pool), and a
    worker whose parent is gone (killed, not shut down) exits instead of waiting for work forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, name="nusym-parent-watch", daemon=True).start()


def _threaded() -> bool:
    """Whether this process runs threads that a fork would leave half-way in the child: Python threads (a
    dask client's loop, another pool's manager) or JAX's (XLA's pools; JAX warns at every fork).  OpenBLAS's
    threads, which numpy starts, prepare themselves for a fork and do not count."""
    return threading.active_count() > 1 or "jax" in sys.modules


def _context():
    """fork, so that the workers start with everything this process has imported; where it runs threads a fork
    server instead (a fresh process without them, which imports nusym's physics once and forks the workers)."""
    if not hasattr(os, "fork"):
        return None
    if not _threaded():
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["nusym.checks.verify", "nusym.checks.floatcheck", "nusym.checks.mutants",
                                "nusym.derivations"])
    return ctx


_STOPPED = weakref.WeakSet()               # manager threads of pools stopped by shutdown(wait=False)


def _quiet_stopped_pools(args, previous=threading.excepthook):
    """threading.excepthook: the manager thread of a pool whose workers were killed on purpose marks the futures it
    still holds as broken, and raises InvalidStateError for those already cancelled (CPython 3.11's
    terminate_broken); that is the stop working as meant, not an error to print."""
    if args.thread in _STOPPED and isinstance(args.exc_value, cf.InvalidStateError):
        return
    previous(args)


threading.excepthook = _quiet_stopped_pools


class _Pool(cf.ProcessPoolExecutor):
    """A ProcessPoolExecutor whose shutdown(wait=False) also stops the workers (an interrupted run)."""

    def __init__(self, jobs):
        super().__init__(max_workers=jobs, mp_context=_context(), initializer=_quiet_worker)
        self.workers = jobs

    def shutdown(self, wait=True, *, cancel_futures=False):
        if not wait:
            procs = list((getattr(self, "_processes", None) or {}).values())
            manager = getattr(self, "_executor_manager_thread", None)
            if manager is not None:
                _STOPPED.add(manager)
            super().shutdown(wait=False, cancel_futures=True)
            for p in procs:
                try:
                    p.kill()
                except (OSError, ValueError, AttributeError):
                    pass
            return
        super().shutdown(wait=wait, cancel_futures=cancel_futures)


class _Dask(cf.Executor):
    """The executor of a distributed.Client; shutting it down closes the client (not the cluster)."""

    def __init__(self, client):
        self._client = client
        self._inner = client.get_executor(pure=False)
        try:
            self.workers = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        except Exception:  # noqa: BLE001 - only a hint for how finely to split sweeps
            self.workers = 1

    def submit(self, fn, /, *args, **kwargs):
        return self._inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait=True, *, cancel_futures=False):
        try:
            self._inner.shutdown(wait=wait and not cancel_futures)
        finally:
            self._client.close()


async def _probe(address: str, timeout: float) -> dict:
    from distributed.core import rpc
    r = rpc(address, timeout=timeout)
    try:
        return await asyncio.wait_for(r.identity(), timeout)
    finally:
        await r.close_rpc()


def _connect(address: str, timeout: float):
    """A distributed.Client of the scheduler at ``address``.  The address is first asked who it is, in an
    event loop of its own and within ``timeout``: an address that is malformed, unreachable or not a dask
    scheduler gives a SchedulerError, and no half-made Client is left behind to complain at exit."""
    try:
        import distributed
    except ImportError:
        raise SchedulerError("dask.distributed is not installed: pip install 'dask[distributed]'") from None
    try:
        who = asyncio.run(asyncio.wait_for(_probe(address, timeout), timeout))
    except (asyncio.TimeoutError, TimeoutError):
        raise SchedulerError(f"no dask scheduler answered within {timeout:g} s") from None
    except Exception as exc:  # noqa: BLE001 - whatever the address does, it cannot be used
        raise SchedulerError(f"no dask scheduler there ({type(exc).__name__}: {exc})") from None
    if not isinstance(who, dict) or who.get("type") != "Scheduler":
        kind = who.get("type") if isinstance(who, dict) else type(who).__name__
        raise SchedulerError(f"not a dask scheduler (it says it is a {kind})")
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # noqa: BLE001
        raise SchedulerError(f"cannot connect to the dask scheduler there ({type(exc).__name__}: {exc})") from None
    try:                                          # a scheduler without workers would take the work and never run it
        client.wait_for_workers(1, timeout=timeout)
    except Exception:  # noqa: BLE001 - a TimeoutError, or the scheduler going away while waiting
        client.close()
        raise SchedulerError(f"the scheduler has no worker: none joined within {timeout:g} s (start one with "
                             f"`dask worker {address} --nthreads 1`)") from None
    return client


def executor(jobs: int | None = None, scheduler: str | None = None,
             connect_timeout: float = CONNECT_TIMEOUT) -> cf.Executor:
    """An executor for ``jobs`` local worker processes (default :func:`default_jobs`; 1: in this process),
    or for the dask scheduler at ``scheduler`` (then ``jobs`` is ignored).  Raises ValueError for a bad
    ``jobs`` and :class:`SchedulerError` for a scheduler that cannot be used.  Use it as a context
    manager, or call its ``shutdown()``."""
    if scheduler is not None:
        if not isinstance(scheduler, str) or not scheduler.strip():
            raise SchedulerError("an empty address is no scheduler; give one like tcp://host:8786")
        return _Dask(_connect(scheduler.strip(), connect_timeout))
    jobs = default_jobs() if jobs is None else check_jobs(jobs)
    return InProcess() if jobs == 1 else _Pool(jobs)


@contextlib.contextmanager
def finishing(ex: cf.Executor):
    """Use ``ex`` and shut it down: after the block, waiting for its work; on an interrupt or a crash at once,
    its queued calls cancelled and its workers stopped, not awaited."""
    try:
        yield ex
    except BaseException:
        ex.shutdown(wait=False, cancel_futures=True)
        raise
    ex.shutdown()


def workers_of(ex: cf.Executor) -> int:
    """How many calls ``ex`` runs at once (1 when it does not say)."""
    return max(1, int(getattr(ex, "workers", getattr(ex, "_max_workers", 1)) or 1))


def exclusive(fn, /, *args, **kwargs):
    """``fn(*args, **kwargs)`` while holding this process's nusym lock (see the module's docstring)."""
    with _LOCK:
        return fn(*args, **kwargs)


class Tasks:
    """Keyed calls on an executor, collected as they finish (:meth:`finished`).

    A local pool that breaks because a worker process died fails every call it holds; then every call not
    yet finished is run again in a pool of its own (``workers`` of them at a time), so that only the call
    that kills its own worker fails, with :class:`WorkerDied`, and the others give their values.  On a dask
    cluster a lost worker is dask's to handle (it retries, then the call fails with KilledWorker).
    """

    def __init__(self, ex: cf.Executor):
        self.ex = ex
        self.workers = workers_of(ex)
        self._pending = {}                 # future -> (key, fn, args, own pool or None)
        self._queue = []                   # (key, fn, args) waiting for a pool of their own
        self._isolate = False

    def submit(self, key, fn, /, *args):
        if self._isolate:
            self._queue.append((key, fn, args))
            self._fill()
            return
        try:
            self._pending[self.ex.submit(fn, *args)] = (key, fn, args, None)
        except BrokenProcessPool:
            self._isolate = True
            self._queue.append((key, fn, args))
            self._fill()

    def _fill(self):
        while self._queue and sum(1 for *_, own in self._pending.values() if own is not None) < self.workers:
            key, fn, args = self._queue.pop(0)
            own = _Pool(1)
            self._pending[own.submit(fn, *args)] = (key, fn, args, own)

    def __len__(self):
        return len(self._pending) + len(self._queue)

    def finished(self):
        """Yield (key, value, None) or (key, None, exception) for each call as it finishes; calls submitted
        while this runs are collected too."""
        while self._pending or self._queue:
            self._fill()
            done, _ = cf.wait(list(self._pending), return_when=cf.FIRST_COMPLETED)
            for fut in done:
                key, fn, args, own = self._pending.pop(fut)
                if own is not None:
                    own.shutdown(wait=False)
                try:
                    value = fut.result()
                except BrokenProcessPool as exc:
                    if own is None:                                   # the shared pool broke: run it alone
                        self._isolate = True
                        self._queue.append((key, fn, args))
                        continue
                    yield key, None, WorkerDied(f"the worker process died ({exc})")
                except (Exception, SystemExit) as exc:  # noqa: BLE001 - the call's failure, for the caller to report
                    yield key, None, exc
                else:
                    yield key, value, None

    def close(self, cancel: bool = False):
        """Stop the pools of calls run on their own; with ``cancel``, also cancel the calls not yet finished
        (the executor itself stays open: its owner shuts it down)."""
        for fut, (*_, own) in list(self._pending.items()):
            if cancel:
                fut.cancel()
            if own is not None:
                own.shutdown(wait=False)
        if cancel:
            self._pending.clear()
            self._queue.clear()
