"""Absolute values computed without nusym: the free-electron cross sections from CODATA/SI decimal strings.

Nothing here imports nusym to compute the reference: the constants are typed from their sources, the
arithmetic is Python's decimal at 40 digits, and only the function under test comes from nusym.  A slip in a
constant, a unit or a factor of nusym.constants or of the generated code fails these tests.
"""
from decimal import Decimal, getcontext

import numpy
import pytest

getcontext().prec = 40
PI = Decimal("3.141592653589793238462643383279502884197")
# CODATA 2022 (physics.nist.gov/constants) and the SI 2019 exact values
ALPHA = Decimal("0.0072973525643")                # fine-structure constant
M_E = Decimal("510998.95069")                     # electron mass, eV
G_F = Decimal("1.1663787E-5") * Decimal("1E-18")  # Fermi constant, GeV^-2 -> eV^-2
H, C, E = Decimal("6.62607015E-34"), Decimal("299792458"), Decimal("1.602176634E-19")
HBARC_CM = H * C / (2 * PI * E) * 100             # hbar c in eV cm
S2W = Decimal("0.23868")                          # low-energy MS-bar sin^2 theta_W (Erler & Ferro-Hernandez 2018)

RTOL = 1e-14          # the float code must match the exact value to >= 14 digits (a few ULP)


def weak(T, s2w=S2W):
    """G_F^2 m_e/(2 pi) (1 + 4 s2w + 8 s2w^2) in cm^2/eV: recoil paper Eq. (5) (independent of T)."""
    return G_F**2 * M_E / (2 * PI) * (1 + 4 * s2w + 8 * s2w**2) * HBARC_CM**2


def magnetic(T, kappa):
    """pi r_e^2 kappa^2/T in cm^2/eV, r_e = alpha hbar c/m_e: recoil paper Eq. (6) with mu_nu = kappa mu_B."""
    r_e = ALPHA * HBARC_CM / M_E
    return PI * r_e**2 * kappa**2 / T


def test_hbar_c_and_classical_radius_are_the_codata_values():
    assert abs(HBARC_CM * Decimal("1E7") / Decimal("197.3269804") - 1) < Decimal("1E-9")     # MeV fm
    assert abs(ALPHA * HBARC_CM / M_E / Decimal("2.8179403205E-13") - 1) < Decimal("1E-9")   # r_e in cm


@pytest.mark.parametrize("T", ["1e-3", "2000", "11103", "1e7"])
def test_dsigma_weak_fe_absolute(T):
    from nusym.numeric import dsigma_weak_fe
    got = dsigma_weak_fe(float(T))
    want = float(weak(Decimal(T)))
    assert abs(got / want - 1) < RTOL, (got, want)


@pytest.mark.parametrize("s2w", ["0.2", "0.22305", "0.25"])
def test_dsigma_weak_fe_absolute_other_angles(s2w):
    from nusym.numeric import dsigma_weak_fe
    got = dsigma_weak_fe(2000.0, float(s2w))
    assert abs(got / float(weak(Decimal(2000), Decimal(s2w))) - 1) < RTOL


@pytest.mark.parametrize("T, kappa", [("2000", "1e-11"), ("11103.1", "2.9e-11"), ("1e-3", "1e-8"), ("1e7", "3e-12")])
def test_dsigma_mu_fe_absolute(T, kappa):
    from nusym.numeric import dsigma_mu_fe
    got = dsigma_mu_fe(float(T), float(kappa))
    want = float(magnetic(Decimal(T), Decimal(kappa)))
    assert abs(got / want - 1) < RTOL, (got, want)


def test_arrays_broadcast_to_the_same_values():
    from nusym.numeric import dsigma_mu_fe
    T = numpy.array([2000.0, 11103.1])
    got = dsigma_mu_fe(T, 1e-11)
    want = [float(magnetic(Decimal(float(t)), Decimal("1e-11"))) for t in T]
    assert numpy.all(numpy.abs(got / want - 1) < RTOL)
