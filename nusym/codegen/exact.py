"""The exact sign of a small polynomial at float arguments, for guards that must be decided exactly.

A guard such as the free electron's end point, T >= T_max(E_nu) <=> 2 E_nu (E_nu - T) - m_e T <= 0, is a
polynomial inequality with rational coefficients.  :class:`nusym.codegen.kernels.ExactGuard` clears its denominators
(m_e = 51099895069/10**5 eV) to integer coefficients c_k, and the kernels decide sign(sum_k c_k x_k y_k) exactly
in the float arguments x_k, y_k (either may be 1):

1. a filter: the sum of the rounded products and a bound on its rounding error ((n + 3) 2**-52 of the sum of
   their magnitudes, plus 4n of the smallest subnormal for underflow); where the sum lies beyond the bound its
   sign is the exact one;
2. otherwise every product is split into exactly representable parts (Dekker's product with Veltkamp's split:
   c x = p + e, then p y and e y, four floats per term, no rounding) and the parts are added into a
   nonoverlapping expansion (Shewchuk's grow-expansion with Knuth's two-sum); its largest nonzero component has
   the sign of the exact sum.

Step 2 is exact when no part underflows or overflows: products of magnitude from about 1e-290 to 1e300.  The
kernels' allowed ranges keep the end point's there (E_nu >= 1e-30 eV); outside the ambiguous band the filter alone
decides.  Operations are correctly rounded additions and multiplications only, never fused: the C files are
compiled with -ffp-contract=off and CuPy's with --fmad=false.

Implementations: :func:`sign_scalar` (plain Python on floats; compiled by numba in ``nusym.generated.numba_backend``),
:func:`sign_array` (numpy: the filter on every element, exact rational arithmetic on the few it leaves),
:func:`sign_xp` (any array namespace: both steps on every element, branch-free) and :data:`C_SOURCE` (C99, for the
C files and CuPy's kernels).  Tests compare them with exact rational arithmetic on the end point's float pairs.
"""
from __future__ import annotations

from fractions import Fraction

import numpy

__all__ = ["sign_scalar", "sign_array", "sign_xp", "C_SOURCE", "SPLIT", "EPS", "TINY"]

SPLIT = 134217729.0               # 2**27 + 1: Veltkamp's splitter for 53-bit floats
EPS = 2.220446049250313e-16       # 2**-52
TINY = 4.9406564584124654e-324    # the smallest subnormal


def sign_scalar(c, x, y):
    """sign(sum_k c[k] x[k] y[k]) exactly, as -1.0, 0.0 or 1.0 (c, x, y tuples of floats of one length)."""
    n = len(c)
    s = 0.0
    b = 0.0
    for k in range(n):
        t = (c[k] * x[k]) * y[k]
        s += t
        b += abs(t)
    b = (n + 3) * EPS * b + 4 * n * TINY
    if s > b:
        return 1.0
    if s < -b:
        return -1.0
    h = numpy.zeros(4 * n)
    f = numpy.zeros(3)
    g = numpy.zeros(3)
    parts = numpy.zeros(4)
    m = 0
    for k in range(n):                    # c x = f1 + f2, then f1 y and f2 y: four parts, each exact (written out:
        f[0], g[0], g[1], g[2] = c[k], x[k], y[k], y[k]       # numba compiles this function as it stands)
        for j in range(3):
            a, bb = f[j], g[j]
            t = SPLIT * a
            a_hi = t - (t - a)
            a_lo = a - a_hi
            t = SPLIT * bb
            b_hi = t - (t - bb)
            b_lo = bb - b_hi
            p = a * bb
            e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
            if j == 0:
                f[1], f[2] = p, e
            else:
                parts[2 * j - 2], parts[2 * j - 1] = p, e
        for j in range(4):
            q = parts[j]
            for i in range(m):
                total = q + h[i]
                back = total - q
                h[i] = (q - (total - back)) + (h[i] - back)
                q = total
            h[m] = q
            m += 1
    for i in range(m - 1, -1, -1):
        if h[i] != 0.0:
            return 1.0 if h[i] > 0.0 else -1.0
    return 0.0


def sign_array(c, xs, ys):
    """sign(sum_k c[k] xs[k] ys[k]) exactly at every element (numpy arrays or floats, broadcast): the filter of
    step 1 everywhere, exact rational arithmetic (fractions.Fraction) where it does not decide."""
    xs = [numpy.asarray(x, dtype=float) for x in xs]
    ys = [numpy.asarray(y, dtype=float) for y in ys]
    shape = numpy.broadcast_shapes(*[a.shape for a in xs + ys])
    terms = [(ck * x) * y for ck, x, y in zip(c, xs, ys)]
    s = numpy.zeros(shape)
    b = numpy.zeros(shape)
    for t in terms:
        s = s + t
        b = b + numpy.abs(t)
    b = (len(c) + 3) * EPS * b + 4 * len(c) * TINY
    out = numpy.atleast_1d(numpy.where(s > b, 1.0, numpy.where(s < -b, -1.0, numpy.nan)))
    undecided = numpy.flatnonzero(numpy.isnan(out))
    if undecided.size:
        full = [numpy.broadcast_to(a, shape).reshape(-1) for a in xs + ys]
        flat = out.reshape(-1)
        for i in undecided:
            total = sum(Fraction(ck) * Fraction(float(full[k][i])) * Fraction(float(full[len(c) + k][i]))
                        for k, ck in enumerate(c))
            flat[i] = (total > 0) - (total < 0)
    return out.reshape(shape)


def sign_xp(xp, c, xs, ys):
    """sign(sum_k c[k] xs[k] ys[k]) exactly at every element, on the array namespace ``xp``: both steps on every
    element (an accelerator runs them at the cost of a memory pass), the filter's answer where it decides."""
    def two_product(a, b):
        t = SPLIT * a
        a_hi = t - (t - a)
        a_lo = a - a_hi
        t = SPLIT * b
        b_hi = t - (t - b)
        b_lo = b - b_hi
        p = a * b
        return p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    s = b = 0.0
    h = []
    for ck, x, y in zip(c, xs, ys):
        t = (ck * x) * y
        s = s + t
        b = b + xp.abs(t)
        p, e = two_product(ck, x)
        p1, e1 = two_product(p, y)
        p2, e2 = two_product(e, y)
        for part in (p1, e1, p2, e2):
            q = part
            for i in range(len(h)):
                total = q + h[i]
                back = total - q
                h[i] = (q - (total - back)) + (h[i] - back)
                q = total
            h.append(q)
    b = (len(c) + 3) * EPS * b + 4 * len(c) * TINY
    exact = xp.zeros_like(s)
    for part in h:                                     # the last nonzero component decides
        exact = xp.where(part > 0.0, 1.0, xp.where(part < 0.0, -1.0, exact))
    return xp.where(s > b, 1.0, xp.where(s < -b, -1.0, exact))


C_SOURCE = """\
/* sign(sum_k c[k] x[k] y[k]) exactly for float arguments, n <= 16: a rounding-error filter, then Dekker's
   error-free products (Veltkamp's split) added into a nonoverlapping expansion by Shewchuk's grow-expansion
   (see nusym.codegen.exact).  Needs correctly rounded + and *, never fused (-ffp-contract=off). */
static double nusym_exact_sign(int n, const double *c, const double *x, const double *y)
{
    double s = 0.0, b = 0.0, h[64];
    int m = 0;
    for (int k = 0; k < n; ++k) {
        double t = (c[k] * x[k]) * y[k];
        s += t;
        b += fabs(t);
    }
    b = (double)(n + 3) * 2.220446049250313e-16 * b + (double)(4 * n) * 4.9406564584124654e-324;
    if (s > b) {
        return 1.0;
    }
    if (s < -b) {
        return -1.0;
    }
    for (int k = 0; k < n; ++k) {
        double f[3] = {c[k], 0.0, 0.0}, g[3] = {x[k], y[k], y[k]}, parts[4];
        for (int j = 0; j < 3; ++j) {
            double a = f[j], bb = g[j];
            double t = 134217729.0 * a, a_hi = t - (t - a), a_lo = a - a_hi;
            double u = 134217729.0 * bb, b_hi = u - (u - bb), b_lo = bb - b_hi;
            double p = a * bb, e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo;
            if (j == 0) {
                f[1] = p;
                f[2] = e;
            } else {
                parts[2 * j - 2] = p;
                parts[2 * j - 1] = e;
            }
        }
        for (int j = 0; j < 4; ++j) {
            double q = parts[j];
            for (int i = 0; i < m; ++i) {
                double total = q + h[i], back = total - q;
                h[i] = (q - (total - back)) + (h[i] - back);
                q = total;
            }
            h[m++] = q;
        }
    }
    for (int i = m - 1; i >= 0; --i) {
        if (h[i] != 0.0) {
            return h[i] > 0.0 ? 1.0 : -1.0;
        }
    }
    return 0.0;
}
"""
