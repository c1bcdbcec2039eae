"""SymPy symbols shared by every derivation, each with the assumptions physics gives it.

Energies, momenta and masses are positive reals (hbar = c = 1); Z is a positive integer.
"""
from __future__ import annotations

import sympy

__all__ = ["T", "q", "u", "p", "I", "M_a", "m_e", "E_nu", "alpha", "G_F", "s2w", "kappa",
           "mu_nu", "Z", "E_h", "c_theta", "by_name"]

T = sympy.Symbol("T", positive=True)          # energy transfer to the atom
q = sympy.Symbol("q", positive=True)          # momentum transfer |q|
u = sympy.Symbol("u", positive=True)          # q**2, the integration variable of the papers
p = sympy.Symbol("p", positive=True)          # mean momentum of the bound electron
I = sympy.Symbol("I", positive=True)          # ionization potential of the orbital
M_a = sympy.Symbol("M_a", positive=True)      # atomic mass
m_e = sympy.Symbol("m_e", positive=True)      # electron mass
E_nu = sympy.Symbol("E_nu", positive=True)    # neutrino energy
alpha = sympy.Symbol("alpha", positive=True)  # fine-structure constant
G_F = sympy.Symbol("G_F", positive=True)      # Fermi constant
s2w = sympy.Symbol("s2w", positive=True)      # sin^2 theta_W
kappa = sympy.Symbol("kappa", positive=True)  # mu_nu in Bohr magnetons
mu_nu = sympy.Symbol("mu_nu", positive=True)  # neutrino magnetic moment (natural units)
Z = sympy.Symbol("Z", positive=True, integer=True)
E_h = sympy.Symbol("E_h", positive=True)      # Hartree energy alpha**2 m_e
c_theta = sympy.Symbol("c_theta", real=True)  # cosine of the neutrino scattering angle


def by_name() -> dict[str, sympy.Symbol]:
    """All shared symbols keyed by their name."""
    return {s.name: s for s in (T, q, u, p, I, M_a, m_e, E_nu, alpha, G_F, s2w, kappa, mu_nu, Z, E_h, c_theta)}
