"""Which derived expressions become float code (`nusym codegen`), with their arguments, domains
and the stress regions where their accuracy is measured.

Each kernel's expression is taken from the derivation modules, never re-typed here.
"""
import numpy
import sympy

from nusym import constants as K
from nusym import symbols as S
from nusym import variables as V
from nusym.codegen.kernels import HBAR_C, Arg, ExactGuard, Kernel, Scaling, kernel

from nusym.derivations import free_electron as fe
from nusym.derivations import recoil as rc

T_ = Arg.of(V.T)
P_ = Arg.of(V.p)
I_ = Arg.of(V.I)
M_ = Arg.of(V.M_a)
S2W_ = Arg.of(V.s2w, "sin2_theta_w", "weak mixing angle sin^2 theta_W (default: low-energy MS-bar, "
              + K.SIN2_THETA_W_MSBAR.source.split(':')[0] + ")", default=K.SIN2_THETA_W_MSBAR.value)
# The exact substitution's lam = 1 + m_e/M_a: an atom is heavier than 1 MeV (the lightest, 1H, is 938.8 MeV), so
# lam < 1.52 and 2 m_e lam T stays finite; for M_a -> 0 lam and 2 m_e lam T would overflow.
M_EXACT_ = Arg.of(V.M_a, allowed=(1e6, 1e100, False),
                  why="an atom is heavier than 1 MeV (1H: 938.8 MeV); 1 + m_e/M_a, which the exact substitution "
                      "multiplies into 2 m_e T, stays below 1.52")
MU_ = Arg.of(V.kappa, "mu_nu")
E_ = Arg.of(V.E_nu)
M_E = float(K.M_E.value)
# 2 m_e T is a subnormal float for T below ~2e-302 eV: there the kernels in q_pm rescale T -> 2^128 T, p -> 2^64 p
# (q -> 2^64 q; the recoil factors are invariant), exactly, and undo it on the result.
TINY_T = S.T < sympy.Rational(1, 2**960)
Q_SCALING = Scaling(((S.T, 2), (S.p, 1)), 1, when=TINY_T, shift=64)
# pi r_e^2 mu_nu^2/T with mu_nu <= 1: C mu_nu^2 >= 2**-882 for mu_nu >= 2**-400, and C/T < 2**992 for every float
# T > 0, so nothing leaves the float range before the last division (whose underflow is its correct rounding).
# Below 2**-400 (twice below 2**-800) mu_nu -> 2**400 mu_nu, exactly, and the result is moved back by 2**-800.
MU_SCALINGS = tuple(Scaling(((S.kappa, 1),), 2, when=S.kappa < sympy.Rational(1, 2**bound), shift=400)
                    for bound in (400, 800))
FACTOR_SCALING = Scaling(((S.T, 2), (S.I, 2), (S.p, 1)), 0, when=TINY_T, shift=64)


def _loguniform(rng, lo, hi, n):
    return numpy.exp(rng.uniform(numpy.log(lo), numpy.log(hi), n))


def _stress_q(rng, n):
    """2 m_e T / p^2 from 1e-30 to 1e10."""
    p = V.p.log_uniform(rng, n)
    x = _loguniform(rng, 1e-30, 1e10, n)
    return {"T": x * p**2 / (2 * M_E), "p": p}


def _stress_threshold(rng, n):
    """T -> I+ (T/I - 1 from 1e-15 to 1e-1)."""
    i = V.I.log_uniform(rng, n)
    return {"T": i * (1 + _loguniform(rng, 1e-15, 1e-1, n)), "I": i, "p": V.p.log_uniform(rng, n),
            "M_a": V.M_a.log_uniform(rng, n)}


def _stress_edges(rng, n):
    """q_a -> q_-+ and q_a -> q_+-: T chosen so that (q_a - q_-)/(q_+ - q_-) is 1e-9..1e-1 or 1 - (1e-9..1e-1)."""
    i, p, m = V.I.log_uniform(rng, n), V.p.log_uniform(rng, n), V.M_a.log_uniform(rng, n)
    r = _loguniform(rng, 1e-9, 1e-1, n)
    r = numpy.where(rng.uniform(size=n) < 0.5, r, 1 - r)
    t = i.copy()
    for _ in range(8):                               # 2 M_a (T - I) = (q_-(T) + 2 p r)^2, fixed point in T
        qm = 2 * M_E * t / (numpy.sqrt(p**2 + 2 * M_E * t) + p)
        t = i + (qm + 2 * p * r)**2 / (2 * m)
    return {"T": t, "I": i, "p": p, "M_a": m}


def _stress_factor(rng, n):
    half = n // 2
    a, b = _stress_edges(rng, half), _stress_threshold(rng, n - half)
    return {k: numpy.concatenate([a[k], b[k]]) for k in a}


def _stress_end_point(rng, n):
    """Full kinematics: T/T_max from 1e-12 to 1 - 1e-12 (the end point T_max = 2E_nu^2/(m_e + 2E_nu)), E_nu from 1 eV
    to 1e9 eV (E_nu << m_e and E_nu >> m_e)."""
    e = _loguniform(rng, 1.0, 1e9, n)
    r = _loguniform(rng, 1e-12, 1.0, n)
    r = numpy.where(rng.uniform(size=n) < 0.5, r, 1 - r)
    t_max = 2 * e * e / (M_E + 2 * e)
    return {"T": numpy.clip(r, 1e-12, 1 - 1e-12) * t_max, "E_nu": e}


# Full kinematics (Vogel & Engel), in the couplings g_L = 1/2 + s, g_R = s (s = sin^2 theta_W) and y = 1 - t, t = T/E_nu:
#   nu_e:      (2 G_F^2 m_e/pi) [g_L^2 + g_R^2 y^2 - g_L g_R w],  w = m_e T/E_nu^2,
#   anti-nu_e: the same with g_L <-> g_R.
# y = (E_nu - T)/E_nu with the rounding error of E_nu - T recovered (Fast2Sum, exact for E_nu >= T, which holds below
# the end point).  Where g^2 y^2 dominates it is written c_0 - g^2 t (1 + y) (1 - y^2 = t (1 + y)), c_0 = g_L^2 + g_R^2
# summed as (s + 1/4) + 2 s^2: no square of a rounded y, no cancellation while t < 1/2 (anti-nu_e) or anywhere (nu_e,
# whose g_R^2 <= 1/16).  For anti-nu_e at t >= 1/2, E_nu - T is exact (Sterbenz) and the direct form has no cancellation.
d_, z_, r_, y_, t_, w_ = sympy.symbols("d_E z_E r_E y_E t_E w_E", real=True)
h_, ss_, gl2_, glr_, c0_ = sympy.symbols("h_s s_s g_L2 g_LR c_0", real=True)
s_ = S.s2w
FULL = ((d_, S.E_nu - S.T), (z_, d_ - S.E_nu), (r_, -S.T - z_), (y_, d_ / S.E_nu + r_ / S.E_nu))
WEAK_FULL = FULL + ((t_, S.T / S.E_nu), (w_, S.m_e * t_ / S.E_nu), (h_, s_ + sympy.Rational(1, 4)), (ss_, s_ * s_),
                    (gl2_, h_ + ss_), (glr_, s_ / 2 + ss_), (c0_, h_ + 2 * ss_))
# At and above the end point no electron recoils: 0.  T >= T_max = 2 E^2/(m_e + 2E) <=> 2E(E - T) <= m_e T (times
# m_e + 2E > 0), decided exactly in the rounded E_nu and T (ExactGuard: the sign of 200000 E^2 - 200000 E T -
# 51099895069 T, error-free): in floats a tie within a rounding of the two products was misjudged for 38 % of E_nu at
# the float nearest T_max, returning the cross section where it is 0; the quotient 2E^2/(m_e + 2E) even rounds to E.
END_POINT = ((ExactGuard(2 * S.E_nu * (S.E_nu - S.T) <= S.m_e * S.T), 0),)
WEAK_FULL_PREFACTOR = 2 * S.G_F**2 * S.m_e / sympy.pi  # (G_F^2 m_e/2 pi)(g_V +- g_A)^2 = (2 G_F^2 m_e/pi) g_{L,R}^2
WEAK_NUE = WEAK_FULL_PREFACTOR * (c0_ - ss_ * (t_ * (1 + y_)) - glr_ * w_)
WEAK_NUEBAR = WEAK_FULL_PREFACTOR * sympy.Piecewise(
    (c0_ - gl2_ * (t_ * (1 + y_)) - glr_ * w_, t_ < sympy.Rational(1, 2)), (ss_ + gl2_ * (y_ * y_) - glr_ * w_, True))
MU_FULL = sympy.pi * S.alpha**2 * S.kappa**2 / S.m_e**2 * y_ / S.T      # (1/T - 1/E_nu) = y/T
qm, qp, qa, qmx, qpx = rc.qm_, rc.qp_, rc.qa_, *sympy.symbols("q_mx q_px", positive=True)
ABOVE = ((S.T <= S.I, 0),)                         # theta(T - I): nothing below threshold
w_int, mu_int = fe.semiclassical_integrals()
pw, pm = fe.prefactors()

UNIT = (0, 1)                                      # the recoil factors: a fraction of the free-electron value
PAPER_QS = ((qm, rc.QM), (qp, rc.QP), (qa, rc.QA))
EXACT_QS = ((qmx, rc.QM_EXACT), (qpx, rc.QP_EXACT), (qa, rc.QA))

# Each kernel is declared into the catalogue (`nusym codegen` writes them in this order).
Q_PLUS = kernel(Kernel("q_plus", (T_, P_), qp, "Upper edge q_+ = sqrt(p^2 + 2 m_e T) + p of the semiclassical S.",
           "recoil Eq. (4)", intermediates=((qp, rc.QP),), result_unit="eV", stress=_stress_q,
           scalings=(Q_SCALING,)))
Q_MINUS = kernel(Kernel("q_minus", (T_, P_), qm, "Lower edge q_- = sqrt(p^2 + 2 m_e T) - p of the semiclassical S; never above q_plus.",
           "recoil Eq. (4)", intermediates=((qp, rc.QP), (qm, rc.QM)), result_unit="eV", stress=_stress_q,
           orders=((qm, qp),), scalings=(Q_SCALING,)))
Q_A = kernel(Kernel("q_a", (T_, I_, M_), qa, "Recoil cutoff q_a = sqrt(2 M_a (T - I)); 0 for T <= I (no q allowed).",
           "recoil Eq. (7)", intermediates=((qa, rc.QA),), guards=ABOVE, result_unit="eV",
           stress=lambda rng, n: {k: v for k, v in _stress_threshold(rng, n).items() if k in ("T", "I", "M_a")}))
RECOIL_FACTOR_WEAK = kernel(Kernel("recoil_factor_weak", (T_, P_, I_, M_),
           sympy.Piecewise((0, qa <= qm), (1, qa >= qp), (rc.WEAK_RAW, True)),
           "Weak cross section with recoil (Eq. 7 in Eq. 1) over the free-electron one, in [0, 1]; 0 for T <= I.",
           "recoil Eq. (7)", intermediates=PAPER_QS, guards=ABOVE, stress=_stress_factor,
           orders=((qm, qp),), result_range=UNIT, scalings=(FACTOR_SCALING,)))
RECOIL_FACTOR_MU = kernel(Kernel("recoil_factor_mu", (T_, P_, I_, M_),
           sympy.Piecewise((0, qa <= qm), (1, qa >= qp), (rc.MU_RAW, True)),
           "Magnetic cross section with recoil (Eq. 7 in Eq. 3) over the free-electron one, in [0, 1]; 0 for T <= I.",
           "recoil Eq. (7)", intermediates=PAPER_QS, guards=ABOVE, stress=_stress_factor,
           orders=((qm, qp),), result_range=UNIT, scalings=(FACTOR_SCALING,)))
RECOIL_FACTOR_WEAK_EXACT = kernel(Kernel("recoil_factor_weak_exact", (T_, P_, I_, M_EXACT_),
           sympy.Piecewise((0, qa <= qmx), (rc.WEAK_FREE_EXACT, qa >= qpx), (rc.WEAK_RAW.subs(qm, qmx), True)),
           "As recoil_factor_weak, with T -> T - q^2/2M_a substituted everywhere in Eq. (4) (q_pm moved too).",
           "recoil Eq. (7), exact substitution", intermediates=EXACT_QS, guards=ABOVE, stress=_stress_factor,
           orders=((qmx, qpx),), result_range=UNIT, scalings=(FACTOR_SCALING,)))
RECOIL_FACTOR_MU_EXACT = kernel(Kernel("recoil_factor_mu_exact", (T_, P_, I_, M_EXACT_),
           sympy.Piecewise((0, qa <= qmx), (rc.MU_FREE_EXACT, qa >= qpx), (rc.MU_RAW_T.subs(qm, qmx), True)),
           "As recoil_factor_mu, with T -> T - q^2/2M_a substituted everywhere in Eq. (4) (q_pm moved too).",
           "recoil Eq. (7), exact substitution", intermediates=EXACT_QS, guards=ABOVE, stress=_stress_factor,
           orders=((qmx, qpx),), result_range=UNIT, scalings=(FACTOR_SCALING,)))
DSIGMA_WEAK_FE = kernel(Kernel("dsigma_weak_fe", (T_, S2W_), pw * w_int,
           "Free-electron weak cross section dsigma_w/dT, recoil paper Eq. (5) (nu_e or anti-nu_e, T << E_nu).",
           "recoil Eqs. (4)-(5)", scale=HBAR_C**2, result_unit="cm^2/eV"))
DSIGMA_MU_FE = kernel(Kernel("dsigma_mu_fe", (T_, MU_), (pm * mu_int).subs(S.mu_nu, fe.MU_IN_BOHR),
           "Free-electron magnetic cross section dsigma_mu/dT = 4 pi alpha mu_nu^2/T = pi r_e^2 mu_nu^2/T, Eq. (6).",
           "recoil Eqs. (4), (6)", scale=HBAR_C**2, result_unit="cm^2/eV",
           scalings=MU_SCALINGS))
DSIGMA_WEAK_FE_NUE = kernel(Kernel("dsigma_weak_fe_nue", (T_, E_, S2W_), WEAK_NUE,
           "Free-electron nu_e weak cross section dsigma_w/dT at neutrino energy E_nu (Vogel & Engel, full T/E_nu "
           "dependence); 0 at and above the end point T_max = 2 E_nu^2/(m_e + 2 E_nu).",
           "free_electron (Vogel & Engel)", intermediates=WEAK_FULL, guards=END_POINT, scale=HBAR_C**2,
           result_unit="cm^2/eV", stress=_stress_end_point))
DSIGMA_WEAK_FE_NUEBAR = kernel(Kernel("dsigma_weak_fe_nuebar", (T_, E_, S2W_), WEAK_NUEBAR,
           "Free-electron anti-nu_e weak cross section dsigma_w/dT at neutrino energy E_nu (Vogel & Engel, full "
           "T/E_nu dependence); 0 at and above the end point T_max = 2 E_nu^2/(m_e + 2 E_nu).",
           "free_electron (Vogel & Engel)", intermediates=WEAK_FULL, guards=END_POINT, scale=HBAR_C**2,
           result_unit="cm^2/eV", stress=_stress_end_point))
DSIGMA_MU_FE_ENU = kernel(Kernel("dsigma_mu_fe_enu", (T_, E_, MU_), MU_FULL,
           "Free-electron magnetic cross section dsigma_mu/dT = pi r_e^2 mu_nu^2 (1/T - 1/E_nu) at neutrino energy "
           "E_nu (Vogel & Engel); 0 at and above the end point T_max = 2 E_nu^2/(m_e + 2 E_nu).",
           "free_electron (Vogel & Engel)", intermediates=FULL, guards=END_POINT, scale=HBAR_C**2,
           result_unit="cm^2/eV", stress=_stress_end_point, scalings=MU_SCALINGS))
