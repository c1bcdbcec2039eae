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
