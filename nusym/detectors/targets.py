"""Cross sections of real detector materials and their event rates in a reactor's antineutrino flux.

Three approximations for the electrons of an atom (shells from :mod:`nusym.atoms.shells`), each a weighted count of
electrons times the free-electron cross section at the neutrino energy (``nusym.numeric``, full T/E_nu
dependence, zero beyond the end point T_max = 2 E_nu**2/(m_e + 2 E_nu)):

* ``"fe"``: Z free electrons (what many codes do);
* ``"stepping"``: each subshell's electrons count only above its edge, T > I (Kopeikin et al., the recoil
  paper's ref. [7]); electrons with no edge in Elam's tables count at every T;
* ``"stepping-recoil"``: each subshell's electrons weighted by the recoil factor of the recoil paper's Eq. (7),
  ``recoil_factor_weak``/``recoil_factor_mu`` (T, p, I, M_a), which is 0 at T <= I and 1 once q_a >= q_+;
* ``"central-field"`` (on request, ``OPTIONAL_APPROXIMATIONS``): the real atom's own count from the self-consistent
  central field (:mod:`nusym.atoms.structure_tables`): int S dq^2/(2 m_e) for the weak and T int S dq^2/q^2 for the
  magnetic interaction, over q from T upwards -- Eqs. (1), (3) at E_nu >> T, where free electrons give Z and Z --
  for T in CENTRAL_FIELD_T (the range the model is checked over), tables kept in nusym's private cache.

The recoil factors need the shell's mean momentum p.  ``momentum="virial"`` (default) is the recoil paper's
p = sqrt(2 m_e I) for every subshell (exact for a hydrogen-like orbital); ``momentum="thomas-fermi"`` is the
paper's one scale alpha Z**(2/3) m_e for all electrons; ``momentum="central-field"`` the rms momentum of the
subshell's orbital in the self-consistent LDA atom.  Either only moves the window above each edge where the
factor is below 1 (the paper's estimates 2p**2/M_a are 0.3 and 0.04 eV for the Ge K shell; the exact q_a = q_+
boundaries the kernels use lie 0.489 and 0.167 eV above the edge).

Cross sections are per formula unit (per atom for an element; NaI: one Na and one I), in cm^2/eV; energies in eV and
the magnetic moment ``mu_nu`` in Bohr magnetons, as everywhere in nusym's Python API.  The event rates in a reactor's
flux are in :mod:`nusym.detectors.events`.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import numpy

from nusym import constants as K
from nusym import numeric
from nusym.atoms import shells
from nusym.codegen.runtime import checked

__all__ = ["Target", "target", "APPROXIMATIONS", "OPTIONAL_APPROXIMATIONS", "CENTRAL_FIELD_T", "CENTRAL_FIELD_ELEMENTS", "check_central_field_size", "central_field_count", "INTERACTIONS", "FLAVOURS", "MOMENTA", "AVOGADRO", "electron_count",
           "dsigma_dT", "shell_momentum", "recoil_window", "choice", "as_target", "free_electron", "M_E"]

APPROXIMATIONS = ("fe", "stepping", "stepping-recoil")
OPTIONAL_APPROXIMATIONS = ("central-field",)          # costs a table of the atom (seconds to a minute, then cached)
CENTRAL_FIELD_T = (100.0, 30000.0)                    # eV: where the central-field model is checked (real_atoms)
CENTRAL_FIELD_ELEMENTS = 4                            # elements of a target with central-field tables (a table each)
INTERACTIONS = ("weak", "mu")
FLAVOURS = ("nuebar", "nue")
MOMENTA = ("virial", "thomas-fermi", "central-field")
AVOGADRO = float(K.AVOGADRO.value)           # 1/mol (nusym.constants)
M_E = float(K.M_E.value)


@dataclass(frozen=True)
class Target:
    """A detector material: its formula, atoms (with their count per formula unit), molar mass in g/mol."""

    formula: str
    atoms: tuple                    # ((shells.Atom, count), ...)
    molar_mass: float
    data_version: str

    @property
    def formula_units_per_kg(self) -> float:
        return AVOGADRO * 1000.0 / self.molar_mass

    @property
    def electrons(self) -> int:
        return sum(a.Z * n for a, n in self.atoms)

    def edges(self) -> list:
        """(element, subshell, binding eV) of every subshell with an edge, deepest first."""
        out = [(a.symbol, s.name, s.binding) for a, _ in self.atoms for s in a.shells if s.binding is not None]
        return sorted(out, key=lambda e: -e[2])


_FORMULA = re.compile(r"([A-Z][a-z]?)([0-9]*)", re.ASCII)        # ASCII digits only: 'Ge\u0663' is no formula


def target(formula: str) -> Target:
    """The :class:`Target` of a chemical formula of elements xraydb knows: "Ge", "Xe", "NaI", "CsI", "CaWO4"."""
    if not isinstance(formula, str):
        raise TypeError(f"target={formula!r}: give a chemical formula such as 'Ge' or 'NaI'")
    text = formula.strip()
    parts = _FORMULA.findall(text)
    if not text or len(text) > 40 or "".join(s + n for s, n in parts) != text:
        raise ValueError(f"target={formula!r} is not a chemical formula (element symbols, each with an optional "
                         "count: 'Ge', 'Xe', 'NaI', 'CsI', 'CaWO4')")
    counts: dict = {}
    for sym, n in parts:
        k = int(n) if n else 1
        if not 1 <= k <= 1000:
            raise ValueError(f"target={formula!r}: count {n} of {sym} is outside 1..1000")
        counts[sym] = counts.get(sym, 0) + k
    if sum(counts.values()) > 1000:
        raise ValueError(f"target={formula!r}: {sum(counts.values())} atoms per formula unit, more than 1000")
    atoms = []
    for sym, k in counts.items():
        try:
            atoms.append((shells.atom(sym), k))
        except ValueError as exc:
            hint = " (symbols are case sensitive: 'Ge', 'NaI')" if text.isupper() and len(text) > 1 else ""
            raise ValueError(f"target={formula!r}: {exc}{hint}") from None
    molar = sum(a.molar_mass * k for a, k in atoms)
    return Target(text, tuple(atoms), molar, atoms[0][0].data_version)


def as_target(t) -> Target:
    return t if isinstance(t, Target) else target(t)


def choice(name: str, value, allowed: tuple):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name}={value!r}: one of {allowed}")
    return value


def shell_momentum(atom, shell, momentum: str = "virial") -> float:
    """The mean momentum (eV) of a subshell's electrons in the recoil factors: virial sqrt(2 m_e I), the atom's
    Thomas-Fermi scale alpha Z**(2/3) m_e, or the rms momentum <p^2>^(1/2) of the subshell's orbital in the
    self-consistent central field (nusym.atoms.central_field)."""
    choice("momentum", momentum, MOMENTA)
    if momentum == "virial":
        return shell.p
    if momentum == "central-field":
        return _central_field_atom(atom.symbol).rms_momentum(shell.n, shell.l) * float(K.ALPHA.value) * M_E
    return float(K.ALPHA.value) * atom.Z ** (2.0 / 3.0) * M_E


@functools.lru_cache(maxsize=None)
def _central_field_atom(symbol: str):
    from nusym.atoms import central_field                  # SciPy's solvers: only when asked for
    return central_field.ground_state(symbol)


def electron_count(tgt, T, interaction: str = "weak", approximation: str = "stepping-recoil",
                   momentum: str = "virial"):
    """The effective number of electrons per formula unit at energy transfer T (eV, numpy): Z, the electrons of
    the open subshells, or those weighted by the recoil factors of Eq. (7) (``interaction`` picks weak or mu)."""
    tgt = as_target(tgt)
    choice("interaction", interaction, INTERACTIONS)
    choice("approximation", approximation, APPROXIMATIONS + OPTIONAL_APPROXIMATIONS)
    choice("momentum", momentum, MOMENTA)
    if approximation == "central-field":
        return central_field_count(tgt, T, interaction)
    T = checked("electron_count", "T", T, 0.0, 1e100, True)
    total = numpy.zeros_like(T)
    factor = numeric.recoil_factor_weak if interaction == "weak" else numeric.recoil_factor_mu
    for atom, k in tgt.atoms:
        for s in atom.shells:
            n = float(s.electrons) * k
            if approximation == "fe" or s.binding is None:
                total = total + n
            elif approximation == "stepping":
                total = total + n * (T > s.binding)
            else:
                total = total + n * factor(T, shell_momentum(atom, s, momentum), s.binding, atom.mass)
    return total[()] if total.ndim == 0 else total


def check_central_field_size(tgt, n_T: int) -> None:
    """ValueError where the central-field tables of ``tgt`` at ``n_T`` energies would be too large: more T than a
    table takes (nusym.atoms.structure_tables.MAX_T), more elements than CENTRAL_FIELD_ELEMENTS."""
    from nusym.atoms.structure_tables import MAX_T
    if n_T > MAX_T:
        raise ValueError(f"{n_T} T values; a table takes at most {MAX_T} (its time and memory grow with their "
                         "number)")
    if len(tgt.atoms) > CENTRAL_FIELD_ELEMENTS:
        raise ValueError(f"target {tgt.formula!r} has {len(tgt.atoms)} elements; at most {CENTRAL_FIELD_ELEMENTS} "
                         "(a table each)")


def central_field_count(tgt, T, interaction: str = "weak"):
    """The central-field atom's effective number of electrons per formula unit at T (eV, in CENTRAL_FIELD_T):
    int S dq^2/(2 m_e) (weak) or T int S dq^2/q^2 (magnetic), from q = T up, each element's table from
    :func:`nusym.atoms.structure_tables.rate_integrals` (Elam's thresholds, the Latter-tailed potential)."""
    from nusym.atoms import structure_tables                # SciPy and the atom's tables: only when asked for
    tgt = as_target(tgt)
    choice("interaction", interaction, INTERACTIONS)
    T = checked("central_field_count", "T", T, *CENTRAL_FIELD_T, False)
    check_central_field_size(tgt, numpy.size(T))
    flat = numpy.atleast_1d(T).ravel()
    total = numpy.zeros_like(flat)
    for atom, k in tgt.atoms:
        i1, i2 = structure_tables.rate_integrals(atom.symbol, flat)
        total = total + k * (i1 / (2 * float(K.M_E.value)) if interaction == "weak" else flat * i2)
    return total.reshape(T.shape)[()] if T.ndim == 0 else total.reshape(T.shape)


def free_electron(interaction: str, flavour: str, mu_nu, s2w):
    """dsigma/dT(T, E_nu) of one free electron (cm^2/eV): Vogel & Engel's weak (nu_e or anti-nu_e, at s2w) or magnetic
    (at mu_nu Bohr magnetons) cross section, the generated kernels."""
    if interaction == "mu":
        return lambda T, E: numeric.dsigma_mu_fe_enu(T, E, mu_nu)
    f = numeric.dsigma_weak_fe_nuebar if flavour == "nuebar" else numeric.dsigma_weak_fe_nue
    return lambda T, E: f(T, E, s2w)


def dsigma_dT(tgt, T, E_nu, interaction: str = "weak", approximation: str = "stepping-recoil",
              flavour: str = "nuebar", mu_nu: float | None = None, s2w: float = float(K.SIN2_THETA_W_MSBAR.value),
              momentum: str = "virial"):
    """dsigma/dT per formula unit (cm^2/eV) at energy transfer T and neutrino energy E_nu (eV, numpy,
    broadcast): the effective electron count times the free-electron cross section (module docstring).
    ``interaction="mu"`` needs ``mu_nu``, the magnetic moment in Bohr magnetons."""
    choice("flavour", flavour, FLAVOURS)
    choice("interaction", interaction, INTERACTIONS)
    if interaction == "mu" and mu_nu is None:
        raise ValueError("mu_nu=None: interaction='mu' needs the neutrino magnetic moment in Bohr magnetons")
    T = checked("dsigma_dT", "T", T, 0.0, 1e100, True)
    count = electron_count(tgt, T, interaction, approximation, momentum)
    return count * free_electron(interaction, flavour, mu_nu, s2w)(T, E_nu)


def recoil_window(p: float, I: float, M: float) -> tuple:
    """(T1, T2), eV: where q_a reaches q_- and q_+ above an edge I (Eq. (7)'s factor is 0 below T1 and 1 above T2),
    by fixed point on 2 M_a (T - I) = q_-+(T)**2 (p, I, M_a in eV)."""
    out = []
    for sign in (-1, 1):
        t = I
        for _ in range(60):
            root = math.sqrt(p * p + 2 * M_E * t)
            qq = 2 * M_E * t / (root + p) if sign < 0 else root + p
            t = I + qq * qq / (2 * M)
        out.append(t)
    return tuple(out)
