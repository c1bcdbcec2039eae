"""Hydrogen 1s closed forms against their definitions (partial waves, radial integrals)."""
import mpmath
import pytest

from nusym import hydrogen


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
