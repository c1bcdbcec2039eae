"""The generated recoil kernels against the definition: quadrature over q^2 of the semiclassical S
at T_q = T - q^2/2M_a (thetas located by bisection), independent of the kernels' expressions."""
import mpmath
import pytest

from nusym import numeric
from nusym.derivations import recoil

POINTS = recoil.SUPPRESSED_POINTS + recoil.FREE_POINTS
CASES = [("recoil_factor_weak", False, False), ("recoil_factor_mu", False, True),
         ("recoil_factor_weak_exact", True, False), ("recoil_factor_mu_exact", True, True)]


@pytest.mark.parametrize("name, exact, magnetic", CASES)
@pytest.mark.parametrize("pt", POINTS, ids=lambda pt: f"T-I={float(mpmath.mpf(pt['T']) - mpmath.mpf(pt['I'])):.3g}")
def test_kernel_matches_definition(name, exact, magnetic, pt):
    with mpmath.workdps(30):
        ref = recoil._numeric(exact, magnetic)({k: mpmath.mpf(v) for k, v in pt.items()})
    got = getattr(numeric, name)(float(pt["T"]), float(pt["p"]), float(pt["I"]), float(pt["M"]))
    # The inputs are rounded to float64: T - I = 0.02 eV at T = 11 keV gives kappa ~ 6e5, so the
    # factor is known to ~6e5 x 1.1e-16 ~ 7e-11; 1e-9 leaves room and still catches any wrong formula.
    assert abs(got - ref) <= 1e-9 * abs(ref), (got, ref)
