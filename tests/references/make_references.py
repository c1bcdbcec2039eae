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
from nusym import hydrogen
from nusym.atoms import GERMANIUM
from nusym.derivations.magnetic import magnetic_terms

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
        mass = GERMANIUM.mass(mpmath)
        out = {
            "hbar_c [eV cm]": hc,
            "E_h = alpha^2 m_e [eV]": K.hartree_energy(mpmath),
            "pi r_e^2 [cm^2]": mpmath.pi * K.classical_electron_radius(mpmath) ** 2,
            "G_F^2 m_e/(2 pi) (1 + 4 s2w + 8 s2w^2) (hbar c)^2 [cm^2/eV]":
                gf**2 * m / (2 * mpmath.pi) * (1 + 4 * s2w + 8 * s2w**2) * hc**2,
            "SM mu_nu/mu_B at m_nu = 1 eV": 3 * gf * m / (4 * mpmath.sqrt(2) * mpmath.pi**2),
            "Ge M_a [eV]": mass,
            "Ge Thomas-Fermi scale 2 Z^(4/3) E_h m_e/M_a [eV]":
                2 * mpmath.mpf(GERMANIUM.Z) ** (mpmath.mpf(4) / 3) * a**2 * m * m / mass,
            "Ge K-shell scale 4 m_e I_K/M_a [eV]": 4 * m * mpmath.mpf(GERMANIUM.k_edge) / mass,
            "Ge 2 E_nu^2/M_a at E_nu = 1 MeV [eV]": 2 * mpmath.mpf(10) ** 12 / mass,
            "H(1s) S(t = 0.6, q = 0.5) [a.u.]": hydrogen.continuum(mpmath.mpf("0.6"), mpmath.mpf("0.5")),
            "H(1s) R(t = 0.6, q = 0.5) [a.u.]": hydrogen.transverse(mpmath.mpf("0.6"), mpmath.mpf("0.5")),
            "H(1s) G_2(q = 1.7) [a.u.]": hydrogen.transverse_line_strength(2, mpmath.mpf("1.7")),
            "H(1s) Stobbe sigma(omega = 0.75 E_h) [a_0^2]": hydrogen.photoionization_stobbe(mpmath.mpf("0.75")),
            **{f"H {k} magnetic term at T = 100 eV, E_nu = 1 MeV [pi alpha^2 mu^2/m_e^2 per eV]": v
               for k, v in magnetic_terms(mpmath.mpf(100), mpmath.mpf(10) ** 6).items() if k != "free electrons"},
        }
        return {k: mpmath.nstr(v, DPS) for k, v in out.items()}


if __name__ == "__main__":
    path = Path(__file__).with_name("values.json")
    header = {"_generator": "tests/references/make_references.py", "_digits": DPS,
              "_kind": "regression snapshots: every value below is nusym's own output, re-run by the tests to catch "
                       "drift; values computed without nusym (from CODATA/SI decimal strings) are pinned in "
                       "tests/test_independent_references.py",
              "_constants": {c.symbol: c.value for c in K.DEFINING}}
    path.write_text(json.dumps({**header, **values()}, indent=1) + "\n")
    sys.stdout.write(f"wrote {path}\n")
