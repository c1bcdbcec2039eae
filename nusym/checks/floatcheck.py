"""Accuracy of generated float64 kernels against mpmath, in ULPs, relative to conditioning.

The error of a kernel at float inputs x is measured against the exact value f(x) of the
derived (un-rewritten) expression, evaluated by mpmath at two precisions (60 and 100 digits;
a reference whose two evaluations disagree is rejected).  The relative condition number
kappa = sum_i |x_i df/dx_i / f| comes from SymPy's derivatives.  The bar: error <= 4 ULP
where kappa <= 1 and <= 4 kappa ULP elsewhere; where f(x) = 0 exactly the kernel must
return 0 exactly.
"""
from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass

import mpmath
import numpy
import sympy

from nusym.codegen.kernels import Kernel
from nusym.quadrature import ReferenceUnstable

__all__ = ["FloatReport", "measure", "ulp_error", "BAR_ULPS", "samples", "Sweep", "split", "REFERENCE_DPS", "ulp",
           "references"]

BAR_ULPS = 4.0
REFERENCE_DPS = (60, 100)


def ulp(x) -> mpmath.mpf:
    """Spacing of float64 numbers at |x| (subnormal spacing below the normal range)."""
    x = abs(mpmath.mpf(x))
    if x == 0 or x < mpmath.mpf(2) ** -1022:
        return mpmath.mpf(2) ** -1074
    return mpmath.mpf(2) ** (int(mpmath.floor(mpmath.log(x, 2))) - 52)


def ulp_error(value: float, exact) -> float:
    """|value - exact| in units of the float64 spacing at ``exact``."""
    return float(abs(mpmath.mpf(value) - exact) / ulp(exact))


@dataclass
class FloatReport:
    name: str
    points: int
    worst_ulps: float          # error in ULPs at the point of the largest ratio below
    worst_ratio: float         # largest error / max(1, kappa), the quantity held to BAR_ULPS
    kappa_at_worst: float
    max_ulps: float            # largest error in ULPs anywhere (ill-conditioned points included)
    kappa_at_max: float
    mean_ulps: float
    worst_point: dict
    failures: list
    backend: str = "numpy"

    @property
    def passed(self) -> bool:
        return not self.failures and self.worst_ratio <= BAR_ULPS

    @property
    def worst_bits(self) -> float:
        return math.log2(1 + self.worst_ulps)

    def __str__(self) -> str:
        name = self.name if self.backend == "numpy" else f"{self.name} [{self.backend}]"
        return (f"{name}: worst err/max(1,kappa) {self.worst_ratio:.2f} ULP ({self.worst_ulps:.2f} ULP = "
                f"{self.worst_bits:.2f} bits at kappa {self.kappa_at_worst:.3g}); largest error "
                f"{self.max_ulps:.3g} ULP at kappa {self.kappa_at_max:.3g} (the bar there: "
                f"{BAR_ULPS * max(1.0, self.kappa_at_max):.3g} ULP); {self.points} points")


def samples(kernel: Kernel, n_uniform: int, n_stress: int, seed: int = 20141207) -> dict:
    """Log-uniform samples over each argument's accuracy domain plus the kernel's stress region."""
    rng = numpy.random.default_rng(seed)
    out = {a.name: numpy.exp(rng.uniform(math.log(a.domain[0]), math.log(a.domain[1]), n_uniform))
           for a in kernel.args}
    if kernel.stress is not None and n_stress:
        extra = kernel.stress(rng, n_stress)
        for a in kernel.args:
            fill = extra.get(a.name)
            if fill is None:
                fill = numpy.exp(rng.uniform(math.log(a.domain[0]), math.log(a.domain[1]), n_stress))
            out[a.name] = numpy.concatenate([out[a.name], numpy.asarray(fill, dtype=float)])
    return out


@functools.lru_cache(maxsize=None)
def _evaluators(kernel: Kernel):
    ref = kernel.reference()
    syms = [a.symbol for a in kernel.args]
    f = sympy.lambdify(syms, ref, "mpmath")
    grads = [sympy.lambdify(syms, sympy.diff(ref, s), "mpmath") for s in syms]
    return f, grads


def references(kernel: Kernel, xs_rows) -> list:
    """One record per point, in order: ("value", exact, kappa) with the mpmath reference, ("zero",) where
    f(x) = 0 exactly, or ("unstable", message) for a reference that differs between REFERENCE_DPS, after which
    nothing is measured.  ``xs_rows`` are tuples of float arguments.  The kernels' values are compared with
    the references afterwards (:func:`_report`), so one set of references serves every backend."""
    names = [a.name for a in kernel.args]
    f, grads = _evaluators(kernel)
    tiny = mpmath.mpf(2) ** -80
    out = []
    for xs in xs_rows:
        refs = []
        for dps in REFERENCE_DPS:
            with mpmath.workdps(dps):
                refs.append(f(*[mpmath.mpf(x) for x in xs]))
        with mpmath.workdps(REFERENCE_DPS[-1]):
            exact = mpmath.mpf(refs[-1])
            if abs(refs[0] - exact) > abs(exact) * tiny:
                out.append(("unstable", f"{kernel.name} reference at {dict(zip(names, xs))} differs between "
                                        f"{REFERENCE_DPS} digits"))
                return out
            if exact == 0:
                out.append(("zero",))
                continue
            args = [mpmath.mpf(v) for v in xs]
            kappa = float(sum(abs(x * g(*args) / exact) for x, g in zip(args, grads)))
        out.append(("value", exact, kappa))
    return out


def _records_task(kernel: Kernel, xs_rows) -> list:
    from nusym.runner.parallel import exclusive
    return exclusive(references, kernel, xs_rows)


def _report(kernel: Kernel, xs_rows, records, values, backend: str = "numpy") -> FloatReport:
    """The FloatReport of ``values`` (a backend's results at ``xs_rows``) against the records of every point,
    taken in order (as one loop over the points would)."""
    names = [a.name for a in kernel.args]
    worst = (-1.0, 0.0, 0.0, {})
    largest = (0.0, 0.0)
    total, failures = 0.0, []
    for xs, rec, got in zip(xs_rows, records, values):
        at = dict(zip(names, xs))
        if rec[0] == "unstable":
            raise ReferenceUnstable(rec[1])
        if rec[0] == "zero":
            if got != 0:
                failures.append(f"{at}: exact 0, got {got!r}")
            continue
        _, exact, kappa = rec
        with mpmath.workdps(REFERENCE_DPS[-1]):
            err = ulp_error(got, exact)
        ratio = err / max(1.0, kappa)
        total += err
        if err > largest[0]:
            largest = (err, kappa)
        if ratio > BAR_ULPS:
            failures.append(f"{at}: {err:.3g} ULP at kappa {kappa:.3g}")
        if ratio > worst[0] or (ratio == worst[0] and err > worst[1]):
            worst = (ratio, err, kappa, at)
    n = len(xs_rows)
    worst_ulps = max(worst[1], 0.0)
    return FloatReport(kernel.name, n, worst_ulps, max(worst[0], 0.0), worst[2], largest[0],
                       largest[1], total / max(n, 1), worst[3], failures[:5], backend)


def _rows(kernel: Kernel, funcs: dict, pts: dict):
    """The points as tuples of floats, and each backend's values there ({backend: list})."""
    names = [a.name for a in kernel.args]
    values = {b: list(numpy.asarray(f(*[pts[n] for n in names]), dtype=float).ravel()) for b, f in funcs.items()}
    size = len(next(iter(values.values())))
    xs_rows = [tuple(float(pts[n][i]) for n in names) for i in range(size)]
    return xs_rows, values


def split(n: int, parts: int) -> list:
    """``parts`` (at most n) contiguous (start, stop) ranges covering range(n), sizes differing by at most 1."""
    parts = max(1, min(parts, n))
    q, r = divmod(n, parts)
    edges = [0]
    for i in range(parts):
        edges.append(edges[-1] + q + (i < r))
    return list(zip(edges, edges[1:]))


class Sweep:
    """The float check of one kernel split into ``parts`` chunks of points for an executor.  ``funcs`` is one
    callable of the kernel's arguments, or {backend: callable}; their values are computed here, once, and the
    chunks' :meth:`calls` compute the mpmath references of their points; :meth:`report` (one callable) or
    :meth:`reports` (each backend) join the chunks' records in point order into the FloatReport that the
    serial :func:`measure` gives, bit for bit."""

    def __init__(self, kernel: Kernel, funcs, pts: dict, parts: int):
        self.kernel = kernel
        self.funcs = funcs if isinstance(funcs, dict) else {"numpy": funcs}
        self.xs_rows, self.values = _rows(kernel, self.funcs, pts)
        self.ranges = split(len(self.xs_rows), parts)

    def calls(self) -> list:
        shipped = dataclasses.replace(self.kernel, stress=None)      # the sampler is not needed, nor picklable
        return [(_records_task, (shipped, self.xs_rows[a:b])) for a, b in self.ranges]

    def reports(self, chunk_records) -> dict:
        records = []
        for recs in chunk_records:
            records.extend(recs)
            if records and records[-1][0] == "unstable":
                break
        return {b: _report(self.kernel, self.xs_rows, records, v, b) for b, v in self.values.items()}

    def report(self, chunk_records) -> FloatReport:
        return next(iter(self.reports(chunk_records).values()))


def measure(kernel: Kernel, func, pts: dict, executor=None, parts: int | None = None) -> FloatReport:
    """Error of ``func`` (the generated kernel, or any callable of the kernel's arguments) at every point of
    ``pts`` (dict of float arrays).  With an ``executor`` (see :mod:`nusym.runner.parallel`) the mpmath references
    are computed in ``parts`` chunks (default: 2 per worker) on its workers; the report is bit for bit the
    serial one."""
    if executor is None:
        xs_rows, values = _rows(kernel, {"numpy": func}, pts)
        return _report(kernel, xs_rows, references(kernel, xs_rows), values["numpy"])
    from nusym.runner.parallel import workers_of
    sweep = Sweep(kernel, func, pts, parts or 2 * workers_of(executor))
    futures = [executor.submit(fn, *args) for fn, args in sweep.calls()]
    return sweep.report(f.result() for f in futures)
