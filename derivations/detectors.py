"""Real detectors: the stepping approximation on Elam's shells, its free-electron limit, the recoil paper's
"below one percent" for real atoms from measured photoabsorption, and recoil in germanium's event counts.

Each subshell of an atom (``nusym.atoms.shells``: Elam's edges, NIST's configurations) is one semiclassical
electron group of Eq. (4): N_s electrons with p_s = sqrt(2 m_e I_s).  The q-integral of Eq. (4) does not depend
on p (free_electron.semiclassical_integrals), so summing the shells gives the stepping approximation:
dsigma/dT = sum over the open subshells of N_s x the free-electron value.  Below q = T the dynamical structure
factor is the dipole one, S(T, q) -> q^2 sigma_gamma(T)/(4 pi^2 alpha T) (the same limit as the binding paper's
Eq. (17) gives the transverse R(T, Q)/Q^2 at Q -> T), so the region q^2 < T^2 of Eqs. (1), (3) carries
    magnetic: int_0^{T^2} S dq^2/q^2 = T sigma_gamma/(4 pi^2 alpha)   of N_open/T,
    weak:     int_0^{T^2} S dq^2     = T^3 sigma_gamma/(8 pi^2 alpha)  of 2 m_e N_open,
with sigma_gamma the atom's measured photoabsorption cross section (Elam's tables through xraydb).
"""
import functools
import math

import mpmath
import numpy
import sympy

from nusym import constants as K
from nusym import detectors as detector
from nusym.atoms import semiclassical, shells, models
from nusym import numeric
from nusym import symbols as S
from nusym.quadrature import agreement, integrate, switch_points
from nusym.record import Bound, Evidence, digits_of_agreement, result

from nusym.derivations import free_electron as fe
from nusym.atoms import hydrogen
from nusym.derivations.estimates import boundary_excess

T, q, u, m_e, alpha = S.T, S.q, S.u, S.m_e, S.alpha
REAL_TARGETS = ("Ge", "Si", "Xe", "Ar", "Na", "I", "Cs")
SHARE_RANGE = (100.0, 30000.0)     # eV: the keV thresholds of the reactor experiments up to 30 keV (Elam from 100 eV)


# ------------------------------------------------------------------ stepping = sum of open shells
def _shell_sum_numeric(weight, groups):
    """Definition: sum over the subshells of N_s times the quadrature over q^2 of Eq. (4) (p_s = sqrt(2 m_e I_s))
    within [T^2, (2E - T)^2], the points where its thetas switch found by bisection on the thetas.  ``groups``:
    (N_s as a Fraction, I_s as decimal digits)."""
    def run(pt):
        t, m, e = pt["T"], pt["m"], pt["E"]
        a, b = t**2, (2 * e - t)**2
        total = mpmath.mpf(0)
        for n, i in groups:
            pp, ii = mpmath.sqrt(2 * m * mpmath.mpf(i)), mpmath.mpf(i)
            pattern = lambda x: semiclassical.semiclassical_pattern(t, mpmath.sqrt(x), pp, ii, m)
            f = lambda x: semiclassical.semiclassical(t, mpmath.sqrt(x), pp, ii, m) * weight(x)
            total += mpmath.mpf(n.numerator) / n.denominator * integrate(f, a, b, switch_points(pattern, a, b))
        return total
    return run


def _ge_shells():
    """(electrons, edge digits) of Ge's subshells with an Elam edge."""
    return [(s.electrons, repr(s.binding)) for s in shells.atom("Ge").shells if s.binding is not None]


@result("stepping-from-shells", "recoil", "4, 5, 6",
        """The stepping approximation: the atom's electrons, shell by shell in the semiclassical S of Eq. (4), give
        dsigma/dT = (electrons of the subshells with I < T) x the free-electron value, for the weak and the
        magnetic cross section.""",
        by="the recoil paper (the stepping approximation of its ref. [7], which its Sec. 1 says works with good "
           "accuracy)", scope="Eq. (4) per subshell of Elam's shells (germanium), T < 2(m_e - p)", cost=4)
def stepping_from_shells():
    w, mu = fe.semiclassical_integrals()
    independent_of_p = S.p not in (w.free_symbols | mu.free_symbols)
    per_shell = sympy.simplify(w - 2 * m_e) == 0 and sympy.simplify(mu - 1 / T) == 0
    # a sum of groups with their own p_s, I_s: linear in S, each group contributing N_s theta(T - I_s) x FE
    n1, n2, i1, i2 = sympy.symbols("N_1 N_2 I_1 I_2", positive=True)
    stepped = (n1 * sympy.Heaviside(T - i1) + n2 * sympy.Heaviside(T - i2)) * w
    summed = n1 * sympy.Heaviside(T - i1) * w.subs(S.p, sympy.Symbol("p_1")) \
        + n2 * sympy.Heaviside(T - i2) * w.subs(S.p, sympy.Symbol("p_2"))
    linear = sympy.simplify(stepped - summed) == 0
    groups = _ge_shells()
    m = K.M_E.value
    points = [{"T": t, "m": m, "E": "1e6"} for t in ("150", "2000", "12000")]

    def n_open(pt):
        return sum(mpmath.mpf(n.numerator) / n.denominator for n, i in groups if mpmath.mpf(i) < pt["T"])

    digits = min(agreement(_shell_sum_numeric(lambda x: 1, groups), lambda pt: 2 * pt["m"] * n_open(pt), points),
                 agreement(_shell_sum_numeric(lambda x: 1 / x, groups), lambda pt: n_open(pt) / pt["T"], points))
    # the engine's code path: nusym.detectors's stepping count times the Eq. (6) kernel, in floats, against the
    # exact count times pi r_e^2/T at 30 digits
    with mpmath.workdps(30):
        exact_fe = lambda t: mpmath.pi * K.classical_electron_radius(mpmath)**2 / t
        float_digits = min(
            digits_of_agreement(float(detector.electron_count("Ge", float(pt["T"]), "mu", "stepping"))
                                * float(numeric.dsigma_mu_fe(float(pt["T"]), 1.0)),
                                n_open({"T": mpmath.mpf(pt["T"])}) * exact_fe(mpmath.mpf(pt["T"])))
            for pt in points)
    return Evidence("proved" if independent_of_p and per_shell and linear else "open",
                    f"each Eq. (4) group gives int S dq^2 = {w}, int S dq^2/q^2 = {mu}, free of p: a sum of subshells "
                    "(N_s, p_s, I_s) gives sum_s N_s theta(T - I_s) x the free-electron value",
                    digits, f"quadrature over q^2 in [T^2, (2E_nu - T)^2] of the sum of the {len(groups)} Ge subshells' "
                    "Eq. (4) (p_s = sqrt(2 m_e I_s), every theta switch bisected) at T = 150 eV, 2 keV, 12 keV against "
                    f"the open electrons ({', '.join(mpmath.nstr(n_open({'T': mpmath.mpf(pt['T'])}), 6) for pt in points)}) "
                    "times 2 m_e and 1/T",
                    independent=(("nusym.detectors's stepping count x dsigma_mu_fe (floats) against the exact count x "
                                  "pi r_e^2/T", float_digits, 14),),
                    kernels=("dsigma_mu_fe",))


def _xraylib_agreement(element: str) -> float:
    """Digits to which nusym's subshell occupancies (NIST's configuration split by 2j + 1) agree with xraylib's
    ElectronConfig, an independent table (EADL-based): inf where every subshell's count is the same."""
    import xraylib
    a = shells.atom(element)
    worst = 0.0
    for name in shells.SUBSHELLS:
        try:
            theirs = xraylib.ElectronConfig(a.Z, getattr(xraylib, f"{name}_SHELL"))
        except (ValueError, AttributeError):
            theirs = 0.0
        mine = next((float(s.electrons) for s in a.shells if s.name == name), 0.0)
        worst = max(worst, abs(mine - theirs))
    # xraylib prints six significant digits (0.666667): agreement to 1e-5 electrons is the same count
    return math.inf if worst < 1e-5 else -math.log10(worst / a.Z)


@result("stepping-free-electron-limit", "recoil", "4, 7",
        """Far above the K edge the stepping approximation, with or without the recoil factors of Eq. (7),
        equals Z free electrons.""",
        by="nusym (the free-electron limit the stepping approximation must reach)",
        scope="Ge, Si, Xe, Ar, Na, I, Cs from Elam's shells; with recoil: once q_a >= q_+ for the K shell")
def stepping_free_electron_limit():
    exact_counts = all(sum(s.electrons for s in shells.atom(el).shells) == shells.atom(el).Z for el in REAL_TARGETS)
    # The recoil factor is 1 once q_a >= q_+ (the kernels' middle branch ends there): the boundary is finite.
    excess = boundary_excess()
    finite = excess.is_positive is not False and sympy.limit(excess.subs({S.p: 1, S.I: 1, m_e: 1}), S.M_a, sympy.oo) == 0
    # nusym.detectors's cross sections (counts x the full-kinematics kernels, floats) against Z x Vogel & Engel's
    # formulas in mpmath (nu_e weak, anti-nu_e weak, magnetic at 1 mu_B), E_nu = 1 MeV
    vals = {S.G_F: K.G_F.sympy(), m_e: K.M_E.sympy(), S.s2w: K.SIN2_THETA_W_MSBAR.sympy(), alpha: K.ALPHA.sympy(),
            S.kappa: 1}
    exact = {(inter, flav): sympy.lambdify((T, S.E_nu), f.subs(vals) * K.hbar_c(sympy)**2, "mpmath")
             for (inter, flav), f in ((("weak", "nuebar"), fe.vogel_engel_weak(True)),
                                      (("weak", "nue"), fe.vogel_engel_weak(False)), (("mu", "nuebar"), fe.VOGEL_ENGEL_MU))}
    worst = math.inf
    shown = []
    with mpmath.workdps(30):
        for el in REAL_TARGETS:
            a = shells.atom(el)
            k = a.shell("K").binding
            for t in (1.5 * k, 10 * k):
                for app in ("stepping", "stepping-recoil"):
                    for (inter, flav), f in exact.items():
                        got = float(detector.dsigma_dT(el, t, 1e6, inter, app, flav, mu_nu=1.0))
                        worst = min(worst, digits_of_agreement(got, a.Z * f(mpmath.mpf(t), mpmath.mpf(10)**6)))
            shown.append(f"{el} {a.Z}")
    return Evidence("proved" if exact_counts and finite else "open",
                    "the occupancies of every subshell sum to Z exactly (fractions) for each element; the recoil "
                    f"factor is 1 from q_a = q_+ on, at T - I = {sympy.sstr(excess)[:80]}..., finite for every M_a",
                    None, f"nusym.detectors at T = 1.5 and 10 I_K, E_nu = 1 MeV, weak (nu_e, anti-nu_e) and magnetic, with "
                    f"and without recoil, against Z x Vogel & Engel in mpmath ({', '.join(shown)})",
                    independent=(("nusym.detectors's cross sections (floats) against Z x Vogel & Engel (30 digits)", worst, 14),
                                 *((f"{el}'s subshell occupancies against xraylib's ElectronConfig (an independent "
                                    "table)", _xraylib_agreement(el), 5) for el in REAL_TARGETS)),
                    kernels=("recoil_factor_weak", "recoil_factor_mu", "dsigma_weak_fe_nue", "dsigma_weak_fe_nuebar",
                             "dsigma_mu_fe_enu"))


# ------------------------------------------------------------------ the region q^2 < T^2 from photoabsorption
def dipole_shares():
    """The shares of q^2 < T^2 in Eqs. (3) and (1) over the stepping integrals, as SymPy expressions of T,
    sigma_gamma and N_open, from the dipole form of S (SymPy), and the steps of that form."""
    sigma, n_open, D = sympy.symbols("sigma_gamma N_open D", positive=True)
    x = sympy.Symbol("x", real=True)          # the electron coordinate along q
    # <n|exp(i q x)|0> for n != 0: orthogonality removes the 1, the next term is i q <n|x|0>
    series = sympy.series(sympy.exp(sympy.I * q * x), q, 0, 2).removeO()
    first = sympy.expand(series - 1)
    leading = sympy.simplify(first * sympy.conjugate(first) / q**2)          # |<n|x|0>|^2 per q^2: x**2 -> D
    # golden rule: sigma_gamma = 4 pi^2 alpha T sum_n |<n|x|0>|^2 delta(...) = 4 pi^2 alpha T D (m-photon-limit)
    s_small = q**2 * D
    s_small = s_small.subs(D, sigma / (4 * sympy.pi**2 * alpha * T))
    mag = sympy.integrate(s_small.subs(q, sympy.sqrt(u)) / u, (u, 0, T**2))
    weak = sympy.integrate(s_small.subs(q, sympy.sqrt(u)), (u, 0, T**2))
    share_mu = sympy.simplify(mag / (n_open / T))
    share_w = sympy.simplify(weak / (2 * m_e * n_open))
    return share_mu, share_w, leading == x**2, (sigma, n_open)


@functools.lru_cache(maxsize=None)
def _share_functions():
    share_mu, share_w, _, (sigma, n_open) = dipole_shares()
    vals = {alpha: K.ALPHA.sympy(), m_e: K.M_E.sympy()}
    f_mu = sympy.lambdify((T, sigma, n_open), share_mu.subs(vals), "numpy")
    f_w = sympy.lambdify((T, sigma, n_open), share_w.subs(vals), "numpy")
    return f_mu, f_w


def small_q2_share(element: str, T):
    """(magnetic share, weak share) of q^2 < T^2 at T (eV, numpy) for a real atom: the dipole form with Elam's
    photoabsorption cross section (cm^2, converted with hbar c) over the stepping integrals."""
    f_mu, f_w = _share_functions()
    T = numpy.asarray(T, dtype=float)
    sigma = shells.photoabsorption(element, T) / float(K.hbar_c(mpmath)) ** 2          # cm^2 -> 1/eV^2
    n = numpy.asarray(detector.electron_count(element, T, "mu", "stepping"), dtype=float)
    return f_mu(T, sigma, n), f_w(T, sigma, n)


def share_range(element: str) -> tuple:
    """T (eV) over which the share is bounded: from 0.1 keV (Elam's tables) to 30 keV, the reactor experiments'
    range, or to 1.5 x the K edge where that lies beyond (Xe: the share is largest just above its 34.6 keV edge)."""
    k = shells.atom(element).shell("K").binding
    return SHARE_RANGE[0], max(SHARE_RANGE[1], 1.5 * k)


def share_grid(element: str, points: int):
    """T over :func:`share_range`: a log grid plus both sides of every edge inside it, where sigma_gamma jumps (the
    tables' step can lie a few meV above the listed edge: at edge x (1 +- 1e-5) too)."""
    lo, hi = share_range(element)
    edges = numpy.array([s.binding for s in shells.atom(element).shells if s.binding is not None and lo < s.binding < hi])
    grid = numpy.geomspace(lo, hi, points)
    sides = [numpy.nextafter(edges, -numpy.inf), edges * (1 - 1e-5), numpy.nextafter(edges, numpy.inf),
             edges * (1 + 1e-5)]
    return numpy.unique(numpy.concatenate([grid, *sides]))


WEIGHTS = {"mu": lambda k: 2 / k, "weak": lambda k: 2 * k}      # S dq^2/q^2 and S dq^2 as S(T, q) g(q) dq


@functools.lru_cache(maxsize=None)
def hydrogenic_dipole_ratio(I: str, T: str, interaction: str, dps: int = 20):
    """Exact over dipole q^2 < T^2 integral (Eq. (3)'s weight for "mu", Eq. (1)'s for "weak") for the 1s state of a
    hydrogen-like ion bound by I (charge sqrt(2 I/E_h)) at energy transfer T, eV: the dipole form's error for an
    electron with that binding, T/I and T/p as in the atom's shell."""
    with mpmath.workdps(dps):
        H, me, a, eh = models.HYDROGEN, K.M_E.mpf(), K.ALPHA.mpf(), K.hartree_energy(mpmath)
        z = mpmath.sqrt(2 * mpmath.mpf(I) / eh)
        t = mpmath.mpf(T)
        exact = H.q_integral(t, {"Z": z}, WEIGHTS[interaction], 0, t)
        sigma = hydrogen.photoionization_stobbe(t / (z**2 * eh)) / (z * a * me)**2       # sigma_Z(w) = sigma_1(w/Z^2)/Z^2
        dipole = t * sigma / (4 * mpmath.pi**2 * a) if interaction == "mu" else t**3 * sigma / (8 * mpmath.pi**2 * a)
        return exact / dipole


@functools.lru_cache(maxsize=None)
def hydrogen_sum_rule_floor(dps: int = 20):
    """1/min_T (T int_0^oo S dq^2/q^2) - 1 for H(1s): how far the stepping value N/T can lie above the exact
    integral, as a fraction of the exact one (the minimum is at threshold, 0.957)."""
    with mpmath.workdps(dps):
        H, P = models.HYDROGEN, {"Z": mpmath.mpf(1)}
        th = H.threshold(P)
        return 1 / min(t * H.q_integral(t, P, lambda k: 2 / k) for t in (th * mpmath.mpf("1.0000001"), 2 * th, 10 * th)) - 1


def dipole_allowance(element: str, interaction: str, T, points: int = 32):
    """The dipole form's relative error at each T (eV, numpy): |exact/dipole - 1| of the hydrogen-like 1s ion bound
    as the most loosely bound open subshell (the largest of the open ones: measured, and checked by the caller's
    monotonicity test), taken at the next of ``points`` log-spaced T at or above T (the error grows with T), and the
    coarse values, whose rise with T the caller checks."""
    lo, hi = share_range(element)
    edges = sorted(s.binding for s in shells.atom(element).shells if s.binding is not None)
    coarse = numpy.geomspace(lo, hi, points)
    loosest = lambda t: edges[0] if edges[0] < t else None
    values = numpy.array([abs(float(hydrogenic_dipole_ratio(repr(loosest(t)), repr(float(t)), interaction)) - 1)
                          for t in coarse])
    at = numpy.minimum(numpy.searchsorted(coarse, numpy.asarray(T, float)), points - 1)
    return values[at], values


def share_bound(element: str, points: int = 1500):
    """Per interaction ("mu", "weak"): (largest share, error, T of it, T where share x (1 + allowance) is largest,
    the allowance there, whether the coarse dipole allowance rises with T).  The error is the largest share times
    (1 + allowance) over the range, minus the largest share, plus the change from a grid of half the points; the
    allowance adds, at each T, the dipole form's (:func:`dipole_allowance`), the stepping denominator's (H(1s)'s
    sum-rule shortfall) and the tables' (Chantler's bands, nusym.atoms.shells.photoabsorption_allowance)."""
    out = []
    grids = (share_grid(element, points), share_grid(element, points // 2))
    floor = float(hydrogen_sum_rule_floor())
    band = shells.photoabsorption_allowance(element, grids[0])
    for which, interaction in enumerate(("mu", "weak")):
        fine, coarse = (small_q2_share(element, g)[which] for g in grids)
        dipole, samples = dipole_allowance(element, interaction, grids[0])
        allowance = dipole + floor + band
        top = fine * (1 + allowance)
        i, j = int(numpy.argmax(fine)), int(numpy.argmax(top))
        value = float(fine[i])
        error = float(top[j]) - value + abs(value - float(coarse.max()))
        out.append((value, error, float(grids[0][i]), float(grids[0][j]), float(allowance[j]),
                    bool(numpy.all(numpy.diff(samples) >= 0))))
    return out


def _share_result(element: str):
    share_mu, share_w, dipole_ok, _ = dipole_shares()
    (v_mu, e_mu, t_mu, tt_mu, a_mu, up_mu), (v_w, e_w, t_w, tt_w, a_w, up_w) = share_bound(element)
    # the dipole form against exact hydrogen, where both exist: near threshold it must be exact, in both weights
    near = {i: float(hydrogenic_dipole_ratio("13.6057", "13.62", i)) for i in ("mu", "weak")}
    version = shells.atom(element).data_version
    lo, hi = (x / 1e3 for x in share_range(element))
    return Evidence("bounded" if dipole_ok and up_mu and up_w else "open",
                    f"S(T, q) = q^2 |<n|x|0>|^2 delta + O(q^3) (orthogonality removes the 1 of exp(iqx)), and the golden "
                    f"rule's sigma_gamma = 4 pi^2 alpha T sum |<n|x|0>|^2 delta: the q^2 < T^2 share of Eq. (3) is "
                    f"{share_mu}, of Eq. (1) {share_w} (over the stepping integrals N_open/T, 2 m_e N_open)",
                    None, f"Elam's photoabsorption ({version}) on {len(share_grid(element, 1500))} T from {lo:g} to "
                    f"{hi:g} keV, both sides of every edge; the largest magnetic share at T = {t_mu / 1e3:.4g} keV, "
                    f"weak at {t_w / 1e3:.4g} keV; share x (1 + allowance) largest at {tt_mu / 1e3:.4g} keV (magnetic, "
                    f"allowance {a_mu:.3g}) and {tt_w / 1e3:.4g} keV (weak, {a_w:.3g})",
                    bounds=(Bound(f"{element}: largest magnetic share of q^2 < T^2", v_mu, e_mu, 0.01),
                            Bound(f"{element}: largest weak share of q^2 < T^2", v_w, e_w, 0.01)),
                    independent=tuple((f"the dipole form of the {w} share against exact H(1s) at T = 13.62 eV (near "
                                       "threshold)", -math.log10(abs(near[w] - 1)), 4) for w in ("mu", "weak")),
                    notes="the error is the largest of share x (1 + allowance) over T, minus the largest share, plus "
                          "the change from half the grid; the allowance at each T adds: the dipole form's, |exact/"
                          "dipole - 1| of a hydrogen-like 1s ion bound as the most loosely bound open subshell (a "
                          "non-dipole effect growing with T, nearly the same for every shell), taken at the next of 32 "
                          "T above; the stepping denominator's "
                          f"{float(hydrogen_sum_rule_floor()):.3g} (H(1s)'s 1/(T int S dq^2/q^2) - 1 at threshold); "
                          "the tables', Chantler's (2000) bands for independent-particle photoabsorption (1 % to 100 "
                          "%, by region)")


@result("small-q2-germanium", "recoil", "1, 3",
        """The region q^2 < T^2 contributes negligibly, at the level of below one percent, to the integrals of
        Eqs. (1) and (3) in the considered range of T.""",
        scope="germanium, T from 0.1 to 30 keV (the reactor experiments' thresholds and spectra), from Elam's "
              "photoabsorption cross section in the dipole form of S", cost=2)
def small_q2_germanium():
    return _share_result("Ge")


def _carried(symbol: str, name: str):
    """The germanium statement carried to another detector material: one record of its own."""
    return result(f"small-q2-{name}", "recoil", "1, 3",
                  f"The recoil paper's statement that q^2 < T^2 contributes below one percent, carried to {name}.",
                  by="nusym (the recoil paper's statement for germanium, carried to another detector material)",
                  scope=f"{name}, T from 0.1 keV to {share_range(symbol)[1] / 1e3:.3g} keV (30 keV, or 1.5 x the K edge "
                        "where that lies beyond), Elam's photoabsorption in the dipole form of S",
                  cost=2)(lambda: _share_result(symbol))


small_q2_silicon = _carried("Si", "silicon")
small_q2_xenon = _carried("Xe", "xenon")


# ------------------------------------------------------------------ recoil in germanium's event counts
RECOIL_RANGE = (200.0, 30000.0)     # eV: the thresholds of the statement's scope, and the end of the counted events


def threshold_candidates(element: str, lo: float, hi: float, momentum: str = "virial"):
    """Where the largest relative change of the events above a threshold can lie: at every edge in [lo, hi) (the
    whole recoil window above it counted) and at lo.  Between edges the events recoil removes above the threshold
    are fixed while the events above it fall, so the change rises towards the next edge; at an edge it drops."""
    return [lo] + [float(e) for e in detector.breakpoints(element, lo, hi, momentum)
                   if any(s.binding == e for s in shells.atom(element).shells)]


def largest_recoil_change(element: str, interaction: str, momentum: str = "virial", exact: bool = False,
                          lo: float = RECOIL_RANGE[0], hi: float = RECOIL_RANGE[1]):
    """(value, error, threshold) of the largest relative change of the events between a threshold in [lo, hi) and
    hi when the stepping approximation takes Eq. (7)'s recoil factors (nusym.detectors.events.recoil_changes)."""
    candidates = threshold_candidates(element, lo, hi, momentum)
    rows = detector.recoil_changes(element, candidates, hi, interaction, momentum, exact)
    return max((value, error, t) for (value, error), t in zip(rows, candidates))


def recoil_grid_excess(element: str, interaction: str, largest: float, points: int = 100,
                       lo: float = RECOIL_RANGE[0], hi: float = RECOIL_RANGE[1]) -> float:
    """The largest change on a log grid of thresholds (edges avoided) over the largest at the edges: <= 1 when the
    maximum is where :func:`threshold_candidates` says it can only be."""
    grid = numpy.geomspace(lo, hi, points)[:-1]
    return max(value for value, _ in detector.recoil_changes(element, grid, hi, interaction)) / largest


@result("recoil-negligible-germanium", "recoil", "7",
        """The atomic-recoil effects play no appreciable role in current experiments searching for neutrino magnetic
        moments with Ge detectors.""",
        scope="'appreciable' read as 1 % of the events above a threshold between 0.2 and 30 keV (counted up to 30 "
              "keV); every Ge subshell with Eq. (7)'s factor as printed (virial p), the default reactor spectrum; "
              "weak and magnetic", cost=4)
def recoil_negligible_germanium():
    weak = largest_recoil_change("Ge", "weak")
    mag = largest_recoil_change("Ge", "mu")
    tf = largest_recoil_change("Ge", "mu", "thomas-fermi")
    exact = {i: largest_recoil_change("Ge", i, exact=True) for i in detector.INTERACTIONS}
    grid = max(recoil_grid_excess("Ge", "weak", weak[0]), recoil_grid_excess("Ge", "mu", mag[0]))
    ge = shells.atom("Ge")
    k = ge.shell("K")
    widths = {m: detector.recoil_window(detector.shell_momentum(ge, k, m), k.binding, ge.mass)[1] - k.binding
              for m in detector.MOMENTA}
    return Evidence("bounded", "none here: the recoil factor of Eq. (7) differs from 1 only where q_a < q_+, within a "
                    "finite T - I above each edge (recoil-criterion derives the boundary)",
                    None, "the events recoil removes, integrated subshell by subshell over each recoil window "
                    "(Gauss-Legendre, 32 and 16 nodes), over the stepping events from the threshold to 30 keV "
                    "(piecewise between edges); the largest over thresholds is at an edge (between edges the removed "
                    f"events are fixed while the events above fall), where it is evaluated: weak at "
                    f"{weak[2] / 1e3:g} keV, magnetic at {mag[2] / 1e3:g} keV; a 100-point log grid of thresholds "
                    f"reaches {grid:.4f} of it; the error is numerical only (the statement is judged within Eq. (7)'s "
                    "model, its scope)",
                    bounds=(Bound("largest relative change of the weak events above threshold", weak[0],
                                  weak[1] + max(0.0, grid - 1) * weak[0], 0.01),
                            Bound("largest relative change of the magnetic events above threshold", mag[0],
                                  mag[1] + max(0.0, grid - 1) * mag[0], 0.01)),
                    notes=f"the momentum's effect: K-shell window q_a < q_+ up to T - I = {widths['virial']:.3g} eV (virial "
                          f"p = sqrt(2 m_e I)) or {widths['thomas-fermi']:.3g} eV (Thomas-Fermi alpha Z^(2/3) m_e); the "
                          f"largest change of the magnetic events {mag[0]:.3g} (virial) or {tf[0]:.3g} (Thomas-Fermi); "
                          f"with T -> T - q^2/2M_a substituted exactly (recoil_factor_*_exact, which stays m_e/(M_a + m_e)"
                          f" = {float(K.M_E.value) / (ge.mass + float(K.M_E.value)):.3g} below 1 far above the edges) the "
                          f"largest change is {exact['weak'][0]:.3g} (weak) and {exact['mu'][0]:.3g} (magnetic)")
