"""The README says what the program does: its commands, ranges, keys and printed numbers are checked against the
program, so that they cannot drift apart."""
import json
import re
from pathlib import Path

from nusym import cli
from nusym import detectors as detector
from nusym.output import rates as report
from nusym.atoms import shells

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_the_two_commands_are_on_the_first_screen():
    first = README.splitlines()[:40]
    assert any("pip install -e '.[test]' && nusym verify" in ln for ln in first)
    assert any(ln.strip() == "python -m pytest" for ln in first)


def test_the_quick_start_table_is_what_the_program_prints(capsys):
    block = README[README.index("nusym rates --target Ge --flux 2.7e13 --mu-nu 3e-11"):]
    rows = re.findall(r"^ +([0-9.]+)((?: +[0-9.e+-]+){6})$", block[:3000], re.M)
    assert len(rows) == 5
    assert cli.main(["rates", "--target", "Ge", "--flux", "2.7e13", "--mu-nu", "3e-11", "--T", "0.5,1,2,5,10",
                     "--threshold", "2"]) == 0
    out = capsys.readouterr().out
    for t, values in rows:
        assert re.search(rf"^ +{re.escape(t)}{re.escape(values)}$", out, re.M), (t, values)
    assert "differential): fe 9.083e-12 mu_B" in out and "threshold-integrated): fe 1.423e-11 mu_B" in out


def test_the_documented_json_keys_are_the_keys(capsys):
    cli.main(["rates", "--target", "Ge", "--flux", "1e13", "--T", "1,2", "--json"])
    data = json.loads(capsys.readouterr().out)
    text = README[README.index("`--json` prints `{\"target\""):]
    text = text[:text.index("(strict JSON")]
    documented = set(re.findall(r'"([A-Za-z_0-9]+)"', text))
    keys = set(data) | set(data["rows"][0]) | set(data["mu_nu_equal_rates"]) \
        | set(data["mu_nu_equal_rates"]["differential"]) | set(data["mu_nu_equal_rates"]["above_threshold"])
    assert keys == documented, keys ^ documented


def test_the_documented_ranges_are_the_programs():
    lo, hi = shells.PHOTO_RANGE
    assert (lo, hi) == (100.0, 8.0e5) and "T from 100 eV to 800 keV" in README
    assert detector.T_RANGE == (1.0, 1.0e7)
    assert report.DPI == 200 and "200 dpi" in README
