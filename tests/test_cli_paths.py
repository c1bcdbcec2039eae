"""Paths and patterns given to `nusym verify`, `nusym codegen` and `nusym figure`.

Bad usage is exit 2 with one line on stderr, found before any work starts (the work is replaced by
functions that record or refuse being called); files are written through a temporary file and a rename.
"""
from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import replace_figure

from nusym import cli
from nusym import codegen
from nusym.codegen import modules
from nusym.checks import verify

run = verify.run                            # the real one; the fixture `results` replaces it
LONG = "/tmp/" + "n" * 300                  # a name longer than any file system allows


def _no_work(*args, **kwargs):
    raise AssertionError("work started although the usage is bad")


def _bad_usage(argv, capsys, message):
    """``argv`` is bad usage: exit 2, nothing on stdout, one line on stderr that contains ``message``."""
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err, (out, err)
    assert message in err, err
    return err


@pytest.fixture
def results(monkeypatch):
    """A few results in place of the real ones, and a verify.run that must not be called."""
    fake = [SimpleNamespace(id=i, paper=p, equation=e) for i, p, e in [
        ("q2-limits", "recoil", "1, 3"), ("fe-mu-claim", "recoil", "3, 4, 6"), ("b-sum-rule", "binding", "15"),
        ("b-sum-rule-free", "binding", "15"), ("m-spurious-enhancement", "binding", "8, 17")]]
    monkeypatch.setattr(verify, "collect_results", lambda: fake)
    monkeypatch.setattr(verify, "run", _no_work)
    return fake


# ---------------------------------------------------------------- verify --only
@pytest.mark.parametrize("pattern", ["^(.*?,?)*X", "a{99999999999}", "(" * 100 + ")" * 100, "(", "fe-(mu|weak)",
                                     "q2-limits$", "a+", "\\d"])
def test_only_refuses_regular_expressions_before_any_work(pattern, results, capsys):
    err = _bad_usage(["verify", "--only", pattern, "--quiet"], capsys, "is not a regular expression")
    assert err.startswith("nusym verify: --only ") and "shell-style globs" in err


@pytest.mark.parametrize("pattern, message", [
    ("a" * 201, "201 characters long; at most 200"),
    ("(" * 1000 + ")" * 1000, "2000 characters long; at most 200"),
    ("", "empty alternative"),
    ("q2-limits,,b-sum-rule", "empty alternative"),
    ("q2-limits, ", "empty alternative"),
])
def test_only_length_and_alternatives_are_checked(pattern, message, results, capsys):
    _bad_usage(["verify", "--only", pattern, "--quiet"], capsys, message)


def test_only_without_a_match_prints_nothing_on_stdout_and_runs_nothing(results, capsys):
    err = _bad_usage(["verify", "--only", "zzz", "--quiet"], capsys, "--only 'zzz' matches no result")
    assert "e.g." in err


@pytest.mark.parametrize("pattern, ids", [
    ("q2-limits", ["q2-limits"]),                                   # a plain word matches any part
    ("b-sum-rule*", ["b-sum-rule", "b-sum-rule-free"]),
    ("b-sum-rule-free,m-spurious", ["b-sum-rule-free", "m-spurious-enhancement"]),
    ("fe-mu-claim, q2-limits", ["q2-limits", "fe-mu-claim"]),       # blanks around a comma are not part of a glob
    ("recoil 3", ["fe-mu-claim"]),                                  # the paper and the equation are matched too
    ("fe-??-claim", ["fe-mu-claim"]),
    ("[bm]-s*", ["b-sum-rule", "b-sum-rule-free", "m-spurious-enhancement"]),
    ("*?" * 100, []),                                               # long, many stars: linear time, no match
])
def test_only_globs_select(pattern, ids, results):
    assert [r.id for r in verify.select(pattern)] == ids
    assert verify.select(None) == results


def test_only_that_matches_runs_with_the_same_pattern(results, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(verify, "run", lambda **kw: calls.append(kw) or verify.Report([], {}, 0.0))
    assert cli.main(["verify", "--only", "b-sum-rule*", "--quiet", "--json"]) == 0
    assert [c["only"] for c in calls] == ["b-sum-rule*"]
    assert '"ok": true' in capsys.readouterr().out


def test_the_python_api_takes_the_same_patterns(results):
    with pytest.raises(ValueError, match="not a regular expression"):
        verify.select("(")
    with pytest.raises(ValueError, match="at most 200"):
        verify.select("x" * 300)


def test_only_as_used_in_the_docs_and_tests_selects_what_the_regular_expression_did(monkeypatch):
    monkeypatch.undo()
    real = verify.collect_results()
    for word in ["q2-limits", "fe-mu-claim", "m-spurious", "b-sum-rule", "binding"]:
        was = [r.id for r in real if re.search(word, f"{r.id} {r.paper} {r.equation}")]
        assert was and [r.id for r in verify.select(word)] == was


@pytest.mark.parametrize("pattern", ["a{99999999999}", "(" * 100, "fe-(mu|weak)"])
def test_run_refuses_a_bad_pattern_before_checking(pattern, results, monkeypatch):
    monkeypatch.setattr(verify, "run", run)
    monkeypatch.setattr(verify, "run_result", _no_work)
    with pytest.raises(ValueError, match="not a regular expression"):
        verify.run(only=pattern)


# ---------------------------------------------------------------- codegen --out
@pytest.fixture
def no_codegen(monkeypatch):
    monkeypatch.setattr(modules, "generate", _no_work)
    monkeypatch.setattr(modules, "write", _no_work)
    monkeypatch.setattr(modules, "stale", _no_work)


@pytest.mark.parametrize("check", [[], ["--check"]])
def test_codegen_empty_out_is_bad_usage(check, no_codegen, capsys):
    _bad_usage(["codegen", "--out", "", *check], capsys, "--out '' is empty")


@pytest.mark.parametrize("check", [[], ["--check"]])
def test_codegen_out_dangling_or_looping_link_is_bad_usage(check, tmp_path, no_codegen, capsys):
    (tmp_path / "dangling").symlink_to(tmp_path / "missing")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    for name in ["dangling", "loop"]:
        _bad_usage(["codegen", "--out", str(tmp_path / name), *check], capsys, "symbolic link that leads nowhere")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("check", [[], ["--check"]])
@pytest.mark.parametrize("path", [LONG, LONG + "/x", "/tmp/" + "n" * 300 + ".d"])
def test_codegen_out_name_too_long_is_bad_usage(path, check, no_codegen, capsys):
    _bad_usage(["codegen", "--out", path, *check], capsys, "File name too long")


@pytest.fixture
def umask():
    old = os.umask(0o027)
    yield 0o027
    os.umask(old)


def test_codegen_write_replaces_a_link_and_does_not_follow_it(tmp_path, monkeypatch, umask):
    monkeypatch.setattr(modules, "generate", lambda: {"a.py": "new a\n", "b.py": "new b\n"})
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.py").symlink_to(victim)
    assert codegen.write(out) == [out / "a.py", out / "b.py"]
    assert victim.read_text() == "keep me"
    assert not (out / "a.py").is_symlink() and (out / "a.py").read_text() == "new a\n"
    assert sorted(os.listdir(out)) == ["a.py", "b.py"]                       # no temporary left behind
    for name in ["a.py", "b.py"]:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o666 & ~umask    # the umask's mode, not 0600
    assert codegen.stale(out) == []


def test_codegen_write_interrupted_leaves_the_old_file_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(modules, "generate", lambda: {"a.py": "new a, a much longer text\n"})
    (tmp_path / "a.py").write_text("old a\n")
    real = Path.write_text

    def half_then_fail(self, text, *args, **kwargs):
        real(self, text[:5], *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        codegen.write(tmp_path)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["a.py"] and (tmp_path / "a.py").read_text() == "old a\n"


def test_codegen_stale_reports_a_folder_in_a_files_place(tmp_path, monkeypatch):
    monkeypatch.setattr(modules, "generate", lambda: {"a.py": "a\n", "b.py": "b\n"})
    (tmp_path / "a.py").mkdir()
    (tmp_path / "b.py").write_text("b\n")
    assert codegen.stale(tmp_path) == ["a.py"]


# ---------------------------------------------------------------- figure --out
@pytest.fixture
def drawn(monkeypatch):
    """The figure function replaced by one that records its call and writes a few bytes."""
    calls = []

    def draw(path, **kwargs):
        calls.append(path)
        Path(path).write_bytes(b"figure")

    replace_figure(monkeypatch, draw)
    return calls


@pytest.mark.parametrize("name, message", [
    ("", "is empty"),
    ("x.png/", "does not end in a file name"),
    ("x.png/.", "does not end in a file name"),
    ("dangling.png", "symbolic link that leads nowhere"),
    (LONG + ".png", "File name too long"),
    (LONG + "/x.png", "File name too long"),
])
def test_figure_out_is_checked_before_any_work(name, message, tmp_path, monkeypatch, drawn, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dangling.png").symlink_to(tmp_path / "missing.png")
    _bad_usage(["figure", "magnetic-hydrogen", "--out", name], capsys, message)
    assert drawn == [] and os.listdir(tmp_path) == ["dangling.png"]


def test_figure_out_with_a_trailing_slash_to_an_existing_file_is_bad_usage(tmp_path, drawn, capsys):
    (tmp_path / "x.png").write_bytes(b"old")
    _bad_usage(["figure", "magnetic-hydrogen", "--out", str(tmp_path / "x.png") + "/"], capsys, "file name")
    assert drawn == [] and (tmp_path / "x.png").read_bytes() == b"old"


def test_figure_out_link_is_written_through(tmp_path, drawn, capsys, umask):
    target = tmp_path / "real" / "target.png"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "link.png"
    link.symlink_to(target)
    assert cli.main(["figure", "magnetic-hydrogen", "--out", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == b"figure"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert sorted(os.listdir(target.parent)) == ["target.png"] and sorted(os.listdir(tmp_path)) == ["link.png", "real"]
    assert capsys.readouterr().out == f"wrote {target}\n"


def test_figure_out_with_a_long_but_allowed_name(tmp_path, drawn, capsys):
    path = tmp_path / ("f" * 250 + ".png")                         # 254 characters: allowed, a longer temporary is not
    assert cli.main(["figure", "magnetic-hydrogen", "--out", str(path)]) == 0
    assert os.listdir(tmp_path) == [path.name] and path.read_bytes() == b"figure"


def test_figure_E_nu_is_shown_as_given(drawn, capsys):
    _bad_usage(["figure", "magnetic-hydrogen", "--E-nu", "1.0000001e8"], capsys, "--E-nu=100000010.0 eV is outside")


# ---------------------------------------------------------------- a closed or broken stdout
@pytest.mark.parametrize("argv", [["rates", "--target", "Ge", "--flux", "1e13", "--T", "1,5"],
                                  ["bench", "--points", "10", "--kernels", "q_plus"], ["atom", "H"]])
def test_stdout_closed_from_the_start_is_could_not_finish_before_any_work(monkeypatch, capsys, argv):
    """Python sets sys.stdout to None when the process starts with descriptor 1 closed; print() then drops
    everything, so a command would compute, print nothing and exit 0."""
    monkeypatch.setattr(sys, "stdout", None)
    assert cli.main(argv) == 3
    assert "standard output is closed" in capsys.readouterr().err


def test_closed_stdout_is_could_not_finish_without_a_traceback(tmp_path, drawn, monkeypatch, capsys):
    closed = open(os.devnull, "w")
    closed.close()
    monkeypatch.setattr(sys, "stdout", closed)
    assert cli.main(["figure", "magnetic-hydrogen", "--out", str(tmp_path / "x.png")]) == 3
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert "could not finish" in err and "Traceback" not in err


def test_broken_pipe_on_stdout_is_could_not_finish_without_a_traceback(tmp_path):
    code = ("import sys, pathlib\nfrom nusym import catalogue\ncatalogue.load('figure')\n"
            "catalogue._ENTRIES['figure']['magnetic-hydrogen'] = catalogue.Entry('figure', 'magnetic-hydrogen', "
            "lambda p, **k: pathlib.Path(p).write_bytes(b'x'), 'tests')\n"
            "from nusym import cli\n"
            f"sys.exit(cli.main(['figure', 'magnetic-hydrogen', '--out', {str(tmp_path / 'x.png')!r}]))\n")
    read, write = os.pipe()
    os.close(read)                                  # the reader is gone before anything is written; stdout buffered
    try:
        proc = subprocess.run([sys.executable, "-c", code], stdout=write, stderr=subprocess.PIPE, text=True,
                              timeout=120, env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"})
    finally:
        os.close(write)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.count("\n") == 1 and "could not finish: BrokenPipeError" in proc.stderr, proc.stderr
