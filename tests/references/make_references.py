"""Generator of tests/references/values.json: reference values at 40 digits.

Run `python tests/references/make_references.py` after a deliberate change of a constant or
formula; tests/test_references.py recomputes every value and fails on any drift.
"""
import functools
import json
import sys
from pathlib import Path

import mpmath

from nusym import constants as K
from nusym.atoms import hydrogen
from nusym.atoms.shells import atom
from nusym.derivations.magnetic_enhancement import magnetic_terms

DPS = 40


def values() -> dict:
    """Every reference value as a 40-digit string (computed once per process; a fresh dict each call)."""
    return dict(_values())


@functools.lru_cache(maxsize=None)
def _values() -> tuple:
    return tuple(_compute().items())


def _compute() -> dict:
    with mpmath.workdps(DPS + 10):
        m, a, gf = K.M_E.mpf(), K.ALPHA.mpf(), K.G_F.mpf()
        hc = K.hbar_c(mpmath)
        s2w = mpmath.mpf(K.SIN2_THETA_W_MSBAR.value)
        ge = atom("Ge")
        mass = ge.mass_of(mpmath)
        out = {
            "hbar_c [eV cm]": hc,
            "E_h = alpha^2 m_e [eV]": K.hartree_energy(mpmath),
            "pi r_e^2 [cm^2]": mpmath.pi * K.classical_electron_radius(mpmath) ** 2,
            "G_F^2 m_e/(2 pi) (1 + 4 s2w + 8 s2w^2) (hbar c)^2 [cm^2/eV]":
                gf**2 * m / (2 * mpmath.pi) * (1 + 4 * s2w + 8 * s2w**2) * hc**2,
            "SM mu_nu/mu_B at m_nu = 1 eV": 3 * gf * m / (4 * mpmath.sqrt(2) * mpmath.pi**2),
            "Ge M_a [eV]": mass,
            "Ge Thomas-Fermi scale 2 Z^(4/3) E_h m_e/M_a [eV]":
                2 * mpmath.mpf(ge.Z) ** (mpmath.mpf(4) / 3) * a**2 * m * m / mass,
            "Ge K-shell scale 4 m_e I_K/M_a [eV]": 4 * m * mpmath.mpf(repr(ge.shell("K").binding)) / mass,
            "Ge 2 E_nu^2/M_a at E_nu = 1 MeV [eV]": 2 * mpmath.mpf(10) ** 12 / mass,
            "H(1s) S(t = 0.6, q = 0.5) [a.u.]": hydrogen.continuum(mpmath.mpf("0.6"), mpmath.mpf("0.5")),
            "H(1s) R(t = 0.6, q = 0.5) [a.u.]": hydrogen.transverse(mpmath.mpf("0.6"), mpmath.mpf("0.5")),
            "H(1s) G_2(q = 1.7) [a.u.]": hydrogen.transverse_line_strength(2, mpmath.mpf("1.7")),
            "H(1s) Stobbe sigma(omega = 0.75 E_h) [a_0^2]": hydrogen.photoionization_stobbe(mpmath.mpf("0.75")),
            **{f"H {k} magnetic term at T = 100 eV, E_nu = 1 MeV [pi alpha^2 mu^2/m_e^2 per eV]": v
               for k, v in magnetic_terms(mpmath.mpf(100), mpmath.mpf(10) ** 6).items() if k != "free electrons"},
        }
        out.update(ge_reactor_rates())
        return {k: mpmath.nstr(v, DPS) for k, v in out.items()}


RATE_T_KEV = ("0.1", "0.5", "1", "2", "5", "10")
RATE_FLUX, RATE_MU = "2.7e13", "1e-11"


def _spectrum(E):
    """The default reactor's dN/dE_nu per fission (1/eV) at mpmath precision, from the published coefficients:
    Huber/Mueller above 2 MeV, Vogel-Engel's shape joined at 2 MeV below (nusym.detectors.reactor's default)."""
    from nusym.detectors import reactor as R
    fit = lambda c, e: mpmath.exp(sum(mpmath.mpf(a) * e**k for k, a in enumerate(c.coefficients)))
    e = E / 10**6
    total = mpmath.mpf(0)
    for iso, f in R.DEFAULT_FRACTIONS.items():
        h, v = R.FITS[iso], R.VOGEL_ENGEL[iso]
        value = fit(h, e) if e >= 2 else fit(v, e) * fit(h, mpmath.mpf(2)) / fit(v, mpmath.mpf(2))
        total += mpmath.mpf(repr(f)) * value
    return total / 10**6


def ge_reactor_rates() -> dict:
    """Ge stepping rates (events per kg day keV) in the default reactor spectrum at 2.7e13 cm^-2 s^-1, weak
    (anti-nu_e) and magnetic (mu_nu = 1e-11 mu_B), by mpmath quadrature of the Vogel-Engel formulas of
    nusym.derivations.free_electron from E_min(T) = (T + sqrt(T^2 + 2 m_e T))/2: no float kernel on the way."""
    import sympy
    from nusym import symbols as S
    from nusym.derivations import free_electron as fe
    from nusym.detectors.reactor import E_MAX
    vals = {S.G_F: K.G_F.sympy(), S.m_e: K.M_E.sympy(), S.s2w: K.SIN2_THETA_W_MSBAR.sympy(), S.alpha: K.ALPHA.sympy(),
            S.kappa: sympy.Rational(RATE_MU)}
    weak = sympy.lambdify((S.T, S.E_nu), fe.vogel_engel_weak(True).subs(vals), "mpmath")
    mag = sympy.lambdify((S.T, S.E_nu), fe.VOGEL_ENGEL_MU.subs(vals), "mpmath")
    ge = atom("Ge")
    m, hc = K.M_E.mpf(), K.hbar_c(mpmath)
    per_kg = mpmath.mpf("6.02214076e23") * 1000 / mpmath.mpf(repr(ge.molar_mass))
    scale = per_kg * mpmath.mpf(RATE_FLUX) * 86400 * 1000 * hc**2
    norm = mpmath.quad(_spectrum, [0, 2 * 10**6, E_MAX])
    out = {}
    for t_kev in RATE_T_KEV:
        t = mpmath.mpf(t_kev) * 1000
        lo = (t + mpmath.sqrt(t**2 + 2 * m * t)) / 2
        n_open = sum(mpmath.mpf(sh.electrons.numerator) / sh.electrons.denominator for sh in ge.shells
                     if sh.binding is None or mpmath.mpf(repr(sh.binding)) < t)
        for name, f in (("weak", weak), ("mu", mag)):
            avg = mpmath.quad(lambda e: _spectrum(e) * f(t, e), [lo, 2 * 10**6, E_MAX]) / norm
            out[f"Ge {name}_stepping rate at T = {t_kev} keV, {RATE_FLUX} cm^-2 s^-1 [/kg/day/keV]"] = n_open * avg * scale
    return out


if __name__ == "__main__":
    path = Path(__file__).with_name("values.json")
    header = {"_generator": "tests/references/make_references.py", "_digits": DPS,
              "_kind": "regression snapshots: every value below is nusym's own output, re-run by the tests to catch "
                       "drift; values computed without nusym (from CODATA/SI decimal strings) are pinned in "
                       "tests/test_independent_references.py",
              "_constants": {c.symbol: c.value for c in K.DEFINING}}
    path.write_text(json.dumps({**header, **values()}, indent=1) + "\n")
    sys.stdout.write(f"wrote {path}\n")
