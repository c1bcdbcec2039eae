"""`nusym verify` over the whole recoil paper: every result checked, verdicts computed."""
import json

import pytest

from nusym import cli, verify

EXPECTED_IDS = {"q2-limits", "s-structure", "fe-from-semiclassical", "fe-weak-vogel-engel-limit",
                "fe-mu-vogel-engel-limit", "magnetic-units", "small-q2-region", "recoil-cutoff",
                "recoil-no-effect", "recoil-suppression", "recoil-exact-substitution", "recoil-vanishing-point",
                "recoil-criterion", "thomas-fermi-scale", "k-shell-scale", "sm-magnetic-moment",
                "sm-magnetic-moment-binding", "max-recoil-energy",
                "model-free", "model-semiclassical", "model-recoil", "model-oscillator", "model-hydrogen",
                "b-spectral-function", "b-green-at-zero", "b-voloshin-value", "b-sum-rule", "b-dispersion",
                "m-amplitude", "m-decomposition", "m-free-electron-limit", "m-large-energy",
                "m-transverse-hydrogen", "m-photon-limit", "m-spurious-enhancement", "m-no-binding-enhancement"}
REFUTED = {"b-voloshin-value", "b-sum-rule", "b-dispersion"}


@pytest.fixture(scope="module")
def report():
    return verify.run(n_uniform=60, n_stress=60)


def test_every_result_is_listed_and_checked_without_problems(report):
    ids = {e.result.id for e in report.entries}
    assert EXPECTED_IDS <= ids
    bad = [(e.result.id, e.as_json()["problems"]) for e in report.entries if not e.ok]
    assert not bad
    assert report.ok


def test_verdicts(report):
    verdicts = {e.result.id: e.outcome.verdict for e in report.entries}
    approximate = {"fe-weak-vogel-engel-limit", "fe-mu-vogel-engel-limit", "recoil-exact-substitution",
                   "recoil-vanishing-point", "recoil-criterion", "max-recoil-energy",
                   "m-free-electron-limit", "m-large-energy"}
    for rid in EXPECTED_IDS:
        expected = "approximate" if rid in approximate else "refuted" if rid in REFUTED else "holds"
        assert verdicts[rid] == expected, rid


def test_json_shape(report):
    data = json.loads(verify.as_json(report))
    for r in data["results"]:
        assert {"id", "paper", "equation", "statement", "verdict", "evidence"} <= set(r)
        assert r["paper"] in ("recoil", "binding", "models") and r["verdict"] in ("holds", "approximate", "refuted")
        assert r["evidence"]


def test_cli_only_and_exit_status(capsys):
    assert cli.main(["verify", "--only", "q2-limits", "--json", "--quiet"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in data["results"]] == ["q2-limits"]
    assert cli.main(["verify", "--only", "no-such-result", "--quiet"]) == 2


def test_cli_codegen_check(capsys):
    assert cli.main(["codegen", "--check"]) == 0
