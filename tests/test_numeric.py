"""The public numeric API: units, broadcasting, thresholds and bad input."""
import math

import mpmath
import numpy
import pytest

import nusym
from nusym import numeric
from nusym import constants as K

GE_P, GE_I, GE_M = math.sqrt(2 * 510998.95069 * 11103.0), 11103.0, 72.630 * 931494103.72


def test_generated_functions_are_exposed():
    for name in ("q_plus", "q_minus", "q_a", "recoil_factor_weak", "recoil_factor_mu",
                 "dsigma_weak_fe", "dsigma_mu_fe", "keV", "cm", "barn"):
        assert hasattr(numeric, name)
    assert nusym.numeric is numeric


def test_units():
    assert numeric.keV == 1e3 * numeric.eV and numeric.MeV == 1e6 * numeric.eV and numeric.barn == 1e-24 * numeric.cm**2


def test_q_minus_keeps_every_bit_where_the_textbook_form_returns_zero():
    p, t = 1e6, 1e-20
    assert numpy.sqrt(p**2 + 2 * 510998.95069 * t) - p == 0.0
    with mpmath.workdps(60):
        exact = 2 * K.M_E.mpf() * mpmath.mpf(t) / (mpmath.sqrt(mpmath.mpf(p)**2 + 2 * K.M_E.mpf() * mpmath.mpf(t)) + p)
        assert abs(numeric.q_minus(t, p) - exact) <= exact * 2.0**-51      # within 2 ULP


def test_scalar_in_scalar_out_and_broadcasting():
    assert isinstance(numeric.q_plus(1.0, 1.0), numpy.float64)
    out = numeric.recoil_factor_weak(numpy.array([[1.0e4], [12e3]]), GE_P, GE_I, GE_M)
    assert out.shape == (2, 1)
    out = numeric.dsigma_weak_fe(numpy.ones((3, 4)))
    assert out.shape == (3, 4) and numpy.all(out == out.flat[0])


def test_below_threshold_is_physics_not_an_error():
    t = numpy.array([1.0, 11103.0, 11102.0])
    for f in (numeric.recoil_factor_weak, numeric.recoil_factor_mu, numeric.recoil_factor_weak_exact, numeric.recoil_factor_mu_exact):
        assert numpy.all(f(t, GE_P, GE_I, GE_M) == 0.0)
    assert numeric.q_a(5.0, 10.0, GE_M) == 0.0


def test_recoil_factors_are_one_far_above_threshold_and_in_unit_interval():
    t = GE_I + numpy.logspace(-3, 4, 200)
    for f in (numeric.recoil_factor_weak, numeric.recoil_factor_mu):
        r = f(t, GE_P, GE_I, GE_M)
        assert numpy.all((r >= 0) & (r <= 1)) and r[-1] == 1.0 and r[0] == 0.0
        assert numpy.all(numpy.diff(r) >= 0)


def test_cross_sections_in_physical_units():
    # Eq. (6): pi r_e^2 mu^2 / T, r_e = 2.8179403205e-13 cm (CODATA 2022)
    t, mu = 2 * numeric.keV, 1e-11
    expected = math.pi * 2.8179403205e-13**2 * mu**2 / t
    assert numeric.dsigma_mu_fe(t, mu) == pytest.approx(expected, rel=2e-10)
    assert numeric.dsigma_mu_fe(t, 0.0) == 0.0
    # Eq. (5) at the default sin^2 theta_W equals the value at 0.23868 exactly
    assert numeric.dsigma_weak_fe(t) == numeric.dsigma_weak_fe(t, sin2_theta_w=0.23868)
    assert numeric.dsigma_weak_fe(t, sin2_theta_w=0.22305) < numeric.dsigma_weak_fe(t)


@pytest.mark.parametrize("call, name, value", [
    (lambda: numeric.q_minus(-1.0, 1.0), "T", "-1.0"),
    (lambda: numeric.q_minus(1.0, 0.0), "p", "0.0"),
    (lambda: numeric.q_plus(float("nan"), 1.0), "T", "nan"),
    (lambda: numeric.q_a(1.0, 1.0, float("inf")), "M_a", "inf"),
    (lambda: numeric.recoil_factor_mu([1.0, 2.0, -3.0], 1.0, 1.0, 1e9), "T", "-3.0"),
    (lambda: numeric.dsigma_weak_fe(1.0, sin2_theta_w=1.5), "sin2_theta_w", "1.5"),
    (lambda: numeric.dsigma_mu_fe(1.0, -1e-11), "mu_nu", "-1e-11"),
])
def test_bad_input_names_argument_value_and_range(call, name, value):
    with pytest.raises(ValueError) as err:
        call()
    msg = str(err.value)
    assert f"{name}={value}" in msg and "allowed range" in msg and ("(0" in msg or "[0" in msg)


def test_non_numeric_input_is_a_type_error():
    # wrong type -> TypeError, real number out of range -> ValueError (nusym.codegen.runtime); the full table of
    # hostile inputs is in tests/test_derivations_kernels.py
    with pytest.raises(TypeError, match="T='x' is of type str, not a real number"):
        numeric.q_plus("x", 1.0)


def test_docstring_example_of_the_stable_q_minus():
    import doctest
    assert doctest.testmod(numeric, raise_on_error=True).attempted >= 3
