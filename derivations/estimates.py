"""Where recoil matters, and two numbers the papers quote (recoil paper, Sec. 2; binding paper, Eq. (1)).

q_a <= q_+ reads 2 M_a (T - I) <= (sqrt(p^2 + 2 m_e T) + p)^2, i.e. T - I <= q_+^2/2M_a, which
tends to 2p^2/M_a when 2 m_e T << p^2.  The Thomas-Fermi momentum alpha Z^(2/3) m_e and the
virial K-shell momentum sqrt(2 m_e I_K) turn it into numbers for germanium.
"""
import mpmath
import sympy

from nusym import constants as K
from nusym import symbols as S
from nusym.atoms.shells import atom
from nusym.quadrature import agreement, integrate
from nusym.record import digits_of_agreement
from nusym.record import Evidence, Quoted, Trend, result
from nusym.derivations.kinematics import Q2_MAX_PAPER

T, p, I, M, m_e, E, Z, alpha, E_h, G_F = S.T, S.p, S.I, S.M_a, S.m_e, S.E_nu, S.Z, S.alpha, S.E_h, S.G_F
QP = sympy.sqrt(p**2 + 2 * m_e * T) + p
CRITERION_PAPER = 2 * p**2 / M                              # T - I <~ 2 p^2/M_a
P_THOMAS_FERMI = alpha * Z**sympy.Rational(2, 3) * m_e
TF_SCALE_PAPER = 2 * Z**sympy.Rational(4, 3) * E_h * m_e / M


GE = atom("Ge")                                            # Z, mass and K edge from the shell data (xraydb)
K_EDGE = repr(GE.shell("K").binding)                       # Elam's K edge as its decimal digits, "11103.0"


def ge(lib=mpmath):
    """Ge values at mpmath precision: Z, M_a, I_K, m_e, alpha, from the shell data (xraydb, Elam's tables)."""
    return {"Z": mpmath.mpf(GE.Z), "M": GE.mass_of(mpmath), "IK": mpmath.mpf(K_EDGE),
            "m": K.M_E.mpf(), "alpha": K.ALPHA.mpf()}


def boundary_excess():
    """T* - I where q_a = q_+ exactly, from the quadratic in y = sqrt(p^2 + 2 m_e T) (SymPy)."""
    y = sympy.Symbol("y", positive=True)
    t_of_y = (y**2 - p**2) / (2 * m_e)
    roots = sympy.solve(2 * M * (t_of_y - I) - (y + p)**2, y)
    y_star = max(roots, key=lambda r: r.subs({p: 1, m_e: 1, M: 10**5, I: 1}))
    return sympy.simplify(t_of_y.subs(y, y_star) - I)


def _boundary_by_root(pt):
    """Definition: T with sqrt(2 M_a (T - I)) = sqrt(p^2 + 2 m_e T) + p, by root finding."""
    f = lambda t: mpmath.sqrt(2 * pt["M"] * (t - pt["I"])) - mpmath.sqrt(pt["p"]**2 + 2 * pt["m"] * t) - pt["p"]
    guess = pt["I"] + (mpmath.sqrt(pt["p"]**2 + 2 * pt["m"] * pt["I"]) + pt["p"])**2 / (2 * pt["M"])
    return mpmath.findroot(f, guess) - pt["I"]


@result("recoil-criterion", "recoil", "",
        "Recoil effects come into play for q_a <~ q_+, i.e. T - I <~ 2p^2/M_a.")
def recoil_criterion():
    x = sympy.Symbol("x", positive=True)                   # x = 2 m_e T / p^2
    scale = sympy.simplify((QP**2 / (2 * M)).subs(T, x * p**2 / (2 * m_e)))
    lim = sympy.limit(scale, x, 0)
    holds_in_limit = sympy.simplify(lim - CRITERION_PAPER) == 0 and sympy.simplify(scale - CRITERION_PAPER) != 0
    excess = boundary_excess()
    f = sympy.lambdify((p, I, M, m_e), excess, "mpmath")
    g = ge()
    pts = [{"p": "106523.5", "I": K_EDGE, "M": g["M"], "m": K.M_E.value},
           {"p": "4000", "I": "30", "M": g["M"], "m": K.M_E.value}]
    digits = agreement(_boundary_by_root, lambda pt: f(pt["p"], pt["I"], pt["M"], pt["m"]), pts)
    # Two small parameters: x = 2 m_e T/p^2 (q_+ -> 2p) and m_e/M_a (the boundary T* ~ I + 2p^2/M_a itself
    # enters q_+).  Along s -> 0 with 2 m_e I/p^2 = s and M_a = M_Ge/s both vanish.
    path = []
    with mpmath.workdps(40):
        ik = mpmath.mpf(30)
        for k in range(0, 6):
            s = mpmath.mpf(10) ** -k
            pp = mpmath.sqrt(2 * g["m"] * ik / s)
            exact = _boundary_by_root({"p": pp, "I": ik, "M": g["M"] / s, "m": g["m"]})
            path.append((s, exact / (2 * pp**2 / (g["M"] / s)) - 1))
        virial = float(path[0][1] + 1)
    return Evidence("limit" if holds_in_limit else "open",
                    f"q_a <= q_+ <=> T - I <= q_+^2/2M_a = {scale}; -> {lim} as x = 2m_eT/p^2 -> 0; exact "
                    f"boundary T* - I = {sympy.sstr(excess)[:120]}...",
                    digits, f"findroot of q_a(T) = q_+(T) vs the closed-form boundary; with p^2 = 2m_eI (x ~ 1, the "
                    f"virial K-shell case) the exact boundary is {virial:.4f} x 2p^2/M_a",
                    limit="2 m_e T << p^2 and m_e << M_a",
                    trends=(Trend("exact boundary/(2p^2/M_a) - 1 with 2m_eI/p^2 = s, M_a = M_Ge/s", tuple(path)),))


@result("thomas-fermi-scale", "recoil", "",
        """With the Thomas-Fermi momentum p ~ alpha Z^(2/3) m_e the criterion becomes
        T - I <~ 2 Z^(4/3) E_h m_e/M_a, E_h = alpha^2 m_e = 27.2 eV; for germanium (Z = 32) 0.04 eV.""")
def thomas_fermi_scale():
    derived = CRITERION_PAPER.subs(p, P_THOMAS_FERMI)
    proved = sympy.simplify(derived - TF_SCALE_PAPER.subs(E_h, alpha**2 * m_e)) == 0

    with mpmath.workdps(30):
        g = ge()
        value = 2 * (g["alpha"] * g["Z"]**(mpmath.mpf(2) / 3) * g["m"])**2 / g["M"]      # 2p^2/M_a, p = TF
        e_h, e_h_codata = K.hartree_energy(mpmath), K.E_H_CODATA.mpf()
        from_codata = 2 * g["Z"]**(mpmath.mpf(4) / 3) * e_h_codata * g["m"] / g["M"]
    return Evidence("proved" if proved else "open", f"2p^2/M_a at p = alpha Z^(2/3) m_e: {derived}",
                    None, f"Ge: 2p^2/M_a = {mpmath.nstr(value, 6)} eV with alpha, m_e (CODATA 2022); the paper's "
                    "form with CODATA's own E_h gives the same to the agreement shown",
                    quoted=(Quoted("E_h (eV)", "27.2", e_h), Quoted("Ge TF scale (eV)", "0.04", value)),
                    independent=(("alpha^2 m_e against CODATA 2022's adjusted E_h (a separate value of the table)",
                                  digits_of_agreement(e_h, e_h_codata), 10),
                                 ("2 Z^(4/3) E_h m_e/M_a with CODATA's E_h against 2p^2/M_a",
                                  digits_of_agreement(from_codata, value), 10)))


def virial_momentum():
    """<p^2> and I of a hydrogen-like 1s state, from its wave function (SymPy)."""
    r, a = sympy.symbols("r a", positive=True)             # a = 1/(Z alpha m_e)
    psi = sympy.exp(-r / a)
    norm = sympy.integrate(psi**2 * r**2, (r, 0, sympy.oo))
    p2 = sympy.integrate(sympy.diff(psi, r)**2 * r**2, (r, 0, sympy.oo)) / norm
    kinetic = p2 / (2 * m_e)
    potential = -sympy.integrate(psi**2 * r**2 / (r * m_e * a), (r, 0, sympy.oo)) / norm   # -Z alpha/r
    return sympy.simplify(p2), sympy.simplify(-(kinetic + potential)), a


@result("k-shell-scale", "recoil", "",
        """For K electrons the virial theorem gives p = sqrt(2 m_e I_K); the scale is then T - I <~ 0.3 eV
        for germanium, about an order of magnitude above the Thomas-Fermi estimate.""")
def k_shell_scale():
    p2, ionization, a = virial_momentum()
    proved = sympy.simplify(p2 - 2 * m_e * ionization) == 0
    scale = sympy.simplify(CRITERION_PAPER.subs(p, sympy.sqrt(2 * m_e * I)))

    def definition(pt):                                    # <p^2> by quadrature of the 1s state of charge Z
        g = ge()
        aa = 1 / (g["Z"] * g["alpha"] * g["m"])
        num = integrate(lambda r: (mpmath.exp(-r / aa) / aa)**2 * r**2, 0, mpmath.inf)
        den = integrate(lambda r: mpmath.exp(-2 * r / aa) * r**2, 0, mpmath.inf)
        energy = integrate(lambda r: mpmath.exp(-2 * r / aa) * r**2 * (1 / (aa**2 * 2 * g["m"])
                           - g["Z"] * g["alpha"] / r), 0, mpmath.inf) / den
        return (num / den) / (2 * g["m"] * -energy)

    digits = agreement(definition, lambda pt: mpmath.mpf(1), [{}])
    with mpmath.workdps(30):
        g = ge()
        value = 4 * g["m"] * g["IK"] / g["M"]
        tf = 2 * g["Z"]**(mpmath.mpf(4) / 3) * K.hartree_energy(mpmath) * g["m"] / g["M"]
        exact = _boundary_by_root({"p": mpmath.sqrt(2 * g["m"] * g["IK"]), "I": g["IK"], "M": g["M"], "m": g["m"]})
    return Evidence("proved" if proved else "open",
                    f"1s state: <p^2> = {p2}, I = {ionization}, so p^2 = 2 m_e I; 2p^2/M_a = {scale}",
                    digits, f"<p^2>/(2 m_e I) by quadrature for Z = 32; Ge: 4 m_e I_K/M_a = {mpmath.nstr(value, 4)} eV "
                    f"(I_K = {K_EDGE} eV, {GE.data_version}), ratio to Thomas-Fermi {mpmath.nstr(value / tf, 3)}; the exact "
                    f"q_a = q_+ boundary for this p is {mpmath.nstr(exact, 4)} eV",
                    quoted=(Quoted("Ge K-shell scale (eV)", "0.3", value),
                            Quoted("K-shell / Thomas-Fermi", "10", value / tf, kind="order")))


SM_MU = 3 * sympy.Symbol("e", positive=True) * G_F * sympy.Symbol("m_nu", positive=True) / (8 * sympy.sqrt(2) * sympy.pi**2)


def _sm_moment(paper, equation, quoted):
    e, m_nu = sympy.Symbol("e", positive=True), sympy.Symbol("m_nu", positive=True)
    in_bohr = sympy.simplify(SM_MU / (e / (2 * m_e)))
    proved = sympy.simplify(in_bohr - 3 * G_F * m_e * m_nu / (4 * sympy.sqrt(2) * sympy.pi**2)) == 0 and e not in in_bohr.free_symbols

    def definition(pt):                                    # mu / mu_B at m_nu = 1 eV, e cancels for any e
        e_val = mpmath.sqrt(K.ALPHA.mpf())
        mu = 3 * e_val * K.G_F.mpf() * 1 / (8 * mpmath.sqrt(2) * mpmath.pi**2)
        return mu / (e_val / (2 * K.M_E.mpf()))

    with mpmath.workdps(30):
        value = definition({}) * mpmath.mpf(10)**19
    return Evidence("proved" if proved else "open",
                    f"mu_nu/mu_B = {in_bohr} (mu_B = e/2m_e)", None,
                    f"CODATA 2022 G_F, m_e: mu_nu = {mpmath.nstr(value, 5)}e-19 mu_B (m_nu/1 eV), evaluated from the "
                    "defining 3 e G_F m_nu/(8 sqrt(2) pi^2) over e/2m_e; a number, not a second route",
                    quoted=(Quoted("mu_nu / 1e-19 mu_B", quoted, value),))


@result("sm-magnetic-moment", "recoil", "",
        "In the minimally extended SM mu_nu = 3e-19 mu_B (m_nu/1 eV), from 3 e G_F m_nu/(8 sqrt(2) pi^2).")
def sm_magnetic_moment_recoil():
    return _sm_moment("recoil", "", "3")


@result("sm-magnetic-moment-binding", "binding", "1",
        "The Standard Model predicts mu_nu ~ 3.2e-19 mu_B (m_nu/1 eV).")
def sm_magnetic_moment_binding():
    return _sm_moment("binding", "1", "3.2")


@result("max-recoil-energy", "binding", "",
        """The largest atomic recoil energy is (2E_nu - T)^2/2M_a ~ 2E_nu^2/M_a, so recoil is negligible
        for T >> 2E_nu^2/M (the binding paper's condition).""",
        by="nusym (the derivation behind the binding paper's condition T >> 2E_nu^2/M; 'negligible' is not judged)")
def max_recoil_energy():
    t_r = Q2_MAX_PAPER / (2 * M)                            # q^2 at its kinematic maximum, Eqs. (1), (3)
    paper = 2 * E**2 / M
    lim = sympy.limit(t_r / paper, T, 0)
    holds_in_limit = lim == 1 and sympy.simplify(t_r - paper) != 0

    def definition(pt):                                     # max over angles of q^2/2M_a, E' = E - T
        ep = pt["E"] - pt["T"]
        return max(((ep * mpmath.sin(th))**2 + (pt["E"] - ep * mpmath.cos(th))**2) / (2 * pt["M"])
                   for th in mpmath.linspace(0, mpmath.pi, 91))

    closed = sympy.lambdify((E, T, M), t_r, "mpmath")
    g = ge()
    pts = [{"E": "1e6", "T": "2e3", "M": g["M"]}, {"E": "1e7", "T": "1e4", "M": g["M"]}]
    digits = agreement(definition, lambda pt: closed(pt["E"], pt["T"], pt["M"]), pts)
    with mpmath.workdps(30):
        g = ge()
        at1, at10 = 2 * mpmath.mpf(10)**12 / g["M"], 2 * mpmath.mpf(10)**14 / g["M"]
        path = tuple((mpmath.mpf(10)**-k, closed(mpmath.mpf(10)**6, mpmath.mpf(10)**6 * mpmath.mpf(10)**-k, g["M"])
                      / (2 * mpmath.mpf(10)**12 / g["M"]) - 1) for k in (1, 2, 3, 4, 5))
    return Evidence("limit" if holds_in_limit else "open",
                    f"T_R,max = {t_r}; ratio to 2E_nu^2/M_a -> {lim} as T/E_nu -> 0",
                    digits, f"max over a 91-angle scan of q^2/2M_a; Ge: 2E_nu^2/M_a = {mpmath.nstr(at1, 4)} eV at "
                    f"E_nu = 1 MeV, {mpmath.nstr(at10, 4)} eV at 10 MeV",
                    limit="T << E_nu", trends=(Trend("T_R,max/(2E_nu^2/M_a) - 1 at E_nu = 1 MeV, x = T/E_nu", path),))
