"""The central-field ground state against Hubbell's and Biggs' Hartree-Fock tables
(nusym.derivations.ground_state_tables): both verdicts hold, and each flips when what it compares is mutated the
way a careless comparison would be (a unit slip in x, a profile per subshell for one per electron, shells swapped)."""
import math

import numpy
import pytest

from nusym.derivations import ground_state_tables as G
from nusym.record import Verdict, judge

pytest.importorskip("xraylib")


def test_x_is_xraylibs_momentum_transfer_in_atomic_units():
    """xraylib's x for a 12.3984 keV photon (lambda = 1 angstrom) scattered at 180 degrees is 1 per angstrom: q = 4 pi
    x a_0 is then 2 k = 4 pi/lambda in atomic units."""
    import xraylib
    x = xraylib.MomentTransf(12.398419843320026, math.pi)
    assert x == pytest.approx(1.0, rel=1e-6)
    assert G.q_of_x(x) == pytest.approx(4 * math.pi * 0.529177210903, rel=1e-6)


def _figures(v: float) -> int:
    return next(k for k in range(1, 18) if abs(float(f"{v:.{k - 1}e}") - v) <= 1e-6 * abs(v))


def test_the_comparison_points_are_the_tables_nodes_and_the_rounding_is_what_they_print():
    """At each listed point xraylib returns a printed number (Hubbell: at most four decimals; Biggs: three figures
    below p_z = 10 a.u., two from there); halfway to the next node it mostly interpolates to more digits."""
    hub = G.hubbell("Ge")
    assert numpy.all(G.decimals_rounding(hub) >= 0.5e-4)
    mid = [0.5 * (a + b) for a, b in zip(G.HUBBELL_X, G.HUBBELL_X[1:])]
    assert numpy.mean(G.decimals_rounding(G.hubbell("Ge", mid)) < 0.5e-4) > 0.75
    for nl in G.BIGGS_SHELLS:
        assert all(_figures(v) <= (3 if p < G.BIGGS_TWO_FIGURES_FROM else 2)
                   for v, p in zip(G.biggs("Ge", nl), G.BIGGS_PZ)), nl
    mid = [0.5 * (a + b) for a, b in zip(G.BIGGS_PZ, G.BIGGS_PZ[1:])]
    assert numpy.mean([_figures(v) > 3 for v in G.biggs("Ge", (1, 0), mid)]) > 0.75
    assert G.biggs_rounding(numpy.array([0.0272, 1.5e-11]), (1.0, 100.0)) == pytest.approx(
        [0.5e-4 / 0.0272, 0.05 / 1.5])


def test_incoherent_result_holds_and_flips_with_a_unit_slip_in_x(monkeypatch):
    assert judge(G.central_field_incoherent_hubbell_germanium.check()).verdict is Verdict.HOLDS
    monkeypatch.setattr(G, "q_of_x", lambda x: 2 * math.pi * numpy.asarray(x, float) * G.st.BOHR_CM * 1e8)
    out = judge(G.central_field_incoherent_hubbell_germanium.check())
    assert out.verdict is Verdict.REFUTED and out.ok


def test_incoherent_result_flips_with_the_latter_orbitals(monkeypatch):
    """The verdict tells the two potentials apart: Latter's orbitals miss Hubbell by 30 % at x = 0.01."""
    real = G.models("Ge")
    monkeypatch.setattr(G, "models", lambda el: {"lda": real["lda-latter"], "lda-latter": real["lda-latter"]})
    out = judge(G.central_field_incoherent_hubbell_germanium.check())
    assert out.verdict is Verdict.REFUTED and out.ok


def test_latter_orbitals_miss_hubbell_at_small_x_as_reported():
    """The Latter tail's diffuse valence is what the result's notes say: 30 % high at x = 0.01, within 3 % at x >= 0.2."""
    t = G.incoherent_table("Ge", (0.01, 0.2, 1.0))
    r = t["lda-latter"] / t["Hubbell"]
    assert 1.2 < r[0] < 1.4 and numpy.all(numpy.abs(r[1:] - 1) < 0.03)


@pytest.mark.parametrize("mutant", ["per subshell", pytest.param("shells swapped", marks=pytest.mark.slow)])
def test_compton_result_holds_and_flips_when_the_reference_is_misread(monkeypatch, mutant):
    assert judge(G.central_field_compton_biggs_germanium.check()).verdict is Verdict.HOLDS
    if mutant == "per subshell":        # xraylib's partial profiles read as the whole subshell's
        real = G.biggs
        monkeypatch.setattr(G, "biggs", lambda el, nl, pz=G.BIGGS_PZ: real(el, nl, pz) / (2 * (2 * nl[1] + 1)))
    else:
        monkeypatch.setitem(G.BIGGS_SHELLS, (2, 1), ("L1",))
    out = judge(G.central_field_compton_biggs_germanium.check())
    assert out.verdict is Verdict.REFUTED and out.ok
