"""Unit multipliers (hepunits convention): energies in eV, lengths in cm.

A quantity is ``value * unit``; to read it in a unit divide by that unit:
``T = 2 * keV`` is 2000.0 (eV), and ``dsigma * keV`` turns cm^2/eV into cm^2/keV.
"""
from __future__ import annotations

__all__ = ["eV", "keV", "MeV", "GeV", "meV", "cm", "m", "mm", "fm", "cm2", "barn", "mb", "kb", "Mb"]

# energy (base: eV)
eV = 1.0
meV = 1.0e-3
keV = 1.0e3
MeV = 1.0e6
GeV = 1.0e9
# length (base: cm)
cm = 1.0
m = 1.0e2
mm = 1.0e-1
fm = 1.0e-13
# area
cm2 = 1.0
barn = 1.0e-24
mb = 1.0e-27
kb = 1.0e-21
Mb = 1.0e-18
