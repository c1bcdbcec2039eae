"""Flux-averaged cross sections as comparable functions of T, and the Ge reactor rate table as references.

<dsigma/dT>(T) = int_{E_min(T)}^{E_MAX} N(E) dsigma/dT(T, E) dE / int N, per free electron in cm^2/eV, in the
default reactor spectrum (nusym.detectors.reactor: the Huber/Mueller fits above 2 MeV, Vogel-Engel's shape joined
at 2 MeV below, the default fission fractions), with the free-electron kernels' exact expressions: mpmath
quadrature broken at E_min, 2 MeV and 8 MeV, at two precisions that must agree; kappa = |T d ln<dsigma/dT>/dT|
by a central difference.  A quadrature is not a float formula: compare an implementation with ``ulps`` set to its
own tolerance (1e-9 relative is 4.5e6 ULP); nusym's own flux_averaged (64 and 32 Gauss-Legendre nodes) is the
first row of what is measured in tests/test_testing.py.
"""
from __future__ import annotations

import functools

import mpmath
import sympy

from nusym import catalogue
from nusym import constants as K
from nusym import variables as V
from nusym.codegen.kernels import Arg, Kernel
from nusym.detectors import reactor

__all__ = ["flux_kernels", "references", "spectrum_exact", "rate_table", "PREFIX", "T_RANGE", "DPS", "RATE_T_KEV",
           "HOW"]

PREFIX = "flux_averaged_"
T_RANGE = (10.0, 1.0e6)                       # eV: the keV thresholds of the experiments, and beyond
DPS = (20, 30)
HOW = f"mpmath quadratures at {DPS} digits"
RATE_T_KEV = ("0.1", "0.2", "0.5", "1", "2", "5", "10", "20", "30")
_CROSS_SECTIONS = {"weak_nuebar": ("dsigma_weak_fe_nuebar", "anti-nu_e weak"),
                   "weak_nue": ("dsigma_weak_fe_nue", "nu_e weak"),
                   "mu": ("dsigma_mu_fe_enu", "magnetic, mu_nu = 1 mu_B")}


@functools.lru_cache(maxsize=None)
def flux_kernels() -> dict:
    """{name: Kernel} of the flux-averaged cross sections (references only: expr is NaN, nothing generated)."""
    arg = Arg.of(V.T)
    arg = Arg(arg.symbol, arg.name, arg.unit, arg.doc, arg.allowed, T_RANGE)
    return {PREFIX + key: Kernel(PREFIX + key, (arg,), sympy.nan,
                                 f"Flux-averaged free-electron {what} cross section <dsigma/dT>(T) in cm^2/eV per "
                                 f"electron, default reactor spectrum" + ("" if key == "mu" else
                                 f", sin^2 theta_W = {K.SIN2_THETA_W_MSBAR.value}") + f" ({kernel}).",
                                 "nusym.testing.flux",
                                 result_unit="cm^2/eV")
            for key, (kernel, what) in _CROSS_SECTIONS.items()}


def spectrum_exact(E):
    """The default reactor's dN/dE_nu per fission (1/eV) at mpmath precision, from the published coefficients."""
    fit = lambda c, e: mpmath.exp(sum(mpmath.mpf(a) * e**k for k, a in enumerate(c.coefficients)))
    e = E / 10**6
    if e <= 0 or E > reactor.E_MAX:
        return mpmath.mpf(0)
    total = mpmath.mpf(0)
    for iso, f in reactor.DEFAULT_FRACTIONS.items():
        h, v = reactor.FITS[iso], reactor.VOGEL_ENGEL[iso]
        two = mpmath.mpf(2)
        total += mpmath.mpf(repr(f)) * (fit(h, e) if e >= 2 else fit(v, e) * fit(h, two) / fit(v, two))
    return total / 10**6


@functools.lru_cache(maxsize=None)
def _cross_section(kernel: str):
    k = catalogue.get("kernel", kernel)
    syms = [a.symbol for a in k.args]
    expr = k.reference()
    if len(syms) == 3:                         # the third argument at its default: s2w, or mu_nu = 1
        expr = expr.subs(syms[2], sympy.Rational(k.args[2].default or "1"))
    return sympy.lambdify(syms[:2], expr, "mpmath")


def _average(name: str, T):
    """The flux average at T (mpmath, the working precision).  mpmath.quad stops on an absolute error below
    eps, so the integrand is scaled to order one first (E in MeV, the cross section over its value at E_MAX)."""
    catalogue.load("kernel")
    f = _cross_section(_CROSS_SECTIONS[name[len(PREFIX):]][0])
    m = K.M_E.mpf()
    lo = (T + mpmath.sqrt(T**2 + 2 * m * T)) / 2 / 10**6
    top = mpmath.mpf(reactor.E_MAX) / 10**6
    if lo >= top:
        return mpmath.mpf(0)
    unit = f(T, mpmath.mpf(reactor.E_MAX))
    spectrum = lambda x: spectrum_exact(x * 10**6) * 10**6                       # per MeV
    cuts = [lo] + [c for c in (mpmath.mpf(2), mpmath.mpf(8)) if c > lo] + [top]
    norm = _norm(mpmath.mp.prec)
    return unit * mpmath.quad(lambda x: spectrum(x) * (f(T, x * 10**6) / unit), cuts) / norm


@functools.lru_cache(maxsize=None)
def _norm(prec: int):
    with mpmath.workprec(prec):
        return mpmath.quad(lambda x: spectrum_exact(x * 10**6) * 10**6, [0, 2, 8, mpmath.mpf(reactor.E_MAX) / 10**6])


def references(name: str, rows) -> list:
    """floatcheck.references' records for the flux average ``name`` at the rows (T,)."""
    out = []
    for (T,) in rows:
        values = []
        for dps in DPS:
            with mpmath.workdps(dps):
                values.append(_average(name, mpmath.mpf(T)))
        with mpmath.workdps(DPS[0]):
            exact = values[-1]
            if abs(values[0] - exact) > abs(exact) * mpmath.mpf(10) ** (-DPS[0] + 5):
                return out + [("unstable", f"{name} at T = {T} differs between {DPS} digits")]
            if exact == 0:
                out.append(("zero",))
                continue
            h = mpmath.mpf(10) ** -6                  # a central difference: kappa sets the bar, to 1e-6 is enough
            slope = (_average(name, T * (1 + h)) - _average(name, T * (1 - h))) / (2 * h)
            kappa = float(abs(slope / exact))
        out.append(("value", exact, kappa))
    return out


def rate_table(target: str = "Ge", flux_cm2_s: str = "2.7e13", mu_nu: str = "1e-11") -> dict:
    """The reactor rate table (events per kg per day per keV) of ``target`` for free electrons and stepping (Elam's
    edges), weak (anti-nu_e) and magnetic, at RATE_T_KEV: mpmath quadratures of the kernels' exact expressions,
    at DPS[1] digits, for a suite that checks its own rates."""
    from nusym.atoms.shells import atom
    a = atom(target)
    with mpmath.workdps(DPS[1]):
        per_kg = K.AVOGADRO.mpf() * 1000 / mpmath.mpf(repr(a.molar_mass))
        scale = per_kg * mpmath.mpf(flux_cm2_s) * 86400 * 1000             # per kg, per day, per keV
        rows = []
        for t_kev in RATE_T_KEV:
            T = mpmath.mpf(t_kev) * 1000
            n_open = sum(mpmath.mpf(s.electrons.numerator) / s.electrons.denominator for s in a.shells
                         if s.binding is None or mpmath.mpf(repr(s.binding)) < T)
            weak = _average(PREFIX + "weak_nuebar", T) * scale
            mag = _average(PREFIX + "mu", T) * scale * mpmath.mpf(mu_nu) ** 2
            rows.append({"T_keV": t_kev, "weak_fe": weak * a.Z, "weak_stepping": weak * n_open,
                         "mu_fe": mag * a.Z, "mu_stepping": mag * n_open})
    return {"target": target, "flux_cm2_s": flux_cm2_s, "mu_nu": mu_nu, "rows": rows}
