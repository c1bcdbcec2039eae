"""`nusym figure` and `nusym codegen`: paths checked before any work, every promised format written."""
from __future__ import annotations

import os

import pytest
from conftest import replace_figure

from nusym import cli


# ---------------------------------------------------------------- figures
@pytest.mark.parametrize("name, message", [
    ("noext", "the format is chosen by the suffix"),
    ("x.gif", "the format is chosen by the suffix"),
    ("missing/x.png", "does not exist"),
    (".", "is a folder"),
])
def test_figure_paths_are_checked_before_any_work(tmp_path, monkeypatch, capsys, name, message):
    monkeypatch.chdir(tmp_path)
    drawn = []
    replace_figure(monkeypatch, lambda *a, **k: drawn.append(a))
    assert cli.main(["figure", "magnetic-hydrogen", "--out", name]) == 2
    assert message in capsys.readouterr().err
    assert drawn == [] and os.listdir(tmp_path) == []


def test_codegen_out_that_is_a_file_is_bad_usage(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    assert cli.main(["codegen", "--out", str(f)]) == 2
    assert "exists and is not a folder" in capsys.readouterr().err
    assert f.read_text() == "x"


@pytest.mark.parametrize("suffix", ["svg", "pdf"])
def test_figure_in_every_promised_format(tmp_path, capsys, suffix):
    path = tmp_path / f"fig.{suffix}"
    assert cli.main(["figure", "magnetic-hydrogen", "--out", str(path), "--points", "8"]) == 0
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") if suffix == "pdf" else b"<svg" in data[:2000]
    assert capsys.readouterr().out.strip() == f"wrote {path}"
    assert sorted(os.listdir(tmp_path)) == [path.name]                      # no temporary left behind
