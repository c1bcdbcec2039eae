"""The continuum part of S_nl(omega, q) in the central field: partial-wave sums of radial integrals, all q and
energies at once (a mixin of :class:`nusym.atoms.structure.StructureFactor`).

For each subshell the continuum energies are split in bands (k_max/k_min <= 2, one band for k < 0.4); each band has
its own log-linear grid (spacing dr = min(0.1, acc/k_max, 1/(q_max + k_max)), acc = 0.04: a Numerov phase error
~(k dr)^4/480 = 5e-9 a radian), all (l', eps) columns of a band are integrated outward together
(:func:`nusym.atoms.structure_model.march_columns`), storing only the integration and matching rows.  Normalization:
two-point matching to Coulomb functions at the grid end (beyond r0 for Latter; for the pure LDA potential at high
energy where |V + Z_ion/r| < 1e-5 eps, with the first-order WKB amplitude factor (p_free/p_true)^(1/2)).  Columns
whose turning point lies beyond the orbital with a WKB barrier > 25 are dropped (contribution < e^-50).
Radial integrals per band and block of l', L: M_L[q, eps] = (j_L[q, r] w P_nl[r]) @ P_eps[r, eps] (BLAS).
Partial waves: l' in blocks until, for every (q, eps), the last 4 terms are below ``tol`` x the running total (or
below tol x floor x the largest S of that q), and only after l' > l + 2 + q r_peak.
"""
from __future__ import annotations

import time

import numpy as np

from nusym.atoms.bessel import SphJn, angular_factor
from nusym.atoms.coulomb_functions import coulomb_fg
from nusym.atoms.radial import solve_bound
from nusym.atoms.structure_model import march_columns

__all__ = ["ContinuumPart"]

_TRAPZ = getattr(np, "trapezoid", None) or getattr(np, "trapz")


class ContinuumPart:
    """Continuum radial integrals and partial-wave sums (needs ``self.model``, ``self.subshells`` and the
    numerical settings of :class:`nusym.atoms.structure.StructureFactor`)."""

    def _bands(self, eps):
        k = np.sqrt(2.0 * eps)
        k_low = 0.4
        edges = [0.0, k_low]
        while edges[-1] < k.max():
            edges.append(edges[-1] * 2.0)
        bands = []
        for a, b in zip(edges[:-1], edges[1:]):
            sel = np.nonzero((k > a) & (k <= b))[0]
            if sel.size:
                bands.append(sel)
        return bands

    def _band_setup(self, sub, e_b, qmax, l_cap):
        """Grid, potential, P_nl, integration rows and matching rows of one energy band."""
        m = self.model
        k_b = np.sqrt(2.0 * e_b)
        kmax = k_b.max()
        dr = min(0.1, self.acc / kmax, self.theta / (qmax + kmax))
        if self.potential == "lda" and m.r_exact > 0:
            r_m = m.r_match_for(1e-5 * e_b.min())
        else:
            r_m = m.r_exact
        p_end = lambda r: np.sqrt(k_b ** 2 + 2.0 * m.Z_ion / r)
        s_q = np.minimum(0.5 * np.pi / p_end(max(r_m, sub.r_int, 1e-3)), 50.0)
        r_end = max(sub.r_int, r_m + 1.05 * s_q.max())
        # turning points of the partial waves l' <= l_cap (asymptotic potential)
        lp_all = np.arange(0, l_cap + 1)
        LLa = lp_all * (lp_all + 1.0)
        E2 = e_b[None, :]
        rt = (-m.Z_ion + np.sqrt(m.Z_ion ** 2 + 2.0 * E2 * LLa[:, None])) / (2.0 * E2)
        keep = np.ones_like(rt, dtype=bool)
        far = rt > sub.r_int
        if np.any(far):
            ii, jj = np.nonzero(far)
            tt = np.linspace(0.0, 1.0, 65)[None, :]
            ra = sub.r_int + (rt[ii, jj][:, None] - sub.r_int) * tt
            kap2 = LLa[ii][:, None] / ra ** 2 - 2.0 * m.Z_ion / ra - 2.0 * e_b[jj][:, None]
            Bw = _TRAPZ(np.sqrt(np.maximum(kap2, 0.0)), ra, axis=1)
            keep[ii, jj] = Bw < 25.0
            kf = keep[ii, jj]
            if np.any(kf):
                rr = rt[ii[kf], jj[kf]] * 1.3 + 0.5 * np.pi / k_b[jj[kf]] + 1.0
                r_end = max(r_end, float(rr.max()))
        s_q = np.minimum(0.5 * np.pi / p_end(r_end), 50.0)   # (separation < lambda/4 only for k < 0.03)
        grid = m.grid(r_end, dr, self.h)
        V = m.V(grid)
        res = solve_bound(grid, V, sub.n, sub.l, m.Z, E_guess=m.levels[(sub.n, sub.l)])
        # integration rows: every mstep-th grid point, (q_max + k_loc + k_b) dr/dx * mstep h <= theta
        kloc = np.sqrt(np.maximum(kmax ** 2 - 2.0 * V, 0.0))
        kbd = np.sqrt(np.maximum(2.0 * (res.E - V), 0.0))
        fx = (qmax + kloc + kbd) * grid.rp
        i_int = min(int(np.searchsorted(grid.r, sub.r_int)) + 1, grid.n - 1)
        mstep = max(1, int(self.theta / (grid.h * fx[:i_int + 1].max())))
        ii = np.arange(0, i_int + 1, mstep)
        w = mstep * grid.h * grid.rp[ii]
        i2 = grid.n - 1
        i1 = np.clip(np.searchsorted(grid.r, grid.r[i2] - s_q), 0, i2 - 1)
        store = np.unique(np.concatenate([ii, i1, [i2]]))
        return dict(grid=grid, V=V, ii=ii, r_s=grid.r[ii], wP=w * res.P[ii], sqrp_int=np.sqrt(grid.rp[ii]),
                    i1=i1, i2=i2, store=store, pos_int=np.searchsorted(store, ii),
                    pos1=np.searchsorted(store, i1), pos2=int(np.searchsorted(store, i2)),
                    keep=keep, k=k_b, kmax=kmax, dr=dr, r_end=r_end, mstep=mstep)

    def _band_waves(self, B, e_b, lps, active):
        """Energy-normalized P_{eps l'} at the common integration points for l' in ``lps``
        (ascending) and band energies ``active``: array (n_int, n_l, n_act)."""
        m = self.model
        grid = B["grid"]
        na = active.size
        lcol = np.repeat(np.asarray(lps), na)
        ecol = np.tile(active, len(lps))
        Y = march_columns(grid, B["V"], m.Z, lcol, e_b[ecol], B["store"], B["kmax"] ** 2 / 2.0)
        kk = B["k"][ecol]
        eta = -m.Z_ion / kk
        i1 = B["i1"][ecol]
        r1 = grid.r[i1]
        r2 = grid.r[B["i2"]]
        lmaxb = int(lcol.max())
        with np.errstate(all="ignore"):
            F1, _, G1, _ = coulomb_fg(lmaxb, eta[:na], kk[:na] * r1[:na])
            F2, _, G2, _ = coulomb_fg(lmaxb, eta[:na], kk[:na] * r2)
            ci = np.tile(np.arange(na), len(lps))
            F1, G1, F2, G2 = F1[lcol, ci], G1[lcol, ci], F2[lcol, ci], G2[lcol, ci]
            cidx = np.arange(lcol.size)
            P1 = Y[B["pos1"][ecol], cidx] * np.sqrt(grid.rp[i1])
            P2 = Y[B["pos2"], cidx] * np.sqrt(grid.rp[B["i2"]])
            dlt = np.arctan2(P1 * F2 - P2 * F1, P2 * G1 - P1 * G2)
            u1 = np.cos(dlt) * F1 + np.sin(dlt) * G1
            u2 = np.cos(dlt) * F2 + np.sin(dlt) * G2
            A = (P1 * u1 + P2 * u2) / (u1 * u1 + u2 * u2)
            norm = np.sqrt(2.0 / (np.pi * kk)) / A
            if self.potential == "lda" and r2 < m.r_exact:
                # first-order WKB amplitude correction for the residual potential
                pf2 = kk ** 2 + 2.0 * m.Z_ion / r2 - lcol * (lcol + 1.0) / r2 ** 2
                pt2 = pf2 - 2.0 * float(m.dV(np.array([r2]))[0])
                norm *= (pf2 / pt2) ** 0.25
        norm = np.where(B["keep"][lcol, ecol], norm, 0.0)
        norm = np.nan_to_num(norm, nan=0.0, posinf=0.0, neginf=0.0)
        Yi = Y[B["pos_int"]]
        Yi *= B["sqrp_int"][:, None]
        Yi *= norm[None, :]
        return Yi.reshape(Yi.shape[0], len(lps), na)

    def continuum_tensor(self, n, l, eps, q, l_cap=None, tol=None, operator="jL", per_lp=False):
        """S_nl^cont[q, eps] (per Hartree) on the tensor grid q x eps (eps > 0: model
        continuum energies, eps = omega - I).

        ``operator='dipole'`` returns instead lim_{q->0} S/q^2 (L = 1, j_1(qr)/q -> r/3).
        Returns (S, info); info['lneeded'][q, eps] = 1 + highest l' whose term
        exceeded tol x running total, info['converged'] (see module doc), timings.
        """
        sub = self.subshells[(n, l)]
        eps = np.atleast_1d(np.asarray(eps, float))
        dip = operator == "dipole"
        q = np.array([0.0]) if dip else np.atleast_1d(np.asarray(q, float))
        l_cap = self.l_cap if l_cap is None else l_cap
        tol = self.tol if tol is None else tol
        nq, nE = q.size, eps.size
        t0 = time.perf_counter()
        tm = {"march": 0.0, "bessel": 0.0, "matmul": 0.0, "setup": 0.0, "col_steps": 0, "bands": []}
        qmax = float(q.max())
        lmin_conv = 0 if dip else l + 2 + int(np.ceil(qmax * sub.r_peak))
        chan = {}
        ts = time.perf_counter()
        bands = []
        for sel in self._bands(eps):
            B = self._band_setup(sub, eps[sel], qmax, l_cap if not dip else l + 1)
            B.update(sel=sel, active=np.arange(sel.size), S=np.zeros((nq, sel.size)),
                     lneed=np.zeros((nq, sel.size), dtype=int), conv=np.zeros((nq, sel.size), dtype=bool),
                     hist=[], lp_max=-1, JW={},
                     jgen=None if dip else SphJn(q[:, None] * B["r_s"][None, :]))
            bands.append(B)
        tm["setup"] += time.perf_counter() - ts
        lp0 = 0
        while lp0 <= l_cap and any(B["active"].size for B in bands):
            if dip:
                lps = [lp for lp in (l - 1, l + 1) if lp >= 0]
            else:
                size = max(lmin_conv + 6 - lp0, 16) if lp0 == 0 else max(16, lp0 // 2)
                lps = list(range(lp0, min(lp0 + size, l_cap + 1)))
            for B in bands:
                active = B["active"]
                if not active.size:
                    continue
                sel = B["sel"]
                JW, jgen, wP, r_s = B["JW"], B["jgen"], B["wP"], B["r_s"]
                tmarch = time.perf_counter()
                Yn = self._band_waves(B, eps[sel], lps, active)
                tm["march"] += time.perf_counter() - tmarch
                tm["col_steps"] += len(lps) * active.size * B["grid"].n
                B["lp_max"] = lps[-1]
                for il, lp in enumerate(lps):
                    Ylp = np.ascontiguousarray(Yn[:, il, :])
                    term = np.zeros((nq, active.size))
                    if dip:
                        M = (wP * r_s) @ Ylp
                        term[0] = sub.N * angular_factor(l, 1, lp) / 9.0 * M * M
                    else:
                        for L in range(abs(lp - l), lp + l + 1, 2):
                            fac = angular_factor(l, L, lp)
                            if fac == 0.0:
                                continue
                            key = -1 if (L == 0 and lp == l) else L
                            if key not in JW:
                                tb = time.perf_counter()
                                JL = jgen.j0m1() if key == -1 else jgen.row(L)
                                JW[key] = JL * wP[None, :]
                                tm["bessel"] += time.perf_counter() - tb
                            tmm = time.perf_counter()
                            M = JW[key] @ Ylp
                            M *= M
                            term += (sub.N * fac) * M
                            tm["matmul"] += time.perf_counter() - tmm
                    B["S"][:, active] += term
                    if per_lp:
                        chan.setdefault(lp, np.zeros((nq, nE)))[:, sel[active]] += term
                    if not dip:
                        full = np.zeros((nq, sel.size))
                        full[:, active] = term
                        B["hist"].append(full)
                        B["lneed"][full > tol * B["S"]] = lp + 1
                if dip:
                    B["conv"][:] = True
                    B["active"] = np.arange(0)
                    continue
                B["hist"] = B["hist"][-4:]
                if lps[-1] + 1 >= lmin_conv and len(B["hist"]) >= 4:
                    last = np.max(np.array(B["hist"]), axis=0)
                    Sb = B["S"]
                    peak = Sb.max(axis=1, keepdims=True)
                    B["conv"] = (last <= tol * Sb) | (last <= tol * self.floor * peak)
                    B["active"] = np.nonzero(~np.all(B["conv"], axis=0))[0]
            if dip:
                break
            for B in bands:
                JW = B["JW"]
                for key in [k for k in JW if k != -1 and k < lps[-1] - l]:
                    del JW[key]
                B["jgen"].drop_below(max(0, lps[-1] - l - 1))
            lp0 = lps[-1] + 1
        S = np.zeros((nq, nE))
        lneeded = np.zeros((nq, nE), dtype=int)
        conv = np.zeros((nq, nE), dtype=bool)
        for B in bands:
            sel = B["sel"]
            S[:, sel] = B["S"]
            lneeded[:, sel] = B["lneed"]
            conv[:, sel] = B["conv"]
            tm["bands"].append(dict(kmax=B["kmax"], N=B["grid"].n, r_end=B["r_end"], dr=B["dr"],
                                    lp_max=B["lp_max"], nE=sel.size, m=B["mstep"], n_int=B["ii"].size))
            if self.verbose:
                print(f"   band k<={B['kmax']:.3g}: nE={sel.size} N={B['grid'].n} r_end={B['r_end']:.3g} "
                      f"dr={B['dr']:.2e} lp_max={B['lp_max']}")
        info = dict(lneeded=lneeded, converged=conv, time=time.perf_counter() - t0, **tm)
        if per_lp:
            info["per_lp"] = {lp: (v[0] if dip else v) for lp, v in chan.items()}
        self.stats.append(((n, l), nq, nE, info["time"], tm))
        if dip:
            return S[0], info
        return S, info

    # ------------------------------------------------------------------
    # partial waves vs impulse approximation
    # ------------------------------------------------------------------
    def r_conv(self, n, l):
        """Radius beyond which the norm of P_nl is below ``tol`` (sets the number of
        partial waves needed at momentum transfer q: l' ~ l + q r_conv)."""
        key = ("rconv", n, l)
        if key not in self._ia_cache:
            m = self.model
            P = m.ref_P[(n, l)]
            g = m.ref_grid
            tail = np.cumsum((g.w * P * P)[::-1])[::-1]
            i = int(np.searchsorted(-tail, -self.tol))
            self._ia_cache[key] = float(g.r[min(i, g.n - 1)])
        return self._ia_cache[key]

    def pw_qmax(self, n, l):
        """Largest q for which the partial-wave sum is expected to converge within l_cap."""
        return max(self.l_cap - l - 6, 1) / self.r_conv(n, l)
