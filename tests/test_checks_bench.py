"""`nusym bench`: sizes are bounded before any work, and the baselines it times are the formulas it names."""
import pytest

from nusym.checks import bench
from nusym import cli


def _no_work(*args, **kwargs):
    raise AssertionError("work started although the usage is bad")


@pytest.mark.parametrize("points, message", [("1000000000", "--points 1000000000 is outside [1, 100000000]"),
                                             ("0", "--points 0 is outside [1, 100000000]"),
                                             ("-5", "--points -5 is outside [1, 100000000]")])
def test_points_are_bounded_before_any_work(points, message, monkeypatch, capsys):
    monkeypatch.setattr(bench, "run", _no_work)
    assert cli.main(["bench", "--points", points]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err, err


def test_points_beyond_the_memory_are_refused(monkeypatch):
    monkeypatch.setattr(bench.os, "sysconf", lambda name: {"SC_PHYS_PAGES": 1000, "SC_PAGE_SIZE": 4096}[name])
    with pytest.raises(ValueError, match=r"need about .* GiB of memory .* more than this machine's"):
        bench.check_points(10**6)
    assert bench.check_points(10) == 10


def test_atom_rows_measure_each_cost_against_its_baseline(tmp_path, monkeypatch):
    """`nusym bench --atoms`' rows on hydrogen (seconds): every row timed, every ratio a baseline of the same run."""
    from nusym.checks import bench_atoms
    monkeypatch.setenv("NUSYM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(bench_atoms, "RATE_T_POINTS", 3)
    monkeypatch.setattr(bench_atoms, "X_POINTS", 50)
    rows = bench_atoms.run("H", jobs=2, repeats=1)
    assert [r.path for r in rows] == ["scipy.special.spherical_jn", "nusym atoms.bessel.SphJn",
                                      "nusym atoms.central_field", "one process", "2 worker processes (rate_tables)",
                                      "stepping", "central field, table cached"]
    assert all(r.seconds > 0 for r in rows)
    for r in rows:
        if r.ratio is not None:
            base = next(b for b in rows if b.kernel == r.kernel and b is not r and b.ratio is None)
            assert r.ratio == pytest.approx(base.seconds / r.seconds)
    assert "bench --atoms" in bench.render(rows, None)


@pytest.mark.parametrize("argv, message", [
    (["--atoms", "Xx"], "--atoms"), (["--atoms", "GE"], "'G' is not an element"), (["--atoms", "h"], "--atoms"),
    (["--atoms", "NaI"], "one element's symbol"), (["--atoms", "Ge", "-j", "0"], "-j"),
    (["--atoms", "Ge", "--kernels", "q_plus"], "time no kernel"), (["-j", "2"], "applies to --atoms' rate table only")])
def test_atom_bench_refuses_bad_usage_before_any_work(capsys, monkeypatch, argv, message):
    from nusym.checks import bench_atoms
    monkeypatch.setattr(bench_atoms, "run", _no_work)
    monkeypatch.setattr(bench, "run", _no_work)
    assert cli.main(["bench", *argv]) == 2
    assert message in capsys.readouterr().err
