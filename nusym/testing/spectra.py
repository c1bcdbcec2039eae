"""The reactor antineutrino spectra as comparable functions: each isotope's fit dN/dE_nu (1/eV per fission, E_nu in
eV) over the range nusym evaluates it, 2 MeV to E_MAX, with the published coefficients (nusym.detectors.reactor)
as the exact function; stress points crowd the ends of the fit (2 and 8 MeV) and E_MAX.  A float64 evaluation
must round the printed coefficients, so its condition number counts them: kappa = |E d ln f/dE| +
sum_k |a_k E^k| (E in MeV; the second term reaches about 480 near 7 MeV for 235U).  Named
``reactor_spectrum_<isotope>`` beside the kernels in :func:`nusym.testing.compare`."""
from __future__ import annotations

import functools

import numpy
import sympy

from nusym import symbols as S
from nusym import variables as V
from nusym.codegen.kernels import Arg, Kernel
from nusym.detectors import reactor

__all__ = ["spectrum_kernels", "coefficient_kappa", "PREFIX"]

PREFIX = "reactor_spectrum_"


def _stress(rng, n):
    ends = numpy.array([reactor.FIT_RANGE[0], reactor.FIT_RANGE[1], reactor.E_MAX])
    at = ends[rng.integers(0, 3, n)] * (1 + rng.uniform(-1e-6, 1e-6, n))
    return {"E_nu": numpy.clip(at, reactor.FIT_RANGE[0], reactor.E_MAX)}


@functools.lru_cache(maxsize=None)
def spectrum_kernels() -> dict:
    """{name: Kernel} of the four isotopes' spectra (not generated: references for comparison only)."""
    out = {}
    e = S.E_nu / sympy.Integer(10**6)
    for iso, fit in reactor.FITS.items():
        poly = sum(sympy.Rational(a) * e**k for k, a in enumerate(fit.coefficients))
        arg = Arg.of(V.E_nu, allowed=(reactor.FIT_RANGE[0], reactor.E_MAX, False))
        arg = Arg(arg.symbol, arg.name, arg.unit, arg.doc, arg.allowed, (reactor.FIT_RANGE[0], reactor.E_MAX))
        out[PREFIX + iso] = Kernel(PREFIX + iso, (arg,), sympy.exp(poly) / 10**6,
                                   f"Reactor antineutrino spectrum dN/dE_nu of {iso} per fission in 1/eV, "
                                   f"exp(sum a_k E^k) with E in MeV ({fit.source}), 2 MeV <= E_nu <= 10 MeV.",
                                   "nusym.detectors.reactor", result_unit="1/eV", stress=_stress)
    return out


def coefficient_kappa(name: str, E_eV: float) -> float:
    """sum_k |a_k E^k| (E in MeV): the relative condition number of the spectrum ``name`` with respect to its
    coefficients, each rounded to float64 by any implementation."""
    fit = reactor.FITS[name[len(PREFIX):]]
    e = E_eV / 1e6
    return float(sum(abs(float(a)) * e**k for k, a in enumerate(fit.coefficients)))
