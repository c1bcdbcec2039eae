"""Regular and irregular Coulomb functions F_l, G_l for all l at once, vectorized over eta and rho (a Steed/Barnett
continued-fraction algorithm), and the Coulomb phase shift sigma_l.

mpmath's coulombf costs about 0.2 ms a value; this computes every l <= 40 for 1000 energies in 0.03-0.07 s, and
agrees with mpmath to <= 3.6e-12 relative to sqrt(F^2 + G^2) over eta in [0, -107], rho in [0.05, 200], l <= 12.
A. R. Barnett et al., Comput. Phys. Commun. 8 (1974) 377; I. J. Thompson, A. R. Barnett, J. Comput. Phys. 64 (1986)
490.
"""
from __future__ import annotations

import numpy as np
from scipy.special import loggamma

__all__ = ["coulomb_sigma", "coulomb_fg"]


def _lentz_step(a, b, C, D, tiny):
    """One step of the modified Lentz algorithm for the continued fraction b + a/(b' + ...): (C, D, their product)."""
    D = b + a * D
    D[D == 0] = tiny
    D = 1.0 / D
    C = b + a / C
    C[C == 0] = tiny
    return C, D, C * D


def coulomb_sigma(l, eta):
    """Coulomb phase shift sigma_l = arg Gamma(l+1+i eta) (continuous branch)."""
    return np.imag(loggamma(l + 1.0 + 1j * np.asarray(eta, dtype=float)))


def coulomb_fg(lmax: int, eta, rho, eps: float = 1e-16, maxit: int = 2000000):
    r"""Regular and irregular Coulomb functions :math:`F_l, G_l` for l=0..lmax.

    Vectorized over ``eta`` and ``rho`` (broadcast together; rho > 0).
    Steed's method: CF1 for :math:`F'_{L}/F_{L}` at L=lmax (sign tracked from
    the Lentz denominators), downward recurrence of F, CF2 for
    :math:`(G_0'+iF_0')/(G_0+iF_0)`, Wronskian normalization, upward recurrence
    of G.  Returns ``F, Fp, G, Gp`` with shape ``(lmax+1,) + broadcast shape``.
    Conventions of Abramowitz & Stegun ch. 14 (F ~ sin(theta), G ~ cos(theta)).

    Accuracy (checked against mpmath): ~1e-11 relative to sqrt(F^2+G^2) for
    |eta| <= 100; the CF2 iteration count grows like |eta|/rho, so very near
    threshold (|eta| ~ 1e3-1e5 with rho ~ 1e-3) it becomes slow (0.1-3 s per
    value) and loses accuracy (1e-8..1e-7).
    """
    eta, rho = np.broadcast_arrays(np.asarray(eta, float), np.asarray(rho, float))
    shape = eta.shape
    eta = eta.ravel().copy()
    rho = rho.ravel().copy()
    L = int(lmax)
    tiny = 1e-30

    def S(Lv):
        return Lv / rho + (eta / Lv if Lv > 0 else 0.0)

    def R(Lv):
        return np.sqrt(1.0 + (eta / Lv) ** 2)

    # ---- CF1: f_L = S_{L+1} - R_{L+1}^2/(T_{L+1} - R_{L+2}^2/(T_{L+2} - ...)) ----
    # modified Lentz; only the not-yet-converged entries are iterated
    f = S(L + 1).copy()
    f[f == 0] = tiny
    C = f.copy()
    D = np.zeros_like(f)
    sign = np.ones_like(f)
    idx = np.arange(f.size)
    j = 1
    while idx.size:
        Lj = L + j
        e, rr = eta[idx], rho[idx]
        a = -(1.0 + (e / Lj) ** 2)
        b = (2 * Lj + 1) * (1.0 / rr + e / (Lj * (Lj + 1.0)))
        Cn, Dn, delta = _lentz_step(a, b, C[idx], D[idx], tiny)
        D[idx], C[idx] = Dn, Cn
        sign[idx] = np.where(Dn < 0, -sign[idx], sign[idx])
        f[idx] *= delta
        idx = idx[np.abs(delta - 1.0) > eps]
        j += 1
        if j > maxit:
            raise RuntimeError("coulomb_fg: CF1 did not converge")
    # ---- downward recurrence of F from L to 0 (unnormalized) ----
    Fs = np.empty((L + 1, eta.size))
    Fps = np.empty((L + 1, eta.size))
    Fl = sign * 1e-30
    Fpl = f * Fl
    Fs[L], Fps[L] = Fl, Fpl
    for Lv in range(L, 0, -1):
        SL, RL = S(Lv), R(Lv)
        Fm = (SL * Fl + Fpl) / RL
        Fpm = SL * Fm - RL * Fl
        Fl, Fpl = Fm, Fpm
        # rescale to avoid overflow
        big = np.abs(Fl) > 1e250
        if np.any(big):
            sc = np.where(big, 1e-250, 1.0)
            Fs[Lv:] *= sc
            Fps[Lv:] *= sc
            Fl = Fl * sc
            Fpl = Fpl * sc
        Fs[Lv - 1], Fps[Lv - 1] = Fl, Fpl
    f0 = Fps[0] / Fs[0]
    # ---- CF2 at L=0: p+iq = i(1-eta/rho) + (i/rho) a1/(b1 + a2/(b2+...)) ----
    fz = np.full(eta.size, tiny, complex)
    Cz = fz.copy()
    Dz = np.zeros(eta.size, complex)
    idx = np.arange(eta.size)
    j = 1
    while idx.size:
        e, rr = eta[idx], rho[idx]
        a = (1j * e + (j - 1)) * (1j * e + j)
        b = 2.0 * (rr - e + 1j * j)
        Cn, Dn, delta = _lentz_step(a, b, Cz[idx], Dz[idx], tiny)
        Dz[idx], Cz[idx] = Dn, Cn
        fz[idx] *= delta
        idx = idx[np.abs(delta - 1.0) > eps]
        j += 1
        if j > maxit:
            raise RuntimeError("coulomb_fg: CF2 did not converge (|eta| too large for this rho?)")
    pq = 1j * (1.0 - eta / rho) + 1j / rho * fz
    p, q = pq.real, pq.imag
    F0 = np.sqrt(q / ((f0 - p) ** 2 + q * q)) * np.sign(Fs[0])
    scale = F0 / Fs[0]
    F = Fs * scale
    Fp = Fps * scale
    G = np.empty_like(F)
    Gp = np.empty_like(F)
    G[0] = (f0 - p) * F0 / q
    Gp[0] = p * G[0] - q * F0
    for Lv in range(0, L):
        S1, R1 = S(Lv + 1), R(Lv + 1)
        G[Lv + 1] = (S1 * G[Lv] - Gp[Lv]) / R1
        Gp[Lv + 1] = R1 * G[Lv] - S1 * G[Lv + 1]
    out = (F, Fp, G, Gp)
    return tuple(a.reshape((L + 1,) + shape) for a in out)


# --------------------------------------------------------------------------
