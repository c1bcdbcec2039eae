"""The exact atomic models of S(T, q) (and R(T, q) where defined), each registered in :mod:`nusym.catalogue` as a
:class:`nusym.atoms.spectra.Model` under its name (``nusym check --model``).

Models (parameters in eV unless said):

* ``free``:          Z electrons at rest; S = Z delta(T - q**2/2m_e).
* ``semiclassical``: one electron of mean momentum p bound by I (the recoil paper's Eq. 4).
* ``recoil``:        the recoil paper's Eq. (7) as printed: theta(T - I) -> theta(q_a - q), q_pm kept at T.
* ``recoil-exact``:  the semiclassical S with T -> T - q**2/2M_a everywhere (q_pm moved too).
* ``oscillator``:    Z independent electrons in one 3D isotropic harmonic well of quantum omega,
                     all in its ground state; with y = q**2/(2 m_e omega): elastic Z**2 e**-y, lines
                     at n omega (n >= 1) of strength Z e**-y y**n/n!.  ``Z`` counts the electrons.
* ``hydrogen``:      one electron in the 1s state of a hydrogen-like ion of nuclear charge Z
                     (:mod:`nusym.atoms.hydrogen`, scaled by Z); I = Z**2 E_h/2 is fixed by Z.
"""
from __future__ import annotations

import functools

import mpmath

from nusym import catalogue
from nusym import constants as K
from nusym.atoms import hydrogen, semiclassical
from nusym.atoms.spectra import Model, Param, Substitution, m_e

__all__ = ["FREE", "SEMICLASSICAL", "RECOIL", "RECOIL_EXACT", "OSCILLATOR", "HYDROGEN", "get", "models"]


# ---------------------------------------------------------------- free electrons at rest
_FREE_PARAMS = (Param("Z", "number of electrons"),)

FREE = Model(
    "free", "Z electrons at rest: S = Z delta(T - q**2/2m_e).",
    _FREE_PARAMS,
    shell=lambda P: P["Z"],
    symbolic=lambda P: P["Z"] * semiclassical.free_symbolic(),
    transverse=Model("free R", "R = 0: e_perp.(p_i + p_f)/2m_e = e_perp.q/2m_e = 0 for an electron at rest.",
                     _FREE_PARAMS, symbolic=lambda P: 0),
)


# ---------------------------------------------------------------- semiclassical, with and without recoil
# S = m_e/(2pq) inside a window and 0 outside it, the window given by theta functions (semiclassical.py).  For a
# quadrature the window is computed once, at fixed T in q or at fixed q in T, by solving the theta functions'
# arguments for q or T (exactly: q < q_+(T) <=> T > (q**2 - 2pq)/2m_e, q > q_-(T) <=> T < (q**2 + 2pq)/2m_e,
# T - q**2/2M_a > I <=> q < q_a); its ends are the quadrature's breakpoints, so that no node sees the other
# side of a switch that rounding has moved (tests/test_atoms_spectra.py checks the windows against the thetas).
def _semiclassical(T, q, P):
    return semiclassical.semiclassical(T, q, P["p"], P["I"], m_e())


def _recoil_exact(T, q, P):
    return semiclassical.with_recoil(semiclassical.semiclassical, P["M_a"])(T, q, P["p"], P["I"], m_e())


def _recoil_eq7(T, q, P):
    return semiclassical.recoil_eq7(T, q, P["p"], P["I"], m_e(), P["M_a"])


def _q_window(T, P, recoil):
    """(q_lo, q_hi) where S(T, .) is not 0, or None.  recoil: None (Eq. 4), "eq7" (Eq. 7 as printed: q_pm at
    T, q < q_a) or "exact" (T -> T - q**2/2M_a: q_pm solved with it, c q**2 -/+ 2pq - 2 m_e T = 0, c = 1 + m_e/M_a)."""
    p, I, m = P["p"], P["I"], m_e()
    if not T > I:
        return None
    c = 1 + m / P["M_a"] if recoil == "exact" else 1
    root = mpmath.sqrt(p**2 + 2 * m * T * c)
    lo, hi = 2 * m * T / (root + p), (root + p) / c            # (root - p)/c without its cancellation
    if recoil:
        hi = min(hi, mpmath.sqrt(2 * P["M_a"] * (T - I)))
    return (lo, hi) if lo < hi else None


def _T_window(q, P, recoil):
    """(T_lo, T_hi) where S(., q) is not 0, or None (``recoil`` as for :func:`_q_window`)."""
    p, m = P["p"], m_e()
    lo, hi = max(P["I"], (q**2 - 2 * p * q) / (2 * m)), (q**2 + 2 * p * q) / (2 * m)
    if recoil == "eq7":
        lo = max(lo, P["I"] + q**2 / (2 * P["M_a"]))
    elif recoil == "exact":
        lo, hi = lo + q**2 / (2 * P["M_a"]), hi + q**2 / (2 * P["M_a"])
    return (lo, hi) if lo < hi else None


def _in_window(window, c, over_q):
    """x -> c/q inside the open window, 0 outside (q is x itself where the window is in q)."""
    if window is None:
        return lambda x: mpmath.mpf(0)
    lo, hi = window
    return (lambda q: c / q if lo < q < hi else mpmath.mpf(0)) if over_q else \
        (lambda T: c if lo < T < hi else mpmath.mpf(0))


def _semiclassical_family(recoil):
    """The Model fields of the semiclassical S (with ``recoil``) that integrate it: window ends as breakpoints,
    log q and log T between them, and S at fixed T or q from the window."""
    return dict(
        q_breaks=lambda T, P: list(_q_window(T, P, recoil) or ()),
        T_breaks=lambda q, P: list(_T_window(q, P, recoil) or ()),
        at_T=lambda T, P: _in_window(_q_window(T, P, recoil), m_e() / (2 * P["p"]), True),
        at_q=lambda q, P: _in_window(_T_window(q, P, recoil), m_e() / (2 * P["p"] * q), False),
        log_scale=True, threshold=lambda P: P["I"])


_SEMI_PARAMS = (Param("p", "mean momentum of the bound electron"),
                Param("I", "ionization potential"),
                Param("Z", "one electron", fixed="1"))

SEMICLASSICAL = Model(
    "semiclassical",
    "One electron of mean momentum p bound by I: S = m_e/(2pq) theta(T-I) theta(q_+ - q) theta(q - q_-), "
    "q_pm = sqrt(p**2 + 2 m_e T) pm p (the recoil paper's Eq. 4).",
    _SEMI_PARAMS, continuum=_semiclassical, **_semiclassical_family(None),
)

_RECOIL_PARAMS = _SEMI_PARAMS[:2] + (Param("M_a", "atomic mass"), _SEMI_PARAMS[2])

RECOIL = Model(
    "recoil",
    "The recoil paper's Eq. (7) as printed: S = m_e/(2pq) theta(q_a - q) theta(q_+ - q) theta(q - q_-), "
    "q_a = sqrt(2 M_a (T - I)), q_pm = sqrt(p**2 + 2 m_e T) pm p at T.",
    _RECOIL_PARAMS, continuum=_recoil_eq7, **_semiclassical_family("eq7"),
)

RECOIL_EXACT = Model(
    "recoil-exact",
    "The semiclassical electron with the atomic recoil substituted everywhere: "
    "S = S_semiclassical(T - q**2/2M_a, q) (q_pm move too).",
    _RECOIL_PARAMS, continuum=_recoil_exact, **_semiclassical_family("exact"),
)


# ---------------------------------------------------------------- harmonic well
def _osc_y(q, P):
    return q**2 / (2 * m_e() * P["omega"])


@functools.lru_cache(maxsize=1024)
def _factorial(n, prec):
    """n! at the precision ``prec`` (the same n recurs at every quadrature node of a line's q integral)."""
    with mpmath.workprec(prec):
        return mpmath.factorial(n)


def _poisson(y, n):
    """e**-y y**n/n!, the weight of the oscillator's level n."""
    return mpmath.exp(-y) * y**n / _factorial(n, mpmath.mp.prec)


def _osc_line(n, q, P):
    n = int(n)
    return n * P["omega"], P["Z"] * _poisson(_osc_y(q, P), n), P["omega"]


def _osc_q_map(T, P):
    """q = sqrt(2 m_e omega y) with y = n + 4 sqrt(n + 1) tan(u), n = T/omega: the line's Poisson peak at y = n,
    of width sqrt(n), has the width 1/4 in u whatever n is (10**9 at T = 10 MeV and omega = 0.01 eV; a peak
    four times wider in u takes more nodes to resolve against its flat tails, one eight times narrower is
    stepped over at the first degrees), and the tails end at u = atan(-n/4 sqrt(n + 1)) (q = 0) and pi/2."""
    c = 2 * m_e() * P["omega"]
    n = T / P["omega"]
    s = 4 * mpmath.sqrt(n + 1)

    def point(u):
        tan = mpmath.tan(u)
        y = n + s * tan
        if y <= 0:                       # u at q = 0, rounded below it (a node that counts 0)
            return mpmath.mpf(0), mpmath.mpf(0)
        q = mpmath.sqrt(c * y)
        return q, c * s * (1 + tan * tan) / (2 * q)
    return Substitution(point, lambda q: mpmath.atan((q * q / c - n) / s))


def _osc_window(q, P):
    """Lines n with Poisson weight e^-y y^n/n! above 10**-(dps + 10) of the peak: |n - y| < w."""
    y = _osc_y(q, P)
    digits = mpmath.mp.dps + 10
    w = mpmath.sqrt(2 * (y + 1) * digits * mpmath.log(10)) + 2 * digits
    return int(max(0, mpmath.floor(y - w))), int(mpmath.ceil(y + w))


def _osc_transverse_line(n, q, P):
    """e^{iqz} d/dx on the ground state: one quantum in x (|<1|d/dx|0>|**2 = m_e omega/2) and n - 1 in z
    (Poisson): G_n = Z (omega/2m_e) e^-y y**(n-1)/(n-1)! at T = n omega, velocities in units of c."""
    y = _osc_y(q, P)
    return n * P["omega"], P["Z"] * P["omega"] / (2 * m_e()) * _poisson(y, int(n) - 1), P["omega"]


_OSC_PARAMS = (Param("Z", "number of electrons"),
               Param("omega", "oscillator quantum"))
_OSC_COMMON = dict(first_line=1, line_window=lambda q, P: (lambda a, b: (a, b + 1))(*_osc_window(q, P)),
                   ranges=(("q", "1e-2", "1e5"),), line_index=lambda T, P: T / P["omega"],
                   q_map=_osc_q_map, T_breaks=lambda q, P: [])

OSCILLATOR = Model(
    "oscillator",
    "Z independent electrons in the ground state of one 3D isotropic harmonic well of quantum omega; "
    "y = q**2/(2 m_e omega): elastic Z**2 exp(-y), lines at T = n omega (n >= 1) of strength "
    "Z exp(-y) y**n/n!.",
    _OSC_PARAMS,
    elastic=lambda q, P: P["Z"] ** 2 * mpmath.exp(-_osc_y(q, P)),
    line=_osc_line, **dict(_OSC_COMMON, line_window=_osc_window),
    transverse=Model("oscillator R", "lines G_n = Z (omega/2m_e) e^-y y**(n-1)/(n-1)! at T = n omega",
                     _OSC_PARAMS, line=_osc_transverse_line, **_OSC_COMMON),
)


# ---------------------------------------------------------------- hydrogen-like ion, 1s
def _h_scale(P):
    """(energy unit Z**2 E_h, momentum unit Z alpha m_e) of the ion, in eV."""
    return _h_units(P["Z"], mpmath.mp.prec)[:2]


@functools.lru_cache(maxsize=256)
def _h_units(Z, prec):
    """(Z**2 E_h, Z alpha m_e, (Z alpha)**2) at the precision ``prec``: the ion's units of energy, momentum
    and squared velocity, from the decimal strings once per precision, not at every quadrature node."""
    with mpmath.workprec(prec):
        alpha = K.ALPHA.mpf()
        return Z**2 * K.hartree_energy(mpmath), Z * alpha * K.M_E.mpf(), (Z * alpha) ** 2


def _h_T_map(q, P):
    """T = e (1 + k**2)/2 with k = q/k_unit + tan(u), u from atan(-q/k_unit) (the threshold) to pi/2 (T = oo).
    The Bethe ridge k = q, where S falls as ((q - k)**2 + 1)**-3 = cos(u)**6, has the width 1 in u at any q;
    pieces end at k = 1 (the threshold region) and, for a ridge apart from it (q > 2 k_unit), at k = q/2 and
    q.  Without a separate ridge S is analytic in u near both pieces but for the flat exp(-2 pi/k) at the
    threshold, and Fejer's rule takes half the nodes of tanh-sinh; with one, the pieces' ends carry features
    of width 1/q (the wing and the tail of the ridge), which tanh-sinh resolves and a polynomial rule does not."""
    e, unit = _h_scale(P)
    qa = q / unit

    def point(u):
        tan = mpmath.tan(u)
        k = qa + tan
        return e * (1 + k * k) / 2, e * k * (1 + tan * tan)
    ks = [1] + ([qa / 2, qa] if qa > 2 else [])
    return Substitution(point, lambda T: mpmath.atan(mpmath.sqrt(max(2 * T / e - 1, 0)) - qa),
                    tuple(e * (1 + k * k) / 2 for k in ks), "fejer" if qa <= 2 else "tanh-sinh")


def _h_q_map(T, P):
    """q = k_unit (k + tan(u)), k = sqrt(|2T/e - 1|), u from atan(-k) (q = 0) to pi/2 (q = oo): the ridge q = k
    has the width 1 in u (below the threshold, k ~ 1/n, the lines' peak at q ~ 1/n too), and S is smooth in u
    over the whole range (q -> 0, where S ~ q**2, is no end point of anything): one tanh-sinh piece."""
    e, unit = _h_scale(P)
    kk = mpmath.sqrt(abs(2 * T / e - 1))

    def point(u):
        tan = mpmath.tan(u)
        return unit * (kk + tan), unit * (1 + tan * tan)
    return Substitution(point, lambda q: mpmath.atan(q / unit - kk))


def _h_continuum(T, q, P):
    e, k = _h_scale(P)
    return hydrogen.continuum(T / e, q / k) / e


def _h_line(n, q, P):
    e, k = _h_scale(P)
    return hydrogen.line_energy(n) * e, hydrogen.line_strength(n, q / k), e / mpmath.mpf(n) ** 3


def _h_transverse(T, q, P):
    """R scales as R_Z(t, q) = R_1(t/Z**2, q/Z) in atomic units (the amplitude gains Z, the energy delta
    loses Z**2); the velocity unit is alpha: R = alpha**2 Z**2 R_1/(Z**2 E_h) per eV."""
    e, k, v2 = _h_units(P["Z"], mpmath.mp.prec)
    return v2 * hydrogen.transverse(T / e, q / k) / e


def _h_transverse_line(n, q, P):
    e, k, v2 = _h_units(P["Z"], mpmath.mp.prec)
    return hydrogen.line_energy(n) * e, v2 * hydrogen.transverse_line_strength(n, q / k), e / mpmath.mpf(n) ** 3


def _h_line_index(T, P):
    t = T / _h_scale(P)[0]
    return hydrogen.line_index(t) if 0 < t < hydrogen.ionization() else None


def _h_T_breaks(q, P):
    e, k = _h_scale(P)
    qa = q / k
    return [e / 2] + [e * (1 + x**2) / 2 for x in (qa - 1, qa, qa + 1, 2 * qa + 2) if x > 0]


_H_PARAMS = (Param("Z", "nuclear charge (one electron)"),
             Param("I", "ionization potential", fixed="Z**2*alpha**2*m_e/2"))
_H_COMMON = dict(T_breaks=_h_T_breaks, T_map=_h_T_map, q_map=_h_q_map, first_line=2, line_index=_h_line_index,
                 series_limit=lambda P: _h_scale(P)[0] / 2, threshold=lambda P: _h_scale(P)[0] / 2)

HYDROGEN = Model(
    "hydrogen",
    "One electron in the 1s state of a hydrogen-like ion of nuclear charge Z (Z = 1: hydrogen): exact "
    "elastic form factor, 1s -> n lines summed over l, and the bound-free continuum (Landau & Lifshitz "
    "Sec. 148; Inokuti 1971); I = Z**2 E_h/2.",
    _H_PARAMS,
    continuum=_h_continuum, elastic=lambda q, P: hydrogen.elastic(q / _h_scale(P)[1]), line=_h_line, **_H_COMMON,
    transverse=Model("hydrogen R", "the transverse response of the 1s ion: nusym.atoms.hydrogen.transverse and "
                     "transverse_line_strength, scaled by Z", _H_PARAMS,
                     continuum=_h_transverse, line=_h_transverse_line, **_H_COMMON),
)

for _model in (FREE, SEMICLASSICAL, RECOIL, RECOIL_EXACT, OSCILLATOR, HYDROGEN):
    catalogue.register("model", _model.name, _model, __name__)


def models() -> dict:
    """{name: Model} of every registered model, in the order of registration."""
    return {e.id: e.obj for e in catalogue.entries("model")}


def get(name: str) -> Model:
    """The model called ``name``; ValueError naming the known ones otherwise."""
    try:
        return catalogue.get("model", name)
    except catalogue.UnknownId:
        raise ValueError(f"model={name!r} is not known; allowed: {', '.join(models())}") from None
