"""Binding against free electrons in magnetic scattering: the binding paper's Eqs. (7), (8) and (17).

The photon limit (17) used over the whole Q range against the exact transverse (8) and longitudinal (7) terms
(the spurious enhancement), and the binding factor [(7) + (8)]/(7) of as many free electrons (no enhancement); the
figure of these curves for H(1s) (`nusym figure magnetic-hydrogen`).
"""
import functools

import mpmath
import sympy

from nusym import constants as K
from nusym import symbols as S
from nusym.atoms import models
from nusym.catalogue import figure
from nusym.output import figures
from nusym.record import Evidence, Trend, digits_of_agreement, result

from .magnetic_hydrogen import PHI, closed_forms, k_, q_
from nusym.atoms import hydrogen

E, T = S.E_nu, S.T

def magnetic_terms(T, E_nu, Z=1):
    """Eqs. (7), (8) and the photon-limit form of (8) for a hydrogen-like 1s ion, with the free-electron
    cross section Z (1/T - 1/E_nu): d sigma/dT in units of pi alpha^2 mu_nu^2/m_e^2 (1/eV; mu_nu in mu_B).

    The photon limit puts R(T, Q)/Q^2 = sigma_gamma(T)/(4 pi^2 alpha T) (Eq. 17) = R(T, T)/T^2, its value
    at the real-photon point, under the whole integral (8), as Wong, Li & Lin did."""
    H, P = models.HYDROGEN, {"Z": mpmath.mpf(Z)}
    W = 2 * E_nu - T
    pref = W**2 / (4 * E_nu**2)
    longitudinal = pref * H.q_integral(T, P, lambda Q: (1 - T**2 / Q**2) * 2 / Q, T, W)
    transverse = pref * H.transverse.q_integral(T, P, lambda Q: (1 - Q**2 / W**2) * 2 / Q, T, W)
    photon = pref * H.transverse.density(T, T, P) / T**2 * _photon_limit_integral(T, W)
    return {"longitudinal": longitudinal, "transverse": transverse, "photon limit": photon,
            "free electrons": Z * (1 / T - 1 / E_nu)}


def _photon_limit_integral(T_, W):
    """int_{T^2}^{W^2} (1 - Q^2/W^2) dQ^2, W = 2E_nu - T, from SymPy."""
    return _photon_limit_evaluator()(T_, W)


@functools.lru_cache(maxsize=None)
def _photon_limit_evaluator():
    return sympy.lambdify((T, S.q), _photon_limit_symbolic(), "mpmath")


@functools.lru_cache(maxsize=None)
def _photon_limit_symbolic():
    u, W = sympy.Symbol("u", positive=True), S.q
    return sympy.factor(sympy.integrate(1 - u / W**2, (u, T**2, W**2)))


def thomas_fermi_scale(Z):
    """r_a^-1 = Z^(1/3) alpha m_e (eV)."""
    return mpmath.cbrt(Z) * K.ALPHA.mpf() * K.M_E.mpf()


ENHANCEMENT_T = ("1.000001 I", "20", "50", "100", "300", "1e3", "3e3", "1e4", "3e4", "1e5")


def enhancement_table(E_nu=mpmath.mpf(10) ** 6, Ts=ENHANCEMENT_T, Z=1):
    """Rows (T, terms, ratios) for hydrogen, T in eV ('x I' for multiples of the ionization energy)."""
    I = models.HYDROGEN.threshold({"Z": mpmath.mpf(Z)})
    rows = []
    for text in Ts:
        T_ = I * mpmath.mpf(text.split()[0]) if text.endswith("I") else mpmath.mpf(text)
        rows.append((T_, magnetic_terms(T_, E_nu, Z)))
    return rows


def _half_width(T_, Z=1):
    """The Q > T where R(T, Q) has fallen to half of R(T, T) (first crossing, scanning up in 5% steps)."""
    R, P = models.HYDROGEN.transverse, {"Z": mpmath.mpf(Z)}
    half = R.density(T_, T_, P) / 2
    f = lambda lq: mpmath.log(R.density(T_, mpmath.exp(lq), P) / half)
    lq, step = mpmath.log(T_), mpmath.log(mpmath.mpf("1.05"))
    while f(lq) > 0:
        lq += step
    return mpmath.exp(mpmath.findroot(f, (lq - step, lq), solver="anderson"))


@result("m-spurious-enhancement", "binding", "8, 17",
        """The photon limit (17) used over the whole integration interval of Eq. (8) (Wong, Li & Lin) is incorrect:
        the integrand falls rapidly as Q^2 goes from T^2 to ~4E_nu^2, especially for Q >~ r_a^-1 = Z^(1/3) alpha m_e,
        so the enhancement it gives at T ~ epsilon_b is spurious.""")
def spurious_enhancement():
    # symbolic: the photon-limit integral grows like E_nu^2, the exact one is bounded (R ~ q^-8 at large q)
    plim = _photon_limit_symbolic()
    _, R_c, _, _, _, dos = closed_forms()
    phase = sympy.exp(-(2 / k_) * sympy.atan(2 * k_ / (q_**2 - k_**2 + 1)))       # atan2 for q**2 > k**2 - 1
    tail = sympy.limit(R_c.subs(PHI, phase) * q_**8, q_, sympy.oo)
    E2 = sympy.limit(plim.subs(S.q, 2 * E - T) / E**2, E, sympy.oo)
    # 0 < 1 - exp(-2 pi/k) < 1: the tail coefficient is finite and positive
    proved = sympy.simplify(tail * dos - sympy.Rational(64, 3) * (1 + k_**2)) == 0 and E2 == 2
    # definition level: the photon-limit integral by quadrature over Q (dQ^2 = 2Q dQ) against SymPy's
    def quad_vs_closed(dps):
        with mpmath.workdps(dps):
            t_, w_ = mpmath.mpf(20), 2 * mpmath.mpf(10) ** 6 - 20
            by_quad = mpmath.quad(lambda Q: (1 - Q**2 / w_**2) * 2 * Q, [t_, 1e3, 1e5, w_])
            return digits_of_agreement(by_quad, _photon_limit_integral(t_, w_))
    digits = min(quad_vs_closed(d) for d in (50, 80))
    with mpmath.workdps(20):
        E_nu = mpmath.mpf(10) ** 6
        rows = enhancement_table(E_nu)
        a, m = K.ALPHA.mpf(), K.M_E.mpf()
        r_a = thomas_fermi_scale(1)
        table = ["T (eV) | long. (7) | transv. (8) | photon limit | free e | photon/transv. | photon/long. | "
                 "transv./long. | Stobbe sigma/(4 pi^2 alpha R(T,T)/T) | Q_1/2 * r_a (T < r_a^-1)"]
        for T_, d in rows:
            sto = hydrogen.photoionization_stobbe(T_ / K.hartree_energy(mpmath)) / (a * m) ** 2 \
                / (4 * mpmath.pi**2 * a * T_) / (models.HYDROGEN.transverse.density(T_, T_, {"Z": 1}) / T_**2)
            table.append(" | ".join([mpmath.nstr(T_, 6)] + [mpmath.nstr(d[x], 4) for x in
                                     ("longitudinal", "transverse", "photon limit", "free electrons")]
                                    + [mpmath.nstr(x, 3) for x in (d["photon limit"] / d["transverse"],
                                                                   d["photon limit"] / d["longitudinal"],
                                                                   d["transverse"] / d["longitudinal"],
                                                                   sto)]
                                    + [mpmath.nstr(_half_width(T_) / r_a, 3) if T_ < r_a else "-"]))
        # where the exact transverse integral comes from, at threshold
        T0 = rows[0][0]
        W = 2 * E_nu - T0
        H = models.HYDROGEN.transverse
        g = lambda Q: (1 - Q**2 / W**2) * 2 / Q
        share = H.q_integral(T0, {"Z": 1}, g, T0, r_a) / H.q_integral(T0, {"Z": 1}, g, T0, W)
        # the transverse sum rule, int R dT = Z^2 alpha^2/3 at every q: lines + continuum normalized
        sums = [(q_au, H.T_integral(mpmath.mpf(q_au) * a * m, {"Z": 1}) / (a**2 / 3)) for q_au in ("0.3", "2", "30")]
        sum_digits = [(q_au, min(digits_of_agreement(v, 1), mpmath.mp.dps)) for q_au, v in sums]
        at_E = [(e, magnetic_terms(T0, mpmath.mpf(e), 1)) for e in ("1e5", "1e7")]
    worst_low = min(rows[i][1]["photon limit"] / rows[i][1]["transverse"] for i in range(4))
    return Evidence("proved" if proved else "open",
                    f"SymPy: the photon-limit integral int (1 - Q^2/W^2) dQ^2 = {plim} (W = 2E_nu - T) grows as "
                    f"{E2} E_nu^2, while the exact R of H(1s) falls as q^-8 (lim q^8 R = {tail}, finite), so the exact "
                    "transverse integral stays bounded as E_nu -> oo: the photon limit cannot hold over the whole range",
                    digits, "the photon-limit integral by quadrature over Q at T = 20 eV, E_nu = 1 MeV, against SymPy's",
                    independent=tuple((f"transverse sum rule int R dT = alpha^2/3 for H(1s) at q = {q_au} a.u. "
                                       "(lines + continuum, 20-digit arithmetic)", d, 15) for q_au, d in sum_digits),
                    notes=f"hydrogen, E_nu = 1 MeV, d sigma/dT in units of pi alpha^2 mu_nu^2/m_e^2 per eV; photon limit "
                          f"from R(T, T)/T^2 (Eq. 17); Q_1/2 where R(T, Q) = R(T, T)/2, r_a^-1 = alpha m_e = "
                          f"{mpmath.nstr(r_a, 5)} eV:\n    " + "\n    ".join(table) +
                          f"\n    photon limit / exact transverse >= {mpmath.nstr(worst_low, 3)} for T <= 100 eV; at "
                          f"threshold {mpmath.nstr(share, 3)} of the exact transverse integral comes from Q < r_a^-1; "
                          "photon limit / transverse at threshold for E_nu = 100 keV, 10 MeV: " + ", ".join(
                              mpmath.nstr(d["photon limit"] / d["transverse"], 3) for _, d in at_E))


# ------------------------------------------------------------------ binding against free electrons
def binding_factor(model, T, P, electrons, E_nu=mpmath.inf):
    """[(7) + (8)] of ``model`` over (7) for as many free electrons at rest (same kinematics): the factor by
    which binding changes the magnetic cross section.  E_nu = oo drops (2E_nu - T)**2/4E_nu**2 and Q**2/W**2."""
    W = 2 * E_nu - T
    long_w = lambda Q: (1 - T**2 / Q**2) * 2 / Q
    trans_w = (lambda Q: 2 / Q) if E_nu == mpmath.inf else (lambda Q: (1 - Q**2 / W**2) * 2 / Q)
    atom = model.q_integral(T, P, long_w, T, W) + model.transverse.q_integral(T, P, trans_w, T, W)
    return atom / models.FREE.q_integral(T, {"Z": mpmath.mpf(electrons)}, long_w, T, W)


def _oscillator_binding_symbolic(n):
    """B_n for the oscillator's line n (line-averaged, E_nu -> oo) as a function of x = omega/2m_e, by SymPy
    from the lines: S = Z e^-y y^n/n!/omega, R = Z x e^-y y^(n-1)/(n-1)!/omega, y = Q^2/2m_e omega, dQ^2/Q^2 = dy/y,
    Q > T <=> y > y0 = n^2 x; free electrons: Z (1 - T/2m_e)/T."""
    y, x = sympy.symbols("y x", positive=True)
    y0 = n**2 * x
    longitudinal = n * sympy.integrate((1 - y0 / y) * sympy.exp(-y) * y**(n - 1) / sympy.factorial(n), (y, y0, sympy.oo))
    transverse = n * sympy.integrate(x * sympy.exp(-y) * y**(n - 2) / sympy.factorial(n - 1), (y, y0, sympy.oo))
    return sympy.simplify((longitudinal + transverse) / (1 - n * x)), x


@result("m-no-binding-enhancement", "binding", "7, 8",
        """No enhancement mechanism due to electron binding: the magnetic cross section (7) + (8) of an atom does
        not exceed that of its Z free electrons, so atomic excitation and ionization cannot raise the sensitivity
        to mu_nu (within the nonrelativistic theory, T << m_e).""", cost=6)
def no_binding_enhancement():
    # symbolic 1: the oscillator, line by line (E_nu -> oo): B_n = 1 + y0**(n+1)/(n (n+1)!) + ..., y0 = T**2/2m_e omega
    # = n**2 x, x = omega/2m_e -- the transverse term restores the free electron's (1 - T/2m_e) to all orders below
    # x**(n+1); what is left is of an order in T/m_e the nonrelativistic theory does not keep
    forms, B_n = [], {}
    for n in range(1, 6):
        B_n[n], x = B, x = _oscillator_binding_symbolic(n)
        below = sympy.series(B, x, 0, n + 1).removeO()                 # through x**n
        lead = sympy.expand(sympy.series(B, x, 0, n + 2).removeO() - 1)
        forms.append((n, lead, below == 1,
                      sympy.simplify(lead - (n**2 * x) ** (n + 1) / (n * sympy.factorial(n + 1))) == 0))
    osc_ok = all(f[2] for f in forms)
    pattern = all(f[3] for f in forms)
    # symbolic 2: hydrogen at threshold (k -> 0+, E_nu -> oo, T/Q -> 0): T int S dQ^2/Q^2 = 1 - 7 e^-4/3 < 1
    S_c, _, _, _, _, dos = closed_forms()
    phase = sympy.exp(-(2 / k_) * sympy.atan(2 * k_ / (q_**2 - k_**2 + 1)))     # atan2 for q**2 > k**2 - 1
    S0 = sympy.limit(S_c.subs(PHI, phase) * dos, k_, 0, "+") / sympy.limit(dos, k_, 0, "+")
    u = sympy.Symbol("u", positive=True)                                        # u = q**2
    at_threshold = sympy.simplify(sympy.integrate((S0 / q_**2).subs(q_, sympy.sqrt(u)), (u, 0, sympy.oo)) / 2)
    h_ok = bool(at_threshold < 1)
    # definition level: quadrature over Q of the models' own S and R (E_nu -> oo) against the SymPy forms
    f1, f3 = (sympy.lambdify(x, B_n[n], "mpmath") for n in (1, 3))

    def digits_at(dps):
        with mpmath.workdps(dps):
            m, out = K.M_E.mpf(), []
            for n, f in ((1, f1), (3, f3)):
                P = {"Z": mpmath.mpf(32), "omega": mpmath.mpf(1000)}
                out.append(digits_of_agreement(binding_factor(models.OSCILLATOR, n * P["omega"], P, P["Z"]),
                                               f(P["omega"] / (2 * m))))
        with mpmath.workdps(dps + 15):          # k**2 = 2 eps: the threshold value up to O(eps)
            H, P = models.HYDROGEN, {"Z": mpmath.mpf(1)}
            T0 = H.threshold(P) * (1 + mpmath.mpf(10) ** -(dps + 5))
            by_quad = T0 * H.q_integral(T0, P, lambda Q: 2 / Q)
            out.append(digits_of_agreement(by_quad, sympy.N(at_threshold, dps + 20)))
        return min(out)
    digits = min(digits_at(50), digits_at(80))
    # the full Eqs. (7) + (8) at E_nu = 1 MeV over a grid of T: hydrogen-like 1s (Z = 1, 32), oscillator lines
    with mpmath.workdps(15):
        E_nu, rows = mpmath.mpf(10) ** 6, []
        for Z in (1, 32):
            H, P = models.HYDROGEN, {"Z": mpmath.mpf(Z)}
            I = H.threshold(P)
            Ts = [I * (1 + mpmath.mpf(10) ** -6) * (10**5 / I) ** (mpmath.mpf(j) / 12) for j in range(13)]
            Bs = [(T_, binding_factor(H, T_, P, 1, E_nu)) for T_ in Ts]
            T_max, B_max = max(Bs, key=lambda r: r[1])
            rows.append(f"hydrogen-like Z = {Z}, T = I ... 100 keV ({len(Bs)} points): B = {mpmath.nstr(Bs[0][1], 6)}"
                        f" at threshold, max B = {mpmath.nstr(B_max, 9)} at T = {mpmath.nstr(T_max, 4)} eV")
        for om in ("13.6", "1000"):
            P = {"Z": mpmath.mpf(32), "omega": mpmath.mpf(om)}
            Bs = [(n, binding_factor(models.OSCILLATOR, n * P["omega"], P, P["Z"], E_nu)) for n in (1, 2, 3, 10, 30)]
            n_max, B_max = max(Bs, key=lambda r: r[1])
            rows.append(f"oscillator Z = 32, omega = {om} eV, lines n = 1, 2, 3, 10, 30: max B - 1 = "
                        f"{mpmath.nstr(B_max - 1, 3)} (n = {n_max})")
    with mpmath.workdps(30):                    # B_1 - 1 by quadrature of the oscillator's S and R, omega -> 0
        P0, path = {"Z": mpmath.mpf(32)}, []
        for om in ("3", "30", "300", "3000", "30000"):
            P = {**P0, "omega": mpmath.mpf(om)}
            path.append((P["omega"] / (2 * K.M_E.mpf()), binding_factor(models.OSCILLATOR, P["omega"], P, P["Z"]) - 1))
    return Evidence("limit" if osc_ok and h_ok and pattern else "open",
                    "SymPy, E_nu -> oo, B = [(7) + (8)] / (7)_free: for the oscillator's lines n = 1...5 every term of "
                    f"B_n - 1 below x^(n+1) vanishes ({osc_ok}), x = omega/2m_e; leading excess " + "; ".join(
                        f"B_{n} - 1 = {lead} + ..." for n, lead, _, _ in forms[:3]) + " = y0^(n+1)/(n (n+1)!) with y0 = "
                    f"T^2/2m_e omega ({pattern} for n = 1...5): the transverse term restores the free electron's "
                    "1 - T/2m_e, and the excess is of an order in T/m_e the nonrelativistic theory does not keep; "
                    f"hydrogen at threshold: B = T int S dQ^2/Q^2 = {at_threshold} = {sympy.N(at_threshold, 6)} < 1 "
                    "(Q/T -> oo, transverse ~ alpha^2 neglected)",
                    digits, "the models' S and R integrated over Q by quadrature (oscillator Z = 32, omega = 1 keV, "
                    "lines 1 and 3; hydrogen at T = I (1 + 1e-55), I (1 + 1e-85)) against the SymPy forms, 50 and 80 digits",
                    limit="omega/2m_e -> 0: the oscillator exceeds Z free electrons by y0^(n+1)/(n (n+1)!), "
                          "y0 = T^2/2m_e omega, an order in T/m_e the nonrelativistic theory does not keep",
                    trends=(Trend("oscillator Z = 32, line n = 1, E_nu -> oo: B_1 - 1, x = omega/2m_e", tuple(path)),),
                    notes="Eqs. (7) + (8) at E_nu = 1 MeV against as many free electrons, same kinematics:\n    "
                          + "\n    ".join(rows))


@figure("magnetic-hydrogen", "longitudinal, transverse, photon-limit and free-electron magnetic cross sections of H(1s) "
                             "against T, threshold to 100 keV")
def figure_magnetic_hydrogen(path, E_nu=1e6, points=48):
    """Longitudinal (7), transverse (8), photon-limit ("spurious", Eq. 17 over the whole Q range) and
    free-electron magnetic cross sections of hydrogen against T, written to ``path`` (PNG, PDF, SVG by suffix)."""
    with mpmath.workdps(15):
        E_nu = mpmath.mpf(E_nu)
        I = models.HYDROGEN.threshold({"Z": 1})
        Ts = [I * (1 + mpmath.mpf(10) ** -6) * (mpmath.mpf(1e5) / I) ** (mpmath.mpf(i) / (points - 1))
              for i in range(points)]
        terms = [magnetic_terms(T_, E_nu) for T_ in Ts]
        unit = mpmath.pi * K.classical_electron_radius(mpmath) ** 2 * 1e3     # pi r_e^2 per eV -> cm^2/keV
        r_a = thomas_fermi_scale(1)
    styles = {"photon limit": ("C3", "--", "photon limit, Eq. (17) over all Q (spurious)"),
              "longitudinal": ("C0", "-", "longitudinal, Eq. (7)"),
              "transverse": ("C2", "-", "transverse, Eq. (8)"),
              "free electrons": ("k", ":", "free electron (Vogel–Engel)")}
    curves = [figures.Curve(label, [float(d[key] * unit) for d in terms], color, ls)
              for key, (color, ls, label) in styles.items()]
    return figures.curves(path, [float(T_) / 1e3 for T_ in Ts], curves, "energy transfer T (keV)",
                          r"$(d\sigma_\mu/dT)\,/\,(\mu_\nu/\mu_B)^2$  (cm$^2$/keV)",
                          f"Magnetic ν–H(1s) scattering, $E_\\nu$ = {mpmath.nstr(E_nu / 1e6, 3)} MeV",
                          marks=((float(I) / 1e3, "I", "-"), (float(r_a) / 1e3, r"$r_a^{-1}=\alpha m_e$", "-.")))
