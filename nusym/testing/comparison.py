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

import contextlib
import math
import re
import signal
import threading
import time
import warnings
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
           "MAX_POINTS", "DEFAULT_TIMEOUT_S", "Options", "check_options", "kernel_of", "reference_records"]

DEFAULT_POINTS = 300              # log-uniform points, and as many stress points: verify's float check
MAX_POINTS = 20000                # of each kind: the references cost about 2 ms a point
DEFAULT_TIMEOUT_S = 300.0         # the whole comparison, the implementation's calls included
_ENERGY, _AREA = (1, 0), (0, 2)
_DIMENSION = {**{n: _ENERGY for n in ("eV", "meV", "keV", "MeV", "GeV")},
              **{n: (0, 1) for n in ("cm", "m", "mm", "fm")},
              **{n: _AREA for n in ("cm2", "barn", "mb", "kb", "Mb")}}
_KERNEL_UNIT = {"eV": "eV", "1": "1", "cm^2/eV": "cm2/eV", "1/eV": "1/eV"}      # the kernels' result units


def kernel_names() -> list:
    """The kernels of nusym.numeric, then the reactor spectra (:mod:`nusym.testing.spectra`) and the flux-averaged
    cross sections (:mod:`nusym.testing.flux`)."""
    catalogue.load("kernel")
    return catalogue.ids("kernel") + list(spectrum_kernels()) + list(flux.flux_kernels())


def kernel_of(name):
    if not isinstance(name, str) or name not in kernel_names():
        raise ValueError(f"kernel={name!r} is not a kernel; known: {', '.join(kernel_names())}")
    return spectrum_kernels().get(name) or flux.flux_kernels().get(name) or catalogue.get("kernel", name)


def parse_units(text: str) -> tuple:
    """(factor as an exact mpmath number, (energy power, length power)) of a unit such as "keV", "cm2/keV" or "1":
    names of :mod:`nusym.units` joined by * and /."""
    if not isinstance(text, str) or len(text) > 60 or not re.fullmatch(r"\s*[A-Za-z0-9]+(\s*[*/]\s*[A-Za-z0-9]+)*\s*",
                                                                      text):
        raise ValueError(f"unit {text!r:.60}: names of nusym.units ({', '.join(_DIMENSION)}) joined by * and /, or 1")
    factor, dim = mpmath.mpf(1), (0, 0)
    for sign, name in re.findall(r"(^|[*/])\s*([A-Za-z0-9]+)", text.strip()):
        if name == "1":
            continue
        if name not in _DIMENSION:
            raise ValueError(f"unit {text!r:.60}: {name!r:.30} is not a unit of nusym.units; known: "
                             f"{', '.join(_DIMENSION)}")
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


_FLOATCHECK_HOW = f"the derived expression in mpmath at {floatcheck.REFERENCE_DPS} digits"


@dataclass
class Comparison:
    """What :func:`compare` found: ``passed``, the worst points, the diagnosis; ``str`` is the report."""

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
        k = kernel_of(self.kernel)
        unit_text = ", ".join(f"{a} in {u}" for a, u in self.units.items())
        lines = [f"{self.implementation} against nusym's {self.kernel} ({k.doc.splitlines()[0].strip()})",
                 f"  {self.points} points (verify's float check: log-uniform over the accuracy domain, then the stress "
                 f"points); references: {flux.HOW if self.kernel in flux.flux_kernels() else _FLOATCHECK_HOW}; "
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


def _as_real(value) -> float:
    """A returned value as a float: a complex number with a nonzero imaginary part, a string, a bool are refused."""
    if isinstance(value, (str, bytes, bool, numpy.bool_)):
        raise TypeError(f"returned {type(value).__name__} {value!r:.40}, not a number")
    if numpy.iscomplexobj(value):
        if numpy.imag(value) != 0:
            raise TypeError(f"returned the complex number {complex(value)!r}")
        value = numpy.real(value)
    return float(value)


def _call(func, cols: list, n: int, deadline: float):
    """(values, {index: message}, how): one vectorized call where the implementation takes arrays (copies: it may
    write into them), else a call per point (a point that raises, or exits, is NaN with its message)."""
    try:
        with numpy.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = func(*[c.copy() for c in cols])
            if isinstance(raw, numpy.ndarray) and raw.dtype.kind in "fiuc" and raw.shape == (n,):
                if raw.dtype.kind == "c":
                    bad = numpy.imag(raw) != 0
                    out = numpy.where(bad, math.nan, numpy.real(raw)).astype(float)
                    return out, {int(i): f"returned a complex number {complex(raw[i])!r}"
                                 for i in numpy.flatnonzero(bad)}, "once with arrays"
                return raw.astype(float), {}, "once with arrays"
    except (Exception, SystemExit):                     # a scalar implementation: called point by point below
        pass
    values, raised = numpy.full(n, math.nan), {}
    for i in range(n):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the implementation took longer than the comparison's budget ({i} of {n} points)")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                values[i] = _as_real(func(*[float(c[i]) for c in cols]))
        except (Exception, SystemExit) as exc:          # the user's code: its failure is part of the report
            raised[i] = f"{type(exc).__name__}: {exc}"[:200]
    return values, raised, "point by point"


@contextlib.contextmanager
def _budget(seconds: float):
    """TimeoutError in the main thread once ``seconds`` have passed (SIGALRM; the caller's handler and timer are
    put back), so that an implementation stuck inside one call is stopped too; elsewhere nothing (the deadline
    checks between calls remain)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum, frame):
        raise TimeoutError(f"the comparison's budget of {seconds:g} s ran out")
    old_handler = signal.signal(signal.SIGALRM, ring)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    t0 = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay:
            signal.setitimer(signal.ITIMER_REAL, max(old_delay - (time.monotonic() - t0), 1e-3), old_interval)


@dataclass
class Options:
    """A comparison's checked options (see :func:`check_options`)."""
    kernel: object
    names: list
    ulps: float
    units: dict
    fixed: dict
    factors: dict
    result_factor: object
    points: int
    seed: int
    timeout_s: float


def _number(name: str, value, lo: float, hi: float, what: str) -> float:
    if isinstance(value, (bool, numpy.bool_)) or not isinstance(value, (int, float, numpy.integer, numpy.floating)) \
            or not (math.isfinite(float(value)) and lo < float(value) <= hi):
        raise ValueError(f"{name}={value!r:.60}: {what}")
    return float(value)


def check_options(kernel: str, *, ulps=None, units=None, fixed=None, points: int = DEFAULT_POINTS,
                  seed: int = 20141207, timeout_s: float = DEFAULT_TIMEOUT_S) -> Options:
    """The options of :func:`compare`, checked before any work; ValueError naming the one that is not allowed."""
    k = kernel_of(kernel)
    names = [a.name for a in k.args]
    if ulps is None and kernel in flux.flux_kernels():
        raise ValueError(f"ulps: give the tolerance of your quadrature for {kernel}, in ULP x max(1, kappa) (1e-9 "
                         f"relative is 4.5e6 ULP); a flux average has no float bar")
    ulps = _number("ulps", floatcheck.BAR_ULPS if ulps is None else ulps, 0, 1e300, "a number of ULPs in (0, 1e300]")
    if isinstance(points, bool) or not isinstance(points, (int, numpy.integer)) or not 1 <= points <= MAX_POINTS:
        raise ValueError(f"points={points!r:.60}: an integer from 1 to {MAX_POINTS}")
    if isinstance(seed, bool) or not isinstance(seed, (int, numpy.integer)) or not 0 <= seed < 2**63:
        raise ValueError(f"seed={seed!r:.60}: an integer from 0 to 2**63 - 1")
    timeout_s = _number("timeout_s", timeout_s, 0, 86400, "seconds, more than 0 and at most 86400")
    for name, value in (("units", units), ("fixed", fixed)):
        if value is not None and not isinstance(value, dict):
            raise ValueError(f"{name}={value!r:.60}: a dict {{argument: ...}}")
    units, fixed = dict(units or {}), dict(fixed or {})
    for key in units:
        if key not in names and key != "result":
            raise ValueError(f"units: {key!r:.40} is not an argument of {kernel} ({', '.join(names)}) or 'result'")
    for key in fixed:
        if key not in names:
            raise ValueError(f"fixed: {key!r:.40} is not an argument of {kernel} ({', '.join(names)})")
    factors = {}
    for a in k.args:
        f, dim = parse_units(units.get(a.name, a.unit if a.unit in _DIMENSION else "1"))
        if dim != _DIMENSION.get(a.unit, (0, 0)):
            raise ValueError(f"units[{a.name!r}]={units[a.name]!r:.40} is not a unit of {a.unit}")
        factors[a.name] = f
    result_factor, dim = parse_units(units.get("result", _KERNEL_UNIT[k.result_unit]))
    if dim != parse_units(_KERNEL_UNIT[k.result_unit])[1]:
        raise ValueError(f"units['result']={units['result']!r:.40} is not a unit of {k.result_unit}")
    for a in k.args:
        if a.name in fixed:
            lo, hi, lo_open = a.allowed
            value = _number(f"fixed[{a.name!r}]", fixed[a.name], -math.inf, math.inf, "a finite number")
            base = float(mpmath.mpf(value) * factors[a.name])
            if not ((base > lo if lo_open else base >= lo) and base <= hi):
                raise ValueError(f"fixed[{a.name!r}]={value!r}: {a.name} is allowed in {'(' if lo_open else '['}"
                                 f"{lo:g}, {hi:g}] {a.unit}")
            fixed[a.name] = value
    return Options(k, names, ulps, units, fixed, factors, result_factor, int(points), int(seed), timeout_s)


def reference_records(kernel: str, k, rows: list, deadline: float) -> list:
    """The references of ``rows`` in chunks, the budget checked between them."""
    out, step = [], 1 if kernel in flux.flux_kernels() else 25
    for i in range(0, len(rows), step):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the comparison's budget ran out computing references ({i} of {len(rows)} points)")
        chunk = rows[i:i + step]
        out += flux.references(kernel, chunk) if kernel in flux.flux_kernels() else floatcheck.references(k, chunk)
        if out and out[-1][0] == "unstable":
            raise ReferenceUnstable(out[-1][1])
    return out


def compare(func, kernel: str, *, ulps: float | None = None, units: dict | None = None,
            fixed: dict | None = None, points: int = DEFAULT_POINTS, seed: int = 20141207,
            timeout_s: float = DEFAULT_TIMEOUT_S, name: str | None = None) -> Comparison:
    """Compare ``func`` (a callable of the kernel's arguments in its order, less those in ``fixed``; scalar or
    vectorized) with the kernel ``kernel`` of :mod:`nusym.numeric`.

    ``units``: {argument or "result": unit} where the implementation's differ from the kernel's (eV, cm2/eV);
    ``fixed``: {argument: value} held fixed (in the implementation's units) and not passed, e.g. a weak mixing
    angle the implementation keeps inside; ``points`` log-uniform points and as many stress points (1 to
    MAX_POINTS); the bar ``ulps`` (> 0; default verify's 4, and no default for a flux average, which is a quadrature:
    give its tolerance); ``timeout_s`` the budget of the whole comparison (TimeoutError when it runs out; an
    implementation stuck in one call is stopped too where this runs in the main thread)."""
    if not callable(func):
        raise ValueError(f"func={func!r:.60} is not callable")
    o = check_options(kernel, ulps=ulps, units=units, fixed=fixed, points=points, seed=seed, timeout_s=timeout_s)
    with _budget(o.timeout_s):
        return _run(func, kernel, o, name, time.monotonic())


def _run(func, kernel: str, o: Options, name, t0: float) -> Comparison:
    k, names, fixed, units = o.kernel, o.names, o.fixed, o.units
    deadline = t0 + o.timeout_s
    pts = floatcheck.samples(k, o.points, o.points, o.seed)
    n = len(pts[names[0]])
    given = {a: (numpy.full(n, float(fixed[a])) if a in fixed
                 else numpy.asarray([float(mpmath.mpf(x) / o.factors[a]) for x in pts[a]])) for a in names}
    called = [given[a] for a in names if a not in fixed]
    values, raised, how = _call(func, called, n, deadline)
    with mpmath.workdps(floatcheck.REFERENCE_DPS[-1]):
        rows = [tuple(mpmath.mpf(given[a][i]) * o.factors[a] for a in names) for i in range(n)]
    records = reference_records(kernel, k, rows, deadline)
    table = diagnosis.Table(k, names, rows, given, values, [], [], [i >= o.points for i in range(n)],
                            o.result_factor, o.ulps, raised, set(fixed))
    with mpmath.workdps(floatcheck.REFERENCE_DPS[-1]):
        for i, rec in enumerate(records):
            exact = mpmath.mpf(0) if rec[0] == "zero" else rec[1] / o.result_factor
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
    failures = sum(1 for e, kap in table.errors if e > o.ulps * max(1.0, kap))
    found = diagnosis.diagnose(table, deadline=deadline)
    shown = {a: units.get(a, k.args[names.index(a)].unit) for a in names if a not in fixed}
    shown["result"] = units.get("result", _KERNEL_UNIT[k.result_unit])
    notes = [f"{a} fixed at {v!r}, not passed" for a, v in fixed.items()]
    return Comparison(kernel, name or getattr(func, "__qualname__", None) or repr(func)[:80], o.ulps, n,
                      failures, worst, found, shown, time.monotonic() - t0, how, notes)


def assert_matches(func, kernel: str, ulps: float | None = None, **options) -> Comparison:
    """:func:`compare`, raising AssertionError with the report where any point is beyond the bar; returns the
    Comparison otherwise (its worst point shown by ``str``)."""
    result = compare(func, kernel, ulps=ulps, **options)
    if not result.passed:
        raise AssertionError("\n" + str(result))
    return result
