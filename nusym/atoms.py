"""Atomic data for the elements nusym uses in worked estimates, each number with its source.

Only a handful of numbers are needed (nuclear charge, standard atomic weight, K edge),
so they are stored here with their sources rather than pulled from a database package.
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy

from .constants import M_U

__all__ = ["Element", "GERMANIUM"]


@dataclass(frozen=True)
class Element:
    symbol: str
    Z: int
    atomic_weight: str        # standard atomic weight A_r (dimensionless)
    atomic_weight_source: str
    k_edge: str               # K-shell binding energy, eV
    k_edge_source: str

    def mass(self, lib=sympy):
        """Atomic mass M_a = A_r m_u in eV."""
        if lib is sympy:
            return sympy.Rational(self.atomic_weight) * M_U.sympy()
        return mpmath.mpf(self.atomic_weight) * M_U.mpf()


GERMANIUM = Element("Ge", 32, "72.630", "IUPAC standard atomic weight 72.630(8)",
                    "11103.0", "Elam, Ravel & Sieber (2002) edge table, as distributed in xraydb")
