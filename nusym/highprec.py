"""High-precision evaluation helpers for definition-level checks.

Every reference value is computed at two working precisions; if the two disagree the
reference itself is cancelling and cannot be trusted (the practice of mpmath's torture
tests).  Quadratures take the points where a theta function switches as breakpoints, so
each piece is smooth and Gauss/tanh-sinh quadrature converges to full precision.
"""
from __future__ import annotations

import math
from typing import Callable, Iterable, Mapping

import mpmath

from .record import digits_of_agreement

__all__ = ["PRECISIONS", "theta", "integrate", "integrate_delta", "at_precisions", "agreement",
           "ReferenceUnstable", "NotConverged", "quad"]

PRECISIONS = (50, 80)


class ReferenceUnstable(ArithmeticError):
    """The same reference evaluated at two precisions disagrees: it cancels or is ill-posed."""


class NotConverged(ArithmeticError):
    """A quadrature whose own error estimate is not small: the integral diverges, oscillates too slowly
    for mpmath, or has a singularity between the breakpoints."""


QUAD_TOLERANCE = 1e-6


def quad(f: Callable, points):
    """mpmath.quad over ``points``, refused (NotConverged) when its error estimate exceeds QUAD_TOLERANCE
    of the value: mpmath returns a finite number for a divergent integral (int_0^1 dT/T gives 79 at 30
    digits, 114 at 45), and that number must never be compared with anything."""
    value, error = mpmath.quad(f, points, error=True)
    size = max(abs(value), mpmath.mpf(10) ** -mpmath.mp.dps)
    if not error <= QUAD_TOLERANCE * size:
        raise NotConverged(f"the integral did not converge: quadrature gives {mpmath.nstr(value, 6)} with an "
                           f"error estimate of {mpmath.nstr(error, 3)}")
    return value


def theta(x) -> int:
    """Heaviside step, 1 for x > 0 and 0 otherwise (the value at 0 never matters under quad)."""
    return 1 if x > 0 else 0


def integrate(f: Callable, a, b, breaks: Iterable = ()):
    """Integral of ``f`` over [a, b] with the interior ``breaks`` as quadrature breakpoints."""
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    pts = sorted({a, b, *(mpmath.mpf(x) for x in breaks if a < x < b)})
    return mpmath.quad(f, pts)


def integrate_delta(g: Callable, h: Callable, a, b, guesses: Iterable):
    """Integral over [a, b] of g(x) * delta(h(x)): the sum of g(x0)/|h'(x0)| over the roots x0.

    Roots are found numerically from ``guesses`` (mpmath.findroot) and the derivative by
    numerical differentiation, independently of any closed form.
    """
    total, seen = mpmath.mpf(0), []
    for x in guesses:
        x0 = mpmath.findroot(h, mpmath.mpf(x))
        if a < x0 < b and all(abs(x0 - s) > abs(x0) * mpmath.eps ** 0.5 for s in seen):
            seen.append(x0)
            total += g(x0) / abs(mpmath.diff(h, x0))
    return total


def at_precisions(fn: Callable[[], object], precisions=PRECISIONS):
    """Evaluate ``fn()`` (which reads mpmath's working precision) at each precision."""
    out = []
    for dps in precisions:
        with mpmath.workdps(dps):
            out.append(fn())
    return out


def agreement(definition: Callable[[Mapping], object], closed: Callable[[Mapping], object],
              points: Iterable[Mapping[str, str]], precisions=PRECISIONS) -> float:
    """Minimum over ``points`` of the digits to which the defining expression, evaluated at each
    of ``precisions``, agrees with the closed form evaluated at 30 more digits than the highest.

    Point values are decimal strings (or numbers) converted to mpf at each precision, so the
    inputs are exact at every precision.
    """
    worst = math.inf
    top = max(precisions) + 30
    for pt in points:
        with mpmath.workdps(top):
            ref = closed({k: mpmath.mpf(v) for k, v in pt.items()})
        for dps in precisions:
            with mpmath.workdps(dps):
                val = definition({k: mpmath.mpf(v) for k, v in pt.items()})
            with mpmath.workdps(top):
                worst = min(worst, digits_of_agreement(val, ref) if ref != 0 or val != 0 else math.inf)
    return worst


def switch_points(pattern: Callable, a, b, n: int = 400):
    """Points in (a, b) where the piecewise-constant ``pattern(x)`` (a tuple of theta values) changes.

    ``pattern`` is scanned on a geometric grid of ``n`` points and every change is located by
    bisection to the working precision.  Nothing but the pattern is used, so breakpoints found
    this way do not presuppose any closed form.
    """
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    grid = [a * (b / a) ** (mpmath.mpf(k) / (n - 1)) for k in range(n)]
    found = []
    for lo, hi in zip(grid, grid[1:]):
        plo = pattern(lo)
        if pattern(hi) == plo:
            continue
        for _ in range(int(mpmath.mp.prec) + 8):
            mid = (lo + hi) / 2
            if pattern(mid) == plo:
                lo = mid
            else:
                hi = mid
        found.append((lo + hi) / 2)
    return found
