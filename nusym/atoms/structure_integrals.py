"""Integrals of S_nl over energy and momentum transfer: momentum densities, Compton profiles and the impulse
approximation, the sum-rule integrals over omega, and the q-integrals int S dq^2 and int S dq^2/q^2 that the event
rates need (a mixin of :class:`nusym.atoms.structure.StructureFactor`).

* Impulse approximation: S_IA = N J_nl(p_z)/q, p_z = (omega - q^2/2)/q, zero below the edge; J per electron
  (int J dp_z = 1).  Used beyond pw_qmax = (l_cap - l - 6)/r_conv, where the partial-wave sum would need more than
  l_cap waves.  It is NOT accurate at the 1e-4 level: on the ridge it differs from the partial-wave sum by 2-17 %
  for 1s/2p/3d, and in int S dq^2 the substitution changes 3d/4s/4p by up to 2e-3/4e-3/1e-2 (total ~1e-3).
* omega integrals (sum rules): Gauss-Legendre in k = sqrt(2 eps) on doubling panels (16 nodes each) with ridge
  panels of width w/2 (w the orbital's rms momentum width), a power-law tail beyond k_top; lines n' <= n_max
  explicitly and n' > n_max through the line-averaged density.
* q integrals: Gauss-Legendre (8 nodes) on panels of ratio 2 in ln q below w, of width w above; the panel holding
  q_min = alpha omega integrated from q_min with Lagrange-Legendre weights; the IA part integrated in
  p = omega/q - q/2.  8 -> 16 nodes changes the integrals by < 5e-7; Numerov k dr 0.04 -> 0.02 by < 4e-8.
"""
from __future__ import annotations

import time

import numpy as np
from scipy.interpolate import CubicSpline

from nusym import constants as K
from nusym.atoms.bessel import spherical_jn_small
from nusym.atoms.radial import solve_bound

__all__ = ["IntegralsPart", "ALPHA"]

ALPHA = float(K.ALPHA)       # q_min = alpha omega in atomic units (the photon line q = omega/c)
_TRAPZ = getattr(np, "trapezoid", None) or getattr(np, "trapz")


class IntegralsPart:
    """Compton profiles, the impulse approximation, omega and q integrals (needs the rest of StructureFactor)."""

    def _momentum(self, n, l):
        key = ("mom", n, l)
        if key in self._ia_cache:
            return self._ia_cache[key]
        m = self.model
        sub = self.subshells[(n, l)]
        p_max = 60.0 * m.Z if m.Z > 1 else 200.0
        # trapezoid in x: aliasing-free for p <= p_max if dr < 2 pi/(p_max + 50)
        g = m.grid(sub.r_int, 0.8 * 2.0 * np.pi / (p_max + 50.0), 0.005)
        res = solve_bound(g, m.V(g), n, l, m.Z, E_guess=m.levels[(n, l)])
        P = res.P
        u = np.linspace(np.log(1e-4), np.log(p_max), 1200)
        p = np.exp(u)
        chi = np.empty(p.size)
        rw = g.w * g.r * P
        for a in range(0, p.size, 32):
            chi[a:a + 32] = spherical_jn_small(l, p[a:a + 32, None] * g.r[None, :]) @ rw
        chi *= np.sqrt(2.0 / np.pi)
        f = chi * chi * p ** 3                 # integrand of int chi^2 p^2 dp in u = ln p
        sp = CubicSpline(u, f).antiderivative()
        total = float(sp(u[-1]))
        f2 = chi * chi * p * p * p * p * p     # <p^2>
        p2 = float(CubicSpline(u, f2).antiderivative()(u[-1]))
        self._ia_cache[key] = dict(u=u, p=p, chi=chi, F=sp, norm=total, p2=p2)
        return self._ia_cache[key]

    def compton_profile(self, n, l, pz):
        """Compton profile J_nl(p_z) PER ELECTRON (int J dp_z = 1),
        J = 1/2 int_|pz|^inf chi(p)^2 p dp, chi(p) = sqrt(2/pi) int r P(r) j_l(pr) dr."""
        d = self._momentum(n, l)
        a = np.abs(np.atleast_1d(np.asarray(pz, float)))
        # 1/2 int chi^2 p dp = 1/2 int chi^2 p^2 du ; F is int chi^2 p^3 du -> need chi^2 p^2
        key = ("Jspl", n, l)
        if key not in self._ia_cache:
            g = d["chi"] ** 2 * d["p"] ** 2
            self._ia_cache[key] = CubicSpline(d["u"], g).antiderivative()
        A = self._ia_cache[key]
        uu = np.log(np.clip(a, d["p"][0], d["p"][-1]))
        J = 0.5 * (float(A(d["u"][-1])) - A(uu))
        J = np.where(a >= d["p"][-1], 0.0, J)
        return J.reshape(np.shape(pz)) if np.ndim(pz) else float(J[0])

    def momentum_width(self, n, l):
        d = self._momentum(n, l)
        return np.sqrt(d["p2"] / 3.0)

    def impulse(self, n, l, omega, q, threshold=True):
        """Impulse approximation N J_nl(p_z)/q, p_z = (omega - q^2/2)/q, zero below the
        (edge) threshold of each j part."""
        sub = self.subshells[(n, l)]
        om, qq = np.broadcast_arrays(np.asarray(omega, float), np.asarray(q, float))
        pz = (om - 0.5 * qq * qq) / qq
        J = self.compton_profile(n, l, pz.ravel()).reshape(om.shape)
        out = np.zeros(om.shape)
        for (w, Ip) in sub.parts:
            out += w * np.where((om > Ip) | (not threshold), sub.N * J / qq, 0.0)
        return out

    def eps_nodes(self, n, l, q, n_gl=16, n_gl_ridge=8):
        """Quadrature nodes/weights in eps for int_0^inf f(eps) d eps of subshell nl at
        momentum transfer q: Gauss-Legendre in k = sqrt(2 eps) (d eps = k dk) on panels
        [0, 0.02 s], then doubling (s = sqrt(2 I)) up to k_top = max(40 s, 3 Z, k_ridge + 16 w),
        with ``n_gl`` nodes per doubling panel; where a Bethe ridge exists
        (k_ridge = sqrt(q^2 - 2I) > 2w, w = rms momentum width of the orbital) the region
        k_ridge - 6w .. k_ridge + 16w is cut into panels of width w/2 with ``n_gl_ridge``
        nodes.  (8 nodes per doubling panel left 1e-5 errors for Ge 1s at q = 1; 16 give < 1e-9.)"""
        sub = self.subshells[(n, l)]
        s = np.sqrt(2.0 * sub.I_model)
        w = self.momentum_width(n, l)
        kr = np.sqrt(max(q * q - 2.0 * sub.I_model, 0.0))
        k_top = max(40.0 * s, 3.0 * self.model.Z, kr + 16.0 * w)
        edges = [0.0]
        e = 0.02 * s
        while e < k_top:
            edges.append(e)
            e *= 2.0
        edges = np.array(edges + [k_top])
        fine = np.zeros(edges.size - 1, dtype=bool)
        if kr > 2.0 * w:
            lo, hi = max(kr - 6.0 * w, 0.0), min(kr + 16.0 * w, k_top)
            rid = np.arange(lo, hi + 1e-12, 0.5 * w)
            keep_e = edges[(edges < lo) | (edges > hi)]
            edges = np.unique(np.concatenate([keep_e, rid]))
            mid = 0.5 * (edges[:-1] + edges[1:])
            fine = (mid > lo) & (mid < hi)
        ks, ws = [], []
        for a, b, f in zip(edges[:-1], edges[1:], fine):
            x, wx = np.polynomial.legendre.leggauss(n_gl_ridge if f else n_gl)
            ks.append(0.5 * (a + b) + 0.5 * (b - a) * x)
            ws.append(0.5 * (b - a) * wx)
        k, wk = np.concatenate(ks), np.concatenate(ws)
        return 0.5 * k * k, wk * k, k_top        # eps, weights for d eps (= k dk)

    def omega_integrals(self, n, l, q, method="auto"):
        """For each q: int S dw and int w S dw of subshell nl (model thresholds), split into
        continuum (partial waves with an eps^-p tail beyond k_top, or IA), explicit lines
        (n' <= n_max) and the remaining Rydberg series (n' > n_max, via the line-averaged
        density).  Returns a list of dicts."""
        sub = self.subshells[(n, l)]
        q = np.atleast_1d(np.asarray(q, float))
        I = sub.I_model
        out = []
        # discrete part (lines) for all q at once
        L = self.lines(n, l, q)
        L = [d for d in L if d["weight"] == sub.parts[0][0]]
        w0 = sub.parts[0][0]
        l0 = sum(d["F"] for d in L) / w0 if L else np.zeros(q.size)
        l1 = sum(d["F"] * (d["omega"] - (sub.parts[0][1] - I)) for d in L) / w0 if L else np.zeros(q.size)
        r0 = np.zeros(q.size)
        r1 = np.zeros(q.size)
        if self.model.Z_ion > 0:
            ser = self.series(n, l, q)
            thr = self.threshold_channels(n, l, q)
            E0 = self.bound_states()[1][(n, l)][0]
            Zi = self.model.Z_ion
            for lp, s in ser.items():
                En, nu, rho = s["E"][-1], s["nu"][-1], s["rho"][-1]
                rt = thr.get(lp, np.zeros(q.size))
                # n > n_max: nu_j = nu_nmax + j (constant quantum defect), weight dE/dn = Zi^2/nu^3,
                # density linear in E between (E_nmax, rho_nmax) and (0, rho_threshold)
                j = np.arange(1, 20001)
                nuj = nu + j
                Ej = -Zi ** 2 / (2.0 * nuj ** 2)
                wj = Zi ** 2 / nuj ** 3
                fr = (Ej / En)[:, None]
                rr = rt[None, :] + (rho - rt)[None, :] * fr
                r0 += np.sum(wj[:, None] * rr, axis=0)
                r1 += np.sum((wj * (Ej - E0))[:, None] * rr, axis=0)
                # beyond: int_{E(nu+20000.5)}^0 rho dE ~ rho_thr |E|
                Et = -Zi ** 2 / (2.0 * (nu + 20000.5) ** 2)
                r0 += rt * abs(Et)
                r1 += rt * abs(Et) * (-E0)
        for iq, qq in enumerate(q):
            d = dict(q=qq, lines0=l0[iq], lines1=l1[iq], rem0=r0[iq], rem1=r1[iq])
            use_pw = method == "pw" or (method == "auto" and qq <= self.pw_qmax(n, l))
            if use_pw:
                eps, we, k_top = self.eps_nodes(n, l, qq)
                S, info = self.continuum_tensor(n, l, eps, np.array([qq]))
                S = S[0]
                c0 = float(np.sum(we * S))
                c1 = float(np.sum(we * S * (eps + I)))
                # power-law tail beyond k_top from the last two nodes
                e1, e2, s1, s2 = eps[-2], eps[-1], S[-2], S[-1]
                t0 = t1 = 0.0
                if s1 > 0 and s2 > 0:
                    p = -np.log(s2 / s1) / np.log(e2 / e1)
                    et = 0.5 * k_top ** 2
                    A = s2 * e2 ** p
                    if p > 2.05:
                        t0 = A * et ** (1 - p) / (p - 1)
                        t1 = A * et ** (2 - p) / (p - 2) + I * t0
                d.update(method="pw", cont0=c0 + t0, cont1=c1 + t1, tail0=t0, tail1=t1, n_eps=eps.size,
                         converged=bool(np.all(info["converged"])), lp_max=int(info["lneeded"].max()),
                         time=info["time"])
            else:
                # impulse approximation: N int_{pmin}^inf J dp, N int (q^2/2 + q p) J dp
                pmin = (I - 0.5 * qq * qq) / qq
                # a dense composite rule on p from pmin, log-spaced in the momentum width c
                c = max(self.momentum_width(n, l), 0.1)
                pp = pmin + np.expm1(np.linspace(0, np.log1p(200 * c + abs(pmin)), 4001))
                J = self.compton_profile(n, l, pp)
                c0 = sub.N * _TRAPZ(J, pp)
                c1 = sub.N * _TRAPZ(J * (0.5 * qq * qq + qq * pp), pp)
                d.update(method="ia", cont0=c0, cont1=c1, tail0=0.0, tail1=0.0, n_eps=pp.size,
                         converged=True, lp_max=0, time=0.0)
            d["sum0"] = d["cont0"] + d["lines0"] + d["rem0"]
            d["sum1"] = d["cont1"] + d["lines1"] + d["rem1"]
            out.append(d)
        return out

    def q_hi(self, n, l, omega_max, tail=1e-7):
        """q beyond which int S_nl dq^2 (estimated with the impulse approximation at
        omega_max, the worst case) is below ``tail`` * 2 N_nl."""
        qq = np.geomspace(np.sqrt(2.0 * omega_max), 1e5, 400)
        # tail integral int_q^inf 2 N J(p(q')) dq' with p = omega/q' - q'/2 (|dq/dp| ~ 2 for q >> sqrt(2w))
        p = omega_max / qq - 0.5 * qq
        J = self.compton_profile(n, l, p)
        f = 2.0 * J
        cum = np.concatenate([np.cumsum((0.5 * (f[1:] + f[:-1]) * np.diff(qq))[::-1])[::-1], [0.0]])
        i = int(np.searchsorted(-cum, -tail * 2.0))
        return float(qq[min(i, qq.size - 1)])

    def q_nodes(self, n, l, q_lo, q_top, n_gl=8):
        """Gauss-Legendre nodes for int_{q_lo}^{q_top} dq of subshell nl: panels of ratio 2
        in ln q up to w (rms momentum width), then panels of width w in q.  Returns
        (q, panels) with panels a list of (a, b, log?, index slice)."""
        w = self.momentum_width(n, l)
        edges, logp = [q_lo], []
        e = q_lo
        while e * 2.0 < min(w, q_top):
            e *= 2.0
            edges.append(e)
            logp.append(True)
        if edges[-1] < min(w, q_top):
            edges.append(min(w, q_top))
            logp.append(True)
        e = edges[-1]
        while e < q_top - 1e-12:
            e2 = min(e + w, q_top)
            if q_top - e2 < 0.3 * w:
                e2 = q_top
            edges.append(e2)
            logp.append(False)
            e = e2
        x, wx = np.polynomial.legendre.leggauss(n_gl)
        qs, panels = [], []
        for i, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
            if logp[i]:
                qs.append(np.exp(0.5 * (np.log(a) + np.log(b)) + 0.5 * np.log(b / a) * x))
            else:
                qs.append(0.5 * (a + b) + 0.5 * (b - a) * x)
            panels.append((a, b, logp[i], slice(i * n_gl, (i + 1) * n_gl)))
        return np.concatenate(qs), panels

    @staticmethod
    def _partial_weights(n_gl, t0):
        """GL weights for int_{t0}^{1} g(t) dt (t0 in [-1,1]) from the n_gl-point nodes
        (exact for polynomials of degree < n_gl)."""
        x, wx = np.polynomial.legendre.leggauss(n_gl)
        Pk = np.polynomial.legendre.legvander(x, n_gl)          # (n_gl, n_gl+1)
        P0 = np.polynomial.legendre.legvander(np.array([t0]), n_gl)[0]
        acc = 0.5 * (1.0 - t0) * np.ones(n_gl)
        for k in range(1, n_gl):
            acc += 0.5 * Pk[:, k] * (P0[k - 1] - P0[k + 1])
        return wx * acc

    def q_integrals(self, omega, n_gl=8, subshells=None, return_detail=False, q_max=None, processes=1, q_from=None):
        """I1(omega) = int S dq^2 and I2(omega) = int S dq^2/q^2 over q from q_min = alpha*omega
        to q_max (default: q_hi of each subshell, beyond which the IA estimate of the
        remaining int S dq^2 is < 1e-7 x 2N).  Per subshell: S on the tensor grid
        omega x q-nodes (partial waves, q <= pw_qmax), Gauss-Legendre panels (see q_nodes)
        with the panel containing q_min(omega) integrated from q_min by Lagrange-Legendre
        weights; beyond pw_qmax the impulse approximation, integrated in the variable
        p = omega/q - q/2 (which resolves the Bethe ridge for any omega).
        Returns (I1, I2) summed over subshells, or per-subshell details."""
        om = np.atleast_1d(np.asarray(omega, float))
        qmin = ALPHA * om if q_from is None else np.broadcast_to(np.asarray(q_from, float), om.shape).copy()
        q_lo = float(qmin.min())
        subs = list(self.subshells) if subshells is None else subshells
        det = {}
        I1 = np.zeros(om.size)
        I2 = np.zeros(om.size)
        x8, _ = np.polynomial.legendre.leggauss(n_gl)
        if processes and processes > 1 and len(subs) > 1:
            import multiprocessing as mp
            # longest jobs first, greedy assignment to the workers (fork: the object is shared)
            # cost estimate: number of q nodes of the partial-wave part (the Bessel tables dominate)
            cost = {}
            for k in subs:
                qh = self.q_hi(*k, om.max()) if q_max is None else q_max
                cost[k] = self.q_nodes(*k, q_lo, min(qh, self.pw_qmax(*k)), n_gl)[0].size
            order = sorted(subs, key=lambda k: -cost[k])
            groups = [[] for _ in range(processes)]
            load = [0.0] * processes
            for k in order:
                j = int(np.argmin(load))
                groups[j].append(k)
                load[j] += cost[k]
            ctx = mp.get_context("fork")
            global _QI_SELF
            _QI_SELF = self
            with ctx.Pool(processes) as pool:
                res = pool.map(_qi_worker, [(om, n_gl, g, q_max, q_from) for g in groups])
            for (a1, a2, d) in res:
                I1 += a1
                I2 += a2
                det.update(d)
            if return_detail:
                return I1, I2, det
            return I1, I2
        for (n, l) in subs:
            t0 = time.perf_counter()
            qh = self.q_hi(n, l, om.max()) if q_max is None else q_max
            qpw = min(qh, self.pw_qmax(n, l))
            qn, panels = self.q_nodes(n, l, q_lo, qpw, n_gl)
            S, info = self.subshell(n, l, om[:, None], qn[None, :], method="pw", return_info=True)
            a1 = np.zeros(om.size)
            a2 = np.zeros(om.size)
            x, wx = np.polynomial.legendre.leggauss(n_gl)
            for (a, b, lg, sl) in panels:
                Sq = S[:, sl]
                qq = qn[sl]
                # d q = q d ln q on log panels
                jac = (0.5 * np.log(b / a) * qq) if lg else np.full(n_gl, 0.5 * (b - a))
                full = qmin <= a
                part = (qmin > a) & (qmin < b)
                W = np.zeros((om.size, n_gl))
                W[full] = wx * jac
                for i in np.nonzero(part)[0]:
                    tq = (np.log(qmin[i] / a) / np.log(b / a) if lg else (qmin[i] - a) / (b - a)) * 2.0 - 1.0
                    W[i] = self._partial_weights(n_gl, tq) * jac
                a1 += np.sum(W * Sq * (2.0 * qq), axis=1)
                a2 += np.sum(W * Sq * (2.0 / qq), axis=1)
            # impulse approximation beyond qpw
            b1 = np.zeros(om.size)
            b2 = np.zeros(om.size)
            if qh > qpw:
                for i, w_ in enumerate(om):
                    qs_ = max(qpw, qmin[i])
                    if qs_ >= qh:
                        continue
                    p_hi = w_ / qs_ - 0.5 * qs_
                    p_lo = w_ / qh - 0.5 * qh
                    wd = self.momentum_width(n, l)
                    nseg = int(min(4000, max(64, 4 * (p_hi - p_lo) / wd)))
                    edges = np.linspace(p_lo, p_hi, nseg + 1)
                    pp = (0.5 * (edges[:-1, None] + edges[1:, None])
                          + 0.5 * np.diff(edges)[:, None] * x8[None, :]).ravel()
                    wp = (0.5 * np.diff(edges)[:, None] * np.polynomial.legendre.leggauss(n_gl)[1][None, :]).ravel()
                    qv = -pp + np.sqrt(pp * pp + 2.0 * w_)
                    dq = np.abs(-1.0 + pp / np.sqrt(pp * pp + 2.0 * w_))
                    Sia = self.impulse(n, l, np.full(qv.size, w_), qv)
                    b1[i] = np.sum(wp * dq * Sia * 2.0 * qv)
                    b2[i] = np.sum(wp * dq * Sia * 2.0 / qv)
            I1 += a1 + b1
            I2 += a2 + b2
            det[(n, l)] = dict(I1_pw=a1, I2_pw=a2, I1_ia=b1, I2_ia=b2, q_pw=qpw, q_hi=qh, n_q=qn.size,
                               time=time.perf_counter() - t0, info=info, n_omega=om.size,
                               stats=[s_ for s_ in self.stats if s_[0] == (n, l)])
        if return_detail:
            return I1, I2, det
        return I1, I2


_QI_SELF = None


def _qi_worker(args):
    om, n_gl, group, q_max, q_from = args
    I1, I2, det = _QI_SELF.q_integrals(om, n_gl=n_gl, subshells=group, return_detail=True, q_max=q_max,
                                       q_from=q_from)
    for d in det.values():
        d.pop("info", None)
    return I1, I2, det
