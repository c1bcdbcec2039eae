"""Exact guards: the sign of the end point's polynomial, and the kernels' end point, decided exactly in the float
arguments on every backend (against rational arithmetic at the floats nearest the end point and their neighbours)."""
import math
from fractions import Fraction

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nusym.codegen import exact as _exact, c_library as cbackend
from nusym import numeric

M_E = Fraction(51099895069, 100000)
COEFFS = (-200000.0, -51099895069.0, 200000.0)          # 2E(E - T) - m_e T, times 10**5


def _end_point_pairs(exponents):
    """(E_nu, T, T >= T_max exactly) at the float nearest T_max(E_nu) and both its neighbours."""
    rows = []
    for x in exponents:
        E = 10.0 ** x
        tmax = 2 * Fraction(E) ** 2 / (M_E + 2 * Fraction(E))
        t0 = float(tmax)
        for T in (math.nextafter(t0, 0), t0, math.nextafter(t0, math.inf)):
            if T > 0:
                rows.append((E, T, Fraction(T) >= tmax))
    return rows


def _exact_sign(E, T):
    v = Fraction(200000) * Fraction(E) * (Fraction(E) - Fraction(T)) - Fraction(51099895069) * Fraction(T)
    return float((v > 0) - (v < 0))


PAIRS = _end_point_pairs(numpy.random.default_rng(7).uniform(-30, 100, 400))


def _backends():
    out = [("numpy", numeric)]
    try:
        from nusym.generated import numba_backend
        out.append(("numba", numba_backend))
    except ImportError:
        pass
    if cbackend.compiler() is not None:
        out.append(("c", cbackend.load()))
    return out


@pytest.mark.parametrize("name", ["dsigma_weak_fe_nue", "dsigma_weak_fe_nuebar", "dsigma_mu_fe_enu"])
def test_the_end_point_is_decided_exactly_on_every_backend(name):
    E, T, beyond = (numpy.array(c) for c in zip(*PAIRS))
    third = 0.23868 if "weak" in name else 1e-11
    for label, lib in _backends():
        out = getattr(lib, name)(T, E, third)
        assert numpy.array_equal(out == 0, beyond), (label, E[(out == 0) != beyond][:3])
    # a float T just below the end point gives the cross section there, never 0
    assert (getattr(numeric, name)(T[~beyond], E[~beyond], third) > 0).all()


def test_the_three_sign_implementations_are_exact():
    E, T = (numpy.array(c) for c in list(zip(*PAIRS))[:2])
    exact = numpy.array([_exact_sign(e, t) for e, t in zip(E, T)])
    scalar = numpy.array([_exact.sign_scalar(COEFFS, (t, t, e), (e, 1.0, e)) for e, t in zip(E, T)])
    assert numpy.array_equal(scalar, exact)
    assert numpy.array_equal(_exact.sign_array(COEFFS, (T, T, E), (E, 1.0, E)), exact)
    assert numpy.array_equal(_exact.sign_xp(numpy, COEFFS, (T, T, E), (E, 1.0, E)), exact)
    assert -1 in exact and 1 in exact               # both sides are reached


def test_an_exact_tie_is_zero():
    # 2E(E - T) = m_e T exactly: E = 2**k m_e-free cases need m_e's decimal; use the polynomial itself
    assert _exact.sign_scalar((1.0, -3.0), (3.0, 1.0), (1.0, 1.0)) == 0.0
    assert _exact.sign_array((1.0, -3.0), (3.0, 1.0), (1.0, 1.0)) == 0.0
    assert _exact.sign_scalar((1.0, -1.0, 1e-30), (1e30, 1e30, 1.0), (1.0, 1.0, 1.0)) == 1.0   # no cancellation to 0


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=1e-30, max_value=1e100), st.integers(min_value=-3, max_value=3))
def test_kernels_at_random_end_points(E, step):
    tmax = 2 * Fraction(E) ** 2 / (M_E + 2 * Fraction(E))
    T = float(tmax)
    for _ in range(abs(step)):
        T = math.nextafter(T, math.inf if step > 0 else 0.0)
    if not 0 < T <= 1e100:
        return
    beyond = Fraction(T) >= tmax
    for _, lib in _backends():
        assert (lib.dsigma_mu_fe_enu(T, E, 1e-11) == 0) == beyond
        assert (lib.dsigma_weak_fe_nuebar(T, E, 0.23868) == 0) == beyond
