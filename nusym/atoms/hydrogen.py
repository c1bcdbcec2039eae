"""Hydrogen 1s: the exact density response, in atomic units (hbar = m_e = e = 1, E_h = 1).

The target is H(1s), E_0 = -1/2; the momentum transfer is q (in 1/a_0) and the energy
transfer t (in E_h).  The spectrum of rho(-q) = exp(i q.r) acting on 1s has three parts:

* elastic, t = 0:           |<1s|e^{iq.r}|1s>|**2 = (1 + q**2/4)**-4;
* lines 1s -> n (n >= 2), summed over l and m, at t_n = (1 - 1/n**2)/2:
  F_n(q) = 2**8 n**7 q**2 [(n**2 - 1)/3 + n**2 q**2] [(nq)**2 + (n-1)**2]**(n-3) / [(nq)**2 + (n+1)**2]**(n+3);
* the continuum t = (1 + k**2)/2, per unit energy:
  S(t, q) = 2**8 q**2 [q**2 + (1 + k**2)/3] exp[-(2/k) atan2(2k, q**2 - k**2 + 1)]
            / {[(q + k)**2 + 1]**3 [(q - k)**2 + 1]**3 (1 - exp(-2 pi/k))},
  the arctangent on its (0, pi) branch.

Landau & Lifshitz, Quantum Mechanics, 3rd ed., Sec. 148; Inokuti, Rev. Mod. Phys. 43 (1971) 297.
A hydrogen-like ion of nuclear charge Z follows by scaling: S_Z(t, q) = S(t/Z**2, q/Z)/Z**2.

:func:`continuum_partial_waves` evaluates the continuum a second, independent way, from its
definition: the partial-wave sum of radial integrals of energy-normalized Coulomb functions
(mpmath.coulombf) against the spherical Bessel functions of the plane wave.
"""
from __future__ import annotations

import functools

import mpmath

__all__ = ["elastic", "line_energy", "line_index", "line_strength", "continuum",
           "continuum_partial_waves", "line_partial_waves", "ionization", "transverse",
           "transverse_line_strength", "transverse_partial_waves", "transverse_line_partial_waves",
           "photoionization_stobbe"]

def ionization():
    """Ionization energy of H(1s), E_h/2, at the working precision."""
    return mpmath.mpf(1) / 2


def elastic(q):
    """|<1s| exp(i q.r) |1s>|**2 = (1 + q**2/4)**-4."""
    return (1 + q**2 / 4) ** -4


def line_energy(n):
    """Excitation energy of 1s -> n, (1 - 1/n**2)/2."""
    n = mpmath.mpf(n)
    return (1 - 1 / n**2) / 2


def line_index(t):
    """The real n with line_energy(n) = t, for 0 < t < 1/2 (inverse of :func:`line_energy`)."""
    return 1 / mpmath.sqrt(1 - 2 * t)


def line_strength(n, q):
    """F_n(q): the 1s -> n excitation strength |<n|e^{iq.r}|1s>|**2 summed over l and m."""
    n, q = int(n), mpmath.mpf(q)
    nq2 = (n * q) ** 2
    return (2**8 * n**7 * q**2 * (mpmath.mpf(n**2 - 1) / 3 + n**2 * q**2)
            * (nq2 + (n - 1) ** 2) ** (n - 3) / (nq2 + (n + 1) ** 2) ** (n + 3))


def _one_minus_exp(x):
    """1 - exp(-x) for x > 0, without cancellation (expm1 where exp(-x) is near 1, the cheaper exp elsewhere)."""
    return 1 - mpmath.exp(-x) if x > 1 else -mpmath.expm1(-x)


def _coulomb_factor(k, s, d):
    """exp[-(2/k) atan2(2k, q**2 - k**2 + 1)]/(1 - exp(-2 pi/k)), with s = q + k and d = q - k: q**2 - k**2
    is taken as d s, without the cancellation of q**2 - k**2 on the Bethe ridge q = k at large q."""
    x = d * s + 1
    angle = mpmath.atan(2 * k / x) if x > 0 else mpmath.pi - mpmath.atan(2 * k / -x) if x < 0 else mpmath.pi / 2
    return mpmath.exp(-2 * angle / k) / _one_minus_exp(2 * mpmath.pi / k)


def continuum(t, q):
    """S(t, q) per unit energy for t > 1/2 (zero below the threshold)."""
    t, q = mpmath.mpf(t), mpmath.mpf(q)
    if 2 * t <= 1:
        return mpmath.mpf(0)
    k = mpmath.sqrt(2 * t - 1)
    s, d, q2 = q + k, q - k, q * q
    ab = (s * s + 1) * (d * d + 1)
    return 256 * q2 * (q2 + 2 * t / 3) * _coulomb_factor(k, s, d) / (ab * ab * ab)


def _at_working_precision(fn):
    """``fn`` memoized on its arguments and the working precision: the partial-wave sums evaluate the same
    Coulomb and Bessel functions at the same quadrature nodes for several (l, L) pairs, both forms of the
    transverse amplitude and several q at one k."""
    cached = functools.lru_cache(maxsize=1 << 17)(lambda prec, *args: fn(*args))
    return functools.wraps(fn)(lambda *args: cached(mpmath.mp.prec, *args))


@_at_working_precision
def _spherical_jn(l, x):
    return mpmath.sqrt(mpmath.pi / (2 * x)) * mpmath.besselj(l + mpmath.mpf(1) / 2, x)


@_at_working_precision
def _coulomb_f(l, eta, x):
    return mpmath.coulombf(l, eta, x)


def _radial_breaks():
    """Quadrature grid in r, cut where exp(-r) falls below 10**-(dps + 5)."""
    r_max = (mpmath.mp.dps + 5) * mpmath.log(10)
    return [0, 2, 5, 10, 20, 40][: 1 + sum(x < r_max for x in (2, 5, 10, 20, 40))] + [r_max]


def continuum_partial_waves(t, q, rel_tol=None):
    """S(t, q) for t > 1/2 from its definition, as a partial-wave sum.

    exp(i q.r) = sum_l i**l (2l+1) j_l(qr) P_l(cos), and 1s has l = 0, so the final state has
    l and S = sum_l (2l+1) |int_0^oo R_kl(r) j_l(qr) R_1s(r) r**2 dr|**2 with R_1s = 2 exp(-r)
    and the energy-normalized Coulomb function R_kl = sqrt(2/(pi k)) F_l(-1/k, kr)/r.  The sum
    stops when a term falls below ``rel_tol`` (default 10**-(dps - 2)) of the total.
    """
    k = mpmath.sqrt(2 * t - 1)
    eta = -1 / k
    tol = rel_tol if rel_tol is not None else mpmath.mpf(10) ** (-(mpmath.mp.dps - 2))
    norm = 2 / (mpmath.pi * k) * 4
    total = mpmath.mpf(0)
    for l in range(400):
        radial = mpmath.quad(lambda r: _coulomb_f(l, eta, k * r) * _spherical_jn(l, q * r)
                             * mpmath.exp(-r) * r, _radial_breaks(), method="gauss-legendre")
        term = (2 * l + 1) * norm * radial**2
        total += term
        if term < tol * total:
            return total
    raise ArithmeticError(f"partial-wave sum not converged at t={t}, q={q}")


def line_partial_waves(n, q):
    """F_n(q) from its definition: sum over l < n of (2l+1) |int R_nl j_l(qr) R_1s r**2 dr|**2,
    with the bound radial functions of sympy.physics.hydrogen (independent of the closed form)."""
    import sympy
    from sympy.physics.hydrogen import R_nl

    r = sympy.Symbol("r", positive=True)
    total = mpmath.mpf(0)
    for l in range(n):
        radial_fn = sympy.lambdify(r, R_nl(n, l, r, 1), "mpmath")
        radial = mpmath.quad(lambda x: radial_fn(x) * _spherical_jn(l, q * x) * 2 * mpmath.exp(-x) * x**2,
                             _radial_breaks(), method="gauss-legendre")
        total += (2 * l + 1) * radial**2
    return total


def _gaunt(l1, l2, l3, m1, m2, m3):
    """int Y_l1m1 Y_l2m2 Y_l3m3 dOmega, exact (sympy.physics.wigner.gaunt), as an mpf."""
    from sympy.physics.wigner import gaunt
    return mpmath.mpf(gaunt(l1, l2, l3, m1, m2, m3).evalf(mpmath.mp.dps + 5))


def _transverse_sources(t, q, form):
    """e_perp.grad psi_1s (e_perp = x, q along z) as sources (Lambda, {mu: coefficient}, r-power):
    the function sum coefficient * r**power * exp(-r)/sqrt(pi) * Y_{Lambda mu}.

    velocity form:    d/dx psi = -(x/r) psi;
    commutator form:  <f| e^{iqz} d/dx |0> = (q**2/2 - t) <f|e^{iqz} x|0> + i q <f|e^{iqz} (xz/r)|0>,
                      from d/dx = -[H, x] and [H, e^{iqz}] = e^{iqz}(q p_z + q**2/2); it holds only for
                      exact eigenstates with E_f - E_0 = t, which makes the two forms an independent test.
    """
    a1, a2 = mpmath.sqrt(2 * mpmath.pi / 3), mpmath.sqrt(2 * mpmath.pi / 15)   # x/r, xz/r**2 in Y_1, Y_2
    if form == "velocity":
        return [(1, {-1: -a1, 1: a1}, 0)]
    if form == "commutator":
        c = q**2 / 2 - t
        return [(1, {-1: c * a1, 1: -c * a1}, 1), (2, {-1: 1j * q * a2, 1: -1j * q * a2}, 1)]
    raise ValueError(f"form={form!r}: allowed 'velocity', 'commutator'")


def _transverse_sum(final_radial, t, q, form, l_max, rel_tol=None):
    """sum over final states l, mu of |<f| e^{iqz} d/dx |1s>|**2, the final states R_l(r) Y_{l mu};
    ``final_radial(l)`` returns R_l; the sum stops at l_max or when a term falls below rel_tol."""
    tol = rel_tol if rel_tol is not None else mpmath.mpf(10) ** (-(mpmath.mp.dps - 2))
    sources = _transverse_sources(t, q, form)
    total, radial = mpmath.mpf(0), {}

    def radial_integral(l, L, power):
        key = (l, L, power)
        if key not in radial:
            R_l = final_radial(l)
            radial[key] = mpmath.quad(lambda r: R_l(r) * _spherical_jn(L, q * r) * r ** (2 + power)
                                      * mpmath.exp(-r) / mpmath.sqrt(mpmath.pi), _radial_breaks(),
                                      method="gauss-legendre")
        return radial[key]
    for l in range(l_max + 1):
        term = 0
        for mu in (-1, 1):
            amp = 0
            for Lam, coeff, power in sources:
                for L in range(abs(l - Lam), l + Lam + 1):
                    G = (-1) ** mu * _gaunt(l, L, Lam, -mu, 0, mu)
                    if G != 0:
                        amp += coeff[mu] * 1j**L * mpmath.sqrt(4 * mpmath.pi * (2 * L + 1)) * G \
                            * radial_integral(l, L, power)
            term += abs(amp) ** 2
        total += term
        if l > 2 and term < tol * total:
            return total
    if l_max < 399:
        return total
    raise ArithmeticError(f"partial-wave sum not converged at t={t}, q={q}")


def transverse_partial_waves(t, q, form="velocity", rel_tol=None):
    """R(t, q) of 1s in atomic units from its definition: sum over final continuum states
    |<f| e_perp.j(-q) |1s>|**2 per unit energy, j = -(i/2)(e^{iq.r} grad + grad e^{iq.r}) (m_e = 1),
    e_perp perpendicular to q.

    Since e_perp.q = 0, e_perp.j(-q) = -i e^{iq.r} e_perp.grad.  Final states |k l mu> with the
    energy-normalized Coulomb functions sqrt(2/(pi k)) F_l(-1/k, kr)/r; the angular integrals are
    Gaunt coefficients.
    """
    k = mpmath.sqrt(2 * t - 1)
    norm = mpmath.sqrt(2 / (mpmath.pi * k))
    eta = -1 / k
    final = lambda l: (lambda r: norm * _coulomb_f(l, eta, k * r) / r)
    return _transverse_sum(final, t, q, form, 399, rel_tol)


def transverse_line_partial_waves(n, q, form="velocity"):
    """G_n(q) = sum over l, m of |<n l m| e^{iqz} d/dx |1s>|**2 from its definition, with the bound
    radial functions of sympy.physics.hydrogen (independent of :func:`transverse_line_strength`)."""
    import sympy
    from sympy.physics.hydrogen import R_nl

    r = sympy.Symbol("r", positive=True)
    final = lambda l: sympy.lambdify(r, R_nl(n, l, r, 1), "mpmath")
    return _transverse_sum(final, line_energy(n), q, form, n - 1)


def transverse(t, q):
    """R(t, q) per unit energy for t > 1/2 (zero below the threshold), closed form:

      R = (64/3)(1 + k**2) exp[-(2/k) atan2(2k, q**2 - k**2 + 1)]
          / {[(q + k)**2 + 1]**2 [(q - k)**2 + 1]**2 (1 - exp(-2 pi/k))}

    (derived in nusym.derivations.magnetic_hydrogen from Nordsieck's integral; q -> 0 is Stobbe's dipole R)."""
    t, q = mpmath.mpf(t), mpmath.mpf(q)
    if 2 * t <= 1:
        return mpmath.mpf(0)
    k = mpmath.sqrt(2 * t - 1)
    s, d = q + k, q - k
    ab = (s * s + 1) * (d * d + 1)
    return 128 * t * _coulomb_factor(k, s, d) / (3 * ab * ab)


def transverse_line_strength(n, q):
    """G_n(q) = sum over l, m of |<n l m| e^{iqz} d/dx |1s>|**2, the 1s -> n transverse strength:
    (64/3) n**3 (n**2 - 1) [(nq)**2 + (n-1)**2]**(n-2) / [(nq)**2 + (n+1)**2]**(n+2): the
    continuum's (1 - exp(-2 pi/k)) R continued to k = i/n, times dt_n/dn = 1/n**3."""
    n, q = int(n), mpmath.mpf(q)
    nq2 = (n * q) ** 2
    return (mpmath.mpf(64 * n**3 * (n**2 - 1)) / 3 * (nq2 + (n - 1) ** 2) ** (n - 2)
            / (nq2 + (n + 1) ** 2) ** (n + 2))


def photoionization_stobbe(omega):
    """Stobbe's dipole photoionization cross section of H(1s) in a_0**2, photon energy omega in E_h:
    (2**9 pi**2/3) alpha (I/omega)**4 exp(-4 eta arccot eta)/(1 - exp(-2 pi eta)), eta = sqrt(I/(omega - I))."""
    from nusym.constants import ALPHA
    I = ionization()
    eta = mpmath.sqrt(I / (omega - I))
    return (2**9 * mpmath.pi**2 / 3 * ALPHA.mpf() * (I / omega) ** 4
            * mpmath.exp(-4 * eta * mpmath.acot(eta)) / -mpmath.expm1(-2 * mpmath.pi * eta))
