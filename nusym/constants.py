"""Physical constants, one module, one source of truth.

Each defining constant is an exact decimal string with its source, edition and
standard uncertainty (the convention of hepunits and astropy.constants).  Derived
constants are computed from the defining ones, never re-typed.  SymPy gets exact
rationals (``Constant.sympy()``), mpmath gets the string (``Constant.mpf()``, at the
current working precision), numpy gets ``float(constant)``.

Units: energies in eV, lengths in cm, with hbar = c = 1 everywhere else in nusym.
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy

from nusym import symbols as S

__all__ = [
    "Constant", "ALPHA", "M_E", "M_U", "E_H_CODATA", "G_F", "SIN2_THETA_W_MSBAR",
    "SIN2_THETA_W_ON_SHELL", "PLANCK_H", "SPEED_OF_LIGHT", "ELEMENTARY_CHARGE", "AVOGADRO",
    "DEFINING", "hbar_c", "hartree_energy", "classical_electron_radius", "BY_SYMBOL", "exact_values",
    "mpmath_values",
]


@dataclass(frozen=True)
class Constant:
    """A measured or exact constant: ``value`` and ``uncertainty`` are decimal strings in ``unit``."""

    symbol: str
    value: str
    uncertainty: str
    unit: str
    source: str

    def sympy(self) -> sympy.Rational:
        """The value as an exact SymPy rational."""
        return sympy.Rational(self.value)

    def mpf(self) -> mpmath.mpf:
        """The value at mpmath's current working precision."""
        return mpmath.mpf(self.value)

    def __float__(self) -> float:
        return float(self.value)

    @property
    def relative_uncertainty(self) -> float:
        return float(self.uncertainty) / float(self.value)


ALPHA = Constant("alpha", "0.0072973525643", "0.0000000000011", "1",
                 "CODATA 2022, fine-structure constant")
M_E = Constant("m_e", "510998.95069", "0.00016", "eV",
               "CODATA 2022, electron mass energy equivalent 0.51099895069(16) MeV")
M_U = Constant("m_u", "931494103.72", "0.29", "eV",
               "CODATA 2022, atomic mass constant energy equivalent 931.49410372(29) MeV")
E_H_CODATA = Constant("E_h", "27.211386245981", "0.000000000030", "eV",
                      "CODATA 2022, Hartree energy in eV (used only to cross-check alpha**2*m_e)")
G_F = Constant("G_F", "1.1663787E-23", "0.0000006E-23", "eV^-2",
               "CODATA 2022, Fermi coupling constant G_F/(hbar c)^3 = 1.1663787(6)e-5 GeV^-2 "
               "(PDG 2024 quotes 1.1663788(6)e-5)")
SIN2_THETA_W_MSBAR = Constant("s2w", "0.23868", "0.00005", "1",
                              "Erler & Ferro-Hernandez, JHEP 03 (2018) 196: low-energy MS-bar "
                              "weak mixing angle sin^2 theta_W(0)")
SIN2_THETA_W_ON_SHELL = Constant("s2w_on_shell", "0.22305", "0.00023", "1",
                                 "CODATA 2022, on-shell sin^2 theta_W = 1 - (m_W/m_Z)^2")
PLANCK_H = Constant("h", "6.62607015E-34", "0", "J s", "SI 2019, exact")
SPEED_OF_LIGHT = Constant("c", "299792458", "0", "m/s", "SI 2019, exact")
ELEMENTARY_CHARGE = Constant("e", "1.602176634E-19", "0", "C", "SI 2019, exact")
AVOGADRO = Constant("N_A", "6.02214076E23", "0", "1/mol", "SI 2019, exact")     # atoms per mole of a material

DEFINING = (ALPHA, M_E, M_U, E_H_CODATA, G_F, SIN2_THETA_W_MSBAR, SIN2_THETA_W_ON_SHELL,
            PLANCK_H, SPEED_OF_LIGHT, ELEMENTARY_CHARGE)


def hbar_c(lib=sympy):
    """hbar*c in eV*cm, exact from the SI defining constants: h c / (2 pi e) * 100 cm/m.

    ``lib`` is ``sympy`` (exact expression) or ``mpmath`` (number at working precision).
    """
    h, c, e = (k.sympy() if lib is sympy else k.mpf() for k in (PLANCK_H, SPEED_OF_LIGHT, ELEMENTARY_CHARGE))
    return h * c / (2 * lib.pi * e) * 100


def hartree_energy(lib=sympy):
    """E_h = alpha**2 m_e (eV), derived from the defining constants."""
    if lib is sympy:
        return ALPHA.sympy() ** 2 * M_E.sympy()
    return ALPHA.mpf() ** 2 * M_E.mpf()


def classical_electron_radius(lib=sympy):
    """r_e = alpha/m_e, in cm (alpha * hbar c / m_e c^2)."""
    if lib is sympy:
        return ALPHA.sympy() * hbar_c(sympy) / M_E.sympy()
    return ALPHA.mpf() * hbar_c(mpmath) / M_E.mpf()


# The constants that derivations and claims write as SymPy symbols, and their values: the one map from a
# constant's symbol to its SymPy (exact), mpmath (working precision) and float values.
BY_SYMBOL = {S.m_e: M_E, S.alpha: ALPHA, S.G_F: G_F}


def exact_values() -> dict:
    """{symbol: exact SymPy rational} of :data:`BY_SYMBOL`."""
    return {sym: c.sympy() for sym, c in BY_SYMBOL.items()}


def mpmath_values() -> dict:
    """{symbol: mpmath number at the working precision} of :data:`BY_SYMBOL`."""
    return {sym: c.mpf() for sym, c in BY_SYMBOL.items()}
