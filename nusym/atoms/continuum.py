"""Continuum states of the central-field atom, normalized per Hartree, with their phase shifts.

Outward Numerov for many energies at once (the loop runs over grid points, each step a numpy operation over all
energies), matched at two radii r1 >= r_match and r2 = r1 + a quarter local wavelength, beyond which the potential is
exactly -Z_ion/r, to sqrt(2/(pi k)) [cos delta F_l(eta, kr) + sin delta G_l(eta, kr)] (k = sqrt(2 eps),
eta = -Z_ion/k; :mod:`nusym.atoms.coulomb_functions`).  Latter potential: r_match = r0 + 1 bohr; pure LDA: V is set
to exactly -(Z - N)/r beyond the last radius where |V + (Z - N)/r| >= 1e-12 (Ge: 70.5 bohr) and matched to
Riccati-Bessel functions for a neutral atom.  delta is returned modulo pi in (-pi/2, pi/2].  Checked (validate):
against sqrt(2/(pi k)) F_l of mpmath in a bare Coulomb potential to 8.3-10.8 digits; orthogonal to the bound states of
the same potential to 8e-11; completeness of a localized test function to 2e-10 (LDA).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nusym.atoms.central_field import Atom, check_potential
from nusym.atoms.coulomb_functions import coulomb_fg
from nusym.atoms.radial import RadialGrid, extended_grid, initial_values, start_index

__all__ = ["Continuum", "numerov_outward_batch", "continuum_in_potential", "continuum"]


@dataclass
class Continuum:
    """Energy-normalized continuum states of one l on ``grid``.

    ``P[i]`` is :math:`P_{\\epsilon_i l}(r)` (per Hartree normalization),
    ``delta[i]`` the phase shift (mod pi, in (-pi/2, pi/2]) relative to the
    Coulomb functions of charge ``Z_ion``.
    """

    l: int
    energies: np.ndarray
    k: np.ndarray
    eta: np.ndarray
    delta: np.ndarray
    P: np.ndarray = field(repr=False)
    grid: RadialGrid = field(repr=False)
    Z_ion: float = 1.0
    r_match: float = 0.0
    potential: str = "lda-latter"

    def __iter__(self):  # allows ``P, delta = continuum(...)``
        yield self.P
        yield self.delta

    def unwrapped_delta(self) -> np.ndarray:
        """delta made continuous in energy (unwrap with period pi, energies
        taken in ascending order).  Only meaningful if the energy mesh resolves
        the variation of delta; the overall multiple of pi (Levinson's theorem)
        is not determined by the matching and is left as is."""
        order = np.argsort(self.energies)
        d = np.empty_like(self.delta)
        d[order] = 0.5 * np.unwrap(2.0 * self.delta[order])
        return d


# --------------------------------------------------------------------------
# SCF
# --------------------------------------------------------------------------


def numerov_outward_batch(grid, V, l, E, Z):
    """Outward Numerov for many energies at once: returns y of shape (nE, N).

    The loop runs over grid points; each step is a vector operation over the
    energies.  Values before the start index (see :func:`start_index`) are 0.
    """
    E = np.asarray(E, float)
    N = grid.n
    h2 = grid.h ** 2
    wE = 2.0 * grid.rp ** 2
    base = grid.rp ** 2 * (2.0 * V + l * (l + 1) / grid.r ** 2) + grid.geom
    # a_i(E) = 1 - h^2/12 (base_i - E wE_i) = A_i + E B_i
    A = 1.0 - h2 / 12.0 * base
    B = h2 / 12.0 * wE
    i_s = start_index(grid, l, Z, float(np.max(E)))
    y = np.zeros((N, E.size))
    y0, y1 = initial_values(grid, i_s, l, Z)
    y[i_s] = y0
    y[i_s + 1] = y1
    a_prev = A[i_s] + E * B[i_s]
    a_cur = A[i_s + 1] + E * B[i_s + 1]
    yp, yc = y[i_s].copy(), y[i_s + 1].copy()
    for i in range(i_s + 1, N - 1):
        a_next = A[i + 1] + E * B[i + 1]
        yn = ((12.0 - 10.0 * a_cur) * yc - a_prev * yp) / a_next
        y[i + 1] = yn
        # keep the magnitude bounded (the normalization is fixed later)
        yp, yc = yc, yn
        a_prev, a_cur = a_cur, a_next
        if i % 256 == 0:
            mx = np.max(np.abs(y[i + 1]))
            if mx > 1e200:
                s = np.where(np.abs(yc) > 1e200, 1e-200, 1.0)
                y[:i + 2] *= s
                yp, yc = yp * s, yc * s
    return y.T


def continuum_in_potential(grid: RadialGrid, V, l: int, energies, Z: float, Z_ion: float,
                           r_match: float) -> Continuum:
    """Energy-normalized continuum states in an arbitrary potential ``V``.

    ``V`` must equal exactly ``-Z_ion/r`` for r >= ``r_match``.  Matching at
    two radii r1 >= r_match and r2 = r1 + (pi/2)/k_loc (k_loc the local wave
    number at r1, limited to the grid) to
    sqrt(2/(pi k)) [cos(delta) F_l + sin(delta) G_l].
    """
    E = np.atleast_1d(np.asarray(energies, float))
    if not np.all(np.isfinite(E) & (E > 0)):
        raise ValueError(f"energies={energies!r}: finite continuum energies > 0 (Hartree)")
    k = np.sqrt(2.0 * E)
    eta = -Z_ion / k
    y = numerov_outward_batch(grid, V, l, E, Z)
    P = y * np.sqrt(grid.rp)[None, :]
    r = grid.r
    i1 = int(np.searchsorted(r, r_match))
    if i1 >= grid.n - 2:
        raise ValueError("r_match beyond the grid")
    r1 = r[i1]
    kloc2 = 2.0 * E + 2.0 * Z_ion / r1 - l * (l + 1) / r1 ** 2
    kloc = np.sqrt(np.maximum(kloc2, 0.0) + (0.5 / r1) ** 2)
    r2_target = np.minimum(r1 + 0.5 * np.pi / kloc, r[-1])
    i2 = np.clip(np.searchsorted(r, r2_target), i1 + 1, grid.n - 1)
    r2 = r[i2]
    F1, _, G1, _ = coulomb_fg(l, eta, k * r1)
    F2, _, G2, _ = coulomb_fg(l, eta, k * r2)
    F1, G1, F2, G2 = F1[l], G1[l], F2[l], G2[l]
    idx = np.arange(E.size)
    P1 = P[idx, i1]
    P2 = P[idx, i2]
    num = P1 * F2 - P2 * F1
    den = P2 * G1 - P1 * G2
    delta = np.arctan2(num, den)
    # map to (-pi/2, pi/2]
    delta = np.where(delta > 0.5 * np.pi, delta - np.pi, delta)
    delta = np.where(delta <= -0.5 * np.pi, delta + np.pi, delta)
    cd, sd = np.cos(delta), np.sin(delta)
    u1 = cd * F1 + sd * G1
    u2 = cd * F2 + sd * G2
    A = (P1 * u1 + P2 * u2) / (u1 * u1 + u2 * u2)
    P *= (np.sqrt(2.0 / (np.pi * k)) / A)[:, None]
    return Continuum(l=l, energies=E, k=k, eta=eta, delta=delta, P=P, grid=grid,
                     Z_ion=Z_ion, r_match=float(r1))


def continuum(atom: Atom, l: int, energies, potential: str = "lda-latter",
              grid: RadialGrid | None = None, r_max: float | None = None,
              vcut: float = 1e-12) -> Continuum:
    """Energy-normalized continuum states of the atom's potential.

    Parameters
    ----------
    atom : result of :func:`ground_state`
    l : angular momentum
    energies : array of energies > 0 (Hartree); vectorized
    potential : ``"lda-latter"`` (tail -1/r beyond the Latter radius r0,
        match to Coulomb functions with Z_ion=1) or ``"lda"`` (tail truncated
        to exactly -(Z-N)/r where |V+(Z-N)/r| < vcut; Riccati-Bessel matching
        for a neutral atom)
    grid : radial grid; default log-linear with spacing <= 0.02/k_max bohr
        (see :func:`extended_grid`), r_max = max(60, r_match + 20)

    Returns
    -------
    :class:`Continuum` (``P, delta = continuum(...)`` also works); ``P`` has
    shape (n_energies, n_grid), :math:`\\int P_E P_{E'}dr=\\delta(E-E')`.
    """
    check_potential(potential)
    E = np.atleast_1d(np.asarray(energies, float))
    if not (E.size and np.all(np.isfinite(E) & (E > 0))):
        raise ValueError(f"energies={energies!r}: finite continuum energies > 0 (Hartree)")
    k_max = float(np.sqrt(2.0 * E.max()))
    zi = atom.asymptotic_charge(potential)
    if potential == "lda-latter":
        r_m = atom.r_latter + 1.0
    elif potential == "lda":
        Vs = atom.V["lda"] + atom.ion_charge / atom.r
        bad = np.nonzero(np.abs(Vs) >= vcut)[0]
        r_m = atom.r[bad[-1] + 1] if bad.size and bad[-1] + 1 < atom.grid.n else None
        if r_m is None:
            # the SCF grid does not reach |V| < vcut: use the continued tail
            test = extended_grid(atom.Z, 400.0, h=atom.grid.h)
            Vt = atom.potential_on(test, "lda") + atom.ion_charge / test.r
            badt = np.nonzero(np.abs(Vt) >= vcut)[0]
            r_m = test.r[min(badt[-1] + 1, test.n - 1)] if badt.size else test.r[0]
    else:
        raise ValueError(f"unknown potential {potential!r}")
    if grid is None:
        rm = max(60.0, r_m + 20.0) if r_max is None else r_max
        grid = extended_grid(atom.Z, rm, k_max=k_max, h=atom.grid.h,
                             r_min_factor=atom.grid.r[0] * atom.Z)
    V = atom.potential_on(grid, potential)
    if potential == "lda":
        V = np.where(grid.r >= r_m, -atom.ion_charge / grid.r, V)
    c = continuum_in_potential(grid, V, l, E, atom.Z, zi, r_m)
    c.potential = potential
    return c
