"""`nusym verify` over both papers: every result checked, verdicts computed by one judge, mutants killed."""
import json

import pytest

from nusym.output import verify as verify_report
from nusym import cli
from nusym.checks import mutants, verify
from nusym.runner import parallel
from nusym.record import Verdict

HOLDS = {"q2-limits", "s-structure", "fe-from-semiclassical", "magnetic-units", "small-q2-semiclassical",
         "recoil-cutoff", "recoil-no-effect", "recoil-suppression", "thomas-fermi-scale", "k-shell-scale",
         "sm-magnetic-moment", "sm-magnetic-moment-binding",
         "model-free", "model-semiclassical", "model-recoil", "model-oscillator", "model-hydrogen",
         "b-spectral-function", "b-green-at-zero", "b-voloshin-error",
         "m-amplitude", "m-decomposition", "m-transverse-hydrogen", "m-photon-limit", "m-spurious-enhancement",
         "fe-weak-claim", "fe-mu-claim", "recoil-no-effect-weak", "recoil-no-effect-mu", "recoil-suppression-weak",
         "recoil-suppression-mu", "b-sum-rule-incoherent",
         "vogel-engel-from-amplitudes", "stepping-from-shells", "stepping-free-electron-limit", "small-q2-germanium",
         "small-q2-silicon", "small-q2-xenon", "recoil-negligible-germanium",
         "central-field-nist", "central-field-coulomb-limit", "central-field-bethe-sum", "central-field-incoherent-sum",
         "central-field-stepping-germanium", "central-field-open-electrons-germanium",
         "central-field-momenta-germanium", "central-field-stepping-silicon", "central-field-stepping-xenon",
         "central-field-small-q2-germanium", "central-field-incoherent-hubbell-germanium",
         "central-field-compton-biggs-germanium"}
APPROXIMATE = {"fe-weak-vogel-engel-limit", "fe-mu-vogel-engel-limit", "recoil-exact-substitution",
               "recoil-vanishing-point", "recoil-criterion", "max-recoil-energy", "m-free-electron-limit",
               "m-large-energy", "m-no-binding-enhancement"}
REFUTED = {"b-voloshin-value", "b-sum-rule", "b-dispersion", "small-q2-region", "m-transverse-ratio",
           "b-sum-rule-free", "b-sum-rule-oscillator", "b-sum-rule-hydrogen",
           "central-field-photoabsorption-germanium", "central-field-z-or-z2-germanium"}
VOLOSHIN = {"b-voloshin-value", "b-dispersion"}           # Eqs. (16) and (13): Voloshin's, quoted by the binding paper


# The costliest checks (the real atoms, hydrogen's partial-wave sums, the photon limit, the checks of 2 s and more) run
# in the slow full report;
# `.ci/run` runs the whole `nusym verify` anyway, which fails on any problem.
COSTLY = ("central-field,m-transverse-hyd,model-hyd,m-no-binding,b-sum-rule binding,stepping-from,m-photon,"
          "vogel-engel-from,recoil-exact-sub,b-sum-rule-inco,model-osc,b-sum-rule-osc,recoil-negl,small-q2-")


@pytest.fixture(scope="module")
def report():
    return verify.run(n_uniform=60, n_stress=60, jobs=parallel.default_jobs(), skip=COSTLY)   # as `nusym verify`


@pytest.fixture(scope="module")
def full_report():
    return verify.run(n_uniform=60, n_stress=60, jobs=parallel.default_jobs())


def test_every_result_has_an_expected_verdict_and_the_costly_ones_are_few():
    ids = {r.id for r in verify.select()}
    assert HOLDS | APPROXIMATE | REFUTED == ids
    skipped = ids - {r.id for r in verify.select(skip=COSTLY)}
    assert 0 < len(skipped) <= 32, sorted(skipped)


def test_every_result_is_listed_and_checked_without_problems(report):
    ids = {e.result.id for e in report.entries}
    assert ids == {r.id for r in verify.select(skip=COSTLY)}
    bad = [(e.result.id, e.as_json()["problems"]) for e in report.entries if not e.ok]
    assert not bad
    assert report.ok


@pytest.mark.slow
def test_every_result_of_the_full_report(full_report):
    assert {e.result.id for e in full_report.entries} == HOLDS | APPROXIMATE | REFUTED
    assert full_report.ok, [(e.result.id, e.as_json()["problems"]) for e in full_report.entries if not e.ok]
    for e in full_report.entries:
        rid = e.result.id
        expected = (Verdict.APPROXIMATE if rid in APPROXIMATE else Verdict.REFUTED if rid in REFUTED
                    else Verdict.HOLDS)
        assert e.outcome.verdict is expected, rid


def test_verdicts(report):
    verdicts = {e.result.id: e.outcome.verdict for e in report.entries}
    for rid in verdicts:
        expected = (Verdict.APPROXIMATE if rid in APPROXIMATE else Verdict.REFUTED if rid in REFUTED
                    else Verdict.HOLDS)
        assert verdicts[rid] is expected, rid


def test_each_verdict_agrees_with_its_evidence(report):
    """No holds over an unresolved or failed check, every approximate with a passing trend, every refuted with a
    resolved deviation or a refuting claim check."""
    for e in report.entries:
        ev, v = e.evidence, e.outcome.verdict
        if e.result.claim is not None:
            assert ev.verdict == str(v)
            continue
        if v is Verdict.HOLDS:
            assert ev.symbolic in ("proved", "bounded") and not e.outcome.problems and not e.outcome.reasons, e.result.id
            if ev.symbolic == "bounded":
                assert ev.bounds and all(b.holds for b in ev.bounds), e.result.id
        if v is Verdict.APPROXIMATE:
            assert ev.symbolic == "limit" and ev.limit and ev.trends, e.result.id
            assert all(not t.problems() and t.power > 0 for t in ev.trends), e.result.id
        if v is Verdict.REFUTED:
            assert (ev.deviation is not None and ev.deviation.resolved) or any(b.violated for b in ev.bounds), e.result.id


def test_attribution():
    by = {r.id: r.asserted_by for r in verify.select()}
    for rid in VOLOSHIN:
        assert by[rid].startswith("Voloshin"), rid
    assert by["b-voloshin-error"] == "the authors"
    for rid in ("b-sum-rule", "b-sum-rule-free", "b-sum-rule-oscillator", "b-sum-rule-hydrogen"):
        assert "Ref. [11]'s Eq. (13) with Eq. (14)" in by[rid], rid


def test_json_shape(report):
    data = json.loads(verify_report.as_json(report))
    for r in data["results"]:
        assert {"id", "paper", "equation", "statement", "asserted_by", "scope", "verdict", "evidence"} <= set(r)
        assert r["paper"] in ("recoil", "binding", "models") and r["verdict"] in {v.value for v in Verdict}
        assert r["evidence"]
        if "claim" in r:
            assert r["claim"]["command"].startswith("nusym check ")


@pytest.mark.slow
def test_mutation_score_over_every_declared_claim(full_report):
    rep = mutants.run([e.result for e in full_report.entries],
                      verdicts={e.result.id: str(e.outcome.verdict) for e in full_report.entries})
    assert rep.killed / len(rep.mutants) >= 0.95, rep.render()


def test_cli_only_and_exit_status(capsys):
    assert cli.main(["verify", "--only", "q2-limits", "--json", "--quiet"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in data["results"]] == ["q2-limits"]
    assert cli.main(["verify", "--only", "no-such-result", "--quiet"]) == 2


def test_the_text_report_says_when_no_kernel_is_checked_and_where_the_bar_is(capsys, report):
    assert cli.main(["verify", "--only", "q2-limits", "--quiet", "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert "0/0 kernels" not in out and "no kernel's float check (none cited by the selected results)" in out
    text = verify_report.render(report)
    assert "(the bar there: " in text
