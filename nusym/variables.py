"""One table of variables: each declared once with its unit, meaning, whether it is an integer, and its ranges.

A :class:`Variable` carries up to three ranges, for three uses, each stated only here:

* ``sampled``: where the claim checker (``nusym check``) and the exact models draw it, log-uniformly, as decimal
  strings (exact);
* ``accuracy``: where the float accuracy of a generated kernel is measured (log-uniform samples, :meth:`log_uniform`;
  the kernels' stress samplers draw inside it too);
* ``allowed``: what an argument may be (lo, hi, lo_open): outside it a kernel or an API call refuses the value,
  naming it; ``why`` says the physical reason where the range is narrower than (0, 1e100].

Where two uses of one variable have different ranges (p is sampled by the claim checker up to 2e5 eV, the kernels'
accuracy to 1e6 eV; M_a from 9.3e8 and from 9e8 eV) both are declared here, side by side.  The code asks the table:
the claim checker (:mod:`nusym.claims.vocabulary`), the models' parameters (:mod:`nusym.atoms.spectra`), the
kernels' arguments (:class:`nusym.codegen.kernels.Arg`), the detectors, the command line and the tests.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy
import sympy

from nusym import symbols as S

__all__ = ["Variable", "TABLE", "T", "q", "p", "I", "Z", "E_nu", "M_a", "omega", "mu_nu", "s2w", "kappa",
           "T_detector", "flux", "power", "distance", "sampled", "get", "ANY"]

ANY = (0.0, 1e100, True)                 # a positive number up to 1e100: the default allowed range


@dataclass(frozen=True)
class Variable:
    """A variable: ``name`` (as written in claims and code), SymPy ``symbol``, ``unit``, meaning (``doc``), and its
    ranges (module docstring)."""

    name: str
    symbol: sympy.Symbol | None
    unit: str
    doc: str
    sampled: tuple | None = None         # (lo, hi) decimal strings
    accuracy: tuple | None = None        # (lo, hi) floats
    allowed: tuple = ANY                 # (lo, hi, lo_open)
    integer: bool = False
    why: str = ""

    def log_uniform(self, rng, n: int) -> numpy.ndarray:
        """``n`` floats log-uniform over the accuracy range (``rng`` a numpy Generator)."""
        lo, hi = self.accuracy
        return numpy.exp(rng.uniform(numpy.log(lo), numpy.log(hi), n))

    def check(self, value, what: str | None = None) -> float:
        """``value`` as a float inside ``allowed``; ValueError naming it, its value and the range otherwise."""
        import math
        import numbers
        lo, hi, lo_open = self.allowed
        ok = (not isinstance(value, bool) and isinstance(value, numbers.Real) and math.isfinite(value)
              and (value > lo if lo_open else value >= lo) and value <= hi)
        if not ok:
            raise ValueError(f"{what or self.name}={value!r}: a number in {'(' if lo_open else '['}{lo:g}, {hi:g}] "
                             f"{self.unit}")
        return float(value)


# ---------------------------------------------------------------- the papers' variables (eV, hbar = c = 1)
T = Variable("T", S.T, "eV", "energy transfer to the atom", sampled=("1e-3", "1e7"), accuracy=(1e-3, 1e7))
q = Variable("q", S.q, "eV", "momentum transfer", sampled=("1e-2", "1e8"))
p = Variable("p", S.p, "eV", "mean momentum of the bound electron", sampled=("1", "2e5"), accuracy=(1.0, 1e6))
I = Variable("I", S.I, "eV", "ionization potential of the orbital", sampled=("1e-2", "1.2e5"), accuracy=(1e-2, 1.2e5))
Z = Variable("Z", S.Z, "1", "electrons (free, oscillator) or nuclear charge (hydrogen)", sampled=("1", "100"),
             integer=True)
E_nu = Variable("E_nu", S.E_nu, "eV", "neutrino energy", sampled=("1e3", "1e8"), accuracy=(1e3, 1e8),
                allowed=(1e-30, 1e100, False),
                why="the end point T_max = 2 E_nu**2/(m_e + 2 E_nu) is decided exactly (error-free products, which must "
                    "stay normal floats) for E_nu >= 1e-30 eV; the lightest relic neutrinos have 1e-4 eV")
M_a = Variable("M_a", S.M_a, "eV", "atomic mass", sampled=("9.3e8", "2.3e11"), accuracy=(9e8, 2.3e11))
omega = Variable("omega", sympy.Symbol("omega", positive=True), "eV", "oscillator quantum", sampled=("1e-2", "1e5"))
mu_nu = Variable("mu_nu", S.mu_nu, "1/eV", "neutrino magnetic moment in natural units (k Bohr magnetons: k*mu_B)",
                 sampled=("1e-21", "1e-15"))
s2w = Variable("s2w", S.s2w, "1", "sin^2 theta_W", sampled=("1e-3", "0.999"), accuracy=(0.2, 0.25),
               allowed=(0.0, 1.0, True))
# mu_nu <= 1 mu_B: pi r_e^2 mu_nu^2/T is then below 5.1e298 cm^2/eV for every T >= 5e-324 (the smallest float); a
# larger moment would overflow it for small T, and experiment bounds mu_nu below 1e-11 mu_B.
kappa = Variable("kappa", S.kappa, "mu_B", "neutrino magnetic moment in Bohr magnetons", accuracy=(1e-14, 1e-8),
                 allowed=(0.0, 1.0, False),
                 why="experiment bounds it below 1e-11 mu_B; up to 1 mu_B the cross section stays finite for every "
                     "T > 0")

# ---------------------------------------------------------------- the detectors' inputs
# T from the outermost Elam edges (a few eV; below them no shell model here means anything) to 10 MeV, the reactor
# spectrum's end, beyond which every rate is 0
T_detector = Variable("T", S.T, "eV", "energy transfer in a detector", allowed=(1.0, 1.0e7, False))
flux = Variable("flux_cm2_s", None, "cm^-2 s^-1", "antineutrino flux at the detector (the sun's is 6e10, a reactor's "
                "at 10 m ~1e13)", allowed=(1e-10, 1e30, False))
power = Variable("power_W", None, "W", "thermal power of a reactor core (the largest are ~5 GW)",
                 allowed=(1.0, 1.0e12, False))
distance = Variable("distance_m", None, "m", "distance from the core", allowed=(0.1, 1.0e8, False))

TABLE = (T, q, p, I, Z, E_nu, M_a, omega, mu_nu, s2w, kappa, T_detector, flux, power, distance)


def sampled() -> dict:
    """{name: Variable} of the variables the claim checker samples, in the order of the table."""
    return {v.name: v for v in TABLE if v.sampled is not None}


def get(name: str) -> Variable:
    """The sampled variable called ``name``."""
    return sampled()[name]
