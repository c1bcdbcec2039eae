"""The local-density exchange-correlation energy (Slater exchange + Vosko-Wilk-Nusair correlation) and the
Thomas-Fermi potential that starts the self-consistent field (atomic units).

VWN5 is the fit to Ceperley and Alder's paramagnetic electron gas (S. H. Vosko, L. Wilk, M. Nusair, Can. J. Phys.
58 (1980) 1200), the variant NIST's atomic reference data use: on germanium it gives E_tot - NIST = +5e-8 Hartree,
the VWN-RPA fit -0.67 Hartree, exchange alone +2.9 Hartree.
"""
from __future__ import annotations

import numpy as np

from nusym.atoms.radial import FOUR_PI

__all__ = ["VWN5", "VWN_RPA", "vwn5_correlation", "lda_xc", "thomas_fermi_potential"]

VWN5 = dict(A=0.0310907, x0=-0.10498, b=3.72744, c=12.9352)
# VWN "RPA" (VWN3/VWN-1 in some codes) paramagnetic parameters, for comparison only.
VWN_RPA = dict(A=0.0310907, x0=-0.409286, b=13.0720, c=42.7198)


def vwn5_correlation(rs, params=VWN5):
    """VWN correlation energy per electron and potential (Hartree) vs r_s."""
    A, x0, b, c = params["A"], params["x0"], params["b"], params["c"]
    x = np.sqrt(rs)
    X = x * x + b * x + c
    X0 = x0 * x0 + b * x0 + c
    Q = np.sqrt(4.0 * c - b * b)
    at = np.arctan(Q / (2.0 * x + b))
    eps = A * (np.log(x * x / X) + 2.0 * b / Q * at
               - b * x0 / X0 * (np.log((x - x0) ** 2 / X) + 2.0 * (b + 2.0 * x0) / Q * at))
    den = (2.0 * x + b) ** 2 + Q * Q
    deps_dx = A * (2.0 / x - (2.0 * x + b) / X - 4.0 * b / den
                   - b * x0 / X0 * (2.0 / (x - x0) - (2.0 * x + b) / X
                                    - 4.0 * (b + 2.0 * x0) / den))
    v = eps - x / 6.0 * deps_dx
    return eps, v


def lda_xc(rho, correlation=VWN5):
    """Slater exchange + VWN correlation: (eps_xc, v_xc) for density ``rho``.

    ``correlation=None`` gives exchange only.  Points with rho < 1e-40 give 0.
    """
    rho = np.asarray(rho, dtype=float)
    eps = np.zeros_like(rho)
    v = np.zeros_like(rho)
    m = rho > 1e-40
    rm = rho[m]
    ex = -0.75 * (3.0 * rm / np.pi) ** (1.0 / 3.0)
    eps[m] = ex
    v[m] = 4.0 / 3.0 * ex
    if correlation is not None:
        rs = (3.0 / (FOUR_PI * rm)) ** (1.0 / 3.0)
        ec, vc = vwn5_correlation(rs, correlation)
        eps[m] += ec
        v[m] += vc
    return eps, v


def thomas_fermi_potential(Z: float, r):
    """Analytic fit of the Thomas-Fermi potential (starting guess of the SCF).

    Z_eff(x) = Z (1 + a sqrt(x) + b x exp(-g sqrt(x)))^2 exp(-2 a sqrt(x)),
    x = r / (0.8853 Z^(-1/3)); a=0.7280642371, b=-0.5430794693,
    g=0.3612163121 (the form used by dftatom).  Only the starting point of the
    iterations, so its accuracy does not affect the converged result.
    """
    x = r * (128.0 * Z / (9.0 * np.pi ** 2)) ** (1.0 / 3.0)
    a, b, g = 0.7280642371, -0.5430794693, 0.3612163121
    sx = np.sqrt(x)
    Zeff = Z * (1.0 + a * sx + b * x * np.exp(-g * sx)) ** 2 * np.exp(-2.0 * a * sx)
    return -Zeff / r
