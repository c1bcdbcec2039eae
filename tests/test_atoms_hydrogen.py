"""Hydrogen 1s closed forms against their definitions (partial waves, radial integrals)."""
import mpmath
import pytest

from nusym.atoms import hydrogen


def test_continuum_against_coulomb_partial_waves():
    with mpmath.workdps(22):
        t, q = mpmath.mpf("0.52"), mpmath.mpf("0.3")
        a, b = hydrogen.continuum_partial_waves(t, q), hydrogen.continuum(t, q)
        assert abs(a - b) <= mpmath.mpf(10) ** -20 * b


@pytest.mark.slow
@pytest.mark.parametrize("t, q", [("0.9", "1.3"), ("3", "0.5"), ("0.6", "0.5")])
def test_continuum_against_coulomb_partial_waves_sweep(t, q):
    with mpmath.workdps(26):
        a, b = hydrogen.continuum_partial_waves(mpmath.mpf(t), mpmath.mpf(q)), hydrogen.continuum(mpmath.mpf(t), mpmath.mpf(q))
        assert abs(a - b) <= mpmath.mpf(10) ** -20 * b


@pytest.mark.parametrize("n", [2, 3, 5])
def test_lines_against_radial_integrals(n):
    with mpmath.workdps(30):
        q = mpmath.mpf("0.7")
        assert abs(hydrogen.line_partial_waves(n, q) / hydrogen.line_strength(n, q) - 1) < mpmath.mpf(10) ** -27


def test_continuum_is_zero_below_threshold_and_joins_the_lines():
    assert hydrogen.continuum(mpmath.mpf("0.4"), mpmath.mpf(1)) == 0
    with mpmath.workdps(30):
        n = mpmath.mpf(10) ** 6            # n**3 F_n -> S(threshold) with corrections O(1/n**2)
        edge = hydrogen.continuum(mpmath.mpf(1) / 2 + mpmath.mpf(10) ** -20, 1)
        assert abs(n**3 * hydrogen.line_strength(n, 1) / edge - 1) < mpmath.mpf(10) ** -11


def test_line_index_inverts_line_energy():
    with mpmath.workdps(30):
        for n in (2, 7, 40):
            assert abs(hydrogen.line_index(hydrogen.line_energy(n)) - n) < mpmath.mpf(10) ** -25


def test_transverse_response_two_forms_agree():
    with mpmath.workdps(18):
        t, q = mpmath.mpf("0.52"), mpmath.mpf("0.2")
        a = hydrogen.transverse_partial_waves(t, q, "velocity")
        b = hydrogen.transverse_partial_waves(t, q, "commutator")
        assert abs(a - b) <= mpmath.mpf(10) ** -15 * a


def test_transverse_dipole_limit_is_stobbe():
    from nusym.constants import ALPHA
    with mpmath.workdps(30):
        t = mpmath.mpf("1.5")
        R0 = hydrogen.transverse_partial_waves(t, mpmath.mpf(10) ** -20)
        assert abs(R0 / (hydrogen.photoionization_stobbe(t) * t / (4 * mpmath.pi**2 * ALPHA.mpf())) - 1) < 1e-27


def test_stobbe_threshold_value():
    from nusym.constants import ALPHA, M_E, hbar_c
    with mpmath.workdps(20):
        a0 = hbar_c(mpmath) / (ALPHA.mpf() * M_E.mpf())
        sigma_mb = hydrogen.photoionization_stobbe(mpmath.mpf("0.5") * (1 + mpmath.mpf(10) ** -12)) * a0**2 / 1e-18
        assert abs(sigma_mb - mpmath.mpf("6.30")) < mpmath.mpf("0.005")        # 6.30 Mb (Stobbe 1930)


def test_transverse_form_is_named():
    with pytest.raises(ValueError, match="form='length'"):
        hydrogen.transverse_partial_waves(mpmath.mpf(1), mpmath.mpf(1), "length")


def test_transverse_closed_form_against_both_partial_wave_forms():
    with mpmath.workdps(18):
        t, q = mpmath.mpf("0.55"), mpmath.mpf("0.8")
        closed = hydrogen.transverse(t, q)
        for form in ("velocity", "commutator"):
            assert abs(hydrogen.transverse_partial_waves(t, q, form) / closed - 1) < mpmath.mpf(10) ** -15


@pytest.mark.slow
@pytest.mark.parametrize("t, q", [("2", "1.5"), ("0.51", "3"), ("5", "0.05")])
def test_transverse_closed_form_sweep(t, q):
    with mpmath.workdps(20):
        t, q = mpmath.mpf(t), mpmath.mpf(q)
        assert abs(hydrogen.transverse_partial_waves(t, q) / hydrogen.transverse(t, q) - 1) < mpmath.mpf(10) ** -17


@pytest.mark.parametrize("n", [2, 4])
def test_transverse_lines_against_bound_states(n):
    with mpmath.workdps(25):
        q = mpmath.mpf("0.9")
        G = hydrogen.transverse_line_strength(n, q)
        for form in ("velocity", "commutator"):
            assert abs(hydrogen.transverse_line_partial_waves(n, q, form) / G - 1) < mpmath.mpf(10) ** -22


def test_transverse_closed_form_dipole_limit_is_stobbe():
    from nusym.constants import ALPHA
    with mpmath.workdps(40):
        for t in ("0.5000001", "0.8", "30"):
            t = mpmath.mpf(t)
            dipole = hydrogen.photoionization_stobbe(t) * t / (4 * mpmath.pi**2 * ALPHA.mpf())
            assert abs(hydrogen.transverse(t, mpmath.mpf(10) ** -30) / dipole - 1) < mpmath.mpf(10) ** -35


def test_transverse_is_zero_below_threshold_and_joins_the_lines():
    assert hydrogen.transverse(mpmath.mpf("0.3"), mpmath.mpf(1)) == 0
    with mpmath.workdps(30):
        n = mpmath.mpf(10) ** 6
        edge = hydrogen.transverse(mpmath.mpf(1) / 2 + mpmath.mpf(10) ** -20, 1)
        assert abs(n**3 * hydrogen.transverse_line_strength(n, 1) / edge - 1) < mpmath.mpf(10) ** -11
