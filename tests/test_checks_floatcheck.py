"""Float64 kernels against mpmath: <= 4 ULP x max(1, kappa) on the documented domain and stress regions."""
import mpmath
import pytest

from nusym import numeric
from nusym import codegen
from nusym.checks import floatcheck

KERNELS = {k.name: k for k in codegen.all_kernels()}


def test_ulp_spacing():
    assert floatcheck.ulp(1.0) == mpmath.mpf(2) ** -52
    assert floatcheck.ulp(1.5) == mpmath.mpf(2) ** -52
    assert floatcheck.ulp(0.75) == mpmath.mpf(2) ** -53
    assert floatcheck.ulp_error(1.0 + 2.0**-52, 1) == 1.0


def _within_bar(name, points, seed):
    k = KERNELS[name]
    report = floatcheck.measure(k, getattr(numeric, name), floatcheck.samples(k, points, points, seed=seed))
    assert report.passed, (str(report), report.failures)


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_kernel_within_float_bar(name):
    _within_bar(name, 150, seed=7)


def test_measure_catches_a_wrong_kernel():
    k = KERNELS["q_minus"]
    wrong = lambda T, p: numeric.q_minus(T, p) * (1 + 2.0**-45)
    assert not floatcheck.measure(k, wrong, floatcheck.samples(k, 20, 0)).passed


def test_measure_catches_the_textbook_q_minus():
    import numpy
    k = KERNELS["q_minus"]
    naive = lambda T, p: numpy.sqrt(p**2 + 2 * 510998.95069 * T) - p
    assert not floatcheck.measure(k, naive, floatcheck.samples(k, 0, 50)).passed


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_kernel_within_float_bar_exhaustive(name):
    _within_bar(name, 5000, seed=11)


def test_measure_catches_vogel_engel_as_printed_for_antineutrinos():
    """(g_R^2 + g_L^2 (1 - T/E)^2 - ...) as printed rounds up to 5 ULP near T << E_nu, over the bar that nusym's
    c_0 - g_L^2 t (1 + y) form keeps (derivations/kernels.py)."""
    from nusym.checks import bench
    k = KERNELS["dsigma_weak_fe_nuebar"]
    pts = floatcheck.samples(k, 500, 500)
    assert not floatcheck.measure(k, bench.HAND["dsigma_weak_fe_nuebar"], pts).passed
    assert floatcheck.measure(k, numeric.dsigma_weak_fe_nuebar, pts).passed
