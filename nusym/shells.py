"""Atomic shells of real elements: binding energies from Elam's tables (through ``xraydb``), occupancies from
the ground-state configuration.

- **Binding energies** I of the subshells K, L1, L2, L3, M1, ... are the edge energies of Elam, Ravel & Sieber,
  Radiat. Phys. Chem. 63 (2002) 121, as distributed in the maintained ``xraydb`` package; every :class:`Atom`
  records the database version it was read from (``Atom.data_version``).
- **Occupancies** follow the Madelung (n + l, then n) filling order: each subshell n l holds up to 2(2l + 1)
  electrons, split between j = l - 1/2 and j = l + 1/2 in the ratio of their 2j + 1 states. A partly filled
  n l is split in the same ratio, so the occupancies can be fractions; Ge's 4p^2 is N2 = 2/3, N3 = 4/3. The
  elements whose ground state breaks the Madelung order (Cr, Cu, Nb, Mo, Ru, Rh, Pd, Ag, Pt, Au, and the
  lanthanides and actinides) are refused, with that reason.
- **Outer electrons without an Elam edge** (Na 3s, Cs 6s and the like: the tables stop a few eV below the
  vacuum level) are kept with ``binding = None``. The cross sections count them as free electrons at every T.
- **Mean momentum** of a shell: the virial estimate p = sqrt(2 m_e I), as in the recoil paper.

The two sources are independent, and :func:`atom` checks them against each other. Every subshell Elam lists
must be occupied, and every occupied one that Elam does not list must lie in the outermost n of its l.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import math
from dataclasses import dataclass
from fractions import Fraction

from . import constants as K

__all__ = ["Shell", "Atom", "atom", "photoabsorption", "SUBSHELLS", "PHOTO_RANGE"]

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
# Madelung order of n l, with the elements that are known not to follow it in their ground state (NIST atomic
# spectra database, ground levels): they are refused rather than given a wrong configuration.
_ORDER = sorted(((n, l) for n in range(1, 8) for l in range(min(n, 4))), key=lambda nl: (nl[0] + nl[1], nl[0]))
_ANOMALOUS = {24, 29, 41, 42, 44, 45, 46, 47, 78, 79} | set(range(57, 72)) | set(range(89, 104))


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
    data_version: str             # the xraydb database the edges were read from, e.g. "XrayDB Version: 9.2, ..."

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


def _configuration(Z: int) -> dict:
    """{(n, l): electrons} of the Madelung ground state."""
    left, out = Z, {}
    for n, l in _ORDER:
        if left == 0:
            break
        k = min(left, 2 * (2 * l + 1))
        out[(n, l)] = k
        left -= k
    return out


@functools.lru_cache(maxsize=None)
def _db():
    import xraydb
    db = xraydb.get_xraydb()
    return xraydb, db, " ".join(str(db.get_version()).split())


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
    if not 1 <= Z <= 98:
        raise ValueError(f"element={symbol!r}: atomic number {Z} is outside 1..98, the range of Elam's tables")
    if Z in _ANOMALOUS:
        raise ValueError(f"element={symbol!r} ({sym}): its ground-state configuration does not follow the Madelung "
                         "order, and nusym does not type in configurations; not supported")
    edges = {name: float(e.energy) for name, e in xraydb.xray_edges(sym).items()}
    shells = []
    for (n, l), k in _configuration(Z).items():
        for twoj in ((1,) if l == 0 else (2 * l - 1, 2 * l + 1)):
            name = _NAME_OF[(n, l, twoj)]
            share = Fraction(k * (twoj + 1), 2 * (2 * l + 1))
            shells.append(Shell(name, n, l, Fraction(twoj, 2), share, edges.get(name)))
    occupied = {s.name for s in shells}
    extra = sorted(set(edges) - occupied)
    if extra:
        raise ValueError(f"element={sym}: Elam's tables list edges {extra} of subshells its configuration leaves empty")
    outer = {l: max(n for (n, ll) in _configuration(Z) if ll == l) for l in {l for _, l in _configuration(Z)}}
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
    import numpy
    from ._runtime import checked
    a = atom(symbol)
    T = checked("photoabsorption", "T", T, PHOTO_RANGE[0], PHOTO_RANGE[1], False)
    if not T.size:
        return T.copy()
    with _database() as (xraydb, _, _):
        per_gram = numpy.asarray(xraydb.mu_elam(a.symbol, numpy.atleast_1d(T), kind="photo"), dtype=float)
    out = per_gram * a.molar_mass / 6.02214076e23
    return out.reshape(T.shape)
