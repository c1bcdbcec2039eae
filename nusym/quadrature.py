"""High-precision evaluation helpers for definition-level checks.

Every reference value is computed at two working precisions; if the two disagree the
reference itself is cancelling and cannot be trusted (the practice of mpmath's torture
tests).  Quadratures take the points where a theta function switches as breakpoints, so
each piece is smooth and Gauss/tanh-sinh quadrature converges to full precision.

:func:`quad` (and :func:`quadrature` under it) asks each piece for the working precision relative to
its own size, whatever the units make of that size, and extrapolates its error without assuming that
the digits double with each degree; :func:`series` sums a line series to a relative tolerance.
"""
from __future__ import annotations

import functools
import math
from typing import Callable, Iterable, Mapping

import mpmath
import numpy
from mpmath.calculus.quadrature import TanhSinh

from nusym.record import digits_of_agreement

__all__ = ["PRECISIONS", "theta", "integrate", "integrate_delta", "at_precisions", "agreement",
           "ReferenceUnstable", "NotConverged", "quad", "quad_pieces", "quadrature", "series", "gauss_legendre", "NODES",
           "check_nodes", "NEGLIGIBLE", "QUAD_TOLERANCE", "RULES", "switch_points"]

PRECISIONS = (50, 80)


class ReferenceUnstable(ArithmeticError):
    """The same reference evaluated at two precisions disagrees: it cancels or is ill-posed."""


class NotConverged(ArithmeticError):
    """A quadrature whose own error estimate is not small: the integral diverges, oscillates too slowly
    for mpmath, or has a singularity between the breakpoints."""


QUAD_TOLERANCE = 1e-6


def quad(f: Callable, points):
    """Integral of ``f`` over the pieces between ``points`` (see :func:`quadrature`), refused (NotConverged)
    when its error estimate exceeds QUAD_TOLERANCE of the value: mpmath returns a finite number for a
    divergent integral (int_0^1 dT/T gives 79 at 30 digits, 114 at 45), and that number must never be
    compared with anything."""
    pts = [mpmath.mpmathify(x) for x in points]
    return quad_pieces([(f, a, b) for a, b in zip(pts, pts[1:])])


def quad_pieces(pieces):
    """The sum of int_a^b f over ``pieces`` [(f, a, b), ...], each with its own integrand, refused as
    :func:`quad` refuses."""
    value, error = quadrature(pieces)
    size = max(abs(value), mpmath.mpf(10) ** -mpmath.mp.dps)
    if not error <= QUAD_TOLERANCE * size:
        raise NotConverged(f"the integral did not converge: quadrature gives {mpmath.nstr(value, 6)} with an "
                           f"error estimate of {mpmath.nstr(error, 3)}")
    return value


NEGLIGIBLE = mpmath.mpf(2) ** -20


class _TanhSinh:
    """mpmath's tanh-sinh rule, degree by degree: each degree halves the step and reuses the previous sum.
    Nodes crowd double-exponentially at the ends, so end-point singularities cost little."""

    name = "tanh-sinh"
    rule = TanhSinh(mpmath.mp)

    def max_degree(self, prec):
        return self.rule.guess_degree(prec)

    def step(self, f, a, b, degree, prec, results, values):
        return self.rule.sum_next(f, self.rule.get_nodes(a, b, degree, prec), degree, prec, results)


class _Fejer:
    """Fejer's second rule: the n - 1 interior Chebyshev points cos(k pi/n), n = 2**(degree + 2), nested (each
    degree evaluates only the new odd k), exact for polynomials of degree n - 1.  For a function analytic
    near the piece it needs about half the evaluations of tanh-sinh, which spends nodes on the ends; the
    ends themselves are never evaluated.  For pieces a model knows to be smooth (:mod:`nusym.atoms.spectra`); one
    that has not converged at the highest degree is done again by tanh-sinh."""

    name = "fejer"

    def max_degree(self, prec):
        return 6                                  # 255 nodes; a piece not done by then goes to tanh-sinh

    def step(self, f, a, b, degree, prec, results, values):
        scale = 2 ** (9 - degree)                     # node k of n is node k * scale of 2**11: one key for all
        c, d = (b - a) / 2, (b + a) / 2
        total = mpmath.mp.zero
        for k, x, w in _fejer_nodes(degree, prec):
            key = k * scale
            if key not in values:
                values[key] = f(d + c * x)
            total += w * values[key]
        return c * total


@functools.lru_cache(maxsize=64)
def _fejer_nodes(degree, prec):
    """(k, x_k, w_k) of Fejer's second rule on [-1, 1] with n = 2**(degree + 2): x_k = cos(theta_k),
    w_k = (4 sin(theta_k)/n) sum_{j=1}^{n/2} sin((2j - 1) theta_k)/(2j - 1), theta_k = k pi/n (Waldvogel,
    BIT 46 (2006) 195), the sines by their three-term recurrence, all at 50 more bits than ``prec``."""
    n = 2 ** (degree + 2)
    with mpmath.workprec(prec + 50):
        inverse_odd = [mpmath.mpf(1) / (2 * j - 1) for j in range(1, n // 2 + 1)]
        half = []
        for k in range(1, n // 2 + 1):
            theta = mpmath.pi * k / n
            s1 = mpmath.sin(theta)
            c2 = 2 * mpmath.cos(2 * theta)
            prev, cur, acc = -s1, s1, mpmath.mpf(0)
            for inv in inverse_odd:
                acc += cur * inv
                prev, cur = cur, c2 * cur - prev
            half.append((k, mpmath.cos(theta), 4 * s1 * acc / n))
        nodes = half + [(n - k, -x, w) for k, x, w in reversed(half) if k != n // 2]
    return tuple((k, +x, +w) for k, x, w in nodes)


RULES = {r.name: r for r in (_TanhSinh(), _Fejer())}


def _to_unit(f, a, b):
    """The pieces of [a, b] (a < b, either may be infinite) as (g, lo, hi) with finite lo < hi and
    int_a^b f = sum of int_lo^hi g.  A half-line [c, oo) with c > 0 becomes int_0^1 f(c/u) c/u**2 du, so
    that a function whose scale is c (a tail beyond a breakpoint at 10 keV) is seen at the scale 1; mpmath's
    own map, x = c - 1 + 2/(t + 1), has the scale 1 whatever c is, and needs more levels for a large c."""
    inf = mpmath.inf
    if a == -inf:
        if b == inf:
            return _to_unit(f, a, mpmath.mpf(0)) + _to_unit(f, mpmath.mpf(0), b)
        return _to_unit(lambda y: f(-y), -b, inf)
    if b == inf:
        if a <= 0:                                 # no scale given: [a, c] as it is, and [c, oo) at the scale c
            c = max(mpmath.mpf(1), -a)
            return [(f, a, c)] + _to_unit(f, c, inf)
        return [(lambda u: f(a / u) * a / u**2, mpmath.mpf(0), mpmath.mpf(1))]
    return [(f, a, b)]


def quadrature(pieces):
    """(integral, error estimate) of the sum of int_a^b f over ``pieces`` [(f, a, b), ...] or [(f, a, b,
    rule), ...] (b < a counts negatively; either may be infinite; the rule is "tanh-sinh", mpmath's rule and
    nodes, unless "fejer" is named for a piece known to be smooth).

    Two things differ from mpmath.quad.  Its error estimate assumes that the digits double with each
    degree; where they grow only linearly (an integrand with exp(-2 pi/k) at an end gains 12 digits a
    degree) it reports 10**-47 for an error of 10**-36: here the last change is extrapolated geometrically
    (:func:`_estimate`).  And it stops each piece at an absolute error of eps/8, so that an integral of
    size 10**-12 comes back with 18 digits at 30 and one of size 10**6 runs to the highest degree: here
    each piece is taken a degree further, in turn, until its estimated error is below eps/8 of its own
    size, or of NEGLIGIBLE (2**-20) times the sum of all pieces' sizes where it is smaller than that (a tail
    beyond the last feature), up to the rule's highest degree for the precision.
    """
    ctx = mpmath.mp
    units = []
    for f, a, b, *rule in pieces:
        a, b = ctx.mpmathify(a), ctx.mpmathify(b)
        if a != b:
            sign = 1 if a < b else -1
            units += [(g, lo, hi, sign, RULES[rule[0] if rule else "tanh-sinh"])
                      for g, lo, hi in _to_unit(f, min(a, b), max(a, b))]
    prec, epsilon = ctx.prec, ctx.eps / 8
    results = [[] for _ in units]
    values = [{} for _ in units]
    errors = [ctx.inf] * len(units)
    try:
        ctx.prec += 20
        while True:
            size = ctx.fsum(abs(r[-1]) for r in results if r)
            open_ = [i for i, e in enumerate(errors)
                     if not e <= epsilon * max(abs(results[i][-1]) if results[i] else 0, size * NEGLIGIBLE)]
            for i in open_:                       # a piece that was not smooth after all: tanh-sinh from the start
                if units[i][4] is not RULES["tanh-sinh"] and len(results[i]) == units[i][4].max_degree(prec):
                    units[i] = units[i][:4] + (RULES["tanh-sinh"],)
                    results[i], values[i], errors[i] = [], {}, ctx.inf
            todo = [i for i in open_ if len(results[i]) < units[i][4].max_degree(prec)]
            if not todo:
                break
            for i in todo:
                g, a, b, _, rule = units[i]
                degree = len(results[i]) + 1
                results[i].append(rule.step(g, a, b, degree, prec, results[i], values[i]))
                if degree > 1:
                    errors[i] = _estimate(results[i])
        value = ctx.fsum(sign * r[-1] for r, (_, _, _, sign, _) in zip(results, units))
        error = ctx.fsum(errors)
    finally:
        ctx.prec = prec
    return +value, +error


def _estimate(results):
    """The error of the last of ``results`` (degrees 1, 2, ...): the last change |I_k - I_(k-1)| shrunk by the
    ratio of the last two changes, a geometric extrapolation (mpmath's, Borwein, Bailey & Girgensohn's,
    assumes the digits double with each degree and is too optimistic where they do not)."""
    if len(results) == 2:
        return abs(results[0] - results[1])
    d1, d0 = abs(results[-1] - results[-2]), abs(results[-2] - results[-3])
    if d1 == 0:
        return mpmath.mp.zero if d0 == 0 else mpmath.mp.eps * abs(results[-1])
    return d1 if d1 >= d0 else d1 * (d1 / d0)


def series(term: Callable, first: int):
    """sum of term(n) over n >= first, by mpmath.nsum's extrapolation (Richardson's, which suits terms with an
    expansion in powers of 1/n such as a line series n**-3 f(1/n**2); Shanks' as well where it fails), to a
    tolerance relative to the sum's size (that of its first terms): nsum's own is absolute (eps/1024), which
    leaves a sum of size 10**-10 with 20 digits at 30.  NotConverged when no extrapolation converges."""
    scale = mpmath.fsum(abs(term(n)) for n in range(first, first + 3)) or mpmath.mpf(1)
    for method in ("richardson", "r+s"):
        try:
            return scale * mpmath.nsum(lambda n: term(n) / scale, [first, mpmath.inf], method=method, strict=True)
        except mpmath.libmp.NoConvergence:
            continue
    raise NotConverged(f"the series from n = {first} did not converge (Richardson's and Shanks' extrapolations)")


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


# Gauss-Legendre nodes of a float integral (an E_nu or T integral of the detectors): an even number (the error
# estimate uses half of them) in this range.
# The rule costs n**3 to build (0.1 s at 1024, 5 s at 4096); the spectra are smooth on each piece, and 64 nodes
# already agree with 32 to 1e-12.
NODES = (4, 1024)


def check_nodes(n) -> int:
    """``n`` as a number of Gauss-Legendre nodes (an even integer in NODES); ValueError naming it otherwise."""
    if isinstance(n, bool) or not isinstance(n, int) or n % 2 or not NODES[0] <= n <= NODES[1]:
        raise ValueError(f"n={n!r}: the number of Gauss-Legendre nodes is an even integer in [{NODES[0]}, {NODES[1]}]")
    return n


@functools.lru_cache(maxsize=None)
def gauss_legendre(n: int):
    """Nodes and weights of the n-point Gauss-Legendre rule on [-1, 1]."""
    return numpy.polynomial.legendre.leggauss(n)
