"""The time budget of a claim check: the caller's timers and threads left alone, a worker from any kind of caller,
the proof's share of the budget, and no process left behind when the caller dies or the budget runs out."""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

import pytest

from nusym import check


def test_check_leaves_the_callers_timer_alone():
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 100.0)
    try:
        assert check("q_minus(T, p)*q_plus(T, p) == 2*m_e*T", points=4).verdict == "holds"
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 90 < left <= 100 and fired == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_the_budget_holds_off_the_main_thread():
    out = {}

    def run():
        t0 = time.monotonic()
        out["verdict"] = check("q_minus(sin(Integral(1, (q, 0, oo))), p) < p", timeout=2)
        out["seconds"] = time.monotonic() - t0
    t = threading.Thread(target=run)
    t.start()
    t.join(30)
    assert out["verdict"].verdict == "inconclusive" and "time budget of 2 s" in out["verdict"].reason
    assert out["seconds"] < 2 + 5


def test_worker_from_a_script_without_a_main_guard_from_a_pool_and_from_a_fork(tmp_path):
    """The worker runs nothing of the caller: a script without the __main__ guard is not run twice; check()
    works inside a daemonic multiprocessing.Pool worker and in a forked child."""
    import subprocess
    script = tmp_path / "s.py"
    script.write_text("import multiprocessing, os\n"
                      "from nusym import check\n"
                      "print('side effect', flush=True)\n"
                      "print(check('T > 0', points=2).verdict, flush=True)\n"
                      "def one(c):\n    return str(check(c, points=2).verdict)\n"
                      "if __name__ == '__main__':\n"
                      "    with multiprocessing.get_context('fork').Pool(1) as pool:\n"
                      "        print(pool.map(one, ['1 < 0']), flush=True)\n"
                      "    pid = os.fork()\n"
                      "    if pid == 0:\n"
                      "        print('child', one('T > 0'), flush=True)\n"
                      "        os._exit(0)\n"
                      "    os.waitpid(pid, 0)\n")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.stdout.splitlines() == ["side effect", "holds", "['refuted']", "child holds"], run
    assert run.stderr == ""


def test_the_proof_gets_its_share_of_the_budget_not_all_of_it():
    v = check("Integral(1/(T*log(T)**(1.0001)), (T, 3, oo)) < 100", timeout=9, points=4)
    assert v.verdict == "inconclusive" and "during the symbolic proof" not in v.reason, v.reason
    assert "did not converge" in v.reason


def _budget_servers():
    out = set()
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"nusym.runner.budget" in f.read():
                    out.add(int(pid))
        except (OSError, ValueError):
            pass
    return out


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to list processes")
def test_a_caller_killed_mid_check_leaves_no_worker(tmp_path):
    import subprocess
    script = tmp_path / "slow.py"
    script.write_text("from nusym import check\nprint('start', flush=True)\n"
                      "check('Abs(sin(q))**(pi**m_e) <= 1', timeout=120)\n")
    with subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout.readline() == "start\n"
        deadline = time.monotonic() + 30                   # the server is up and its child is computing
        while len(started := _budget_servers() & _descendants(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)                                # (its own: other test processes may run checks)
        time.sleep(0.5)
        assert started, "no worker server was started"
        proc.terminate()
        proc.wait(10)
    deadline = time.monotonic() + 20
    while _budget_servers() & started and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _budget_servers() & started


def _descendants(root):
    """pids of the processes below ``root`` (through /proc's parent links)."""
    parent = {}
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/stat") as f:
                parent[int(pid)] = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            pass
    out, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, ppid in parent.items() if ppid in frontier} - out
        out |= frontier
    return out


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to list processes")
def test_helpers_die_with_the_worker_when_the_budget_runs_out():
    """The points are judged by helper processes forked by the worker: when the budget kills the worker, the
    kernel kills them (PR_SET_PDEATHSIG); nothing is left but the idle server."""
    import threading

    from nusym.runner import budget
    seen, done = set(), threading.Event()

    def watch():
        while not done.is_set():
            seen.update(_descendants(os.getpid()) & _budget_servers())     # servers, workers and helpers
            time.sleep(0.05)
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        v = check("Abs(sin(q))**(pi**m_e) <= 1", timeout=2.5, workers=2)
    finally:
        done.set()
        watcher.join()
    assert v.verdict == "inconclusive" and "numerics at point" in v.reason, v.reason
    assert len(seen) >= 3                                   # the server, its worker and at least one helper
    left = seen - {s.proc.pid for s in budget._idle}
    deadline = time.monotonic() + 5
    while left and time.monotonic() < deadline:
        left = {pid for pid in left if _alive(pid)}
        time.sleep(0.1)
    assert not left


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"          # a zombie has stopped computing
    except OSError:
        return False
