"""Atomic shells of real elements: binding energies from Elam's tables (through ``xraydb``), occupancies from
the ground-state configuration.

- **Binding energies** I of the subshells K, L1, L2, L3, M1, ... are the edge energies of Elam, Ravel & Sieber,
  Radiat. Phys. Chem. 63 (2002) 121, as distributed in the maintained ``xraydb`` package; every :class:`Atom`
  records the database version it was read from (``Atom.data_version``).
- **Occupancies** are the ground-state configurations of NIST's atomic reference data
  (:mod:`nusym.atoms.configurations`, H to U), each n l shared between j = l - 1/2 and j = l + 1/2 in proportion to their
  2j + 1 states: the statistical split of a spherically averaged atom, not a coupled ground level (for Ge's 4p^2 it
  gives N2 = 2/3, N3 = 4/3, where the 3P0 level of LS coupling would put more in 4p1/2).  Rates do not depend on the
  split where the two j have one edge, as Elam's N2,3 of Ge.
- **Outer electrons without an Elam edge** (Na 3s, Cs 6s and the like: the tables stop a few eV below the
  vacuum level) are kept with ``binding = None``. The cross sections count them as free electrons at every T.
- **Mean momentum** of a shell: the virial estimate p = sqrt(2 m_e I), as in the recoil paper.

The two sources are independent, and :func:`atom` checks them against each other: every occupied subshell that
Elam does not list must lie in the outermost n of its l.  Elam lists some edges of subshells the ground state
leaves empty (Be L2,3, Mg M2,3, Zn N2,3: the p levels just above a filled s shell); they hold no electron and are
left out, but only in a shell n that holds electrons of the atom's outermost l's (an empty inner subshell with an
edge is refused).
"""
from __future__ import annotations

import contextlib
import functools
import gc
import math
from dataclasses import dataclass
from fractions import Fraction

from nusym.atoms import configurations
from nusym import constants as K
from nusym.codegen.runtime import checked
import numpy
import re

__all__ = ["Shell", "Atom", "atom", "photoabsorption", "photoabsorption_allowance", "SUBSHELLS", "PHOTO_RANGE",
           "PHOTO_BANDS_LOW", "PHOTO_BANDS_EDGES", "PHOTO_BAND_FLOOR"]

PHOTO_RANGE = (100.0, 8.0e5)       # eV: photon energies where Elam's photoabsorption tables are used (xraydb warns outside)

_LETTERS = "KLMNOPQ"
_L_NAMES = "spdfg"


def _subshells():
    """IUPAC names with (n, l, 2j): K = 1s1/2, L1 = 2s1/2, L2 = 2p1/2, L3 = 2p3/2, M4 = 3d3/2, ..."""
    out = {}
    for n in range(1, 8):
        index = 1
        for l in range(n):
            for twoj in ((1,) if l == 0 else (2 * l - 1, 2 * l + 1)):
                name = "K" if n == 1 else f"{_LETTERS[n - 1]}{index}"
                out[name] = (n, l, twoj)
                index += 1
    return out


SUBSHELLS = _subshells()
_NAME_OF = {v: k for k, v in SUBSHELLS.items()}
@dataclass(frozen=True)
class Shell:
    name: str                     # IUPAC: K, L1, L2, L3, M1, ...
    n: int
    l: int
    j: Fraction
    electrons: Fraction           # occupancy in the ground state (a fraction for a partly filled n l)
    binding: float | None         # eV (Elam's edge); None where the tables give none (outer electrons)

    @property
    def label(self) -> str:
        return f"{self.n}{_L_NAMES[self.l]}{self.j.numerator}/{self.j.denominator}"

    @property
    def p(self) -> float | None:
        """Mean momentum of the shell's electrons, eV: the virial estimate sqrt(2 m_e I)."""
        return None if self.binding is None else math.sqrt(2 * float(K.M_E.value) * self.binding)


@dataclass(frozen=True)
class Atom:
    symbol: str
    Z: int
    mass: float                   # eV: Elam's molar mass (g/mol) times the atomic mass unit m_u c^2
    molar_mass: float             # g/mol
    shells: tuple                 # Shell, ..., deepest first
    data_version: str             # the database the edges were read from, e.g. "Elam's tables, XrayDB database 9.2 ..."

    def open_shells(self, T: float) -> list:
        """The shells whose electrons can be ionized by an energy transfer T (eV): binding < T, or no edge."""
        return [s for s in self.shells if s.binding is None or s.binding < T]

    def shell(self, name: str) -> Shell:
        """The subshell called ``name`` (IUPAC: "K", "L3", ...)."""
        for s in self.shells:
            if s.name == name:
                return s
        raise ValueError(f"{self.symbol} has no occupied subshell {name!r}")

    def mass_of(self, lib):
        """M_a in eV at ``lib``'s precision (mpmath or sympy): the molar mass's decimal digits times m_u, no
        binary rounding on the way."""
        return lib.mpf(repr(self.molar_mass)) * K.M_U.mpf() if lib.__name__ == "mpmath" \
            else K.M_U.sympy() * lib.Rational(repr(self.molar_mass))


@functools.lru_cache(maxsize=None)
def _db():
    import xraydb
    db = xraydb.get_xraydb()
    return xraydb, db, _version_text(str(db.get_version()), getattr(xraydb, "__version__", "?"))


def _version_text(reported: str, package: str) -> str:
    """What the data come from, readably: xraydb reports 'XrayDB Version: 9.2, Python Version: 4.5.8', where the
    second number is the xraydb package's, not Python's."""
    found = re.search(r"XrayDB Version:\s*([^,\s]+)", reported)
    database = found.group(1) if found else " ".join(reported.split())
    return f"Elam's tables, XrayDB database {database} (xraydb {package})"


@contextlib.contextmanager
def _database():
    """xraydb, its database and version; xraydb's (SQLAlchemy's) garbage is collected before control returns, so
    that its weak-reference callbacks run here and not at some later moment of a long run: a Ctrl-C that arrives
    inside such a callback is printed as 'Exception ignored' and lost."""
    try:
        yield _db()
    finally:
        gc.collect()


@functools.lru_cache(maxsize=None)
def atom(symbol: str | int) -> Atom:
    """The :class:`Atom` of an element given by symbol ('Ge', 'ge', 'Germanium' as xraydb reads it) or Z."""
    with _database() as (xraydb, db, version):
        return _atom(xraydb, version, symbol)


def _atom(xraydb, version, symbol) -> Atom:
    if isinstance(symbol, bool) or not isinstance(symbol, (str, int)):
        raise TypeError(f"element={symbol!r}: give an element symbol such as 'Ge', or its atomic number")
    try:
        Z = int(xraydb.atomic_number(symbol)) if isinstance(symbol, str) else int(symbol)
        sym = xraydb.atomic_symbol(Z)
    except Exception:  # noqa: BLE001 - xraydb raises several kinds for an unknown name
        raise ValueError(f"element={symbol!r} is not an element xraydb knows (symbols H to Cf, e.g. 'Ge', "
                         "'Xe', or the atomic number)") from None
    if not 1 <= Z <= len(configurations.SYMBOLS):
        raise ValueError(f"element={symbol!r}: atomic number {Z} is outside 1..{len(configurations.SYMBOLS)}, the "
                         "elements with a NIST ground-state configuration (H to U)")
    config = configurations.configuration(Z)
    edges = {name: float(e.energy) for name, e in xraydb.xray_edges(sym).items()}
    shells = []
    for (n, l), k in config.items():
        for twoj in ((1,) if l == 0 else (2 * l - 1, 2 * l + 1)):
            name = _NAME_OF[(n, l, twoj)]
            share = Fraction(k) * Fraction(twoj + 1, 2 * (2 * l + 1))
            shells.append(Shell(name, n, l, Fraction(twoj, 2), share, edges.get(name)))
    occupied = {s.name for s in shells}
    outermost = max(n for n, _ in config)
    extra = sorted(name for name in set(edges) - occupied if name in SUBSHELLS and SUBSHELLS[name][0] < outermost)
    if extra:
        raise ValueError(f"element={sym}: Elam's tables list edges {extra} of inner subshells its configuration "
                         "leaves empty")
    outer = {l: max(n for (n, ll) in config if ll == l) for l in {l for _, l in config}}
    missing = [s.name for s in shells if s.binding is None and s.n != outer[s.l]]
    if missing:
        raise ValueError(f"element={sym}: inner subshells {missing} have no edge in Elam's tables")
    shells.sort(key=lambda s: -(s.binding if s.binding is not None else -1.0))
    molar = float(xraydb.atomic_mass(sym))
    mass = molar * float(K.M_U.value)
    return Atom(sym, Z, mass, molar, tuple(shells), version)


def photoabsorption(symbol: str | int, T):
    """The photoabsorption (photoelectric) cross section per atom, cm^2, at photon energies T (eV, numpy) from
    Elam's tables (xraydb ``mu_elam(kind="photo")`` in cm^2/g times the molar mass over Avogadro's number);
    T outside ``PHOTO_RANGE`` is refused (xraydb: the tables are unreliable below 100 eV)."""
    a = atom(symbol)
    T = checked("photoabsorption", "T", T, PHOTO_RANGE[0], PHOTO_RANGE[1], False)
    if not T.size:
        return T.copy()
    with _database() as (xraydb, _, _):
        per_gram = numpy.asarray(xraydb.mu_elam(a.symbol, T.reshape(-1), kind="photo"), dtype=float)
    out = (per_gram * a.molar_mass / float(K.AVOGADRO.value)).reshape(T.shape)
    return out[()] if out.ndim == 0 else out


# Uncertainty of independent-particle photoabsorption cross sections by region, the upper end of each band that
# C. T. Chantler, J. Phys. Chem. Ref. Data 29 (2000) 597, Table 2, estimates for his tabulation (a relativistic
# Dirac-Hartree-Fock-Slater calculation like the Scofield values behind Elam's tables): below 200 eV 50-100 %,
# 200-500 eV 20-30 %, 0.5-1 keV 3-10 %; from 1 keV on by the edges below T: within 10 % above the K edge 10 %, from
# 1.1 to 1.2 x E_K 3 %; within 10 % of an L2, L3, M4 or M5 edge 20 %; above an L1, M1, M2 or M3 edge 15 % up to
# 1.15 x the edge, then 4 % up to 1.5 x (where the table says only "then"); elsewhere 1 %.
PHOTO_BANDS_LOW = ((200.0, 1.00), (500.0, 0.30), (1000.0, 0.10))       # (below this T in eV, relative allowance)
PHOTO_BANDS_EDGES = {"K": ((1.1, 0.10), (1.2, 0.03)),
                     **{name: ((1.1, 0.20),) for name in ("L2", "L3", "M4", "M5")},
                     **{name: ((1.15, 0.15), (1.5, 0.04)) for name in ("L1", "M1", "M2", "M3")}}
PHOTO_BAND_FLOOR = 0.01


def photoabsorption_allowance(symbol: str | int, T):
    """The relative uncertainty allowed to a tabulated photoabsorption cross section at photon energy T (eV, numpy):
    the bands of Chantler (2000), Table 2 (see PHOTO_BANDS_LOW, PHOTO_BANDS_EDGES), the largest that applies."""
    a = atom(symbol)
    T = checked("photoabsorption_allowance", "T", T, 0.0, 1e100, True)
    out = numpy.full(T.shape, PHOTO_BAND_FLOOR)
    below = numpy.zeros(T.shape, dtype=bool)
    for top, band in PHOTO_BANDS_LOW:
        here = ~below & (T < top)
        out = numpy.where(here, band, out)
        below |= here
    for s in a.shells:
        for upto, band in PHOTO_BANDS_EDGES.get(s.name, ()) if s.binding is not None else ():
            lo = s.binding * (0.9 if s.name in ("L2", "L3", "M4", "M5") else 1.0)
            near = ~below & (T >= lo) & (T < upto * s.binding)
            out = numpy.where(near, numpy.maximum(out, band), out)
    return out[()] if out.ndim == 0 else out
