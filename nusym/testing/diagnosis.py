"""What the pattern of an implementation's errors says is wrong with it.

Tried in this order, the first that fits naming the kind (every explanation that fits is listed):

0. **raised** (it raised, exited, or returned NaN or inf at half the failing points or more) and **zero** (it
   returns 0 everywhere);
1. **constant or convention**: the relative error is one constant, and a power of a known alternative value of a
   constant (pi = 3.14159, m_e = 511 keV, an earlier CODATA or PDG edition, ...) or of a unit prefix explains it;
2. **another formula**: the kernel recomputed with one change reproduces the implementation at the failing points
   -- a constant's alternative value where it is not a pure factor, one argument in another unit (x 1e-3 ... 1e6),
   an argument the implementation ignores for a fixed value (sin^2 theta_W = 0.2312), or a sibling kernel with the
   same arguments (the other neutrino flavour's couplings);
3. **branch**: a value where the kernel is zero (beyond an end point, below a threshold), or mostly zeros where it
   is not: the kernel's conditions are printed;
4. **float32**: errors of single precision everywhere;
5. **cancellation**: errors of both signs, digits lost where two terms nearly cancel (at the stress points): the
   stable forms nusym's code generator proved are shown;
6. **rounding**: at most 64 ULP/max(1, kappa): an order of operations that rounds more;
7. **constant offset** that no known value explains;
8. **power law**: the relative error grows as a power of the arguments (a unit or an exponent);
9. otherwise **unclassified**, with the range of the errors.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import numpy
import sympy

from nusym import catalogue
from nusym import constants as K
from nusym import symbols as S
from nusym.codegen import lowering
from nusym.codegen.kernels import HBAR_C, condition, exact_constants

__all__ = ["Diagnosis", "Table", "diagnose", "ALTERNATIVES", "FIXED_VALUES", "SCALES"]

# alternative values a hand-typed formula may carry, with what they are
ALTERNATIVES = {
    "pi": [("3.14159", "pi typed as 3.14159"), ("3.1416", "pi typed as 3.1416"), ("3.14", "pi typed as 3.14"),
           ("22/7", "pi typed as 22/7")],
    "m_e": [("511000", "m_e = 511 keV"), ("510999", "m_e = 510.999 keV"),
            ("510998.95", "m_e of CODATA 2018 (510998.95000 eV)"), ("510998.9461", "m_e of CODATA 2014")],
    "alpha": [("1/137", "alpha = 1/137"), ("1/137.036", "alpha = 1/137.036"),
              ("0.0072973525693", "alpha of CODATA 2018")],
    "G_F": [("1.166e-23", "G_F = 1.166e-5 GeV^-2"), ("1.16637e-23", "G_F of PDG 2006 (1.16637e-5 GeV^-2)"),
            ("1.1663788e-23", "G_F of PDG 2024 (1.1663788e-5 GeV^-2)")],
    "hbar_c": [("1.97327e-5", "hbar c = 197.327 MeV fm"), ("1.9733e-5", "hbar c = 197.33 MeV fm")],
}
FIXED_VALUES = [("0.2312", "the MS-bar value at the Z mass, 0.2312"), ("0.23122", "PDG's MS-bar value at the Z "
                "mass, 0.23122"), ("0.22305", "the on-shell value 1 - m_W^2/m_Z^2, 0.22305"), ("0.25", "1/4"),
                ("0.23", "0.23")]
SCALES = [(Fraction(1, 1000), "x 1e-3 (an eV value read as keV, or a keV-to-eV factor applied the wrong way)"),
          (Fraction(1000), "x 1e3 (a keV value read as eV)"),
          (Fraction(1, 10**6), "x 1e-6 (MeV given where eV is expected)"),
          (Fraction(10**6), "x 1e6 (an eV value read as MeV)")]
_SYMBOLS = {"m_e": S.m_e, "alpha": S.alpha, "G_F": S.G_F, "hbar_c": HBAR_C, "pi": sympy.pi}
_EXPLAIN_REL = 1e-11              # an alternative explains a point within this relative error x max(1, kappa)
_ROUNDING = 64.0                  # ULP/max(1, kappa): beyond the bar by no more than rounding's order
_SUBSET = 24                      # failing points an alternative is tried on


@dataclass
class Diagnosis:
    kind: str
    summary: str
    details: list = field(default_factory=list)


@dataclass
class Table:
    """The comparison's points: kernel, argument names, exact rows (base units), the arguments as given, the
    implementation's values, the exact references in the result's unit, (error ULPs, kappa) per point, stress
    flags, the result's unit factor, the bar, {index: what was raised}, the fixed arguments."""
    kernel: object
    names: list
    rows: list
    given: dict
    values: numpy.ndarray
    exact: list
    errors: list
    stress: list
    result_factor: object
    bar: float
    raised: dict
    fixed: set


def _rational(text: str) -> Fraction:
    """"1/137.036" or "3.14159" exactly."""
    num, _, den = text.partition("/")
    return Fraction(num) / Fraction(den or "1")


def _symbolic(k) -> sympy.Expr:
    """The kernel's exact function with its constants still symbols (Kernel.reference before exact_constants)."""
    body = k.expr
    for sym, definition in reversed(k.intermediates):
        body = body.subs(sym, definition)
    return sympy.Piecewise(*[(v, condition(c)) for c, v in k.guards], (body * k.scale, True)) \
        if k.guards else body * k.scale


def _with(expr: sympy.Expr, constant: str, value: str) -> sympy.Expr:
    """``expr`` with one constant at ``value`` and the others exact (pi first: hbar c keeps its own pi)."""
    if constant == "pi":
        return exact_constants(expr.subs(sympy.pi, sympy.Rational(_rational(value))))
    return exact_constants(expr.subs(_SYMBOLS[constant], sympy.Rational(_rational(value))))


def _fmt(at: dict) -> str:
    return ", ".join(f"{k}={v:.6g}" for k, v in at.items())


def _explains(t: Table, subset: list, fn) -> int:
    """How many points of ``subset`` ``fn`` (base-unit rows -> exact value) reproduces (0 unless >= 90 %)."""
    hits = 0
    with mpmath.workdps(30):
        for i in subset:
            try:
                alt = mpmath.mpf(fn(*t.rows[i])) / t.result_factor
            except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                continue
            v, kappa = t.values[i], t.errors[i][1]
            if (alt == 0 and v == 0) or (alt != 0 and abs(v - alt) <= _EXPLAIN_REL * max(1.0, kappa) * abs(alt)):
                hits += 1
    return hits if hits >= 0.9 * len(subset) else 0


def _factor_candidates():
    exact = {"pi": mpmath.pi, "hbar_c": K.hbar_c(mpmath), **{c.symbol: c.mpf() for c in K.BY_SYMBOL.values()}}
    for constant, options in ALTERNATIVES.items():
        for value, label in options:
            ratio = mpmath.mpf(_rational(value).numerator) / _rational(value).denominator / exact[constant]
            for power in (1, -1, 2, -2, 3, -3, 4, -4):
                yield ratio ** power, f"{label}, to the power {power} in the result"
    for power in (1, -1, 2, -2, 3, -3):
        yield mpmath.mpf(1000) ** power, f"a factor 1e{3 * power} (a unit prefix)"
    for power in (1, -1):
        yield mpmath.mpf(10) ** (24 * power), "a factor 1e24 (cm^2 and barn mixed up)" if power == 1 else \
            "a factor 1e-24 (cm^2 and barn mixed up)"
    for base, label in ((2, "2"), (2 * mpmath.pi, "2 pi"), (4 * mpmath.pi, "4 pi")):
        for power in (1, -1):
            yield mpmath.mpf(base) ** power, f"a factor {label}" + ("" if power == 1 else " in the denominator")


def _alternatives(t: Table) -> list:
    """(label, how) of the kernel recomputed with one change (see :func:`_build`)."""
    k = t.kernel
    if k.expr is sympy.nan:                   # a quadrature (nusym.testing.flux): no formula to change
        return []
    symbolic = _symbolic(k)
    out = [(label, (constant, value)) for constant, options in ALTERNATIVES.items() if symbolic.has(_SYMBOLS[constant])
           for value, label in options]
    for j, a in enumerate(k.args):
        if a.unit == "eV" and a.name not in t.fixed:
            out += [(f"{a.name} {label}", ("scale", j, scale)) for scale, label in SCALES]
        if a.default is not None or a.name in t.fixed:
            out += [(f"{a.name} fixed at {label}", ("fix", j, value)) for value, label in FIXED_VALUES]
    names = [a.name for a in k.args]
    out += [(f"the formula of {o.id} instead", ("kernel", o.obj)) for o in catalogue.entries("kernel")
            if o.id != k.name and [a.name for a in o.obj.args] == names]
    return out


def _build(t: Table, how):
    """The mpmath function of the base-unit arguments that ``how`` describes."""
    k = t.kernel
    syms = [a.symbol for a in k.args]
    if how[0] == "kernel":
        expr = how[1].reference()
    elif how[0] == "scale":
        expr = k.reference().subs(syms[how[1]], syms[how[1]] * sympy.Rational(how[2].numerator, how[2].denominator))
    elif how[0] == "fix":
        expr = k.reference().subs(syms[how[1]], sympy.Rational(_rational(how[2])))
    else:
        expr = _with(_symbolic(k), *how)
    return sympy.lambdify(syms, expr, "mpmath")


def _subset(t: Table, failing: list, nonzero: bool) -> list:
    """Up to _SUBSET failing points spread over the ranking; those where the implementation's value is not at an
    end of the kernel's range (0, or a recoil factor's 1) first, since they tell alternatives apart."""
    ends = {0.0, *(float(x) for x in (t.kernel.result_range or ()))}
    chosen = [i for i in failing if math.isfinite(t.values[i]) and (t.exact[i] != 0 or not nonzero)]
    chosen = [i for i in chosen if t.values[i] not in ends] + [i for i in chosen if t.values[i] in ends]
    step = max(1, len(chosen) // _SUBSET)
    return chosen[::step][:_SUBSET]


def _relative(t: Table, idx: list) -> numpy.ndarray:
    return numpy.array([float((mpmath.mpf(t.values[i]) - t.exact[i]) / t.exact[i]) for i in idx])


def diagnose(t: Table, deadline: float = math.inf) -> Diagnosis:
    n = len(t.values)
    ratio = [e / max(1.0, kap) for e, kap in t.errors]
    failing = sorted((i for i in range(n) if ratio[i] > t.bar), key=lambda i: -ratio[i])
    if not failing:
        i = max(range(n), key=lambda j: ratio[j])
        return Diagnosis("within the bar", f"worst {ratio[i]:.3g} ULP/max(1, kappa) ({t.errors[i][0]:.3g} ULP at "
                                           f"kappa {t.errors[i][1]:.3g}) at {_fmt(_at(t, i))}")
    details = []
    bad = {i: t.raised.get(i, f"returned {t.values[i]!r}") for i in range(n) if not math.isfinite(t.values[i])}
    if bad:
        first = next(iter(bad.items()))
        details.append(f"raised or returned NaN or inf at {len(bad)} points, e.g. {_fmt(_at(t, first[0]))}: "
                       f"{first[1]}")
        if len(bad) >= 0.5 * len(failing):
            return Diagnosis("raised", f"the implementation raised, or returned NaN or inf, at {len(bad)} of {n} "
                                       "points", details)
    if all(t.values[i] == 0 for i in range(n) if math.isfinite(t.values[i])):
        return Diagnosis("zero", f"the implementation returns 0 at every point, the kernel at "
                                 f"{sum(e != 0 for e in t.exact)} of {n} is not 0", details)
    subset = _subset(t, failing, nonzero=True)
    rel = _relative(t, subset) if subset else numpy.array([])
    ratios = numpy.array([float(mpmath.mpf(t.values[i]) / t.exact[i]) for i in subset])
    offset = float(numpy.median(ratios)) if ratios.size else 1.0
    spread = float(numpy.ptp(ratios)) / abs(offset) if ratios.size and offset else math.inf
    constant = ratios.size >= 3 and abs(offset - 1) > 1e-12 and spread <= 1e-3 * min(1.0, abs(offset - 1))
    if constant:
        fits = [label for factor, label in _factor_candidates()
                if abs(offset / factor - 1) <= max(4 * spread, 1e-12)]
        if fits:
            return Diagnosis("constant or convention", f"every value is off by the factor {offset:.10g}: " + fits[0],
                             [f"also fits: {f}" for f in fits[1:4]] + details)
    found, points = [], _subset(t, failing, nonzero=False)
    for label, how in _alternatives(t):
        if time.monotonic() > deadline:
            details.append("the diagnosis ran out of its time budget before every alternative was tried")
            break
        hits = _explains(t, points, _build(t, how))
        if hits:
            found.append((-hits, len(found), label))
    found = [label for *_, label in sorted(found)]
    if found:
        return Diagnosis("another formula", f"the kernel with one change reproduces it: {found[0]}",
                         [f"also reproduces it: {f}" for f in found[1:4]] + details)
    wrong_zero = [i for i in failing if (t.exact[i] == 0) != (t.values[i] == 0) and math.isfinite(t.values[i])]
    extra = [i for i in wrong_zero if t.exact[i] == 0]
    mixed = _minority_sign(t, [i for i in failing if t.exact[i] != 0 and math.isfinite(t.values[i])])
    if extra or (len(wrong_zero) >= 0.5 * len(failing) and mixed < 0.1):
        missed = [i for i in wrong_zero if t.exact[i] != 0]
        conds = "; ".join(f"{sympy.sstr(condition(c))} -> {v}" for c, v in t.kernel.guards) or "none declared"
        lines = [f"nonzero where the kernel is 0 at {len(extra)} points, e.g. {_fmt(_at(t, extra[0]))}"] if extra \
            else []
        lines += [f"0 where the kernel is not at {len(missed)} points, e.g. {_fmt(_at(t, missed[0]))}"] if missed \
            else []
        return Diagnosis("branch", "a wrong branch: a threshold or an end point in the wrong place (the kernel's "
                                   f"conditions: {conds})", lines + details)
    return _shape(t, failing, subset, rel, constant, offset, details)


def _minority_sign(t: Table, idx: list) -> float:
    """The fraction of the points ``idx`` whose error has the less common sign."""
    signs = numpy.sign(_relative(t, idx)) if idx else numpy.array([])
    return float(min(numpy.mean(signs > 0), numpy.mean(signs < 0))) if signs.size else 0.0


def _at(t: Table, i: int) -> dict:
    return {a: float(t.given[a][i]) for a in t.names if a not in t.fixed}


def _shape(t: Table, failing, subset, rel, constant, offset, details) -> Diagnosis:
    n = len(t.values)
    finite = [i for i in range(n) if t.exact[i] != 0 and math.isfinite(t.values[i]) and t.values[i] != 0]
    allrel = numpy.abs(_relative(t, finite)) if finite else numpy.array([1.0])
    single = numpy.mean([float(numpy.float32(t.values[i])) == t.values[i] for i in finite]) if finite else 0.0
    med = float(numpy.median(allrel))
    mixed = _minority_sign(t, finite) >= 0.2                  # float32 rounding: errors of both signs
    if not constant and 2.0**-30 < med < 2.0**-18 and allrel.max() < 2.0**-14 and (single >= 0.9 or mixed):
        return Diagnosis("float32", f"errors of single precision everywhere: median relative error {med:.2g}, "
                                    f"largest {allrel.max():.2g}; {single:.0%} of the values are float32 numbers",
                         details)
    minority = _minority_sign(t, subset)
    at_stress = sum(t.stress[i] for i in failing)
    decades = float(numpy.log10(numpy.abs(rel).max() / numpy.abs(rel).min())) if rel.size and rel.all() else 0.0
    forms = [str(r) for r in lowering.lowered(t.kernel)[1]] if t.kernel.expr is not sympy.nan else []
    if forms and minority >= 0.1 and (decades >= 3 or numpy.median(numpy.abs(rel)) < 1e-3):
        return Diagnosis("cancellation", f"digits lost where terms nearly cancel: errors of both signs, "
                                         f"{at_stress} of {len(failing)} failures at the stress points; use the "
                                         f"stable form nusym's code generator proved: {forms[0]}",
                         [f"and: {f}" for f in forms[1:]] + details)
    worst = max(t.errors[i][0] / max(1.0, t.errors[i][1]) for i in failing)
    if worst <= _ROUNDING:
        return Diagnosis("rounding", f"at most {worst:.3g} ULP/max(1, kappa), beyond the bar at {len(failing)} "
                                     f"points: an order of operations that rounds more than the generated one (see "
                                     f"the kernel's docstring in nusym.numeric for its form)", details)
    if constant:
        return Diagnosis("constant offset", f"every value is off by the factor {offset:.10g}, "
                                            "which no known constant or unit explains", details)
    fit = _power_law(t, subset, rel)
    if fit:
        return Diagnosis("power law", fit, details)
    return Diagnosis("unclassified", f"errors from {min(t.errors[i][0] for i in failing):.3g} to "
                                     f"{max(t.errors[i][0] for i in failing):.3g} ULP at {len(failing)} points "
                                     f"({at_stress} at stress points)", details)


def _power_law(t: Table, subset, rel) -> str | None:
    """The exponents of |relative error| ~ prod x_j^a_j over the smaller half of the failing errors, if the fit
    leaves at most 0.25 in ln."""
    varying = [a for a in t.names if a not in t.fixed and numpy.ptp(numpy.log(t.given[a])) > 0]
    if rel.size < 6 or not varying:
        return None
    keep = numpy.argsort(numpy.abs(rel))[: max(6, rel.size // 2)]
    x = numpy.column_stack([numpy.ones(keep.size)] + [numpy.log([t.given[a][subset[i]] for i in keep])
                                                      for a in varying])
    y = numpy.log(numpy.abs(rel[keep]))
    coef, *_ = numpy.linalg.lstsq(x, y, rcond=None)
    rms = float(numpy.sqrt(numpy.mean((x @ coef - y) ** 2)))
    terms = [f"{a}^{c:.2f}" for a, c in zip(varying, coef[1:]) if abs(c) >= 0.25]
    if rms > 0.25 or not terms:
        return None
    return (f"the relative error grows as {' '.join(terms)} where it is small (fit over {keep.size} points, rms "
            f"{rms:.2f} in ln): a term of the wrong order in these arguments, an exponent or a unit")
