"""The radial Schroedinger equation on a log-linear mesh: grids, Numerov shooting for bound states, the Hartree
potential (atomic units: Hartree, bohr).

* :class:`RadialGrid`: uniform in x = ln r + r/c (pure log for c = None): logarithmic near the nucleus (the 1s of U),
  linear (spacing h c) far out, where Rydberg and continuum states oscillate.  With P = sqrt(r') y the radial
  equation P'' = [2(V - E) + l(l+1)/r^2] P loses its first derivative for any mapping and is integrated with Numerov
  (global error O(h^4)).  Integrals are trapezoidal in x (spectrally accurate: every integrand vanishes at both ends).
* :func:`solve_bound`: dftatom-style shooting (O. Certik, J. E. Pask, J. Vackar, Comput. Phys. Commun. 184 (2013)
  1777): outward to the outermost classical turning point, inward from where the WKB decay exponent reaches 60,
  matched in value; Cooley's energy correction (Math. Comp. 15 (1961) 363) inside a bisection bracket kept by node
  counting.  The recurrence is a banded lower-triangular system solved by LAPACK ``dtbtrs``, propagated in summed
  (difference) form, which keeps round-off at O(eps/h) instead of O(eps/h^2) (the three-term form made the Z = 32
  1s worse when h was halved).
* :func:`hartree_potential`: V_H from 4 pi r^2 rho with 6-point Newton-Cotes cumulative integrals.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import lapack

__all__ = ["RadialGrid", "default_grid", "extended_grid", "interval_integrals", "hartree_potential", "march",
           "start_index", "initial_values", "BoundSolution", "solve_bound", "FOUR_PI"]

FOUR_PI = 4.0 * np.pi

# --------------------------------------------------------------------------
# Radial grid
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RadialGrid:
    r"""Uniform grid in :math:`x=\ln r+r/c` (pure log grid for ``c=None``).

    Attributes
    ----------
    x, r : grid in x and in r
    rp : :math:`dr/dx`
    geom : :math:`\tfrac34(r''/r')^2-\tfrac12r'''/r'` (Liouville term)
    h : step in x
    c : linear-part scale (bohr) or ``None``
    w : trapezoidal weights for :math:`\int f(r)\,dr\approx\sum_i w_i f_i`
    """

    x: np.ndarray
    r: np.ndarray
    rp: np.ndarray
    geom: np.ndarray
    h: float
    c: float | None
    w: np.ndarray

    @classmethod
    def build(cls, r_min: float, r_max: float, h: float, c: float | None = None):
        """Grid from ``r_min`` to (at least) ``r_max`` with step ``h`` in x."""
        if c is None:
            x0, x1 = np.log(r_min), np.log(r_max)
        else:
            x0, x1 = np.log(r_min) + r_min / c, np.log(r_max) + r_max / c
        n = int(np.ceil((x1 - x0) / h)) + 1
        x = x0 + h * np.arange(n)
        if c is None:
            r = np.exp(x)
            rp = r.copy()
            geom = np.full_like(r, 0.25)
        else:
            # invert x = ln r + r/c with Newton on s = ln r
            # start: r ~ c (x - ln c) where r >> c, r ~ e^x where r << c
            big = x > np.log(c) + 1.0
            s = x.copy()
            s[big] = np.log(c * (x[big] - np.log(c)))
            for _ in range(100):
                es = np.exp(s) / c
                ds = (s + es - x) / (1.0 + es)
                s -= ds
                if np.max(np.abs(ds)) < 1e-15:
                    break
            r = np.exp(s)
            rp = r * c / (r + c)
            geom = c ** 3 * (0.25 * c + r) / (r + c) ** 4
        w = h * rp
        w[0] *= 0.5
        w[-1] *= 0.5
        return cls(x=x, r=r, rp=rp, geom=geom, h=float(h), c=c, w=w)

    @property
    def n(self) -> int:
        return self.r.size

    def integrate(self, f):
        """:math:`\\int f\\,dr` over the grid (last axis of ``f``)."""
        return np.asarray(f) @ self.w

    def same_as(self, other: "RadialGrid") -> bool:
        return other is self or (other.n == self.n and other.h == self.h and
                                 other.c == self.c and np.array_equal(other.r, self.r))


def default_grid(Z: int, r_max: float = 50.0, h: float = 0.0035,
                 r_min_factor: float = 1e-6, c: float | None = None) -> RadialGrid:
    """Default ground-state grid: r from 1e-6/Z to 50 bohr, log, h=0.0035."""
    return RadialGrid.build(r_min_factor / Z, r_max, h, c)


def extended_grid(Z: int, r_max: float, k_max: float = 0.0, h: float = 0.0035,
                  r_min_factor: float = 1e-6, dr_max: float | None = None) -> RadialGrid:
    """Log-linear grid for Rydberg / continuum states.

    The linear-region spacing is ``h*c``; ``c`` is chosen so that the spacing
    is at most ``dr_max`` (default ``min(0.25, 0.02/k_max)``).  Numerov's
    relative phase error is about (k dr)^4/480 per radian of phase, i.e.
    ~3e-10 k*r for k*dr = 0.02; use a smaller ``dr_max`` for more digits.
    """
    if dr_max is None:
        dr_max = 0.25 if k_max <= 0 else min(0.25, 0.02 / k_max)
    c = dr_max / h
    return RadialGrid.build(r_min_factor / Z, r_max, h, c)


# --------------------------------------------------------------------------
# Exchange-correlation
# --------------------------------------------------------------------------

# VWN5 (Ceperley-Alder paramagnetic) parameters, energies in Hartree.

# --------------------------------------------------------------------------
# Quadrature helpers
# --------------------------------------------------------------------------

_W6 = np.array([11.0, -93.0, 802.0, 802.0, -93.0, 11.0]) / 1440.0
_W4 = np.array([-1.0, 13.0, 13.0, -1.0]) / 24.0


def interval_integrals(g, h):
    """Integrals of g over each interval [x_i, x_{i+1}] (uniform step h).

    6-point rule (error O(h^7) per interval) in the interior, 4-point rule
    next to the ends, trapezoid for the first and last interval.
    """
    n = g.size
    I = np.empty(n - 1)
    I[:] = 0.5 * h * (g[:-1] + g[1:])
    if n >= 6:
        i = np.arange(1, n - 2)
        I[1:n - 2] = h * (_W4[0] * g[i - 1] + _W4[1] * g[i] + _W4[2] * g[i + 1] + _W4[3] * g[i + 2])
        i = np.arange(2, n - 3)
        I[2:n - 3] = h * (_W6[0] * g[i - 2] + _W6[1] * g[i - 1] + _W6[2] * g[i]
                          + _W6[3] * g[i + 1] + _W6[4] * g[i + 2] + _W6[5] * g[i + 3])
    return I


def hartree_potential(grid: RadialGrid, n4pir2):
    r"""Hartree potential from :math:`4\pi r^2\rho` (= :math:`\sum f P^2`).

    :math:`V_H(r)=\frac1r\int_0^r 4\pi r'^2\rho\,dr'+\int_r^\infty4\pi r'\rho\,dr'`.
    Returns ``(V_H, Q)`` with ``Q(r)`` the enclosed charge.
    """
    g1 = n4pir2 * grid.rp
    Q = np.concatenate(([0.0], np.cumsum(interval_integrals(g1, grid.h))))
    g2 = g1 / grid.r
    I2 = interval_integrals(g2, grid.h)
    T = np.concatenate((np.cumsum(I2[::-1])[::-1], [0.0]))
    return Q / grid.r + T, Q


# --------------------------------------------------------------------------
# Numerov machinery
# --------------------------------------------------------------------------


def march(c, Y0, Y1):
    """Numerov recurrence in summed (difference) form.

    With :math:`Y_i=(1-h^2F_i/12)y_i` and :math:`c_i=h^2F_i/(1-h^2F_i/12)`,
    Numerov's :math:`Y_{i+1}-2Y_i+Y_{i-1}=h^2F_iy_i` is propagated as
    :math:`d_{i+1}=d_i+c_iY_i`, :math:`Y_{i+1}=Y_i+d_{i+1}` (``d_i=Y_i-Y_{i-1}``),
    which keeps the round-off at O(eps/h) instead of O(eps/h^2).  The
    recurrence is a banded lower-triangular system for the interleaved
    unknowns (d_2, Y_2, d_3, Y_3, ...) and is solved with LAPACK ``dtbtrs``
    (plain forward substitution, C speed).  Returns ``(Y, d)`` of length
    ``len(c)``; ``d[0]`` is undefined (nan).
    """
    K = c.size
    Y = np.empty(K)
    d = np.empty(K)
    Y[0], Y[1] = Y0, Y1
    d[0], d[1] = np.nan, Y1 - Y0
    if K == 2:
        return Y, d
    m = K - 2
    ab = np.zeros((3, 2 * m))
    ab[0] = 1.0
    ab[1, 0::2] = -1.0                       # Y_{q+2} row: coefficient of d_{q+2}
    if m > 1:
        ab[1, 1:2 * m - 1:2] = -c[2:K - 1]   # d_{q+2} row: coefficient of Y_{q+1}
        ab[2, :2 * m - 2] = -1.0             # d_{q+1} (in d row) and Y_{q+1} (in Y row)
    rhs = np.zeros(2 * m)
    rhs[0] = d[1] + c[1] * Y1
    rhs[1] = Y1
    sol, info = lapack.dtbtrs(ab, rhs, uplo="L")
    if info != 0:
        raise FloatingPointError("dtbtrs failed")
    d[2:] = sol[0::2]
    Y[2:] = sol[1::2]
    return Y, d


def start_index(grid: RadialGrid, l: int, Z: float, E: float) -> int:
    """First grid index where the regular solution is not negligible.

    For l>0 the solution behaves like r^(l+1) inside the turning point of
    l(l+1)/2r^2 - Z/r = E (a lower bound of the true turning point since the
    screened potential is >= -Z/r); we start where (r/r_t)^(l+1) ~ 1e-30.
    """
    if l == 0:
        return 0
    L2 = 0.5 * l * (l + 1)
    Zp = max(Z, 1e-3)
    if E > 1e-12:
        r_t = (-Zp + np.sqrt(Zp * Zp + 4.0 * E * L2)) / (2.0 * E)
    else:
        r_t = L2 / Zp
    r_s = r_t * 10.0 ** (-30.0 / (l + 1))
    return int(min(max(np.searchsorted(grid.r, r_s) - 1, 0), grid.n - 4))


def initial_values(grid, i, l, Z):
    """y at indices i, i+1 from P ~ r^(l+1)(1 - Z r/(l+1))."""
    r = grid.r[i:i + 2]
    P = r ** (l + 1) * (1.0 - Z * r / (l + 1))
    y = P / np.sqrt(grid.rp[i:i + 2])
    return y / abs(y[0]) if y[0] != 0 else y


@dataclass
class BoundSolution:
    """Result of :func:`solve_bound`: discrete Numerov eigenvalue ``E``, ``y``
    (= P/sqrt(r')) and ``P`` (normalized), Cooley iterations, matching index
    ``m`` and index ``imax`` where the inward integration started."""

    E: float
    y: np.ndarray
    P: np.ndarray
    iterations: int
    m: int
    imax: int


def solve_bound(grid: RadialGrid, V, n: int, l: int, Z: float, E_guess=None,
                tol: float = 1e-13, maxiter: int = 300, E_max: float = 0.0) -> BoundSolution:
    """Bound eigenstate (n, l) of ``V`` on ``grid`` (Numerov + Cooley + nodes).

    ``Z`` is the nuclear charge (small-r series and start index).  Returns the
    discrete Numerov eigenvalue (converged to ``tol`` relative, or to the
    round-off floor ~1e-11 relative) and ``P`` normalized to
    :math:`\\int P^2dr=1`, positive near the origin (``P`` belongs to the
    last-but-one energy iterate, which differs by less than the tolerance).
    Raises ``ValueError`` if no bound state with n-l-1 nodes exists below
    ``E_max`` or if the state is classically allowed up to the grid end.
    """
    h2 = grid.h ** 2
    r, rp = grid.r, grid.rp
    N = grid.n
    wE = 2.0 * rp * rp                       # -dF/dE
    base = rp * rp * (2.0 * V + l * (l + 1) / (r * r)) + grid.geom
    target = n - l - 1
    Veff = V + 0.5 * l * (l + 1) / (r * r)
    lo = float(np.min(Veff))
    hi = float(E_max)
    if E_guess is None or not (lo < E_guess < hi):
        E_guess = max(-0.5 * Z * Z / (n * n), 0.5 * (lo + hi)) if Z > 0 else 0.5 * (lo + hi)
        E_guess = min(E_guess, hi - 1e-8 * max(1.0, abs(hi)))
    E = float(E_guess)
    dE_prev = np.inf
    for it in range(1, maxiter + 1):
        F = base - E * wE
        a = 1.0 - h2 / 12.0 * F
        c = h2 * F / a
        i_s = start_index(grid, l, Z, 0.0)
        allowed = np.nonzero(F[i_s:] < 0.0)[0]
        if allowed.size:
            m = i_s + int(allowed[-1])
        else:
            m = i_s + int(np.argmin(F[i_s:]))
        m = min(max(m, i_s + 3), N - 4)
        # inward start: WKB decay exponent 60 beyond m (or grid end)
        kap = np.sqrt(np.clip(F[m:], 0.0, None)) * grid.h
        ckap = np.cumsum(kap)
        j = int(np.searchsorted(ckap, 60.0))
        imax = min(m + j, N - 1)
        if imax - m < 3:
            imax = min(m + 3, N - 1)
        y0, y1 = initial_values(grid, i_s, l, Z)
        Yo, do = march(c[i_s:m + 1], a[i_s] * y0, a[i_s + 1] * y1)
        y_end = 1e-30
        y_pre = y_end * np.exp(grid.h * np.sqrt(max(0.5 * (F[imax] + F[imax - 1]), 0.0)))
        Yi, di = march(c[m:imax + 1][::-1], a[imax] * y_end, a[imax - 1] * y_pre)
        J = imax - m
        if Yo[-1] == 0.0 or Yi[J] == 0.0:
            raise FloatingPointError("zero matching value")
        sc = Yo[-1] / Yi[J]
        Yi *= sc
        di *= sc
        y = np.zeros(N)
        y[i_s:m + 1] = Yo / a[i_s:m + 1]
        y[m + 1:imax + 1] = Yi[J - 1::-1] / a[m + 1:imax + 1]
        s = np.signbit(y[i_s:imax + 1])
        nz = y[i_s:imax + 1] != 0.0
        ss = s[nz]
        nodes = int(np.count_nonzero(ss[1:] != ss[:-1]))
        if nodes != target:
            if nodes > target:
                hi = E
            else:
                lo = E
            if hi - lo < 1e-14 * max(1.0, abs(E)):
                raise ValueError(f"no bound state n={n}, l={l} below E={E_max}")
            E = 0.5 * (lo + hi)
            continue
        # Cooley correction from the Numerov residual at m:
        # D = (Y_{m+1}-Y_m) - (Y_m-Y_{m-1}) - c_m Y_m   (differences kept exact)
        ym = y[m]
        D = (-di[J]) - do[-1] - c[m] * Yo[-1]
        norm_x = np.dot(wE, y * y)            # sum 2 r'^2 y^2
        dE = -ym * D / (h2 * norm_x)
        if dE > 0:
            lo = E
        else:
            hi = E
        if hi - lo < 1e-14 * max(1.0, abs(E)) and abs(dE) > 1e-10 * max(1.0, abs(E)):
            raise ValueError(f"no bound state n={n}, l={l} below E={E_max}")
        scale = max(1.0, abs(E))
        if abs(dE) < tol * scale or (abs(dE) < 1e-11 * scale and abs(dE) >= 0.5 * dE_prev):
            # converged (second test: stalled at round-off level)
            E = E + dE
            break
        E_new = E + dE
        if not (lo < E_new < hi):
            E_new = 0.5 * (lo + hi)
        dE_prev = abs(dE)
        E = E_new
    else:
        raise RuntimeError(f"bound state n={n} l={l} not converged (E={E}, dE={dE})")
    if m >= N - 4:
        raise ValueError(f"state n={n}, l={l} (E={E:.6g}) is classically allowed up to "
                         f"the grid end r={r[-1]:.4g}: not a bound state on this grid")
    P = np.sqrt(rp) * y
    norm = np.sqrt(np.dot(grid.w, P * P))
    P /= norm
    y /= norm
    # sign convention: positive near the origin
    first = np.nonzero(P)[0]
    if first.size and P[first[0]] < 0:
        P = -P
        y = -y
    return BoundSolution(E=E, y=y, P=P, iterations=it, m=m, imax=imax)


# --------------------------------------------------------------------------
# Thomas-Fermi starting potential
# --------------------------------------------------------------------------
