"""The discrete part of S_nl(omega, q): bound states of the model potential, bound-bound strengths, lines, the
line-averaged density that joins the continuum at threshold, the model's incoherent scattering function and the
exact sum-rule targets (a mixin of :class:`nusym.atoms.structure.StructureFactor`).

Lines: omega = eps_n'l' - eps_nl (+ the edge shift), strength F = N sum_L (2l'+1)(2L+1)(3j)^2 |<n'l'|j_L|nl>|^2
(1 - N_n'l'/(2(2l'+1))); transitions into full subshells and within nl (omega = 0) are excluded.  Line-averaged
density per final channel l': rho(omega_n) = F_n/(dE/dn), dE/dn = Z_ion^2 (1 - dmu/dn)/nu^3 (nu the effective
quantum number, mu the quantum defect), linear in omega between lines and from n_max to the continuum value at
threshold (Seaton: the series and the continuum join continuously).  Ge 3p -> eps s, q = 1: rho(n = 20) = 8.0730e-3
against the continuum's 8.0676e-3 at threshold.  The pure LDA potential binds no series (only lines).
"""
from __future__ import annotations

import numpy as np
from scipy.interpolate import CubicSpline

from nusym.atoms.bessel import SphJn, angular_factor
from nusym.atoms.radial import solve_bound

__all__ = ["DiscretePart"]


class DiscretePart:
    """Bound states, lines and the discrete density (needs ``self.model``, ``self.subshells``, ``self.n_max``)."""

    def bound_states(self):
        """All bound states n' <= n_max, l' < n' of the model potential on one Rydberg grid
        (r up to (2 n_max^2 + 30 n_max + 20)/Z_ion, spacing 0.1/Z_ion; pure LDA: 300 bohr).
        Cached; returns (grid, {(n', l'): (E, P)})."""
        if self._bound_cache is not None:
            return self._bound_cache
        m = self.model
        nm = self.n_max
        if m.Z_ion > 0:
            r_need = (2.0 * nm * nm + 30.0 * nm + 20.0) / m.Z_ion
            dr = 0.1 / m.Z_ion
        else:
            r_need, dr = 300.0, 0.1
        grid = m.grid(r_need, dr, m.h_ref)
        V = m.V(grid)
        states = {}
        for lp in range(0, nm):
            found = False
            mu = None
            for n_ in range(lp + 1, nm + 1):
                guess = m.levels.get((n_, lp))
                if guess is None and m.Z_ion > 0:
                    nu = n_ - (mu if mu is not None else 0.0)
                    guess = -0.5 * m.Z_ion ** 2 / max(nu, 0.5) ** 2
                try:
                    res = solve_bound(grid, V, n_, lp, m.Z, E_guess=guess)
                except (ValueError, RuntimeError):
                    if m.Z_ion > 0:
                        raise
                    break
                states[(n_, lp)] = (res.E, res.P)
                found = True
                if m.Z_ion > 0:
                    mu = n_ - m.Z_ion / np.sqrt(-2.0 * res.E)
            if not found:
                break
        self._bound_cache = (grid, states)
        return self._bound_cache

    def bound_bound(self, n, l, q):
        """Per-electron strengths G_f(q) = sum_L (2l'+1)(2L+1)(3j)^2 |<f|j_L(qr)|nl>|^2 to every
        bound state f = (n', l') of the model (including occupied ones and f = nl itself,
        for which L = 0 uses j_0; otherwise j_0 - 1).  Returns {f: array over q}."""
        q = np.atleast_1d(np.asarray(q, float))
        key = ("bb", n, l, q.tobytes())
        if key in self._lines_cache:
            return self._lines_cache[key]
        m = self.model
        grid, states = self.bound_states()
        sub = self.subshells[(n, l)]
        qmax = float(q.max())
        # fine integration grid on [r_min, r_int]; states interpolated (cubic spline in x)
        gi = m.grid(sub.r_int, min(0.05, 0.5 / (qmax + 1.0)), 0.01)
        c_R = grid.c
        xR = np.log(gi.r) + gi.r / c_R
        keys = sorted(states)
        if ("spline",) not in self._lines_cache:        # one spline of all bound states, built once
            self._lines_cache[("spline",)] = CubicSpline(grid.x, np.array([states[k][1] for k in keys]).T, axis=0)
        Pint = self._lines_cache[("spline",)](xR)
        col = {k: i for i, k in enumerate(keys)}
        wP = gi.w * Pint[:, col[(n, l)]]
        jgen = SphJn(q[:, None] * gi.r[None, :])
        out = {}
        lps = sorted(set(k[1] for k in keys))
        JW = {}
        for lp in lps:
            fin = [k for k in keys if k[1] == lp]
            idx = [col[k] for k in fin]
            G = np.zeros((q.size, len(fin)))
            for L in range(abs(lp - l), lp + l + 1, 2):
                fac = angular_factor(l, L, lp)
                if fac == 0.0:
                    continue
                if L not in JW:
                    JW[L] = jgen.row(L) * wP[None, :]
                M = JW[L] @ Pint[:, idx]
                if L == 0 and lp == l:
                    # j_0 - 1 for f != nl (exact within the model: <f|nl> = 0), j_0 for f = nl
                    J0m1 = jgen.j0m1() * wP[None, :]
                    M1 = J0m1 @ Pint[:, idx]
                    for jf, f in enumerate(fin):
                        if f != (n, l):
                            M[:, jf] = M1[:, jf]
                        else:
                            out["self_m1"] = M1[:, jf]           # <nl|j_0 - 1|nl>
                            out["self_L>0"] = np.zeros(q.size)
                if lp == l and L > 0 and (n, l) in fin:
                    out.setdefault("self_L>0", np.zeros(q.size))
                    out["self_L>0"] = out["self_L>0"] + fac * M[:, fin.index((n, l))] ** 2
                G += fac * M * M
            for jf, f in enumerate(fin):
                out[f] = G[:, jf]
        self._lines_cache[key] = out
        return out

    def lines(self, n, l, q):
        """Discrete transitions of subshell nl: list of dicts with 'omega' (Hartree, including
        the edge shift of each j part), 'F' (strength over q, including N_nl, the vacant
        fraction and the part weight), 'final' (n', l'), 'weight'.  Transitions into fully
        occupied subshells and within nl itself are excluded."""
        sub = self.subshells[(n, l)]
        m = self.model
        grid, states = self.bound_states()
        G = self.bound_bound(n, l, q)
        E0 = states[(n, l)][0]
        out = []
        for f, g in G.items():
            if not isinstance(f, tuple) or f == (n, l):
                continue
            occ = m.occupancy(*f)
            vac = 1.0 - occ / (2.0 * (2 * f[1] + 1))
            if vac <= 1e-12:
                continue
            for (w, Ip) in sub.parts:
                out.append(dict(final=f, omega=states[f][0] - E0 + (Ip - sub.I_model),
                                F=w * sub.N * vac * g, weight=w, E=states[f][0]))
        out.sort(key=lambda d: d["omega"])
        return out

    def series(self, n, l, q):
        """Rydberg series per final channel l' (model energies, no edge shift): dict
        l' -> dict(n=[...], E, nu, mu, dEdn, F (nF x nq), rho = F/(dE/dn))."""
        m = self.model
        if m.Z_ion <= 0:
            return {}
        lines = [d for d in self.lines(n, l, q) if d["weight"] == self.subshells[(n, l)].parts[0][0]]
        sub = self.subshells[(n, l)]
        w0 = sub.parts[0][0]
        ch = {}
        for d in lines:
            ch.setdefault(d["final"][1], []).append(d)
        out = {}
        for lp, ds in ch.items():
            ds.sort(key=lambda d: d["final"][0])
            nn = np.array([d["final"][0] for d in ds])
            E = np.array([d["E"] for d in ds])
            F = np.array([d["F"] / w0 for d in ds])
            nu = m.Z_ion / np.sqrt(-2.0 * E)
            mu = nn - nu
            dmu = np.gradient(mu, nn) if nn.size > 2 else np.zeros_like(mu)
            dEdn = m.Z_ion ** 2 * (1.0 - dmu) / nu ** 3
            out[lp] = dict(n=nn, E=E, nu=nu, mu=mu, dEdn=dEdn, F=F, rho=F / dEdn[:, None])
        return out

    def _first_line(self, n, l):
        """Lowest model line energy of subshell nl (into a non-full state)."""
        key = ("first", n, l)
        if key not in self._ia_cache:
            grid, states = self.bound_states()
            E0 = states[(n, l)][0]
            m = self.model
            ws = [E - E0 for f, (E, P) in states.items()
                  if f != (n, l) and m.occupancy(*f) < 2.0 * (2 * f[1] + 1) - 1e-12 and E > E0]
            self._ia_cache[key] = min(ws) if ws else np.inf
        return self._ia_cache[key]

    def threshold_channels(self, n, l, q, eps0=1e-5):
        """Continuum S per channel l' just above threshold (eps = eps0), dict l' -> array(q)."""
        S, info = self.continuum_tensor(n, l, np.array([eps0]), q, per_lp=True)
        return {lp: v[:, 0] for lp, v in info["per_lp"].items()}

    def discrete_density(self, n, l, omega_model, q):
        """Line-averaged density (per Hartree) at model transfer energies omega_model < I_model
        (array), tensor over q: shape (n_omega, n_q)."""
        q = np.atleast_1d(np.asarray(q, float))
        om = np.atleast_1d(np.asarray(omega_model, float))
        out = np.zeros((om.size, q.size))
        ser = self.series(n, l, q)
        if not ser:
            return out
        thr = self.threshold_channels(n, l, q)
        E0 = self.bound_states()[1][(n, l)][0]
        for lp, s in ser.items():
            wl = s["E"] - E0                       # line energies (model)
            rho = s["rho"]
            # append threshold point
            wl2 = np.concatenate([wl, [-E0]])
            rho2 = np.vstack([rho, thr.get(lp, np.zeros(q.size))[None, :]])
            for iq in range(q.size):
                v = np.interp(om, wl2, rho2[:, iq], left=0.0, right=0.0)
                v[om < wl2[0]] = 0.0
                out[:, iq] += v
        return out


    def incoherent(self, q):
        """Model incoherent scattering function (spherical ensemble with fractional occupancies):
        returns dict with
          'S_WH'   = Z - sum_{a,b occ} N_a nu_b G_ab(q)        (Waller-Hartree form),
          'S_w>0'  = Z - sum_{a!=b} N_a nu_b G_ab - sum_a N_a G_aa  (= int_{omega>0} S domega:
                     intra-subshell omega = 0 transitions of open shells excluded),
        nu_b = N_b/(2(2l_b+1)), G_ab = sum_L (2l_b+1)(2L+1)(3j)^2 <b|j_L|a>^2."""
        q = np.atleast_1d(np.asarray(q, float))
        m = self.model
        Ztot = sum(N for (_, _, N) in m.occupied)
        s_wh = np.full(q.size, Ztot)
        s_pos = np.full(q.size, Ztot)
        for (na, la, Na) in m.occupied:
            G = self.bound_bound(na, la, q)
            for (nb, lb, Nb) in m.occupied:
                nu = Nb / (2.0 * (2 * lb + 1))
                g = G[(nb, lb)]
                s_wh -= Na * nu * g
                if (nb, lb) == (na, la):
                    s_pos -= Na * g
                else:
                    s_pos -= Na * nu * g
        return {"S_WH": s_wh, "S_w>0": s_pos}

    def sum_rule_targets(self, n, l, q):
        """Exact per-subshell targets of the model (vacancy-weighted transitions from nl):
          int S_nl dw   = N [1 - G_aa - sum_{b != a, occ} nu_b G_ab]
          int w S_nl dw = N [q^2/2 - sum_{b occ} nu_b (E_b - E_a) G_ab]
        (summed over subshells the second gives Z q^2/2 because the occupied-occupied
        terms cancel pairwise; the first gives the 'S_w>0' of incoherent())."""
        q = np.atleast_1d(np.asarray(q, float))
        m = self.model
        sub = self.subshells[(n, l)]
        G = self.bound_bound(n, l, q)
        states = self.bound_states()[1]
        Ea = states[(n, l)][0]
        t0 = np.ones(q.size)
        t1 = 0.5 * q * q
        for (nb, lb, Nb) in m.occupied:
            nu = Nb / (2.0 * (2 * lb + 1))
            g = G[(nb, lb)]
            if (nb, lb) == (n, l):
                # 1 - G_aa = -2 m1 - m1^2 - (L > 0 terms), m1 = <a|j_0 - 1|a> (no cancellation)
                m1 = G["self_m1"]
                t0 = (t0 - 1.0) - 2.0 * m1 - m1 * m1 - G["self_L>0"]
            else:
                t0 = t0 - nu * g
                t1 = t1 - nu * (states[(nb, lb)][0] - Ea) * g
        return sub.N * t0, sub.N * t1
