"""Reactor antineutrino spectra, fission fractions and fluxes.

Emission spectra per fission, dN/dE_nu in 1/MeV for E_nu in MeV, each exp(sum_k a_k E_nu**k):

* 235U, 239Pu, 241Pu: P. Huber, Phys. Rev. C 84 (2011) 024617 (conversion of the ILL beta spectra);
* 238U: Th. A. Mueller et al., Phys. Rev. C 83 (2011) 054615 (ab initio);

both fitted over 2 <= E_nu <= 8 MeV (``FIT_RANGE``).  Outside the fit range nusym must choose, and says so:

* **below 2 MeV** (``BELOW_2MEV``; the keV-range nu-e rates take the neutrinos down to E_min(T) ~ sqrt(m_e T/2),
  5 keV at T = 0.1 keV):

  - ``"vogel-engel"`` (default): the shape of P. Vogel & J. Engel, Phys. Rev. D 39 (1989) 3378 (the recoil
    paper's ref. [5]), exp(b_0 + b_1 E + b_2 E**2) for the same isotope, scaled to meet the fit at 2 MeV;
  - ``"flat"``: the fit's value at 2 MeV, constant down to 0;
  - ``"zero"``: no neutrinos below 2 MeV;
  - ``"extrapolate"``: the fit's polynomial continued below 2 MeV.

  A fission's fragments reach stability after about six beta decays in all, one antineutrino each; the
  treatments give 5.72, 4.33, 1.69 and 24.5 per 235U fission (:meth:`Reactor.neutrinos_per_fission`): the
  fitted polynomial must not be continued, and "vogel-engel" comes closest to the count of decays.  None of them
  holds the antineutrinos of neutron capture on 238U (the beta decays of 239U and 239Np, all below 1.3 MeV), which a
  fuel's fission spectra do not contain; they add to the flux from power and distance, not to the fits;
* **above 8 MeV**: the fit continued up to ``E_MAX`` = 10 MeV (it falls by e**-4 and more per MeV there; the
  neutrinos above 8 MeV are below 0.1 % of those above 2 MeV).

Energies per fission: X. B. Ma et al., Phys. Rev. C 88 (2013) 014605.  The default fission fractions are a
round mid-cycle mix of a pressurized-water reactor (0.58, 0.07, 0.30, 0.05 for 235U, 238U, 239Pu, 241Pu), for
illustration: a reactor's own fractions should be given.  Energies are in eV at the interface, as everywhere
in nusym; integrals over E_nu use Gauss-Legendre rules on the smooth pieces (0-2 MeV, 2 MeV-E_MAX), and report
their error as the change from half the nodes.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy

from nusym import variables as V
from nusym.codegen.runtime import checked
from nusym.quadrature import check_nodes, gauss_legendre
from nusym.constants import ELEMENTARY_CHARGE

__all__ = ["ISOTOPES", "Fit", "FITS", "VOGEL_ENGEL", "ENERGY_PER_FISSION", "BELOW_2MEV", "FIT_RANGE", "E_MAX",
           "DEFAULT_FRACTIONS", "POWER_RANGE", "DISTANCE_RANGE", "Reactor", "MEV"]

ISOTOPES = ("U235", "U238", "Pu239", "Pu241")
FIT_RANGE = (2.0e6, 8.0e6)          # eV
E_MAX = 10.0e6                      # eV: the fits continued this far, no further
BELOW_2MEV = ("vogel-engel", "flat", "zero", "extrapolate")
MEV = 1.0e6


@dataclass(frozen=True)
class Fit:
    """exp(sum_k a_k E**k) in 1/MeV per fission, E in MeV; the coefficients as printed in ``source``."""

    isotope: str
    coefficients: tuple
    source: str

    def per_mev(self, e_mev):
        e = numpy.asarray(e_mev, dtype=float)
        poly = numpy.zeros_like(e)
        for a in reversed(self.coefficients):          # Horner
            poly = poly * e + float(a)
        return numpy.exp(poly)


_HUBER = "P. Huber, Phys. Rev. C 84 (2011) 024617"
_MUELLER = "Th. A. Mueller et al., Phys. Rev. C 83 (2011) 054615"
_VE = "P. Vogel and J. Engel, Phys. Rev. D 39 (1989) 3378"
FITS = {
    "U235": Fit("U235", ("4.367", "-4.577", "2.100", "-5.294e-1", "6.186e-2", "-2.777e-3"), _HUBER),
    "U238": Fit("U238", ("4.833e-1", "1.927e-1", "-1.283e-1", "-6.762e-3", "2.233e-3", "-1.536e-4"), _MUELLER),
    "Pu239": Fit("Pu239", ("4.757", "-5.392", "2.563", "-6.596e-1", "7.820e-2", "-3.536e-3"), _HUBER),
    "Pu241": Fit("Pu241", ("2.990", "-2.882", "1.278", "-3.343e-1", "3.905e-2", "-1.754e-3"), _HUBER),
}
VOGEL_ENGEL = {
    "U235": Fit("U235", ("0.870", "-0.160", "-0.0910"), _VE),
    "U238": Fit("U238", ("0.976", "-0.162", "-0.0790"), _VE),
    "Pu239": Fit("Pu239", ("0.896", "-0.239", "-0.0981"), _VE),
    "Pu241": Fit("Pu241", ("0.793", "-0.080", "-0.1085"), _VE),
}
# MeV per fission (uncertainty), Ma et al., Phys. Rev. C 88 (2013) 014605
ENERGY_PER_FISSION = {"U235": ("202.36", "0.26"), "U238": ("205.99", "0.52"), "Pu239": ("211.12", "0.34"),
                      "Pu241": ("214.26", "0.33")}
DEFAULT_FRACTIONS = {"U235": 0.58, "U238": 0.07, "Pu239": 0.30, "Pu241": 0.05}
POWER_RANGE = V.power.allowed[:2]          # W (nusym.variables)
DISTANCE_RANGE = V.distance.allowed[:2]    # m


def _check_fractions(fractions) -> dict:
    if not isinstance(fractions, dict) or not fractions:
        raise ValueError(f"fractions={fractions!r}: give a dict of fission fractions over {ISOTOPES}")
    out = {}
    for iso, f in fractions.items():
        if iso not in ISOTOPES:
            raise ValueError(f"fractions: isotope {iso!r} is not one of {ISOTOPES}")
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not (math.isfinite(f) and 0 <= f <= 1):
            raise ValueError(f"fractions[{iso!r}]={f!r}: a fission fraction lies in [0, 1]")
        out[iso] = float(f)
    total = sum(out.values())
    if not abs(total - 1) <= 1e-6:
        raise ValueError(f"fractions={fractions!r}: they sum to {total:.12g}, not 1 (within 1e-6)")
    return out


@dataclass(frozen=True)
class Reactor:
    """A reactor core's antineutrino emission: fission fractions and the treatment below 2 MeV."""

    fractions: dict = field(default_factory=lambda: dict(DEFAULT_FRACTIONS))
    below: str = "vogel-engel"

    def __post_init__(self):
        object.__setattr__(self, "fractions", _check_fractions(self.fractions))
        if self.below not in BELOW_2MEV:
            raise ValueError(f"below={self.below!r}: the treatment below 2 MeV is one of {BELOW_2MEV}")

    def __hash__(self):
        return hash((tuple(sorted(self.fractions.items())), self.below))

    def isotope_spectrum(self, isotope: str, E):
        """dN/dE_nu of one isotope per fission, 1/eV, at E in eV, any E >= 0 (0 outside (0, E_MAX])."""
        fit = FITS[isotope]
        E = checked("spectrum", "E", E, 0.0, 1e100, False)
        e = numpy.minimum(E, E_MAX) / MEV                  # the fits are evaluated inside their range only
        lo = FIT_RANGE[0] / MEV
        value = fit.per_mev(e)
        if self.below == "vogel-engel":
            ve = VOGEL_ENGEL[isotope]
            low = ve.per_mev(e) * (fit.per_mev(lo) / ve.per_mev(lo))
        elif self.below == "flat":
            low = numpy.full_like(e, float(fit.per_mev(lo)))
        elif self.below == "zero":
            low = numpy.zeros_like(e)
        else:
            low = value
        out = numpy.where(e < lo, low, value)
        out = numpy.where((E > 0) & (E <= E_MAX), out, 0.0) / MEV
        return out[()] if out.ndim == 0 else out

    def spectrum(self, E):
        """dN/dE_nu per fission of the core's mix, 1/eV."""
        return sum(f * self.isotope_spectrum(iso, E) for iso, f in self.fractions.items() if f)

    def integral(self, g=None, n: int = 64):
        """(int_0^E_MAX spectrum(E) g(E) dE, its error estimate: the change from n/2 nodes); g(E) vectorized,
        default 1; n an even number of nodes in NODES."""
        check_nodes(n)
        def rule(m):
            total = 0.0
            for a, b in ((0.0, FIT_RANGE[0]), (FIT_RANGE[0], E_MAX)):
                x, w = gauss_legendre(m)
                E = (a + b) / 2 + (b - a) / 2 * x
                vals = self.spectrum(E) * (1.0 if g is None else g(E))
                total += (b - a) / 2 * float(numpy.dot(w, vals))
            return total
        fine, coarse = rule(n), rule(n // 2)
        return fine, abs(fine - coarse)

    def neutrinos_per_fission(self) -> float:
        return self.integral()[0]

    def energy_per_fission(self) -> float:
        """Mean thermal energy released per fission of the mix, eV."""
        return sum(f * float(ENERGY_PER_FISSION[iso][0]) * MEV for iso, f in self.fractions.items())

    def flux(self, *, power_W: float, distance_m: float) -> float:
        """Antineutrino flux (cm^-2 s^-1) at ``distance_m`` metres (DISTANCE_RANGE) from a point core of thermal
        power ``power_W`` watts (POWER_RANGE; the command line takes MW).  Keywords only: flux(3000, 15) would
        read 3000 MW as 3000 W."""
        for name, v, (lo, hi), unit in (("power_W", power_W, POWER_RANGE, "W"),
                                        ("distance_m", distance_m, DISTANCE_RANGE, "m")):
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not (math.isfinite(v) and lo <= v <= hi):
                raise ValueError(f"{name}={v!r}: a positive finite number in [{lo:g}, {hi:g}] {unit}")
        fissions = power_W / (self.energy_per_fission() * float(ELEMENTARY_CHARGE.value))   # per second
        return fissions * self.neutrinos_per_fission() / (4 * math.pi * (distance_m * 100.0) ** 2)
