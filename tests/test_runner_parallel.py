"""`nusym verify -j N` and `--scheduler`: the same report in the same order, whoever runs the checks.

A crash of a check, in whatever worker, is that result's inconclusive "check raised ..." entry; a float
sweep split over workers gives the serial FloatReport bit for bit; bad -j and --scheduler are bad usage.
"""
from __future__ import annotations

import json
import os
import pickle
import sys
import threading
import time

import pytest

from nusym.output import verify as verify_report
from nusym import numeric
from nusym.runner import budget, parallel
from nusym import cli
from nusym import codegen
from nusym.checks import floatcheck, verify
from nusym.record import Evidence, Verdict, result

KERNELS = {k.name: k for k in codegen.all_kernels()}
# a claim (through the budget server from a worker), a result citing a float kernel (q_a), a refuted one
SELECTION = "q2-limits,recoil-cutoff,b-voloshin-value,b-sum-rule-free"


def _content(report) -> dict:
    """The report as `nusym verify --json` prints it, less the times."""
    data = json.loads(verify_report.as_json(report))
    data.pop("seconds")
    for r in data["results"]:
        r.pop("seconds")
    return data


@pytest.fixture(scope="module")
def serial():
    return _content(verify.run(only=SELECTION, n_uniform=40, n_stress=40, jobs=1))


def test_two_workers_give_the_serial_report(serial):
    two = _content(verify.run(only=SELECTION, n_uniform=40, n_stress=40, jobs=2))
    assert [r["id"] for r in two["results"]] == ["q2-limits", "recoil-cutoff", "b-voloshin-value", "b-sum-rule-free"]
    from nusym.codegen import backends
    assert list(two["kernels"]) == ["q_a"] + [f"q_a [{b}]" for b in backends.available() if b != "numpy"]
    assert two == serial
    assert verify_report.render(verify.run(only="q2-limits", jobs=2)).split("\n")[:-1] == \
        verify_report.render(verify.run(only="q2-limits", jobs=1)).split("\n")[:-1]


# ---------------------------------------------------------------- float sweeps split over workers
@pytest.fixture(scope="module")
def pool():
    with parallel.executor(2) as ex:
        yield ex


@pytest.mark.parametrize("name", ["q_minus", "recoil_factor_mu_exact", "dsigma_mu_fe"])
def test_a_float_sweep_split_over_workers_is_the_serial_one_bit_for_bit(name, pool):
    k = KERNELS[name]
    pts = floatcheck.samples(k, 60, 60, seed=3)
    one = floatcheck.measure(k, getattr(numeric, name), pts)
    for parts in (2, 5, 120, 500):
        split = floatcheck.measure(k, getattr(numeric, name), pts, executor=pool, parts=parts)
        assert split == one and pickle.dumps(split) == pickle.dumps(one), parts


def test_a_split_sweep_reports_the_same_failures_for_any_callable(pool):
    k = KERNELS["q_minus"]
    wrong = lambda T, p: numeric.q_minus(T, p) * (1 + 2.0**-45)       # a lambda: evaluated here, not shipped
    pts = floatcheck.samples(k, 30, 10)
    one = floatcheck.measure(k, wrong, pts)
    split = floatcheck.measure(k, wrong, pts, executor=pool, parts=7)
    assert not one.passed and split == one and split.failures == one.failures


def test_split_covers_every_point_once():
    for n in (0, 1, 7, 600):
        for parts in (1, 2, 3, 16, 1000):
            ranges = floatcheck.split(n, parts)
            assert [i for a, b in ranges for i in range(a, b)] == list(range(n))
            assert len(ranges) == max(1, min(parts, n))
            sizes = [b - a for a, b in ranges]
            assert max(sizes) - min(sizes) <= 1


def test_mutants_checked_by_workers_are_the_serial_ones():
    from nusym.checks import mutants
    from nusym.derivations import free_electron
    verdicts = {"fe-mu-claim": "holds"}
    one = mutants.run([free_electron.fe_mu_claim], verdicts=verdicts)
    with parallel.executor(2) as ex:
        two = mutants.run([free_electron.fe_mu_claim], verdicts=verdicts, executor=ex)
    assert [(m.id, m.mutation, m.claim, m.verdict) for m in two.mutants] == \
        [(m.id, m.mutation, m.claim, m.verdict) for m in one.mutants]
    assert len(one.mutants) >= 3 and two.killed == one.killed


# ---------------------------------------------------------------- crashes in workers
@result("t-fine", "test", "-", "A check that works.")
def fine():
    return Evidence("proved", "fine", None, "-")


@result("t-raises", "test", "-", "A check that raises.")
def raises():
    return 1 / 0


@result("t-exits", "test", "-", "A check that calls sys.exit.")
def exits():
    sys.exit(3)


@result("t-dies", "test", "-", "A check whose process dies.")
def dies():
    os._exit(7)


@result("t-unpicklable", "test", "-", "A check whose evidence cannot be sent back.")
def unpicklable():
    return Evidence("proved", "fine", None, "-", notes=lambda: None)


def test_a_crash_in_a_worker_is_that_results_inconclusive_entry():
    results = [fine, raises, exits, dies, unpicklable, fine]
    with parallel.executor(2) as ex:
        checked, kernels = verify._run_parallel(results, ex, lambda m: None, 10, 10, all_kernels=False)
    assert kernels == {}
    assert [r.id for r, *_ in checked] == [r.id for r in results]
    by = {r.id: (ev, out) for r, ev, out, _ in checked}
    assert by["t-fine"][1].verdict is Verdict.HOLDS and by["t-fine"][1].ok
    for rid, what in (("t-raises", "check raised ZeroDivisionError: division by zero"),
                      ("t-exits", "check raised SystemExit: 3"),
                      ("t-dies", "check raised WorkerDied: the worker process died"),
                      ("t-unpicklable", "check raised ")):
        ev, out = by[rid]
        assert ev is None and out.verdict is Verdict.INCONCLUSIVE and not out.ok, rid
        assert out.problems[0].startswith(what), (rid, out.problems)
    # the same crash in this process gives the same entry
    assert verify.run_result(raises)[1].problems == by["t-raises"][1].problems


@result("t-where-a", "test", "-", "Where it runs.", group="t-together")
def where_a():
    import time
    time.sleep(0.5)                     # ungrouped, t-where-b would go to the other, idle worker
    return Evidence("proved", str(os.getpid()), None, "-")


@result("t-where-b", "test", "-", "Where it runs.", group="t-together")
def where_b():
    return Evidence("proved", str(os.getpid()), None, "-")


def test_a_group_runs_in_one_worker_and_is_reported_in_place():
    with parallel.executor(2) as ex:
        checked, _ = verify._run_parallel([where_a, fine, fine, where_b], ex, lambda m: None, 10, 10,
                                          all_kernels=False)
    assert [r.id for r, *_ in checked] == ["t-where-a", "t-fine", "t-fine", "t-where-b"]
    assert checked[0][1].symbolic_detail == checked[3][1].symbolic_detail != str(os.getpid())


def test_the_pool_that_a_dying_worker_broke_is_replaced():
    with parallel.executor(2) as ex:
        checked, _ = verify._run_parallel([dies, fine, fine, fine], ex, lambda m: None, 10, 10, all_kernels=False)
    assert [out.verdict for _, _, out, _ in checked] == [Verdict.INCONCLUSIVE] + [Verdict.HOLDS] * 3


def test_with_other_threads_running_the_workers_come_from_a_fork_server(serial):
    """Forking a process that runs threads (JAX's, a dask client's) could deadlock the child: a fork server
    starts the workers instead, with the same report."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel._context().get_start_method() == "forkserver"
        two = _content(verify.run(only=SELECTION, n_uniform=40, n_stress=40, jobs=2))
        with parallel.executor(2) as ex:
            checked, _ = verify._run_parallel([raises, dies, fine], ex, lambda m: None, 10, 10, all_kernels=False)
    finally:
        stop.set()
        thread.join()
    assert two == serial
    assert [out.verdict for _, _, out, _ in checked] == [Verdict.INCONCLUSIVE, Verdict.INCONCLUSIVE, Verdict.HOLDS]
    assert checked[1][2].problems[0].startswith("check raised WorkerDied")


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="reads the process table in /proc")
@pytest.mark.parametrize("how", ["SIGINT", "SIGKILL"])
def test_a_run_stopped_from_outside_leaves_no_worker(how):
    """Ctrl-C (SIGINT to the whole group) is 'interrupted', exit 130, no traceback; a killed `nusym verify` leaves
    no pool worker waiting for work: each notices that its parent is gone."""
    import signal
    import subprocess
    import time
    # the whole run (over a minute on 2 cores), so that it is surely still running when the signal comes
    # KeyboardInterrupt on SIGINT in the child, set by the child itself: a shell ignores SIGINT in the commands it
    # starts in the background, and a Python that starts so never raises KeyboardInterrupt (no preexec_fn: forking
    # this test process, which may run JAX's threads, is not safe)
    start = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
             "from nusym.cli import main; sys.exit(main(['verify', '-j', '2']))")
    proc = subprocess.Popen([sys.executable, "-c", start],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)

    def children(pid):
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                return [int(x) for x in f.read().split()]
        except OSError:
            return []
    deadline = time.monotonic() + 60
    while len(children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = children(proc.pid)
    assert len(workers) >= 2, workers
    time.sleep(1.0)
    if how == "SIGINT":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.kill()
    out, err = proc.communicate(timeout=60)
    if how == "SIGINT":
        assert proc.returncode == 130 and err.decode().endswith("nusym verify: interrupted\n"), err
        assert "Traceback" not in err.decode()
    def running(pid):                     # neither gone nor a zombie
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    deadline = time.monotonic() + 10
    while any(running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if running(w)]


# ---------------------------------------------------------------- dask.distributed
def test_a_local_dask_cluster_gives_the_serial_report(serial):
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed (pip install "
                                                            "'dask[distributed]')")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=2, dashboard_address=None) as cl:
        with parallel.executor(scheduler=cl.scheduler_address) as ex:
            assert parallel.workers_of(ex) == 4
            report = verify.run(only=SELECTION, n_uniform=40, n_stress=40, executor=ex)
            k = KERNELS["recoil_factor_weak"]
            pts = floatcheck.samples(k, 40, 40)
            split = floatcheck.measure(k, numeric.recoil_factor_weak, pts, executor=ex, parts=6)
    assert _content(report) == serial
    assert split == floatcheck.measure(k, numeric.recoil_factor_weak, pts)


# ---------------------------------------------------------------- usage
@pytest.mark.parametrize("value, message", [("0", "-j '0' is too few worker processes"),
                                            ("-2", "-j '-2' is too few worker processes"),
                                            ("x", "-j 'x' is not a number of worker processes"),
                                            ("1.5", "-j '1.5' is not a number of worker processes"),
                                            ("", "-j '' is not a number of worker processes"),
                                            ("300", "-j '300' is too many worker processes"),
                                            ("100000", "-j '100000' is too many worker processes"),
                                            ("9" * 40, "is not a number of worker processes")])
def test_bad_jobs_is_bad_usage(value, message, capsys, monkeypatch):
    monkeypatch.setattr(verify, "run", _no_work)
    assert cli.main(["verify", "-j", value, "--quiet"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("nusym verify: ") and message in err, err


def test_jobs_values():
    assert parallel.check_jobs(3) == 3 and parallel.check_jobs(" 2 ") == 2
    for bad in (0, -1, True, 2.0, None, "two", parallel.max_jobs() + 1):
        with pytest.raises(ValueError):
            parallel.check_jobs(bad)
    assert parallel.check_jobs(parallel.max_jobs()) == parallel.JOBS_PER_CORE * budget.cores()
    assert isinstance(parallel.executor(1), parallel.InProcess)
    assert parallel.workers_of(parallel.executor(3)) == 3


def _no_work(*args, **kwargs):
    raise AssertionError("work started although the usage is bad")


@pytest.mark.parametrize("address, message", [
    ("garbage", "missing port number"), ("http://x:1", "unknown address scheme"),
    ("", "an empty address is no scheduler")])
def test_a_bad_scheduler_is_bad_usage(address, message, capsys, monkeypatch):
    pytest.importorskip("distributed", reason="dask.distributed is not installed")
    monkeypatch.setattr(verify, "run", _no_work)
    assert cli.main(["verify", "--scheduler", address, "--quiet"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    assert err.startswith(f"nusym verify: --scheduler {address!r}: ") and message in err, err


def test_an_unreachable_scheduler_fails_within_the_connect_timeout():
    pytest.importorskip("distributed", reason="dask.distributed is not installed")
    with pytest.raises(parallel.SchedulerError, match="no dask scheduler"):
        parallel.executor(scheduler="tcp://127.0.0.1:1", connect_timeout=1)


def test_a_scheduler_without_workers_is_refused_within_the_timeout():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cl:
        t0 = time.monotonic()
        with pytest.raises(parallel.SchedulerError, match="has no worker: none joined within 1 s"):
            parallel.executor(scheduler=cl.scheduler_address, connect_timeout=1)
        assert time.monotonic() - t0 < 10


def test_jobs_and_scheduler_together_is_bad_usage(capsys, monkeypatch):
    monkeypatch.setattr(verify, "run", _no_work)
    assert cli.main(["verify", "-j", "2", "--scheduler", "tcp://127.0.0.1:1", "--quiet"]) == 2
    assert "were both given" in capsys.readouterr().err


def test_without_dask_the_scheduler_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)            # import distributed raises ImportError
    monkeypatch.setattr(verify, "run", _no_work)
    assert cli.main(["verify", "--scheduler", "tcp://127.0.0.1:8786", "--quiet"]) == 2
    assert "pip install 'dask[distributed]'" in capsys.readouterr().err


def test_the_executors_run_what_they_are_given():
    with parallel.executor(1) as ex:
        assert ex.submit(pow, 2, 10).result() == 1024
        with pytest.raises(ZeroDivisionError):
            ex.submit(divmod, 1, 0).result()
    tasks = parallel.Tasks(parallel.executor(2))
    for i in range(5):
        tasks.submit(i, pow, i, 2)
    got = {k: v for k, v, exc in tasks.finished()}
    tasks.close()
    assert got == {i: i * i for i in range(5)}


def test_a_pool_stopped_with_work_queued_prints_nothing(capfd):
    """shutdown(wait=False) kills the workers; the pool's manager thread then fails the futures it holds, which
    raised InvalidStateError for the cancelled ones (CPython 3.11) and printed a traceback under 'interrupted'."""
    for _ in range(3):
        pool = parallel._Pool(2)
        futures = [pool.submit(time.sleep, 2) for _ in range(12)]
        time.sleep(0.3)
        manager = pool._executor_manager_thread
        pool.shutdown(wait=False)
        manager.join(10)
        assert not manager.is_alive()
        assert all(f.done() for f in futures)
    assert "InvalidStateError" not in capfd.readouterr().err


def test_an_interrupt_while_the_parser_imports_is_interrupted(monkeypatch, capsys):
    def interrupted(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "_parser", interrupted)
    assert cli.main(["rates", "--target", "Ge"]) == 130
    assert capsys.readouterr().err == "nusym rates: interrupted\n"


@pytest.mark.parametrize("swallow", ["dropped", "import error"])
def test_an_interrupt_a_library_swallowed_still_ends_the_run(swallow, monkeypatch, capsys):
    """A SIGINT raised where a library drops the exception (numba calls back into Python from C) or turns it into
    another (numpy's import turns it into ImportError) is still 'interrupted', exit 130."""
    import signal

    def command(args):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        except KeyboardInterrupt:
            if swallow == "import error":
                raise ImportError("PyCapsule_Import could not import module 'datetime'") from None
        return 0
    from nusym.cli import commands
    monkeypatch.setattr(commands, "codegen_command", command)
    monkeypatch.setattr(signal, "getsignal", lambda s: signal.default_int_handler)
    assert cli.main(["codegen", "--check"]) == 130
    assert capsys.readouterr().err == "nusym codegen: interrupted\n"


@pytest.mark.parametrize("argv", [["rates", "--target", "Ge", "--T", "1,2", "--flux", "1e13"],
                                  ["verify", "--only", "q2-limits", "--json", "-j", "1"]])
def test_closed_stderr_leaves_stdout_clean(argv):
    """With standard error closed (2>&-) the data on stdout are the data: no message lands among them."""
    import subprocess
    start = f"import sys; from nusym.cli import main; sys.exit(main({argv!r}))"
    proc = subprocess.run(["/bin/sh", "-c", f'exec "{sys.executable}" -c "$0" 2>&-', start], stdout=subprocess.PIPE,
                          timeout=180)
    assert proc.returncode == 0, proc.returncode
    text = proc.stdout.decode()
    assert "Error" not in text and "isatty" not in text and "interrupted" not in text
    if argv[0] == "verify":
        assert json.loads(text)["ok"] is True
