r"""The dynamical structure factor S(omega, q) of a central-field atom, per subshell, and its public form in eV.

Model: every state (occupied orbitals, unoccupied bound states, the continuum) is an eigenstate of ONE local
potential (:mod:`nusym.atoms.central_field`: ``"lda"`` or ``"lda-latter"``; or a bare Coulomb potential,
:meth:`~nusym.atoms.structure_model.Model.coulomb`, the exact test), so bound and continuum states are orthogonal
and the sum rules hold within the model.

Angular factor.  For a subshell nl holding N electrons spread evenly over its 2(2l+1) spin orbitals, with q along z,
e^{iq.r} = sum_L i^L sqrt(4 pi (2L+1)) j_L(qr) Y_L0; the Gaunt coefficients and
sum_{m,m'} (l' l L; m' m 0)(l' l L'; m' m 0) = delta_LL'/(2L+1) remove every L != L' interference, so

    S_nl(omega, q) = N sum_l' sum_L (2l'+1)(2L+1) (l L l'; 0 0 0)^2 |int P_nl j_L(qr) P_{eps l'} dr|^2,

eps = omega - I, P_{eps l'} normalized per Hartree (for l' = l, L = 0 the operator j_0 - 1 is used: identical within
the model, and free of the orthogonality's round-off at small q).  Below threshold the line-averaged discrete
density joins the continuum (:mod:`nusym.atoms.structure_lines`); transitions into occupied states are weighted by
the vacant fraction 1 - N_n'l'/(2(2l'+1)) (zero into full subshells).  Dipole limit:
sigma_gamma = 4 pi^2 alpha omega lim_{q->0} S/q^2.

Thresholds.  ``edges={(n, l): I}`` or ``{(n, l): [(weight, I_j), ...]}`` puts the continuum threshold at the
measured edge (eps = omega - I_j, lines shifted by I_j - I_model); :func:`elam_edges` gives Elam's edges
(:mod:`nusym.atoms.shells`) split by (2j+1)/(2(2l+1)) (2p: L2 1/3, L3 2/3), which puts both measured steps where
they are.  LDA's own energies differ (Ge 1s 10.78 keV against 11.10 keV; 4p 4.1 eV against Elam's 3.0 eV, which is a
solid's Fermi-level value).

Public boundary (eV, nusym's units): :func:`structure_factor` (S in 1/eV per atom, numpy broadcasting),
:func:`photoabsorption` (cm^2 per atom); :func:`nusym.atoms.structure_tables.rate_integrals` gives int S dq^2 and
int S dq^2/q^2, cached on disk by :mod:`nusym.cache`, keyed by element, settings and nusym's version.  Inside:
atomic units (omega in Hartree, q in 1/bohr, S per Hartree).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import mpmath
import numpy as np

from nusym import constants as K
from nusym.atoms import central_field
from nusym.atoms.configurations import orbital_label
from nusym.atoms.structure_continuum import ContinuumPart
from nusym.atoms.structure_integrals import IntegralsPart
from nusym.atoms.structure_lines import DiscretePart
from nusym.atoms.structure_model import Model

__all__ = ["ALPHA", "HARTREE_EV", "Q_AU_EV", "BOHR_CM", "Subshell", "StructureFactor", "elam_edges",
           "THRESHOLDS", "check_energies", "check_options", "model", "subshell_key", "structure_factor", "photoabsorption"]

ALPHA = float(K.ALPHA)
HARTREE_EV = float(K.hartree_energy(mpmath))                 # E_h = alpha^2 m_e
Q_AU_EV = float(K.ALPHA.mpf() * K.M_E.mpf())                 # one atomic unit of momentum, alpha m_e c, in eV
BOHR_CM = float(K.hbar_c(mpmath) / (K.ALPHA.mpf() * K.M_E.mpf()))   # a_0 = hbar c/(alpha m_e c^2), cm
THRESHOLDS = ("elam", "model")


@dataclass
class Subshell:
    n: int
    l: int
    N: float
    I_model: float                  # -eps_nl (Hartree)
    parts: list                     # [(weight, I_edge)]
    r_int: float
    r_peak: float

    @property
    def label(self):
        return orbital_label(self.n, self.l)


class StructureFactor(ContinuumPart, DiscretePart, IntegralsPart):
    """S(omega, q) of one model atom, per subshell.

    Parameters
    ----------
    atom_or_model : central_field.Atom or :class:`Model`
    potential : "lda" or "lda-latter" (ignored for a Model)
    edges : None (model thresholds) or {(n,l): I_Hartree or [(w, I_j), ...]}
    n_max : highest principal quantum number of the explicit Rydberg lines
    tol : partial-wave relative tolerance (see module doc)
    l_cap : maximum l' of the partial-wave sum
    acc : Numerov k*dr for the continuum grids
    h : x-step of the continuum grids
    eps_P : r_int is where |P_nl| < eps_P * max|P_nl|
    """

    def __init__(self, atom_or_model, potential="lda-latter", edges=None, n_max=20,
                 tol=1e-7, l_cap=150, acc=0.04, h=0.004, eps_P=1e-9, floor=1e-3,
                 theta=1.0, verbose=False):
        if isinstance(atom_or_model, Model):
            self.model = atom_or_model
        else:
            central_field.check_potential(potential)
            self.model = Model.from_atom(atom_or_model, potential)
        self.potential = self.model.name
        self.n_max = n_max
        self.tol = tol
        self.l_cap = l_cap
        self.acc = acc
        self.h = h
        self.eps_P = eps_P
        self.floor = floor
        self.theta = theta
        self.verbose = verbose
        self.stats = []               # diagnostics of kernel calls
        m = self.model
        self.subshells = {}
        for (n, l, N) in m.occupied:
            P = m.ref_P[(n, l)]
            r = m.ref_grid.r
            a = np.abs(P)
            big = np.nonzero(a > eps_P * a.max())[0]
            r_int = float(r[min(big[-1] + 1, r.size - 1)])
            # outermost maximum of |P|
            d = np.diff(a)
            maxima = np.nonzero((d[:-1] > 0) & (d[1:] <= 0))[0] + 1
            r_peak = float(r[maxima[-1]]) if maxima.size else float(r[np.argmax(a)])
            I = -m.levels[(n, l)]
            parts = [(1.0, I)]
            if edges is not None and (n, l) in edges:
                e = edges[(n, l)]
                parts = [(float(w), float(Ij)) for (w, Ij) in e] if np.ndim(e) else [(1.0, float(e))]
            self.subshells[(n, l)] = Subshell(n, l, N, I, parts, r_int, r_peak)
        self._lines_cache = {}
        self._bound_cache = None
        self._ia_cache = {}

    # ------------------------------------------------------------------
    # public S(omega, q)
    # ------------------------------------------------------------------
    def subshell(self, n, l, omega, q, method="auto", return_info=False):
        """S_nl(omega, q) per Hartree: continuum + line-averaged discrete density, broadcast
        over omega and q (computed on the tensor of their unique values).

        method: 'pw' partial waves only (flagged where not converged within l_cap), 'ia'
        impulse approximation, 'auto' partial waves for q <= pw_qmax(n,l) and where
        converged, impulse approximation elsewhere."""
        sub = self.subshells[(n, l)]
        om_b, q_b = np.broadcast_arrays(np.asarray(omega, float), np.asarray(q, float))
        uo, io = np.unique(om_b.ravel(), return_inverse=True)
        uq, iq = np.unique(q_b.ravel(), return_inverse=True)
        T = np.zeros((uo.size, uq.size))
        conv = np.ones((uo.size, uq.size), dtype=bool)
        used_ia = np.zeros((uo.size, uq.size), dtype=bool)
        info = {}
        if method == "ia":
            T = self.impulse(n, l, uo[:, None], uq[None, :])
            used_ia[:] = True
        else:
            qpw = uq if method == "pw" else uq[uq <= self.pw_qmax(n, l)]
            jq = np.searchsorted(uq, qpw)
            # one continuum call for the energies of every j part (they share bands and Bessel tables)
            all_eps = np.unique(np.concatenate([uo - Ip for (_, Ip) in sub.parts]))
            all_eps = all_eps[all_eps > 0]
            if all_eps.size and qpw.size:
                Sall, inf = self.continuum_tensor(n, l, all_eps, qpw)
                info.setdefault("lneeded", []).append((all_eps, qpw, inf["lneeded"]))
            for (w, Ip) in sub.parts:
                eps = uo - Ip
                ce = eps > 0
                if np.any(ce) and qpw.size:
                    k = np.searchsorted(all_eps, eps[ce])
                    T[np.ix_(np.nonzero(ce)[0], jq)] += w * Sall[:, k].T
                    conv[np.ix_(np.nonzero(ce)[0], jq)] &= inf["converged"][:, k].T
                de = ~ce
                if np.any(de) and qpw.size and self.model.Z_ion > 0:
                    # only omegas inside the Rydberg window [first line, threshold) need the density
                    first = self._first_line(n, l)
                    de = de & (uo - (Ip - sub.I_model) >= first)
                if np.any(de) and qpw.size and self.model.Z_ion > 0:
                    om_model = uo[de] - (Ip - sub.I_model)
                    T[np.ix_(np.nonzero(de)[0], jq)] += w * self.discrete_density(n, l, om_model, qpw)
            if method == "auto":
                ia_mask = np.ones((uo.size, uq.size), dtype=bool)
                ia_mask[:, jq] = ~conv[:, jq]
                if np.any(ia_mask):
                    oo, qq = np.nonzero(ia_mask)
                    T[oo, qq] = self.impulse(n, l, uo[oo], uq[qq])
                    used_ia[oo, qq] = True
        S = T[io, iq].reshape(om_b.shape)
        if return_info:
            info.update(converged=conv[io, iq].reshape(om_b.shape), used_ia=used_ia[io, iq].reshape(om_b.shape))
            return S, info
        return S

    def total(self, omega, q, method="auto"):
        """Sum of subshell() over all occupied subshells."""
        return sum(self.subshell(n, l, omega, q, method=method) for (n, l) in self.subshells)

    def photoabsorption(self, n, l, omega):
        """Photoionization cross section of subshell nl from the dipole limit
        sigma = 4 pi^2 alpha omega lim S/q^2 (continuum only; zero below the edge).
        Returns sigma in bohr^2 (atomic units) per atom."""
        sub = self.subshells[(n, l)]
        om = np.atleast_1d(np.asarray(omega, float))
        sig = np.zeros(om.size)
        for (w, Ip) in sub.parts:
            eps = om - Ip
            ce = eps > 0
            if np.any(ce):
                D, _ = self.continuum_tensor(n, l, eps[ce], None, operator="dipole")
                sig[ce] += w * 4.0 * np.pi ** 2 * ALPHA * om[ce] * D
        return sig


# ----------------------------------------------------------------------------------------------- public boundary (eV)
def elam_edges(element, split_j: bool = True) -> dict:
    """Elam's edges (:func:`nusym.atoms.shells.atom`) mapped to the model's n l subshells, in Hartree.

    ``split_j=True``: {(n, l): [((2j+1)/(2(2l+1)), I_j), ...]} (2p: L2 1/3, L3 2/3); ``False``: the
    occupancy-weighted mean edge {(n, l): I}.  Subshells without an Elam edge (Na 3s, Cs 6s) are left out: they keep
    the model's threshold."""
    from nusym.atoms import shells
    out: dict = {}
    totals: dict = {}
    for s in shells.atom(element).shells:
        totals[(s.n, s.l)] = totals.get((s.n, s.l), 0) + s.electrons
    for s in shells.atom(element).shells:
        if s.binding is None:
            continue
        weight = float(s.j * 2 + 1) / (2.0 * (2 * s.l + 1))
        out.setdefault((s.n, s.l), []).append((weight, s.binding / HARTREE_EV))
    out = {k: v for k, v in out.items() if abs(sum(w for w, _ in v) - 1.0) < 1e-12}   # every j part has an edge
    if not split_j:
        return {k: sum(w * i for w, i in v) for k, v in out.items()}
    return out


def check_energies(name: str, values, low: float = 0.0, inclusive: bool = True) -> np.ndarray:
    """``values`` as a float array, or ValueError naming ``name``, the offending value and the allowed range
    (finite, >= low, or > low)."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={values!r}: a number or an array of numbers (eV)") from None
    ok = np.isfinite(arr) & ((arr >= low) if inclusive else (arr > low))
    if not np.all(ok):
        bad = arr[~ok].ravel()[0] if arr.ndim else arr
        rng = f"{'[' if inclusive else '('}{low:g} eV, inf)"
        raise ValueError(f"{name}={float(bad)!r}: outside the allowed range {rng} (finite numbers in eV)")
    return arr


def check_options(potential: str, thresholds: str) -> None:
    """ValueError naming ``potential`` or ``thresholds`` and the allowed values where one is not known."""
    central_field.check_potential(potential)
    if thresholds not in THRESHOLDS:
        raise ValueError(f"thresholds={thresholds!r}: one of {', '.join(map(repr, THRESHOLDS))}")


@functools.lru_cache(maxsize=16)
def model(element, potential: str = "lda-latter", thresholds: str = "elam", **settings) -> StructureFactor:
    """The :class:`StructureFactor` of an element's ground-state atom (cached in memory): ``thresholds="elam"``
    puts every subshell's threshold at Elam's edges, ``"model"`` at the LDA orbital energies; ``settings`` go to
    StructureFactor (n_max, tol, l_cap, acc, h, ...)."""
    check_options(potential, thresholds)
    atom = central_field.ground_state(element)
    edges = elam_edges(atom.symbol) if thresholds == "elam" else None
    return StructureFactor(atom, potential=potential, edges=edges, **settings)


def subshell_key(sf: StructureFactor, subshell) -> tuple:
    """(n, l) of ``subshell`` given as (n, l) or a label such as '4p'; ValueError naming the allowed ones."""
    if isinstance(subshell, str) and len(subshell) == 2 and subshell[0].isdigit() and subshell[1] in "spdfg":
        key = (int(subshell[0]), "spdfg".index(subshell[1]))
    elif isinstance(subshell, tuple):
        key = subshell
    else:
        key = None
    if key not in sf.subshells:
        allowed = ", ".join(orbital_label(*k) for k in sf.subshells)
        raise ValueError(f"subshell={subshell!r}: one of the occupied subshells {allowed}")
    return key


def structure_factor(element, T_eV, q_eV, subshell=None, *, potential: str = "lda-latter",
                     thresholds: str = "elam", method: str = "auto", **settings):
    """S(T, q) of one atom of ``element`` in 1/eV (summed over subshells, or one ``subshell`` such as '4p'), at
    energy transfer T_eV >= 0 and momentum transfer q_eV > 0 (eV, numpy broadcasting).  Below a subshell's threshold
    (Elam's edge, or the model's orbital energy with thresholds="model") it contributes its line-averaged discrete
    part, and 0 below its first line.  method: "auto" (partial waves, the impulse approximation beyond the
    partial-wave range), "pw" or "ia"."""
    T = check_energies("T_eV", T_eV)
    q = check_energies("q_eV", q_eV, inclusive=False)
    if method not in ("auto", "pw", "ia"):
        raise ValueError(f"method={method!r}: one of 'auto', 'pw', 'ia'")
    sf = model(element, potential, thresholds, **settings)
    om, qa = np.broadcast_arrays(T / HARTREE_EV, q / Q_AU_EV)
    keys = list(sf.subshells) if subshell is None else [subshell_key(sf, subshell)]
    S = np.zeros(om.shape)
    pos = om > 0
    if np.any(pos):
        S[pos] = sum(sf.subshell(n, l, om[pos], qa[pos], method=method) for (n, l) in keys)
    return S / HARTREE_EV if S.ndim else float(S) / HARTREE_EV


def photoabsorption(element, T_eV, subshell=None, *, potential: str = "lda-latter", thresholds: str = "elam",
                    **settings):
    """The model's photoabsorption cross section per atom (cm^2) at photon energies T_eV (> 0), from the dipole
    limit of S (continuum only: zero below each threshold), summed over subshells or for one ``subshell``."""
    T = check_energies("T_eV", T_eV, inclusive=False)
    sf = model(element, potential, thresholds, **settings)
    keys = list(sf.subshells) if subshell is None else [subshell_key(sf, subshell)]
    flat = np.atleast_1d(T).ravel() / HARTREE_EV
    sig = sum(sf.photoabsorption(n, l, flat) for (n, l) in keys) * BOHR_CM ** 2
    return sig.reshape(T.shape) if T.ndim else float(sig[0])
