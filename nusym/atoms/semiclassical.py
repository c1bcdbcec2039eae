"""Models of the dynamical structure factor S(T, q) (per atom, 1/energy units).

Each model has a SymPy form (for derivations) and an mpmath form (for definition-level
numerics).  Parameters are positive reals in eV, hbar = c = 1.

* ``free``: one electron at rest, S = delta(T - q**2/2m_e).
* ``semiclassical``: one bound electron of mean momentum p and ionization potential I
  (Kouzakov, Studenikin & Voloshin, PRD 83 (2011) 113001):
  S = m_e/(2 p q) theta(T - I) theta(q_+ - q) theta(q - q_-),  q_pm = sqrt(p**2 + 2 m_e T) pm p.
  It is the free-electron delta averaged over the directions of an electron of momentum p:
  T = (q**2 + 2 p q cos(phi))/2m_e for cos(phi) uniform in [-1, 1].
* ``with_recoil``: any model with the energy left to the electrons, T -> T - q**2/2M_a.
* ``recoil_eq7``: the recoil paper's Eq. (7) as printed: the substitution made only in theta(T - I),
  which becomes theta(q_a - q), q_a = sqrt(2 M_a (T - I)); q_pm stay at T.
"""
from __future__ import annotations

import mpmath
import sympy

from nusym import symbols as S
from nusym.quadrature import theta

__all__ = ["free_symbolic", "q_pm_symbolic", "semiclassical",
           "semiclassical_pattern", "with_recoil", "q_pm", "recoil_eq7_pattern", "recoil_eq7"]


def q_pm_symbolic(T=S.T, p=S.p, m_e=S.m_e):
    """(q_-, q_+) of the semiclassical model, as SymPy expressions."""
    root = sympy.sqrt(p**2 + 2 * m_e * T)
    return root - p, root + p


def free_symbolic(T=S.T, q=S.q, m_e=S.m_e):
    return sympy.DiracDelta(T - q**2 / (2 * m_e))


def q_pm(T, p, m_e):
    """(q_-, q_+) at mpmath precision; (None, None) when p**2 + 2 m_e T < 0 (no real support).  q_- in the
    form 2 m_e T/(root + p), without the cancellation of root - p where 2 m_e T << p**2 (20 digits lost at
    p = 2e5 eV, T = 0.02 eV)."""
    disc = p**2 + 2 * m_e * T
    if disc < 0:
        return None, None
    root = mpmath.sqrt(disc)
    return 2 * m_e * T / (root + p), root + p


def semiclassical_pattern(T, q, p, I, m_e):
    """The theta factors of the semiclassical S at (T, q), as a tuple of 0/1."""
    qm, qp = q_pm(T, p, m_e)
    if qm is None:
        return (theta(T - I), 0, 0)
    return (theta(T - I), theta(qp - q), theta(q - qm))


def semiclassical(T, q, p, I, m_e):
    """S(T, q) of the semiclassical model at mpmath precision."""
    if all(semiclassical_pattern(T, q, p, I, m_e)):
        return m_e / (2 * p * q)
    return mpmath.mpf(0)


def with_recoil(model, M_a):
    """The model with atomic recoil: S(T - q**2/2M_a, q)."""
    def recoiled(T, q, *params):
        return model(T - q**2 / (2 * M_a), q, *params)
    return recoiled


def recoil_eq7_pattern(T, q, p, I, m_e, M_a):
    """The theta factors of Eq. (7) at (T, q): theta(q_a - q), i.e. theta(T - q**2/2M_a - I), and q_pm at T."""
    return (theta(T - q**2 / (2 * M_a) - I),) + semiclassical_pattern(T, q, p, I, m_e)[1:]


def recoil_eq7(T, q, p, I, m_e, M_a):
    """S(T_q, q) of the recoil paper's Eq. (7) as printed, at mpmath precision."""
    if all(recoil_eq7_pattern(T, q, p, I, m_e, M_a)):
        return m_e / (2 * p * q)
    return mpmath.mpf(0)
