"""Kinematics of nu + atom -> nu' + atom*: the range of q**2, and S(T, q) inside the cross sections.

Recoil paper, Eqs. (1)-(3).  A massless neutrino of energy E_nu leaves with E' = E_nu - T;
q = p_nu - p_nu' has q**2 = E**2 + E'**2 - 2 E E' cos(theta).
"""
import mpmath
import sympy

from nusym.atoms import semiclassical
from nusym import symbols as S
from nusym.quadrature import agreement, integrate_delta
from nusym.record import Evidence, result
from nusym.derivations.free_electron import DSIGMA_MU_FE_PAPER, DSIGMA_W_FE_PAPER, prefactors

T, E, c, m_e, u = S.T, S.E_nu, S.c_theta, S.m_e, S.u
Ep = sympy.Symbol("E_prime", positive=True)            # outgoing neutrino energy, E - T > 0

q2_of_angle = E**2 + Ep**2 - 2 * E * Ep * c             # |p_nu - p_nu'|**2, massless neutrinos
Q2_MIN_PAPER, Q2_MAX_PAPER = T**2, (2 * E - T)**2       # the limits written in Eqs. (1), (3)


@result("q2-limits", "recoil", "1, 3",
        "For a massless neutrino the momentum transfer obeys T^2 <= q^2 <= (2E_nu - T)^2.")
def q2_limits():
    slope = sympy.diff(q2_of_angle, c)                  # -2 E E' < 0: q**2 falls monotonically in cos(theta)
    lo = sympy.factor(q2_of_angle.subs(c, 1).subs(Ep, E - T))
    hi = sympy.factor(q2_of_angle.subs(c, -1).subs(Ep, E - T))
    proved = bool(slope.is_negative) and sympy.simplify(lo - Q2_MIN_PAPER) == 0 \
        and sympy.simplify(hi - Q2_MAX_PAPER) == 0

    # Definition: build the two 3-momenta, scan the scattering angle, take the extremes.
    def extremes(pt):
        e, t = pt["E"], pt["T"]
        ep = e - t
        q2 = [(0 - ep * mpmath.sin(th))**2 + (e - ep * mpmath.cos(th))**2
              for th in mpmath.linspace(0, mpmath.pi, 181)]
        return min(q2), max(q2)

    points = [{"E": "1e6", "T": "2e3"}, {"E": "3.5e6", "T": "11103"}, {"E": "1e4", "T": "9.9e3"}]
    digits = min(agreement(lambda pt: extremes(pt)[0], lambda pt: pt["T"]**2, points),
                 agreement(lambda pt: extremes(pt)[1], lambda pt: (2 * pt["E"] - pt["T"])**2, points))
    return Evidence("proved" if proved else "open",
                    f"dq^2/dcos = {slope} < 0; q^2(cos=1) = {lo}, q^2(cos=-1) = {hi}",
                    digits, "extremes of |p_nu - p_nu'|^2 over a 181-angle scan, E' = E - T")


@result("s-structure", "recoil", "1, 2, 3",
        """With S(T,q^2) of Eq. (2) for one free electron at rest, S = delta(T - q^2/2m_e),
        Eqs. (1) and (3) give the free-electron cross sections (5) and (6).""")
def s_structure():
    S_free = semiclassical.free_symbolic(T, sympy.sqrt(u))       # Eq. (2): plane-wave final states, E_n - E_0 = q^2/2m_e
    w = sympy.integrate(S_free, (u, 0, sympy.oo))        # the q**2 integral of Eq. (1), weight 1
    mu = sympy.integrate(S_free / u, (u, 0, sympy.oo))   # of Eq. (3), weight 1/q**2
    pw, pm = prefactors()
    proved = sympy.simplify(pw * w - DSIGMA_W_FE_PAPER) == 0 and sympy.simplify(pm * mu - DSIGMA_MU_FE_PAPER) == 0

    # Definition: the delta integral by root finding on T - q^2/2m_e and a numerical derivative,
    # inside the kinematic window of Eqs. (1), (3).
    def integral(weight):
        def run(pt):
            t, e, m = pt["T"], pt["E"], pt["m"]
            return integrate_delta(weight, lambda x: t - x / (2 * m), t**2, (2 * e - t)**2, [2 * m * t])
        return run

    pts = [{"T": "2e3", "E": "1e6", "m": "510998.95069"}, {"T": "11103", "E": "2e6", "m": "510998.95069"}]
    digits = min(agreement(integral(lambda x: 1), lambda pt: 2 * pt["m"], pts),
                 agreement(integral(lambda x: 1 / x), lambda pt: 1 / pt["T"], pts))
    return Evidence("proved" if proved else "open",
                    f"int S dq^2 = {w}, int S dq^2/q^2 = {sympy.simplify(mu)}; times the prefactors of "
                    "Eqs. (1), (3) these are Eqs. (5), (6)",
                    digits, "delta integrals by findroot + numerical derivative within [T^2, (2E-T)^2]")
