"""An implementation against a kernel's references: the points, the errors in ULPs relative to max(1, kappa), the
worst points and a diagnosis.

The points are those of `nusym verify`'s float check (:func:`nusym.checks.floatcheck.samples`: log-uniform over
each argument's accuracy domain, then the kernel's stress points at thresholds, switch points and
cancellations), and so are the references (the derived expression in mpmath at 60 and 100 digits, kappa from its
derivatives).  Arguments are handed to the implementation in the user's units, and the reference is taken at
exactly the value the implementation received (the unit conversion of an argument is not counted against it);
the reference is converted exactly into the unit of the result.
"""
from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

import mpmath
import numpy

from nusym import catalogue
from nusym import units as U
from nusym.checks import floatcheck
from nusym.quadrature import ReferenceUnstable
from nusym.testing import diagnosis, flux
from nusym.testing.spectra import coefficient_kappa, spectrum_kernels

__all__ = ["compare", "assert_matches", "Comparison", "kernel_names", "parse_units", "Point", "DEFAULT_POINTS",
           "MAX_POINTS", "DEFAULT_TIMEOUT_S"]

DEFAULT_POINTS = 300              # log-uniform points, and as many stress points: verify's float check
MAX_POINTS = 20000                # of each kind: the references cost about 2 ms a point
DEFAULT_TIMEOUT_S = 300.0         # the whole comparison, the implementation's calls included
_ENERGY, _AREA = (1, 0), (0, 2)
_DIMENSION = {**{n: _ENERGY for n in ("eV", "meV", "keV", "MeV", "GeV")},
              **{n: (0, 1) for n in ("cm", "m", "mm", "fm")},
              **{n: _AREA for n in ("cm2", "barn", "mb", "kb", "Mb")}}
_KERNEL_UNIT = {"eV": "eV", "1": "1", "cm^2/eV": "cm2/eV", "1/eV": "1/eV"}      # the kernels' result units, in this grammar


def kernel_names() -> list:
    """The kernels of nusym.numeric, then the reactor spectra (:mod:`nusym.testing.spectra`) and the flux-averaged
    cross sections (:mod:`nusym.testing.flux`)."""
    catalogue.load("kernel")
    return catalogue.ids("kernel") + list(spectrum_kernels()) + list(flux.flux_kernels())


def _kernel(name):
    if not isinstance(name, str) or name not in kernel_names():
        raise ValueError(f"kernel={name!r} is not a kernel; known: {', '.join(kernel_names())}")
    return spectrum_kernels().get(name) or flux.flux_kernels().get(name) or catalogue.get("kernel", name)


def parse_units(text: str) -> tuple:
    """(factor as an exact mpmath number, (energy power, length power)) of a unit such as "keV", "cm2/keV" or "1":
    names of :mod:`nusym.units` joined by * and /."""
    if not isinstance(text, str) or len(text) > 60 or not re.fullmatch(r"\s*[A-Za-z0-9]+(\s*[*/]\s*[A-Za-z0-9]+)*\s*",
                                                                      text):
        raise ValueError(f"unit {text!r}: names of nusym.units ({', '.join(_DIMENSION)}) joined by * and /, or 1")
    factor, dim = mpmath.mpf(1), (0, 0)
    for sign, name in re.findall(r"(^|[*/])\s*([A-Za-z0-9]+)", text.strip()):
        if name == "1":
            continue
        if name not in _DIMENSION:
            raise ValueError(f"unit {text!r}: {name!r} is not a unit of nusym.units; known: {', '.join(_DIMENSION)}")
        value = mpmath.mpf(repr(getattr(U, name)))          # the decimal the module states, exactly
        d = _DIMENSION[name]
        if sign == "/":
            factor, dim = factor / value, (dim[0] - d[0], dim[1] - d[1])
        else:
            factor, dim = factor * value, (dim[0] + d[0], dim[1] + d[1])
    return factor, dim


@dataclass
class Point:
    args: dict                   # the arguments as the implementation received them (its units)
    value: float                 # what it returned
    reference: float             # the exact value in the result's unit, rounded
    ulps: float                  # error in ULPs of the reference (inf where a zero is missed or a value is NaN)
    kappa: float
    stress: bool

    def __str__(self) -> str:
        at = ", ".join(f"{k}={v!r}" for k, v in self.args.items())
        return (f"{at}: yours {self.value!r}, reference {self.reference!r}, {self.ulps:.3g} ULP at kappa "
                f"{self.kappa:.3g}" + (" (stress point)" if self.stress else ""))


@dataclass
class Comparison:
    kernel: str
    implementation: str
    bar_ulps: float
    points: int
    failures: int
    worst: list                  # up to 5 Points, the largest error / max(1, kappa) first
    diagnosis: diagnosis.Diagnosis
    units: dict
    seconds: float
    how_called: str
    notes: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.failures == 0

    @property
    def worst_ratio(self) -> float:
        return self.worst[0].ulps / max(1.0, self.worst[0].kappa) if self.worst else 0.0

    def __str__(self) -> str:
        k = _kernel(self.kernel)
        unit_text = ", ".join(f"{a} in {u}" for a, u in self.units.items())
        lines = [f"{self.implementation} against nusym's {self.kernel} ({k.doc.splitlines()[0].strip()})",
                 f"  {self.points} points (verify's float check: log-uniform over the accuracy domain, then the stress "
                 f"points); references: the derived expression in mpmath at {floatcheck.REFERENCE_DPS} digits; "
                 f"called {self.how_called}; units: {unit_text}; {self.seconds:.1f} s",
                 f"  bar: error <= {self.bar_ulps:g} ULP x max(1, kappa)"]
        if self.passed:
            lines.append(f"  within the bar at all {self.points} points; worst {self.worst_ratio:.3g} ULP/max(1, kappa)"
                         + (f" at {self.worst[0]}" if self.worst else ""))
        else:
            lines.append(f"  FAILS at {self.failures} of {self.points} points")
        lines.append(f"  diagnosis ({self.diagnosis.kind}): {self.diagnosis.summary}")
        lines += [f"    {d}" for d in self.diagnosis.details]
        if not self.passed:
            lines.append("  worst points:")
            lines += [f"    {p}" for p in self.worst]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _call(func, cols: list, n: int, deadline: float):
    """(values, {index: message}, how): one vectorized call where the implementation takes arrays, else a call
    per point (a point that raises is NaN with its message)."""
    try:
        with numpy.errstate(all="ignore"):
            out = numpy.asarray(func(*cols), dtype=float)
        if out.shape == (n,):
            return out, {}, "once with arrays"
    except Exception:                                   # a scalar implementation: called point by point below
        pass
    values, raised = numpy.full(n, math.nan), {}
    for i in range(n):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the implementation took longer than the comparison's budget ({i} of {n} points)")
        try:
            values[i] = float(func(*[float(c[i]) for c in cols]))
        except Exception as exc:                        # the user's code: its failure is part of the report
            raised[i] = f"{type(exc).__name__}: {exc}"[:200]
    return values, raised, "point by point"


def compare(func, kernel: str, *, ulps: float | None = None, units: dict | None = None,
            fixed: dict | None = None, points: int = DEFAULT_POINTS, seed: int = 20141207,
            timeout_s: float = DEFAULT_TIMEOUT_S, name: str | None = None) -> Comparison:
    """Compare ``func`` (a callable of the kernel's arguments in its order, less those in ``fixed``; scalar or
    vectorized) with the kernel ``kernel`` of :mod:`nusym.numeric`.

    ``units``: {argument or "result": unit} where the implementation's differ from the kernel's (eV, cm2/eV);
    ``fixed``: {argument: value} held fixed (in the implementation's units) and not passed, e.g. a weak mixing
    angle the implementation keeps inside; ``points`` log-uniform points and as many stress points (1 to
    MAX_POINTS); the bar ``ulps`` (> 0; default verify's 4, and no default for a flux average, which is a quadrature:
    give its tolerance); ``timeout_s`` the budget of the whole comparison."""
    t0 = time.monotonic()
    k = _kernel(kernel)
    names = [a.name for a in k.args]
    if not callable(func):
        raise ValueError(f"func={func!r} is not callable")
    if ulps is None and kernel in flux.flux_kernels():
        raise ValueError(f"ulps: give the tolerance of your quadrature for {kernel}, in ULP x max(1, kappa) (1e-9 "
                         f"relative is 4.5e6 ULP); a flux average has no float bar")
    ulps = floatcheck.BAR_ULPS if ulps is None else ulps
    if not (isinstance(ulps, (int, float)) and 0 < ulps < 1e300):
        raise ValueError(f"ulps={ulps!r}: a number of ULPs > 0")
    if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= MAX_POINTS:
        raise ValueError(f"points={points!r}: an integer from 1 to {MAX_POINTS}")
    if not (isinstance(timeout_s, (int, float)) and 0 < timeout_s <= 86400):
        raise ValueError(f"timeout_s={timeout_s!r}: seconds, more than 0 and at most 86400")
    units, fixed = dict(units or {}), dict(fixed or {})
    for key in list(units) + list(fixed):
        if key not in names and not (key == "result" and key in units):
            raise ValueError(f"{key!r} is not an argument of {kernel} ({', '.join(names)})"
                             + ("" if key in fixed else " or 'result'"))
    factors = {}
    for a in k.args:
        f, dim = parse_units(units.get(a.name, a.unit if a.unit in _DIMENSION else "1"))
        want = _DIMENSION.get(a.unit, (0, 0))
        if dim != want:
            raise ValueError(f"units[{a.name!r}]={units[a.name]!r} is not a unit of {a.unit or 'a pure number'}")
        factors[a.name] = f
    result_factor, dim = parse_units(units.get("result", _KERNEL_UNIT[k.result_unit]))
    if dim != parse_units(_KERNEL_UNIT[k.result_unit])[1]:
        raise ValueError(f"units['result']={units['result']!r} is not a unit of {k.result_unit}")
    for key, value in fixed.items():
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"fixed[{key!r}]={value!r}: a finite number")

    pts = floatcheck.samples(k, points, points, seed)
    n = len(pts[names[0]])
    given = {a: (numpy.full(n, float(fixed[a])) if a in fixed
                 else numpy.asarray([float(mpmath.mpf(x) / factors[a]) for x in pts[a]])) for a in names}
    called = [given[a] for a in names if a not in fixed]
    values, raised, how = _call(func, called, n, t0 + timeout_s)
    with mpmath.workdps(floatcheck.REFERENCE_DPS[-1]):
        rows = [tuple(mpmath.mpf(given[a][i]) * factors[a] for a in names) for i in range(n)]
    records = flux.references(kernel, rows) if kernel in flux.flux_kernels() else floatcheck.references(k, rows)
    if records and records[-1][0] == "unstable":
        raise ReferenceUnstable(records[-1][1])
    table = diagnosis.Table(k, names, rows, given, values, [], [], [i >= points for i in range(n)], result_factor,
                            float(ulps), raised, set(fixed))
    with mpmath.workdps(floatcheck.REFERENCE_DPS[-1]):
        for i, rec in enumerate(records):
            exact = mpmath.mpf(0) if rec[0] == "zero" else rec[1] / result_factor
            kappa = 0.0 if rec[0] == "zero" else rec[2]
            if kernel in spectrum_kernels() and kappa:
                kappa += coefficient_kappa(kernel, float(rows[i][0]))
            v = values[i]
            if not math.isfinite(v):
                err = math.inf
            elif exact == 0:
                err = 0.0 if v == 0 else math.inf
            else:
                err = floatcheck.ulp_error(v, exact)
            table.exact.append(exact)
            table.errors.append((err, kappa))
    ranked = sorted(range(n), key=lambda i: -table.errors[i][0] / max(1.0, table.errors[i][1]))
    worst = [Point({a: float(given[a][i]) for a in names}, float(values[i]), float(table.exact[i]),
                   table.errors[i][0], table.errors[i][1], table.stress[i]) for i in ranked[:5]]
    failures = sum(1 for e, kap in table.errors if e > ulps * max(1.0, kap))
    found = diagnosis.diagnose(table, deadline=t0 + timeout_s)
    shown = {a: units.get(a, k.args[names.index(a)].unit) for a in names if a not in fixed}
    shown["result"] = units.get("result", _KERNEL_UNIT[k.result_unit])
    notes = [f"{a} fixed at {v!r}, not passed" for a, v in fixed.items()]
    return Comparison(kernel, name or getattr(func, "__qualname__", None) or repr(func)[:80], float(ulps), n,
                      failures, worst, found, shown, time.monotonic() - t0, how, notes)


def assert_matches(func, kernel: str, ulps: float | None = None, **options) -> Comparison:
    """:func:`compare`, raising AssertionError with the report where any point is beyond the bar; returns the
    Comparison otherwise (its worst point shown by ``str``)."""
    result = compare(func, kernel, ulps=ulps, **options)
    if not result.passed:
        raise AssertionError("\n" + str(result))
    return result
