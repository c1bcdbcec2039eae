"""Exact atomic models of the dynamical structure factor, in physical units (eV, hbar = c = 1).

S(T, q) = sum_n |<n| rho(-q) |0>|**2 delta(T - E_n + E_0), rho(-q) = sum_j exp(i q.r_j), per atom.
A model splits its spectrum into the parts a computation must treat differently:

* ``elastic(q)``: the weight of the ground state itself (T = 0), |<0|rho(-q)|0>|**2;
* ``lines``: discrete excitations n = n0, n0+1, ... at energies T_n with strengths F_n(q);
* ``continuum(T, q)``: a density in T (1/eV), zero where there is none;
* ``shell``: a weight times delta(T - q**2/2m_e) (free electrons at rest).

At a fixed T inside a discrete spectrum S is a sum of delta functions.  Where a number is
needed there, nusym uses the line-averaged density at the line energies, F_n(q)/(dT_n/dn):
the strength of a line spread over the spacing of the lines (Fano & Cooper's df/dE), which
for hydrogen joins the continuum continuously at the threshold.

A model may also carry the transverse current response (the binding paper's Eq. 10)

  R(T, q) = sum_n |<n| e_perp.j(-q) |0>|**2 delta(T - E_n + E_0),  j(-q) = -(i/2m_e) sum_j (e^{iq.r_j} grad_j + h.c.),

as another ``Model`` in ``transverse`` (same parameters; velocities in units of c, so R is in 1/eV).
It obeys the transverse sum rule int R dT = sum_j <(e_perp.v_j)**2> at every q.  Free electrons at
rest have R = 0; the oscillator and the hydrogen-like ion have it exactly; the semiclassical models
do not define it.

The models themselves, registered in :mod:`nusym.catalogue`, are in :mod:`nusym.atoms.models`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import mpmath

from nusym import constants as K
from nusym import variables
from nusym import quadrature as highprec

__all__ = ["Param", "Model", "Substitution", "log_quad", "m_e", "at_precision"]


def m_e():
    """m_e in eV at the working precision (one conversion of the decimal string per precision)."""
    return at_precision(K.M_E, mpmath.mp.prec)


@functools.lru_cache(maxsize=64)
def at_precision(constant, prec):
    with mpmath.workprec(prec):
        return constant.mpf()


@dataclass(frozen=True)
class Param:
    """A model parameter: the vocabulary's variable, its meaning in the model, and -- where the model fixes it --
    its value, an expression in the other parameters (a string, SymPy syntax): hydrogen's I = Z**2 E_h/2.  A free
    parameter is sampled over its variable's range (:mod:`nusym.variables`)."""

    name: str
    doc: str
    fixed: str | None = None

    @property
    def lo(self) -> str:
        return variables.get(self.name).sampled[0]

    @property
    def hi(self) -> str:
        return variables.get(self.name).sampled[1]

    @property
    def integer(self) -> bool:
        return variables.get(self.name).integer


@dataclass(frozen=True)
class Model:
    name: str
    doc: str
    params: tuple
    continuum: Callable = None               # (T, q, P) -> density
    q_breaks: Callable = lambda T, P: []     # (T, P) -> q where S(T, .) is not smooth, or peaks
    T_breaks: Callable = lambda q, P: []     # (q, P) -> T where S(., q) is not smooth, or peaks
    elastic: Callable = None                 # (q, P) -> |<0|rho|0>|**2
    line: Callable = None                    # (n, q, P) -> (T_n, F_n(q), dT_n/dn)
    first_line: int = 1
    line_index: Callable = None              # (T, P) -> real n with T_n = T, or None beyond the series
    line_window: Callable = None             # (q, P) -> (first, last) lines outside which F_n is negligible
    ranges: tuple = ()                       # (name, lo, hi) sampling ranges of non-parameter variables
    series_limit: Callable = None            # P -> T where the lines accumulate (None: no limit)
    shell: Callable = None                   # P -> weight of delta(T - q**2/2m_e)
    symbolic: Callable = None                # P (SymPy) -> SymPy S(T, q), where one is written down
    threshold: Callable = None               # P -> T below which the continuum vanishes
    transverse: "Model" = None               # the transverse current response R(T, q), where the model defines it
    T_map: Callable = None                   # (q, P) -> Substitution in which the continuum at fixed q is integrated
    q_map: Callable = None                   # (T, P) -> Substitution in which S(T, .) is integrated
    log_scale: bool = False                  # no map, but log T and log q between the breakpoints (S ~ 1/q)
    at_T: Callable = None                    # (T, P) -> continuum(T, .), what depends on T computed once
    at_q: Callable = None                    # (q, P) -> continuum(., q), what depends on q computed once

    @property
    def param_names(self) -> tuple:
        return tuple(p.name for p in self.params)

    def line_sum(self, q, P, g=lambda T: 1, a=0, b=mpmath.inf):
        """sum of g(T_n) F_n(q) over the lines with a < T_n < b.

        Lines that accumulate at a series limit (hydrogen) are summed with Richardson's extrapolation
        (:func:`nusym.quadrature.series`); a series without a limit (the oscillator) over the window of lines where
        its strength lies (``line_window``), the rest being below the working precision.
        """
        if self.line is None:
            return mpmath.mpf(0)
        lo = self.first_line
        if a > 0:
            x = self.line_index(a, P) if self.series_limit is None or a < self.series_limit(P) else None
            if x is None:
                return mpmath.mpf(0)
            lo = max(lo, int(mpmath.floor(x)) + 1)
        hi = mpmath.inf
        if b != mpmath.inf and (self.series_limit is None or b < self.series_limit(P)):
            hi = int(mpmath.ceil(self.line_index(b, P))) - 1
        term = lambda n: (lambda T, F, _: g(T) * F)(*self.line(int(n), q, P))
        if hi != mpmath.inf:
            return mpmath.fsum(term(n) for n in range(lo, hi + 1))
        if self.series_limit is not None:
            return highprec.series(term, lo)
        first, last = self.line_window(q, P)
        first, last = max(first, lo), last
        if last - first > 200000:
            raise ArithmeticError(f"line_sum: {last - first} lines carry the strength at q={mpmath.nstr(q, 6)}; "
                                  "more than 200000 are not summed")
        return mpmath.fsum(term(n) for n in range(first, last + 1))

    def T_integral(self, q, P, g=lambda T: 1, a=0, b=mpmath.inf):
        """int_a^b g(T) S(T, q) dT over T > 0 (the elastic T = 0 term excluded): lines exactly,
        the continuum by quadrature between its breakpoints (in the model's ``T_map`` variable where it has
        one), the free-electron shell at q**2/2m_e."""
        total = self.line_sum(q, P, g, a, b)
        if self.continuum is not None:
            lo = max(a, self.threshold(P)) if self.threshold else a
            if lo < b:
                S_of_T = self.at_q(q, P) if self.at_q else lambda T: self.continuum(T, q, P)
                f = lambda T: g(T) * S_of_T(T)
                if self.T_map is not None:
                    total += self.T_map(q, P).quad(f, lo, b)
                elif self.log_scale:
                    total += log_quad(f, lo, b, self.T_breaks(q, P))
                else:
                    total += highprec.quad(f, sorted({lo, b, *(x for x in self.T_breaks(q, P) if lo < x < b)}))
        if self.shell is not None:
            T0 = q**2 / (2 * m_e())
            if a < T0 < b:
                total += self.shell(P) * g(T0)
        return total

    def q_integral(self, T, P, g=lambda q: 1, a=0, b=mpmath.inf):
        """int_a^b g(q) S(T, q) dq at fixed T: the continuum and the line-averaged density by
        quadrature between the breakpoints (in the model's ``q_map`` variable where it has one), the
        free-electron shell at q = sqrt(2 m_e T)."""
        total = mpmath.mpf(0)
        if self.shell is not None:
            q0 = mpmath.sqrt(2 * m_e() * T)
            if a < q0 < b:
                total += self.shell(P) * g(q0) * m_e() / q0
        if self.continuum is not None or self.line_at(T, P) is not None:
            S_of_q = self.at_energy(T, P)
            f = lambda q: g(q) * S_of_q(q)
            if self.q_map is not None:
                total += self.q_map(T, P).quad(f, mpmath.mpf(a), mpmath.mpf(b))
            elif self.log_scale:
                total += log_quad(f, mpmath.mpf(a), mpmath.mpf(b), self.q_breaks(T, P))
            else:
                total += highprec.quad(f, sorted({mpmath.mpf(a), mpmath.mpf(b),
                                                  *(x for x in self.q_breaks(T, P) if a < x < b)}))
        return total

    def green_function(self, T, q, P):
        """F(E_0 + T, q) = sum_n |<n|rho(-q)|0>|**2 / (T - T_n), real, for T below the continuum
        and off the lines (no -i0 needed there): elastic/T + lines + int continuum/(T - T') dT'."""
        if self.shell is not None or (self.threshold is not None and T >= self.threshold(P)) \
                or self.line_at(T, P) is not None:
            raise ValueError(f"green_function: T={T} must lie below the continuum and off the lines")
        total = (self.elastic(q, P) / T if self.elastic else 0) + self.line_sum(q, P, lambda x: 1 / (T - x))
        if self.continuum is not None:
            lo = self.threshold(P)
            pts = sorted({lo, mpmath.inf, *(x for x in self.T_breaks(q, P) if x > lo)})
            total += mpmath.quad(lambda x: self.continuum(x, q, P) / (T - x), pts)
        return total

    def density(self, T, q, P):
        """S(T, q) as a number: the continuum, plus the line-averaged density when T is a line energy."""
        return self.at_energy(T, P)(q)

    def at_energy(self, T, P):
        """S(T, .) at fixed T as a function of q.  Whether T is a line energy is decided once, at the
        caller's precision (quadrature raises the working precision inside its integrand)."""
        n = self.line_at(T, P)
        continuum = (self.at_T(T, P) if self.at_T else lambda q: self.continuum(T, q, P)) if self.continuum else None

        def S_of_q(q):
            total = continuum(q) if continuum else mpmath.mpf(0)
            if n is not None:
                _, F, dT = self.line(n, q, P)
                total += F / dT
            return total
        return S_of_q

    def line_at(self, T, P):
        """The line index n when T is (to the working precision) a line energy, else None."""
        if self.line is None:
            return None
        x = self.line_index(T, P)
        if x is None:
            return None
        n = int(mpmath.nint(x))
        if n < self.first_line:
            return None
        Tn = self.line(n, mpmath.mpf(1), P)[0]
        return n if abs(Tn - T) <= abs(T) * mpmath.eps * 2**8 else None


@dataclass(frozen=True)
class Substitution:
    """A change of the integration variable, x = x(u), under which a model's S is smooth at the scale of the
    pieces between ``breaks`` (a substitution is exact: the quadrature sees fewer scales, not another integral).
    ``point(u)`` is (x(u), dx/du), ``u_of`` its inverse (x may be oo), ``breaks`` values of x, ``rule`` the
    quadrature rule of every piece (:func:`nusym.quadrature.quadrature`)."""

    point: Callable
    u_of: Callable
    breaks: tuple = ()
    rule: str = "tanh-sinh"                  # or "fejer" where the integrand is analytic in u near every piece

    def quad(self, f, a, b):
        """int_a^b f(x) dx (a < b) as the sum over the pieces between the breakpoints of int f(x(u)) x'(u) du."""
        xs = sorted({a, b, *(x for x in self.breaks if a < x < b)})

        def integrand(u):
            x, dx = self.point(u)
            return f(x) * dx if dx else dx            # a map may give dx = 0 at a node rounded onto its end
        return highprec.quad_pieces([(integrand, self.u_of(x0), self.u_of(x1), self.rule) for x0, x1 in zip(xs, xs[1:])])


def log_quad(f, a, b, breaks):
    """int_a^b f(x) dx (0 <= a < b) between the breakpoints, where a theta function switches, in log x on each
    piece that spans a factor 4 or more (S ~ 1/q, spread over decades) and in x on the others.  The ends of
    a piece in x are exact, so no theta function sees the other side of its switch point; in log x,
    exp(log x0) is x0 only to the last place, so the ends are taken at 30 more bits and a node whose x
    rounds onto or past an end counts 0 (its weight is below the precision)."""
    xs = sorted({a, b, *(x for x in breaks if a < x < b)})
    pieces = []
    for x0, x1 in zip(xs, xs[1:]):
        if x0 > 0 and x1 >= 4 * x0:
            with mpmath.extraprec(30):
                u0, u1 = mpmath.log(x0), mpmath.log(x1)
            pieces.append(((lambda x0, x1: lambda u: (lambda x: f(x) * x if x0 < x < x1 else mpmath.mpf(0))(
                mpmath.exp(u)))(x0, x1), u0, u1))
        else:
            pieces.append((f, x0, x1))
    return highprec.quad_pieces(pieces)
