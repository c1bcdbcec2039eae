"""A model for the structure factor: one local central potential on any radial grid with its occupied subshells
(:class:`Model`: the LDA or Latter atom, or a bare Coulomb potential as the exact test), and the batched outward
Numerov that integrates many (l', eps) continuum columns at once (:func:`march_columns`).

The batched march uses Numerov in the form z_{i+1} = (12/a_i - 10) z_i - z_{i-1}, z_i = a_i y_i, with the
coefficients of 64 steps for all columns evaluated as outer sums and two vector operations per grid point (5-9 ns
per column-step); columns start at their own index (the regular solution r^(l+1) in ratio form, no overflow for
l' ~ 300).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.interpolate import CubicSpline

from nusym.atoms import radial
from nusym.atoms.radial import RadialGrid, extended_grid, solve_bound

__all__ = ["Model", "march_columns"]


@dataclass
class Model:
    """A local central potential (on any grid) with occupied subshells.

    ``V(grid)`` returns the potential; ``Z`` the nuclear charge (small-r
    behaviour), ``Z_ion`` the charge of the exact -Z_ion/r tail,
    ``r_exact`` the radius beyond which V = -Z_ion/r exactly, ``dv_r`` /
    ``dv_sup`` a profile of sup_{r'>=r} |V + Z_ion/r'| used to choose
    matching radii, ``occupied`` a list of (n, l, N).
    """

    name: str
    Z: float
    Z_ion: float
    Vfun: object = field(repr=False)
    occupied: list = field(default_factory=list)
    r_exact: float = 0.0
    r_min: float = 1e-6
    h_ref: float = 0.0035
    dv_r: np.ndarray = field(default=None, repr=False)
    dv_sup: np.ndarray = field(default=None, repr=False)
    dv_spline: object = field(default=None, repr=False)
    ref_grid: object = field(default=None, repr=False)
    levels: dict = field(default_factory=dict)        # (n,l) -> energy (reference grid)
    ref_P: dict = field(default_factory=dict, repr=False)
    atom: object = field(default=None, repr=False)

    def V(self, grid):
        return self.Vfun(grid)

    def occupancy(self, n, l):
        for (nn, ll, f) in self.occupied:
            if nn == n and ll == l:
                return f
        return 0.0

    def r_match_for(self, tol_abs):
        """Smallest radius beyond which |V + Z_ion/r| <= tol_abs."""
        if self.dv_r is None:
            return self.r_exact
        bad = np.nonzero(self.dv_sup > tol_abs)[0]
        if bad.size == 0:
            return float(self.dv_r[0])
        i = bad[-1] + 1
        return float(self.dv_r[min(i, self.dv_r.size - 1)])

    def dV(self, r):
        """V(r) + Z_ion/r (0 where the tail is exact)."""
        r = np.asarray(r, float)
        if self.dv_spline is None:
            return np.zeros_like(r)
        out = np.where(r >= self.r_exact, 0.0, self.dv_spline(np.log(np.maximum(r, self.dv_r[0]))) / r)
        return out

    def _finish(self):
        """Reference energies and orbitals of the occupied subshells."""
        g = self.ref_grid
        V = self.V(g)
        for (n, l, f) in self.occupied:
            res = solve_bound(g, V, n, l, self.Z, E_guess=self.levels.get((n, l)))
            self.levels[(n, l)] = res.E
            self.ref_P[(n, l)] = res.P
        return self

    # ---- constructors ----
    @classmethod
    def from_atom(cls, atom, potential="lda-latter"):
        zi = atom.asymptotic_charge(potential)
        guess = {(o.n, o.l): o.energy for o in atom.orbitals}
        occ = [(o.n, o.l, o.occupancy) for o in atom.orbitals]
        r_min = float(atom.grid.r[0])
        # radius profile of |V + zi/r| (beyond the SCF grid: continued tail)
        test = extended_grid(atom.Z, 400.0, h=atom.grid.h, dr_max=0.05,
                                r_min_factor=atom.grid.r[0] * atom.Z)
        Vt = atom.potential_on(test, "lda")
        if potential == "lda":
            dv = Vt + zi / test.r
            bad = np.nonzero(np.abs(dv) >= 1e-12)[0]
            r_cut = float(test.r[bad[-1] + 1]) if bad.size else float(test.r[0])

            def Vfun(grid, _a=atom, _rc=r_cut, _zi=zi):
                V = _a.potential_on(grid, "lda")
                return np.where(grid.r >= _rc, -_zi / grid.r, V)
            r_exact = r_cut
            dvt = np.where(test.r >= r_cut, 0.0, dv)
        else:
            r0 = atom.r_latter

            def Vfun(grid, _a=atom):
                return _a.potential_on(grid, "lda-latter")
            r_exact = r0
            Vl = atom.potential_on(test, "lda-latter")
            dvt = Vl + zi / test.r
            dvt = np.where(test.r >= r0, 0.0, dvt)
        sup = np.maximum.accumulate(np.abs(dvt)[::-1])[::-1]
        m = cls(name=potential, Z=atom.Z, Z_ion=zi, Vfun=Vfun, occupied=occ, r_exact=r_exact,
                r_min=r_min, h_ref=atom.grid.h, dv_r=test.r, dv_sup=sup,
                dv_spline=CubicSpline(np.log(test.r), dvt * test.r), ref_grid=atom.grid,
                levels=guess, atom=atom)
        return m._finish()

    @classmethod
    def coulomb(cls, Z, occupied=((1, 0, 1.0),)):
        """Bare -Z/r with the given occupied subshells (default one 1s electron)."""
        Z = float(Z)

        def Vfun(grid, _Z=Z):
            return -_Z / grid.r
        g = RadialGrid.build(1e-6 / Z, 60.0 / Z, 0.0035, None)
        m = cls(name=f"coulomb Z={Z:g}", Z=Z, Z_ion=Z, Vfun=Vfun, occupied=list(occupied),
                r_exact=0.0, r_min=1e-6 / Z, ref_grid=g,
                levels={(n, l): -0.5 * Z * Z / n ** 2 for (n, l, f) in occupied})
        return m._finish()

    # ---- grids ----
    def grid(self, r_end, dr, h):
        c = dr / h
        return RadialGrid.build(self.r_min, r_end, h, c)


# --------------------------------------------------------------------------
# batched outward Numerov over (l', E) columns
# --------------------------------------------------------------------------

_BUF = [np.empty(0)]


def _initial_values(grid, i, l, Z):
    """y at indices i, i+1 from P ~ r^(l+1)(1 - Z r/(l+1)), scaled so that |y_i| = 1
    (ratio form: no overflow/underflow for large l)."""
    r0, r1 = grid.r[i], grid.r[i + 1]
    f0 = 1.0 - Z * r0 / (l + 1)
    f1 = 1.0 - Z * r1 / (l + 1)
    ratio = np.exp((l + 1) * np.log(r1 / r0)) * (f1 / f0) * np.sqrt(grid.rp[i] / grid.rp[i + 1])
    return np.sign(f0) * 1.0, np.sign(f0) * ratio


def march_columns(grid, V, Zn, lcol, Ecol, store_idx, E_start, chunk=64):
    """Outward Numerov for many (l, E) columns at once.

    Numerov in the form z_{i+1} = (12/a_i - 10) z_i - z_{i-1}, z_i = a_i y_i,
    a_i = 1 - h^2 F_i/12 (F of the Liouville-transformed equation).  The
    coefficients c_i = 12/a_i - 10 are evaluated for chunks of ``chunk`` steps
    and all active columns at once (outer-product form), the recurrence itself
    then costs two vector operations per grid point.  ``lcol`` must be sorted
    ascending (columns start at their own index, :func:`nusym.atoms.radial.start_index`).
    Returns y = P/sqrt(r') at the (sorted) grid indices ``store_idx``, shape
    (len(store_idx), ncol); arbitrary (per column) scale.
    """
    N = grid.n
    h2 = grid.h ** 2
    rp2 = grid.rp ** 2
    A0 = 1.0 - h2 / 12.0 * (2.0 * rp2 * V + grid.geom)
    Ce = -h2 / 12.0 * rp2 / grid.r ** 2
    Be = h2 / 12.0 * 2.0 * rp2
    nc = lcol.size
    LL = (lcol * (lcol + 1.0)).astype(float)
    E = Ecol.astype(float)
    ls = np.unique(lcol)
    start = {int(l): radial.start_index(grid, int(l), Zn, E_start) for l in ls}
    scol = np.array([start[int(l)] for l in lcol])
    assert np.all(np.diff(scol) >= 0)
    store_idx = np.asarray(store_idx)
    pos = -np.ones(N + 1, dtype=np.int64)
    pos[store_idx] = np.arange(store_idx.size)
    need = store_idx.size * nc
    if _BUF[0].size < need:
        _BUF[0] = np.empty(int(need * 1.2))
    out = _BUF[0][:need].reshape(store_idx.size, nc)   # reused buffer: fresh pages are slow here
    out.fill(0.0)
    posl = pos.tolist()
    zp = np.zeros(nc)
    zc = np.zeros(nc)
    # activation: columns with start s get z_s, z_{s+1}; first step produced is s+2
    act = {}
    for l in ls:
        s = start[int(l)]
        cols = np.nonzero(lcol == l)[0]
        act.setdefault(s + 1, []).append((int(l), s, cols[0], cols[-1] + 1))
    # columns are (l, E) products in blocks: for the chunked coefficients use
    # a_i = (A0_i + Ce_i l(l+1)) + Be_i E  evaluated as an outer sum if possible
    lu, linv = np.unique(lcol, return_inverse=True)
    Eu, einv = np.unique(E, return_inverse=True)
    tensor = (lu.size * Eu.size == nc and np.array_equal(linv, np.repeat(np.arange(lu.size), Eu.size))
              and np.array_equal(einv, np.tile(np.arange(Eu.size), lu.size)))
    breaks = sorted(act)
    events = []
    nact = 0
    i = breaks[0]
    bounds = breaks[1:] + [N - 1]
    bi = 0
    while i < N - 1:
        if i in act:
            for (l, s, a, b) in act[i]:
                y0, y1 = _initial_values(grid, s, l, Zn)
                a0 = A0[s] + Ce[s] * LL[a:b] + Be[s] * E[a:b]
                a1 = A0[s + 1] + Ce[s + 1] * LL[a:b] + Be[s + 1] * E[a:b]
                zp[a:b] = a0 * y0
                zc[a:b] = a1 * y1
                if pos[s] >= 0:
                    out[pos[s], a:b] = zp[a:b]
                if pos[s + 1] >= 0:
                    out[pos[s + 1], a:b] = zc[a:b]
                nact = max(nact, b)
        # next activation point
        while bi < len(bounds) and bounds[bi] <= i:
            bi += 1
        i_stop = bounds[bi] if bi < len(bounds) else N - 1
        n = nact
        zpn, zcn = zp[:n], zc[:n]
        LLn, En = LL[:n], E[:n]
        t = np.empty(n)
        while i < i_stop:
            j1 = min(i + chunk, i_stop)
            # c_i for i in [i, j1)
            if tensor:
                nl = n // Eu.size
                u = A0[i:j1, None] + Ce[i:j1, None] * (lu[:nl] * (lu[:nl] + 1.0))[None, :]
                v = Be[i:j1, None] * Eu[None, :]
                c = (u[:, :, None] + v[:, None, :]).reshape(j1 - i, n)
            else:
                c = A0[i:j1, None] + Ce[i:j1, None] * LLn[None, :] + Be[i:j1, None] * En[None, :]
            np.divide(12.0, c, out=c)
            c -= 10.0
            for jj in range(j1 - i):
                np.multiply(c[jj], zcn, out=t)
                t -= zpn
                zpn, zcn, t = zcn, t, zpn
                p = posl[i + jj + 1]
                if p >= 0:
                    out[p, :n] = zcn
            i = j1
            mx = np.max(np.abs(zcn)) if n else 0.0
            if mx > 1e200:
                sc = np.where(np.abs(zcn) > 1e100, 1e-200, 1.0)
                zcn *= sc
                zpn *= sc
                events.append((i, np.concatenate([sc, np.ones(nc - n)])))
        zpn, zcn = zpn.copy(), zcn.copy()
        zp[:n] = zpn
        zc[:n] = zcn
    for (i_ev, sc) in events:
        out[store_idx <= i_ev] *= sc[None, :]
    # y = z / a at the stored rows
    for a in range(0, store_idx.size, 128):
        si = store_idx[a:a + 128]
        blk = out[a:a + 128]
        aa = A0[si, None] + Ce[si, None] * LL[None, :]
        aa += Be[si, None] * E[None, :]
        blk /= aa
    return out


# --------------------------------------------------------------------------
# structure factor
