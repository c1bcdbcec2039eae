"""nusym.quadrature: quadrature and series to the working precision relative to their size."""
import mpmath
import pytest

from nusym import quadrature as highprec
from nusym.atoms import hydrogen


@pytest.mark.parametrize("size", ["1e-20", "1", "1e20"])
def test_quadrature_is_relative_to_the_size_of_the_integral(size):
    """mpmath.quad stops at an absolute error of eps/8: for size 1e-20 it returns 23 correct digits at 30."""
    with mpmath.workdps(30):
        c = mpmath.mpf(size)
        exact = c * (mpmath.log(2) - mpmath.mpf(1) / 2)
        value = highprec.quad(lambda x: c * x * x / (1 + x), [0, 1])
        assert abs(value / exact - 1) <= mpmath.mpf(10) ** -29


def test_error_estimate_holds_where_the_digits_grow_only_linearly():
    """H(1s) above its threshold, k from 0 to 0.2235 at q = 0.447 a.u.: exp(-2 pi/k) at the end makes
    tanh-sinh gain ~12 digits a degree; mpmath's estimate (digits double) reports 1e-48 for an error of
    5e-36 at 45 digits, the geometric one does not stop there."""
    f = lambda k, q: k * hydrogen.continuum((1 + k * k) / 2, q)
    with mpmath.workdps(130):
        q, top = mpmath.mpf("0.447"), mpmath.mpf("0.2235")
        ref = mpmath.quad(lambda k: f(k, q), [0, top / 4, top / 2, top], maxdegree=12)
    with mpmath.workdps(45):
        q, top = mpmath.mpf("0.447"), mpmath.mpf("0.2235")
        value, error = highprec.quadrature([(lambda k: f(k, q), 0, top)])
        assert abs(value / ref - 1) <= mpmath.mpf(10) ** -44
        assert error <= mpmath.mpf(10) ** -44 * value


def test_fejer_rule_is_exact_for_polynomials_and_falls_back_where_it_cannot_converge():
    with mpmath.workdps(30):
        for degree in range(1, 7):
            nodes = highprec._fejer_nodes(degree, mpmath.mp.prec)
            assert len(nodes) == 2 ** (degree + 2) - 1
            for power in range(0, len(nodes), 7):       # exact up to x**(n - 1)
                moment = mpmath.fsum(w * x**power for _, x, w in nodes)
                assert abs(moment - (1 + (-1) ** power) / mpmath.mpf(power + 1)) <= mpmath.mpf(10) ** -30
        # an end-point singularity: 255 nodes do not converge (the error falls as n**-3), tanh-sinh takes over
        value, error = highprec.quadrature([(lambda x: mpmath.sqrt(x), 0, 1, "fejer")])
        assert abs(value * 3 - 2) <= mpmath.mpf(10) ** -29 and error <= mpmath.mpf(10) ** -29


def test_half_lines_are_mapped_at_the_scale_of_their_start():
    with mpmath.workdps(30):
        for start in ("1e-3", "1", "1e4", "1e11"):
            a = mpmath.mpf(start)
            value = highprec.quad(lambda x: 1 / (x * x + a * a), [a, mpmath.inf])
            assert abs(value / (mpmath.pi / (4 * a)) - 1) <= mpmath.mpf(10) ** -29
        value = highprec.quad(lambda x: mpmath.exp(-x * x), [-mpmath.inf, mpmath.inf])
        assert abs(value / mpmath.sqrt(mpmath.pi) - 1) <= mpmath.mpf(10) ** -29


def test_divergent_integrals_are_refused():
    with mpmath.workdps(30):
        for f, points in ((lambda x: 1 / x, [0, 1]), (lambda x: 1 / mpmath.sqrt(x), [1, mpmath.inf])):
            with pytest.raises(highprec.NotConverged):
                highprec.quad(f, points)


def test_series_is_summed_to_a_tolerance_relative_to_its_size():
    """nsum's own tolerance is absolute (eps/1024): the line series of H(1s) at q = 1e-2 eV is of size 1e-10."""
    with mpmath.workdps(30):
        for scale in ("1e-40", "1", "1e40"):
            c = mpmath.mpf(scale)
            value = highprec.series(lambda n: c / mpmath.mpf(n) ** 3, 2)
            assert abs(value / (c * (mpmath.zeta(3) - 1)) - 1) <= mpmath.mpf(10) ** -29
        with pytest.raises(highprec.NotConverged):                     # the harmonic series
            highprec.series(lambda n: 1 / mpmath.mpf(n), 1)
