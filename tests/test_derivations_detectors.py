"""The real-detector results of `nusym verify` (nusym.derivations.detectors, and the Vogel-Engel derivation):
each verdict is shown to flip when what it checks is mutated."""
import math

import numpy
import pytest
import sympy

from nusym import constants as K
from nusym.atoms import shells
from nusym.derivations import detectors as D
from nusym.derivations import free_electron as fe
from nusym.record import Verdict, judge


def test_the_dipole_shares_are_the_golden_rule_ones():
    share_mu, share_w, leading, (sigma, n) = D.dipole_shares()
    T, a, m = sympy.Symbol("T", positive=True), sympy.Symbol("alpha", positive=True), sympy.Symbol("m_e", positive=True)
    assert leading
    assert sympy.simplify(share_mu - T**2 * sigma / (4 * sympy.pi**2 * a * n)) == 0
    assert sympy.simplify(share_w - T**3 * sigma / (16 * sympy.pi**2 * a * m * n)) == 0


def test_the_share_in_physical_units():
    """At 1 keV in Ge: T^2 sigma/(4 pi^2 alpha N (hbar c)^2) with Elam's sigma, by hand."""
    t = 1000.0
    sigma = float(shells.photoabsorption("Ge", t))
    expect = (t / float(K.hbar_c(sympy)))**2 * sigma / (4 * math.pi**2 * float(K.ALPHA.value) * 22)
    assert math.isclose(float(D.small_q2_share("Ge", t)[0]), expect, rel_tol=1e-12)


def test_the_dipole_form_is_exact_on_hydrogen_only_at_small_q():
    h = "13.605693122994"                             # H(1s): T/p = 0.00365, 0.365, 3.65
    near, mid, far = (float(D.hydrogenic_dipole_ratio(h, t, "mu")) for t in ("13.62", "1360.6", "13606"))
    assert abs(near - 1) < 1e-4 < abs(mid - 1) < abs(far - 1) < 0.1


def test_the_germanium_share_verdict_flips_with_the_data(monkeypatch):
    assert judge(D.small_q2_germanium.check()).verdict is Verdict.HOLDS
    real = shells.photoabsorption
    monkeypatch.setattr(shells, "photoabsorption", lambda el, T: 30 * real(el, T))     # 30 x the cross section
    assert judge(D.small_q2_germanium.check()).verdict is Verdict.REFUTED


def test_the_recoil_verdict_flips_when_the_removed_events_grow(monkeypatch):
    from nusym import detectors as detector
    real = detector.recoil_changes
    monkeypatch.setattr(detector, "recoil_changes", lambda *a, **k: [(1e5 * v, 1e5 * e) for v, e in real(*a, **k)])
    assert judge(D.recoil_negligible_germanium.check()).verdict is Verdict.REFUTED


def test_the_largest_recoil_change_is_at_an_edge():
    """Just below an edge the whole window above it is still counted while the events above are fewest: the
    referee's 6.712e-7 (weak, K edge) and 7.875e-7 (magnetic, L3), which a log grid of thresholds misses."""
    weak, mag = D.largest_recoil_change("Ge", "weak"), D.largest_recoil_change("Ge", "mu")
    assert weak[2] == 11103.0 and math.isclose(weak[0], 6.712e-7, rel_tol=2e-4) and weak[1] < 1e-9 * weak[0] + 1e-12
    assert mag[2] == 1217.0 and math.isclose(mag[0], 7.875e-7, rel_tol=2e-4)
    assert D.recoil_grid_excess("Ge", "weak", weak[0], points=40) <= 1


def test_the_exact_substitution_removes_m_e_over_M_a_everywhere():
    from nusym import detectors as detector
    ge = shells.atom("Ge")
    plateau = float(K.M_E.value) / (ge.mass + float(K.M_E.value))
    (change, _), = detector.recoil_changes("Ge", [12000.0], 30000.0, "weak", exact=True)
    assert math.isclose(change, plateau, rel_tol=1e-3)


def test_the_recoil_window_is_the_q_a_q_plus_boundary():
    from nusym import detectors as detector
    ge = shells.atom("Ge")
    k = ge.shell("K")
    t1, t2 = detector.recoil_window(k.p, k.binding, ge.mass)
    from nusym import numeric
    # T - I ~ 0.01-0.5 eV of T ~ 11 keV keeps ~11 digits of q_a: the bar is the conditioning, not the method
    assert math.isclose(float(numeric.q_a(t1, k.binding, ge.mass)), float(numeric.q_minus(t1, k.p)), rel_tol=1e-9)
    assert math.isclose(float(numeric.q_a(t2, k.binding, ge.mass)), float(numeric.q_plus(t2, k.p)), rel_tol=1e-9)


def test_the_occupancy_check_fails_when_a_subshell_is_wrong(monkeypatch):
    import dataclasses
    from fractions import Fraction
    real = shells.atom

    def moved(symbol):
        a = real(symbol)
        if symbol != "Ge":
            return a
        fixed = [dataclasses.replace(s, electrons=Fraction(1)) if s.name in ("N2", "N3") else s for s in a.shells]
        return dataclasses.replace(a, shells=tuple(fixed))
    monkeypatch.setattr(shells, "atom", moved)
    assert judge(D.stepping_free_electron_limit.check()).verdict is Verdict.INCONCLUSIVE


def test_small_q2_region_is_refuted_and_would_hold_with_a_wider_bound(monkeypatch):
    assert judge(fe.small_q2_region.check()).verdict is Verdict.REFUTED
    import nusym.record as record
    real = record.Bound
    monkeypatch.setattr(fe, "Bound", lambda label, value, error, bound, side="below": real(label, value, error, 0.02))
    assert judge(fe.small_q2_region.check()).verdict is Verdict.HOLDS


def test_the_share_grid_has_both_sides_of_every_edge():
    grid = D.share_grid("Ge", 100)
    for s in shells.atom("Ge").shells:
        if s.binding and 100 < s.binding < 30000:
            assert (grid < s.binding).any() and grid[grid < s.binding].max() > s.binding * (1 - 2e-5)
            assert grid[grid > s.binding].min() < s.binding * (1 + 2e-5)
    assert D.share_range("Xe")[1] > 34561 * 1.4                       # above xenon's K edge


def test_the_photoabsorption_bands_are_chantlers():
    T = numpy.array([150.0, 300.0, 700.0, 11200.0, 12500.0, 20000.0])
    assert list(shells.photoabsorption_allowance("Ge", T)) == [1.0, 0.3, 0.1, 0.1, 0.03, 0.01]


def test_vogel_engel_verdict_flips_with_a_wrong_formula(monkeypatch):
    real = fe.vogel_engel_general
    monkeypatch.setattr(fe, "vogel_engel_general", lambda anti: real(not anti))          # nu_e <-> anti-nu_e
    assert judge(fe.vogel_engel_from_amplitudes.check()).verdict is Verdict.INCONCLUSIVE


@pytest.mark.parametrize("kind, other", [("nue", "nuebar"), ("mu", "nue")])
def test_the_spinor_sums_tell_the_flavours_apart(kind, other):
    import mpmath
    pt = {k: mpmath.mpf(v) for k, v in {"E": "1e6", "T": "3e5", "m": K.M_E.value, "G": K.G_F.value,
                                        "s2w": K.SIN2_THETA_W_MSBAR.value, "alpha": K.ALPHA.value, "kappa": "1"}.items()}
    a, b = fe.vogel_engel_by_spinors(kind, pt), fe.vogel_engel_by_spinors(other, pt)
    assert abs(a / b - 1) > 0.01


def test_shares_stay_below_a_percent_for_every_detector_element():
    for el in ("Ge", "Si", "Xe", "Ar", "Na", "I", "Cs"):
        mu, w = D.small_q2_share(el, D.share_grid(el, 200))
        assert numpy.all(mu < 0.01) and numpy.all(w < mu), el
