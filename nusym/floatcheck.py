"""Accuracy of generated float64 kernels against mpmath, in ULPs, relative to conditioning.

The error of a kernel at float inputs x is measured against the exact value f(x) of the
derived (un-rewritten) expression, evaluated by mpmath at two precisions (60 and 100 digits;
a reference whose two evaluations disagree is rejected).  The relative condition number
kappa = sum_i |x_i df/dx_i / f| comes from SymPy's derivatives.  The bar: error <= 4 ULP
where kappa <= 1 and <= 4 kappa ULP elsewhere; where f(x) = 0 exactly the kernel must
return 0 exactly.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import mpmath
import numpy
import sympy

from .codegen import Kernel

__all__ = ["FloatReport", "measure", "ulp_error", "BAR_ULPS", "samples"]

BAR_ULPS = 4.0
REFERENCE_DPS = (60, 100)


class ReferenceUnstable(ArithmeticError):
    pass


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

    @property
    def passed(self) -> bool:
        return not self.failures and self.worst_ratio <= BAR_ULPS

    @property
    def worst_bits(self) -> float:
        return math.log2(1 + self.worst_ulps)

    def __str__(self) -> str:
        return (f"{self.name}: worst err/max(1,kappa) {self.worst_ratio:.2f} ULP ({self.worst_ulps:.2f} ULP = "
                f"{self.worst_bits:.2f} bits at kappa {self.kappa_at_worst:.3g}); largest error "
                f"{self.max_ulps:.3g} ULP at kappa {self.kappa_at_max:.3g}; {self.points} points")


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


def measure(kernel: Kernel, func, pts: dict) -> FloatReport:
    """Error of ``func`` (the generated kernel) at every point of ``pts`` (dict of float arrays)."""
    names = [a.name for a in kernel.args]
    values = numpy.asarray(func(*[pts[n] for n in names]), dtype=float)
    f, grads = _evaluators(kernel)
    worst = (-1.0, 0.0, 0.0, {})
    largest = (0.0, 0.0)
    total, failures = 0.0, []
    for idx in range(values.size):
        xs = [float(pts[n][idx]) for n in names]
        refs = []
        for dps in REFERENCE_DPS:
            with mpmath.workdps(dps):
                refs.append(f(*[mpmath.mpf(x) for x in xs]))
        with mpmath.workdps(REFERENCE_DPS[-1]):
            exact = mpmath.mpf(refs[-1])
            if abs(refs[0] - exact) > abs(exact) * mpmath.mpf(2) ** -80:
                raise ReferenceUnstable(f"{kernel.name} reference at {dict(zip(names, xs))} differs between "
                                        f"{REFERENCE_DPS} digits")
            got = values.flat[idx]
            if exact == 0:
                if got != 0:
                    failures.append(f"{dict(zip(names, xs))}: exact 0, got {got!r}")
                continue
            err = ulp_error(got, exact)
            kappa = float(sum(abs(mpmath.mpf(x) * g(*[mpmath.mpf(v) for v in xs]) / exact)
                              for x, g in zip(xs, grads)))
        ratio = err / max(1.0, kappa)
        total += err
        if err > largest[0]:
            largest = (err, kappa)
        if ratio > BAR_ULPS:
            failures.append(f"{dict(zip(names, xs))}: {err:.3g} ULP at kappa {kappa:.3g}")
        if ratio > worst[0] or (ratio == worst[0] and err > worst[1]):
            worst = (ratio, err, kappa, dict(zip(names, xs)))
    worst_ulps = max(worst[1], 0.0)
    return FloatReport(kernel.name, values.size, worst_ulps, max(worst[0], 0.0), worst[2], largest[0],
                       largest[1], total / max(values.size, 1), worst[3], failures[:5])
