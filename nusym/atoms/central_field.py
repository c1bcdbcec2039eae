"""The central-field atom: a nonrelativistic Kohn-Sham LDA atom in one self-consistent local potential, and its
bound excited states (atomic units: Hartree, bohr).

* Kohn-Sham equations for a spherical, spin-unpolarized density with fractional (spherically averaged)
  occupancies, on the ground-state configurations of NIST's "Atomic Reference Data for Electronic Structure
  Calculations" (S. Kotochigova, Z. H. Levine, E. L. Shirley, M. D. Stiles, C. W. Clark, Phys. Rev. A 55 (1997) 191;
  :mod:`nusym.atoms.configurations`); Slater exchange + VWN5 correlation (:mod:`nusym.atoms.lda`); total energy
  E = T_s + E_H + E_xc + E_en with T_s = sum_i f_i eps_i - int rho V_in.
* Self-consistency: Pulay/DIIS mixing of r V (history 8, beta 0.5) from a Thomas-Fermi start with a -1/r tail;
  converged when E_tot changes by < ``tol`` (1e-9 Ha), the eigenvalues by < 1e-10 and max |r (V_out - V_in)| < 1e-9.
  Ge: 16 iterations, about 0.2 s.  Default grid: pure log, r from 1e-6/Z to 50 bohr, h = 0.0035.
* Potentials: ``"lda"``, the self-consistent V = -Z/r + V_H + v_xc; ``"lda-latter"``, Latter's tail (R. Latter,
  Phys. Rev. 99 (1955) 510): r0 the first radius where r V_lda = -(Z - N + 1) (a cubic-spline root, so that the
  potential is continuous and grid-independent), V = V_lda inside r0 and -(Z - N + 1)/r beyond (Ge: r0 = 2.937 bohr).
  The ground state is always pure LDA; excited and continuum states may use either.
* :func:`bound_state`: any bound (n, l) of either potential, on a log-linear extension of the grid for Rydberg
  states.  Continuum states are in :mod:`nusym.atoms.continuum`.

NIST agreement (measured): Na, Si, Ar, Ge, I, Xe, Cs eigenvalues within 6e-7 Ha and total energies within 5e-7 Ha
(the NIST numbers are rounded to 1e-6); halving h moves Ge eigenvalues by <= 2.3e-10.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from scipy.interpolate import CubicSpline

from nusym.atoms import configurations
from nusym.atoms.configurations import atomic_number, orbital_label
from nusym.atoms.lda import VWN5, lda_xc, thomas_fermi_potential
from nusym.atoms.radial import (FOUR_PI, RadialGrid, default_grid, extended_grid, hartree_potential,
                                solve_bound)

__all__ = ["Orbital", "Atom", "POTENTIALS", "parse_configuration", "ground_state", "grid_for_rydberg",
           "bound_state", "check_potential", "nist_reference"]

POTENTIALS = ("lda", "lda-latter")
_NOBLE = {"[He]": 2, "[Ne]": 10, "[Ar]": 18, "[Kr]": 36, "[Xe]": 54, "[Rn]": 86}


def check_potential(potential) -> str:
    """``potential`` itself, or ValueError naming it and the allowed values."""
    if potential not in POTENTIALS:
        raise ValueError(f"potential={potential!r}: one of {', '.join(map(repr, POTENTIALS))}")
    return potential


def nist_reference() -> dict:
    """NIST's LDA reference numbers (Hartree) with their sources, from ``nusym/atoms/data/nist_lda.json``:
    ``["nist_lda"][element]`` holds "Etot" and "eigenvalues" {"1s": ...}, each with its "_source"."""
    import json
    from pathlib import Path
    return json.loads((Path(__file__).parent / "data" / "nist_lda.json").read_text())


def parse_configuration(text: str) -> list:
    """[(n, l, occupancy)] from a configuration such as '[Ar] 3d10 4s2 4p2' (noble-gas cores expanded from NIST's
    configurations), in the order of n then l.  ValueError for anything else."""
    shells: dict = {}
    for token in str(text).split():
        if token in _NOBLE:
            for key, k in configurations.configuration(_NOBLE[token]).items():
                shells[key] = shells.get(key, 0) + k
            continue
        try:
            n, l, k = int(token[0]), "spdfg".index(token[1]), Fraction(token[2:])
        except (ValueError, IndexError):
            raise ValueError(f"configuration={text!r}: token {token!r} is not a core ([Ne], ...) or nl<electrons> "
                             "such as 4p2") from None
        if not (0 <= l < n and 0 < k <= 2 * (2 * l + 1)):
            raise ValueError(f"configuration={text!r}: {token!r} has no such subshell or occupancy "
                             f"(0 < electrons <= {2 * (2 * l + 1)})")
        shells[(n, l)] = shells.get((n, l), 0) + k
    if not shells:
        raise ValueError(f"configuration={text!r}: empty")
    return [(n, l, float(k)) for (n, l), k in sorted(shells.items())]


@dataclass
class Orbital:
    """One radial orbital: P(r) = r R(r), normalized to int P^2 dr = 1.

    ``P`` lives on ``grid`` (``None`` means the atom's SCF grid).
    """

    n: int
    l: int
    occupancy: float
    energy: float
    P: np.ndarray = field(repr=False)
    grid: "RadialGrid | None" = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return orbital_label(self.n, self.l)


@dataclass
class Atom:
    """Self-consistent LDA atom.

    Attributes
    ----------
    Z, symbol, configuration : nuclear charge, symbol, NIST configuration
    grid : :class:`RadialGrid` (``r`` and ``weights`` exposed as properties)
    V : dict with the potentials on ``r``: ``"lda"`` and ``"lda-latter"``
    V_H, V_xc : Hartree and xc parts of the LDA potential
    rho : electron density (per bohr^3)
    orbitals : occupied :class:`Orbital` list
    total_energy : Hartree
    components : dict ``Ekin, Ecoul, Eenuc, Exc, Etot`` (NIST naming)
    r_latter : Latter radius r0
    iterations, converged, timing : SCF diagnostics
    """

    Z: int
    symbol: str
    configuration: str
    grid: RadialGrid = field(repr=False)
    V: dict = field(repr=False)
    V_H: np.ndarray = field(repr=False)
    V_xc: np.ndarray = field(repr=False)
    rho: np.ndarray = field(repr=False)
    orbitals: list
    total_energy: float
    components: dict
    r_latter: float
    iterations: int
    converged: bool
    timing: float
    n_electrons: float
    history: list = field(default_factory=list, repr=False)
    _splines: dict = field(default_factory=dict, repr=False)

    @property
    def r(self):
        return self.grid.r

    @property
    def weights(self):
        return self.grid.w

    def rms_momentum(self, n: int, l: int) -> float:
        """<p^2>^(1/2) of the occupied orbital n l, atomic units: 2 (eps - <V>) in the self-consistent potential
        (the orbital's own Schroedinger equation, no derivative of P taken)."""
        o = self.orbital(n, l)
        return float(np.sqrt(2 * (o.energy - np.sum(self.weights * self.V["lda"] * o.P**2))))

    def orbital(self, n: int, l: int) -> Orbital:
        for o in self.orbitals:
            if o.n == n and o.l == l:
                return o
        raise KeyError(orbital_label(n, l))

    @property
    def ion_charge(self) -> float:
        """Z - N (0 for a neutral atom)."""
        return self.Z - self.n_electrons

    def asymptotic_charge(self, potential: str) -> float:
        """Z_ion of the asymptotic -Z_ion/r tail of the named potential."""
        check_potential(potential)
        return self.ion_charge + (1.0 if potential == "lda-latter" else 0.0)

    def potential_on(self, grid: RadialGrid, potential: str = "lda-latter") -> np.ndarray:
        """The named potential evaluated on another grid.

        Identical grid: the stored array.  Otherwise r*V_lda is interpolated
        with a cubic spline in ln r inside the SCF grid; beyond the SCF grid
        the LDA potential is continued as -(Z-N)/r + v_xc(rho_tail) with an
        exponential density tail fitted to the outer 10% of the SCF grid.
        The Latter potential is then rebuilt from this with the *same* r0.
        """
        check_potential(potential)
        if grid.same_as(self.grid):
            return self.V[potential].copy()
        if "lda" not in self._splines:
            self._splines["lda"] = CubicSpline(np.log(self.grid.r), self.grid.r * self.V["lda"])
            rr = self.grid.r
            sel = (rr > 0.9 * rr[-1]) & (self.rho > 0)
            if np.count_nonzero(sel) >= 3:
                slope, icpt = np.polyfit(rr[sel], np.log(self.rho[sel]), 1)
            else:
                slope, icpt = -1.0, -300.0
            self._splines["tail"] = (min(slope, -1e-3), icpt)
        r = grid.r
        rV = np.empty_like(r)
        inside = r <= self.grid.r[-1]
        rV[inside] = self._splines["lda"](np.log(r[inside]))
        out = ~inside
        if np.any(out):
            slope, icpt = self._splines["tail"]
            rho_t = np.exp(np.clip(icpt + slope * r[out], -700, 700))
            rV[out] = -self.ion_charge + r[out] * lda_xc(rho_t)[1]
        V = rV / r
        if potential == "lda":
            return V
        if potential == "lda-latter":
            zi = self.asymptotic_charge("lda-latter")
            return np.where(r < self.r_latter, V, -zi / r)
        raise ValueError(f"unknown potential {potential!r}")


def _latter(V, r, z_tail):
    """Latter radius and potential.

    r0 is the first radius (scanning outward) where r V(r) = -z_tail, located
    between grid points by a cubic-spline root of r V in ln r, so that the
    Latter potential is continuous (only its slope jumps at r0) and r0 does
    not depend on the grid alignment.
    """
    rV = r * V
    above = np.nonzero(rV >= -z_tail)[0]
    if above.size == 0:
        return V.copy(), float(r[-1])
    i = int(above[0])
    if i == 0:
        r0 = float(r[0])
    else:
        lo, hi = max(i - 3, 0), min(i + 3, r.size)
        sp = CubicSpline(np.log(r[lo:hi]), rV[lo:hi] + z_tail)
        roots = [t for t in sp.roots(extrapolate=False)
                 if np.log(r[i - 1]) - 1e-12 <= t <= np.log(r[i]) + 1e-12]
        r0 = float(np.exp(roots[0])) if roots else float(r[i])
    return np.where(r < r0, V, -z_tail / r), r0


def ground_state(symbol_or_Z, grid: RadialGrid | None = None, tol: float = 1e-9,
                 configuration: str | None = None, mixing: float = 0.5,
                 history: int = 8, maxiter: int = 200, correlation=VWN5,
                 verbose: bool = False) -> Atom:
    """Self-consistent nonrelativistic LDA ground state.

    Parameters
    ----------
    symbol_or_Z : element symbol or atomic number (1..92)
    grid : radial grid (default :func:`default_grid`)
    tol : total-energy convergence (Hartree); also required: relative
        eigenvalue change < 1e-10 and max|r (V_out - V_in)| < 1e-9
    configuration : override, e.g. ``"[Ar] 3d10 4s2 4p2"`` (default NIST)
    mixing : Pulay mixing parameter for r*V
    correlation : VWN parameter dict (``VWN5`` default, ``None`` = x-only)
    """
    t0 = time.perf_counter()
    Z = atomic_number(symbol_or_Z)
    for name, value in (("tol", tol), ("mixing", mixing)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise ValueError(f"{name}={value!r}: a positive finite number")
    conf_str = configuration if configuration is not None else configurations.configuration_text(Z)
    conf = parse_configuration(conf_str)
    if grid is None:
        grid = default_grid(Z)
    r = grid.r
    Ne = sum(f for _, _, f in conf)
    # Thomas-Fermi start with a -1/r tail so that all occupied states are bound
    V_in = np.minimum(thomas_fermi_potential(Z, r), -(Z - Ne + 1.0) / r)
    energies = {}
    hist_x, hist_R = [], []
    E_old = None
    eig_old = None
    converged = False
    log = []
    for it in range(1, maxiter + 1):
        orbs = []
        n4 = np.zeros_like(r)
        fallback = False
        for (n, l, f) in conf:
            try:
                res = solve_bound(grid, V_in, n, l, Z, E_guess=energies.get((n, l)))
            except ValueError:
                # state unbound in an intermediate potential: solve this
                # iteration in the Latter-corrected potential (never accepted
                # as converged, see below)
                fallback = True
                res = solve_bound(grid, np.minimum(V_in, -(Z - Ne + 1.0) / r), n, l, Z,
                                  E_guess=energies.get((n, l)))
            energies[(n, l)] = res.E
            orbs.append(Orbital(n, l, f, float(res.E), res.P))
            n4 += f * res.P * res.P
        rho = n4 / (FOUR_PI * r * r)
        V_H, Q = hartree_potential(grid, n4)
        eps_xc, v_xc = lda_xc(rho, correlation)
        V_out = -Z / r + V_H + v_xc
        # energies (Hartree)
        eig_sum = sum(o.occupancy * o.energy for o in orbs)
        Ekin = eig_sum - grid.integrate(n4 * V_in)
        Eenuc = -Z * grid.integrate(n4 / r)
        Ecoul = 0.5 * grid.integrate(n4 * V_H)
        Exc = grid.integrate(n4 * eps_xc)
        Etot = Ekin + Eenuc + Ecoul + Exc
        R = r * (V_out - V_in)
        res_max = float(np.max(np.abs(R)))
        eig = np.array([o.energy for o in orbs])
        dE = abs(Etot - E_old) if E_old is not None else np.inf
        deig = (float(np.max(np.abs(eig - eig_old) / np.maximum(1.0, np.abs(eig))))
                if eig_old is not None else np.inf)
        log.append((it, Etot, dE, deig, res_max))
        if verbose:
            print(f"it {it:3d} E={Etot:.10f} dE={dE:.2e} deig={deig:.2e} res={res_max:.2e}")
        if dE < tol and deig < 1e-10 and res_max < 1e-9 and not fallback:
            converged = True
            break
        E_old, eig_old = Etot, eig
        # Pulay / DIIS mixing on x = r V
        hist_x.append(r * V_in)
        hist_R.append(R)
        if len(hist_x) > history:
            hist_x.pop(0)
            hist_R.pop(0)
        k = len(hist_R)
        if k == 1:
            x_new = hist_x[0] + mixing * hist_R[0]
        else:
            Rm = np.array(hist_R)
            B = Rm @ Rm.T
            M = np.zeros((k + 1, k + 1))
            M[:k, :k] = B
            M[k, :k] = M[:k, k] = 1.0
            rhs = np.zeros(k + 1)
            rhs[k] = 1.0
            try:
                c = np.linalg.solve(M, rhs)[:k]
            except np.linalg.LinAlgError:
                c = np.zeros(k)
                c[-1] = 1.0
            x_new = c @ (np.array(hist_x) + mixing * Rm)
        V_in = x_new / r
    # final state: use the last V_in (orbitals and energies consistent with it)
    V_lda = V_out
    zt = Z - Ne + 1.0
    V_lat, r0 = _latter(V_lda, r, zt)
    comps = {k: float(v) for k, v in dict(Etot=Etot, Ekin=Ekin, Ecoul=Ecoul, Eenuc=Eenuc, Exc=Exc).items()}
    return Atom(Z=Z, symbol=configurations.SYMBOLS[Z - 1], configuration=conf_str, grid=grid,
                V={"lda": V_lda, "lda-latter": V_lat}, V_H=V_H, V_xc=v_xc, rho=rho,
                orbitals=orbs, total_energy=float(Etot), components=comps, r_latter=r0,
                iterations=it, converged=converged, timing=time.perf_counter() - t0,
                n_electrons=Ne, history=log)


# --------------------------------------------------------------------------
# Bound excited states
# --------------------------------------------------------------------------


def grid_for_rydberg(atom: Atom, n: int) -> RadialGrid:
    """Grid large enough for a hydrogen-like state of principal number n."""
    r_need = 2.0 * n * n + 30.0 * n + 20.0
    if r_need <= atom.grid.r[-1]:
        return atom.grid
    return extended_grid(atom.Z, r_need, h=atom.grid.h, dr_max=0.1,
                         r_min_factor=atom.grid.r[0] * atom.Z)


def bound_state(atom: Atom, n: int, l: int, potential: str = "lda-latter",
                grid: RadialGrid | None = None, occupancy: float = 0.0) -> Orbital:
    """Bound state (n, l) of the atom's self-consistent potential.

    ``potential`` is ``"lda"`` or ``"lda-latter"``.  The default grid is the
    SCF grid if it is large enough (r_max >= 2n^2+30n+20), otherwise a
    log-linear extension with the same r_min and step (spacing <= 0.1 bohr).
    The returned ``Orbital.P`` lives on ``Orbital.grid`` (pass the same
    ``grid`` explicitly to compare states with each other or with continuum
    states).  The eigenvalue is the discrete Numerov one (relative accuracy
    ~1e-11 for Coulomb test cases, see validate.py).  Raises
    ``ValueError`` if the potential has no such bound state (pure LDA binds
    only finitely many states).
    """
    check_potential(potential)
    if not (isinstance(n, (int, np.integer)) and isinstance(l, (int, np.integer)) and 0 <= l < n):
        raise ValueError(f"n={n!r}, l={l!r}: integers with 0 <= l < n")
    if grid is None:
        grid = grid_for_rydberg(atom, n)
    V = atom.potential_on(grid, potential)
    zi = atom.asymptotic_charge(potential)
    guess = None
    if (n, l) in [(o.n, o.l) for o in atom.orbitals]:
        guess = atom.orbital(n, l).energy
    elif zi > 0:
        guess = -0.5 * zi * zi / (n - 0.5) ** 2
    res = solve_bound(grid, V, n, l, atom.Z, E_guess=guess)
    return Orbital(n, l, occupancy, float(res.E), res.P, grid=grid)


# --------------------------------------------------------------------------
# Coulomb functions (vectorized Steed / Barnett algorithm)
