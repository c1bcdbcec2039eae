"""Magnetic scattering from the amplitude: binding paper Eqs. (2)-(8).

The neutrino vertex (Eq. 2) is (mu_nu/2m_e) sigma^{mu nu} q_nu with q = k - k' (k, k' the
neutrino four-momenta, massless).  Between on-shell massless spinors the Gordon identity gives

    u'bar sigma^{mu nu} q_nu u = -i (k + k')^mu u'bar u,

so the neutrino current is (k + k')^mu times the scalar u'bar u, which flips chirality: it cannot
interfere with the chirality-keeping weak current, and sum |u'bar P_L u|**2 = 2 k.k' = Q**2 - T**2.
In Coulomb gauge the time component (2E_nu - T) couples to rho(-q) through 1/Q**2 and the part of
k + k' transverse to q (= 2 k_perp) to j(-q) through 1/(T**2 - Q**2).  With the phase space
d sigma/dT dQ**2 = |M|**2/(16 pi E_nu**2) this gives Eqs. (7) and (8).  Everything is done with
explicit Dirac matrices (sympy.physics.matrices.mgamma): k = (E, 0, 0, E), k' = E'(1, s, 0, c).
"""
import functools

import mpmath
import sympy
from sympy.physics.matrices import mgamma

from nusym import symbols as S
from nusym.record import Evidence, Trend, digits_of_agreement, result
from nusym.atoms import models
from nusym.quadrature import agreement
from nusym.quadrature import integrate_delta

E, T, Q, m_e, alpha, mu = S.E_nu, S.T, S.q, S.m_e, S.alpha, S.mu_nu
Ep = sympy.Symbol("Ep", positive=True)                  # E' = E_nu - T
c = sympy.Symbol("c", real=True)                         # cos of the neutrino scattering angle
s = sympy.Symbol("s", positive=True)                     # its sine, s**2 = 1 - c**2
S_, R_ = sympy.symbols("S R", positive=True)             # the atomic responses, Eqs. (9), (10)

ETA = sympy.diag(1, -1, -1, -1)
GAMMA = [mgamma(m) for m in range(4)]
ONE = sympy.eye(4)
P_L, P_R = (ONE - mgamma(5)) / 2, (ONE + mgamma(5)) / 2


def slash(v):
    return sum((ETA[m, m] * v[m] * GAMMA[m] for m in range(4)), sympy.zeros(4))


def kinematics(E_=E, Ep_=Ep, c_=c, s_=s):
    k = [E_, 0, 0, E_]
    kp = [Ep_, Ep_ * s_, 0, Ep_ * c_]
    return k, kp, [a - b for a, b in zip(k, kp)]


def magnetic_vertex(q):
    """sigma^{mu nu} q_nu for mu = 0..3 (Eq. 2 without mu_nu/2m_e)."""
    sigma = lambda m, n: sympy.I / 2 * (GAMMA[m] * GAMMA[n] - GAMMA[n] * GAMMA[m])
    return [sum((sigma(m, n) * ETA[n, n] * q[n] for n in range(4)), sympy.zeros(4)) for m in range(4)]


def neutrino_tensor(k, kp, q):
    """L^{mu nu} = sum over spins of (u'bar V^mu P_L u)(u'bar V^nu P_L u)^*, V = sigma q: a trace."""
    V = magnetic_vertex(q)
    bar = lambda M: GAMMA[0] * M.H * GAMMA[0]
    ks, kps = slash(k), slash(kp)
    return [[(kps * V[m] * P_L * ks * bar(V[n])).trace() for n in range(4)] for m in range(4)]


def _on_shell(expr):
    """Impose s**2 = 1 - c**2, E' = E - T and c from Q**2 = E**2 + E'**2 - 2 E E' c."""
    expr = sympy.expand(expr).subs(s**2, 1 - c**2)
    return sympy.cancel(expr.subs(Ep, E - T).subs(c, (E**2 + (E - T)**2 - Q**2) / (2 * E * (E - T))))


def paper_integrand():
    """d sigma/dT dQ**2 of Eqs. (7) + (8) (the integrands, per dQ**2)."""
    pref = sympy.pi * alpha**2 * mu**2 / m_e**2 * (2 * E - T)**2 / (4 * E**2 * Q**2)
    return pref * (1 - T**2 / Q**2) * S_, pref * (1 - Q**2 / (2 * E - T)**2) * R_


def amplitude_pieces():
    """(L^00, sum_ij L^ij P_ij, cross term sum_ij L^0i P_ij q_j) on shell, P = 1 - qhat qhat the transverse
    projector (kept polynomial: q**2 P = q**2 - q q, divided by Q**2 on shell)."""
    k, kp, q = kinematics()
    L = neutrino_tensor(k, kp, q)
    qv = q[1:]
    q2 = sympy.expand(sum(x**2 for x in qv))
    P_q2 = [[q2 * (1 if i == j else 0) - qv[i] * qv[j] for j in range(3)] for i in range(3)]
    trans = sum(L[i + 1][j + 1] * P_q2[i][j] for i in range(3) for j in range(3))
    cross = sum(L[0][i + 1] * P_q2[i][j] * qv[j] for i in range(3) for j in range(3))
    return _on_shell(L[0][0]), _on_shell(trans) / Q**2, _on_shell(cross)


COUPLING = 2 * sympy.pi * alpha * mu / m_e       # 4 pi alpha (photon) x mu_nu/2m_e (Eq. 2), as in Eq. (3)


@result("m-amplitude", "binding", "2, 3",
        """The matrix element of the magnetic vertex (2) with the Coulomb-gauge photon propagator is Eq. (3):
        (2 pi alpha mu_nu/m_e|q|)(u'bar u){(2E_nu - T)/|q| <n|rho|0> + sqrt(((2E_nu - T)**2 - q**2)/(q**2 - T**2))
        <n|e_perp.j|0>}, and it does not interfere with the weak amplitude.""")
def amplitude():
    k, kp, q = kinematics()
    V = magnetic_vertex(q)
    ks, kps = slash(k), slash(kp)
    massless = lambda x: sympy.simplify(sympy.expand(x).subs(s**2, 1 - c**2))     # k'.k' = 0
    gordon = all(all(massless(x) == 0 for x in kps * (V[m] + sympy.I * (k[m] + kp[m]) * ONE) * ks)
                 for m in range(4))
    flip = sympy.simplify((kps * P_L * ks * P_R).trace())
    flip_q = _on_shell(flip)
    weak = [sympy.simplify((kps * GAMMA[m] * (ONE - mgamma(5)) * P_L * ks).trace()) for m in range(4)]
    # |k + k'| transverse to q, squared, against Eq. (3)'s coefficient times (Q**2 - T**2) Q**2:
    qv = sympy.Matrix(q[1:])
    kk = sympy.Matrix([a + b for a, b in zip(k[1:], kp[1:])])
    q2 = (qv.T * qv)[0]
    perp2 = _on_shell(sympy.expand((kk.T * kk)[0] * q2 - ((kk.T * qv)[0]) ** 2)) / Q**2
    eq3_transverse = ((2 * E - T)**2 - Q**2) / (Q**2 - T**2) * (Q**2 - T**2)**2 / Q**2
    proved = (gordon and sympy.simplify(flip_q - (Q**2 - T**2)) == 0 and all(w == 0 for w in weak)
              and sympy.simplify(perp2 - eq3_transverse) == 0)
    # definition-level: the spinor sum |u'bar V^0 u|**2 / |u'bar u|**2 evaluated numerically with the matrices
    def ratio(dps):
        with mpmath.workdps(dps):
            vals = {E: mpmath.mpf(10) ** 6, Ep: mpmath.mpf(10) ** 6 - 2000, c: mpmath.mpf("0.999"),
                    s: mpmath.sqrt(1 - mpmath.mpf("0.999") ** 2)}
            L00 = mpmath.re(_trace_evaluator(0, 0)(*vals.values()))      # the same k, k', q: kinematics()
            scal = mpmath.re(sympy.lambdify(list(vals), flip, "mpmath")(*vals.values()))
            return digits_of_agreement(L00 / scal, (2 * vals[E] - 2000) ** 2)
    digits = min(ratio(d) for d in (50, 80))
    return Evidence("proved" if proved else "open",
                    f"Gordon identity u'bar sigma q u = -i(k+k')^mu u'bar u on shell: {gordon}; sum |u'bar P_L u|^2 = "
                    f"{flip} = {flip_q} (helicity flip); weak-magnetic interference traces {weak}; "
                    "|(k+k')_perp|^2 (Q^2 - T^2)^-2 Q^2 = ((2E-T)^2 - Q^2)/(Q^2 - T^2): Eq. (3) as printed is right",
                    digits, "spinor trace of the vertex at E_nu = 1 MeV, T = 2 keV, cos = 0.999: L^00/|u'bar u|^2 = "
                    "(2E_nu - T)^2 = (k + k')_0^2")


@functools.lru_cache(maxsize=None)
def _raw_traces():
    """The raw (unsimplified) traces L^{mu nu} and the components of q at k, k', q = kinematics()."""
    k, kp, q = kinematics()
    return neutrino_tensor(k, kp, q), q[1:]


@functools.lru_cache(maxsize=None)
def _trace_evaluator(i, j=None):
    """L^{ij} (or q's component i, with j None) of :func:`_raw_traces` as an mpmath function of (E, E', c, s),
    lambdified once; it reads the working precision when called."""
    L, qv = _raw_traces()
    return sympy.lambdify((E, Ep, c, s), qv[i] if j is None else L[i][j], "mpmath")


def _traced_dsigma(pt, dps):
    """d sigma/dT dQ**2 (units alpha = mu = m_e = 1) from the raw traces, evaluated numerically."""
    with mpmath.workdps(dps):
        e, t, qq = (mpmath.mpf(pt[x]) for x in ("E", "T", "Q"))
        ep = e - t
        cc = (e**2 + ep**2 - qq**2) / (2 * e * ep)
        vals = (e, ep, cc, mpmath.sqrt(1 - cc**2))
        L = [[_trace_evaluator(i, j)(*vals) for j in range(4)] for i in range(4)]
        qv = [_trace_evaluator(i)(*vals) for i in range(3)]
        q2 = sum(x**2 for x in qv)
        P = [[(1 if i == j else 0) - qv[i] * qv[j] / q2 for j in range(3)] for i in range(3)]
        trans = sum(L[i + 1][j + 1] * P[i][j] for i in range(3) for j in range(3))
        M2 = (2 * mpmath.pi) ** 2 * (L[0][0] * mpmath.mpf(pt["S"]) / q2**2
                                     + trans * mpmath.mpf(pt["R"]) / (t**2 - q2) ** 2)
        return mpmath.re(M2) / (16 * mpmath.pi * e**2)


def _digits_at(dps, fn):
    with mpmath.workdps(dps):
        return fn()


@functools.lru_cache(maxsize=None)
def _paper_evaluator():
    long_, trans_ = paper_integrand()
    return sympy.lambdify((E, T, Q, S_, R_), (long_ + trans_).subs({alpha: 1, mu: 1, m_e: 1}), "mpmath")


def _paper_dsigma(pt, dps):
    with mpmath.workdps(dps):
        return _paper_evaluator()(*(mpmath.mpf(pt[x]) for x in ("E", "T", "Q", "S", "R")))


@result("m-decomposition", "binding", "6, 7, 8",
        """d sigma_mu/dT is the sum of a longitudinal term (7) with S(T,Q) and a transverse term (8) with R(T,Q),
        which do not interfere.""")
def decomposition():
    L00, trans, cross = amplitude_pieces()
    M2 = COUPLING**2 * (L00 * S_ / Q**4 + trans * R_ / (T**2 - Q**2)**2)
    # phase space: d^3k'/(2E') (1/2E) 2 pi delta, dOmega = pi dQ**2/(E E'), spinors normalized to 2E
    jac = sympy.Rational(1, 2) / E / (2 * Ep) * 2 * sympy.pi / (2 * sympy.pi)**3 * Ep**2 * sympy.pi / (E * Ep)
    dsig = sympy.cancel((M2 * jac).subs(Ep, E - T))
    long_, trans_ = paper_integrand()
    diff = sympy.cancel(dsig - long_ - trans_)
    proved = diff == 0 and cross == 0 and sympy.simplify(jac - 1 / (16 * sympy.pi * E**2)) == 0
    pt = {"E": "1e6", "T": "2000", "Q": "5e4", "S": "3e-6", "R": "7e-11"}
    digits = min(_digits_at(d, lambda: digits_of_agreement(_traced_dsigma(pt, d), _paper_dsigma(pt, d)))
                 for d in (50, 80))
    return Evidence("proved" if proved else "open",
                    f"|M|^2 from the traced vertex, Coulomb (1/Q^2) and transverse (1/(T^2 - Q^2)) propagators, "
                    f"times d sigma/dT dQ^2 = |M|^2/(16 pi E^2), minus Eqs. (7) + (8) = {diff}; the L-T cross "
                    f"term L^0i P_ij qhat_j = {cross}: an unpolarized atom's <rho j^i> is along qhat, which the "
                    "transverse projector removes",
                    digits, "the unsimplified spinor traces, projector and propagators evaluated numerically at "
                    "E_nu = 1 MeV, T = 2 keV, Q = 50 keV, against Eqs. (7) + (8)")


def _vogel_engel_mu():
    kappa = sympy.Symbol("kappa", positive=True)
    return sympy.pi * alpha**2 * kappa**2 / m_e**2 * (1 / T - 1 / E), kappa


@result("m-free-electron-limit", "binding", "7, 8",
        """For free electrons at rest Eqs. (7) + (8) give the Vogel-Engel magnetic cross section
        (pi alpha**2 kappa**2/m_e**2)(1/T - 1/E_nu).""")
def free_electron_limit():
    u = sympy.Symbol("u", positive=True)                                  # Q**2
    # R: <p_f| e_perp.j(-q) |p_i> = e_perp.(p_i + p_f)/2m_e with p_f = p_i + q, p_i = 0, e_perp.q = 0
    e_perp, qvec = sympy.Matrix([1, 0, 0]), sympy.Matrix([0, 0, Q])
    R_free = (e_perp.T * (2 * sympy.zeros(3, 1) + qvec))[0] / (2 * m_e)
    long_, _ = paper_integrand()
    per_u = (long_ * Q**2 / Q**2).subs(S_, sympy.DiracDelta(T - u / (2 * m_e))).subs(Q, sympy.sqrt(u))
    ve, kappa = _vogel_engel_mu()
    eq7 = sympy.simplify(sympy.integrate(per_u, (u, 0, sympy.oo)).subs(mu, kappa))
    ratio = sympy.simplify(eq7 / ve)
    series = sympy.series(ratio.subs({T: sympy.Symbol("x") * m_e}), sympy.Symbol("x"), 0, 2).removeO()
    first = sympy.simplify(sympy.limit(ratio, E, sympy.oo))
    holds_in_limit = R_free == 0 and sympy.limit(first, T, 0) == 1 and ratio != 1
    vals = {E: mpmath.mpf(10) ** 6, m_e: mpmath.mpf("510998.95069")}
    f = sympy.lambdify(T, ratio.subs(vals), "mpmath")
    path = tuple((mpmath.mpf(10) ** k / vals[m_e], f(mpmath.mpf(10) ** k) - 1) for k in (4, 3, 2, 1, 0))

    def definition(pt):        # the delta integral done numerically (root finding)
        t, e, m = pt["T"], pt["E"], pt["m"]
        g = lambda x: (2 * e - t) ** 2 / (4 * e**2) * (1 - t**2 / x) / x
        return integrate_delta(g, lambda x: t - x / (2 * m), t**2, (2 * e - t) ** 2, [2 * m * t])
    closed = sympy.lambdify((T, E, m_e), (eq7 / (sympy.pi * alpha**2 * kappa**2 / m_e**2)), "mpmath")
    pts = [{"T": "2000", "E": "1e6", "m": "510998.95069"}, {"T": "30", "E": "3e6", "m": "510998.95069"}]
    digits = agreement(definition, lambda pt: closed(pt["T"], pt["E"], pt["m"]), pts)
    return Evidence("limit" if holds_in_limit else "open",
                    f"R = e_perp.q/2m_e = {R_free} for an electron at rest; Eq. (7) with S = delta(T - Q^2/2m_e) "
                    f"gives {eq7}; ratio to Vogel-Engel = {ratio}, i.e. 1 + {sympy.simplify(series - 1)} + ... with "
                    f"x = T/m_e (E_nu -> oo: {first})",
                    digits, "Eq. (7) with the free-electron delta resolved by root finding, T = 2 keV and 30 eV",
                    limit="T << m_e and T << E_nu (nonrelativistic electron)",
                    trends=(Trend("Eq. (7)/Vogel-Engel - 1 at E_nu = 1 MeV, T = 10 keV ... 1 eV, x = T/m_e", path),))


@result("m-large-energy", "binding", "7",
        """At large E_nu and small T the longitudinal term (7) is the recoil paper's Eq. (3),
        4 pi alpha mu_nu**2 int S dq**2/q**2, with mu_nu = kappa e/2m_e and e**2 = alpha.""")
def large_energy():
    kappa = sympy.Symbol("kappa", positive=True)
    long_, _ = paper_integrand()
    pref_binding = sympy.limit(long_ * Q**2 / (S_ * (1 - T**2 / Q**2)), E, sympy.oo).subs(mu, kappa)
    pref_recoil = (4 * sympy.pi * alpha * mu**2).subs(mu, kappa * sympy.sqrt(alpha) / (2 * m_e))
    same = sympy.simplify(pref_binding - pref_recoil) == 0
    ratio_E = sympy.simplify(long_ * Q**2 / (S_ * (1 - T**2 / Q**2)) / pref_binding.subs(kappa, mu))
    f = sympy.lambdify(E, ratio_E.subs(T, 2000), "mpmath")
    with mpmath.workdps(30):
        path = tuple((2000 / mpmath.mpf(10) ** k, f(mpmath.mpf(10) ** k) - 1) for k in (5, 6, 7, 8, 9))
    rows = []
    with mpmath.workdps(20):          # the factor (1 - T**2/Q**2) on exact hydrogen-like 1s ions
        for zz in (1, 32):
            H, P = models.HYDROGEN, {"Z": mpmath.mpf(zz)}
            for fct in ("1.0001", "2", "10"):
                t = H.threshold(P) * mpmath.mpf(fct)
                full = H.q_integral(t, P, lambda x: 2 / x, t)
                corr = H.q_integral(t, P, lambda x: 2 * t**2 / x**3, t)
                rows.append(f"Z={zz}, T={fct} I: {mpmath.nstr(corr / full, 2)}")
    return Evidence("limit" if same else "open",
                    f"lim_(E_nu->oo) of Eq. (7)'s factor = {pref_binding} = 4 pi alpha mu^2 with mu = kappa sqrt(alpha)/2m_e "
                    f"({same}); Eq. (7) keeps (1 - T^2/Q^2), which Eq. (3) drops",
                    None, "the limit is SymPy's; the trend evaluates Eq. (7)'s prefactor itself",
                    limit="E_nu -> oo (the prefactor); the factor (1 - T^2/Q^2) that Eq. (3) drops is measured "
                          "on hydrogen-like 1s below, not taken to a limit; the transverse term is neglected",
                    trends=(Trend("Eq. (7)'s prefactor/limit - 1 at T = 2 keV, x = T/E_nu", path),),
                    notes="share of int S dQ^2/Q^2 (Q > T) removed by (1 - T^2/Q^2) for exact hydrogen-like 1s: "
                          + "; ".join(rows))
