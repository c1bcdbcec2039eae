"""Event rates of a detector material in a reactor's antineutrino flux, per kg per day per keV, and what follows
from them: events above a threshold, the magnetic moment at which the magnetic signal equals the weak one, the
events recoil removes.

Rates are (formula units per kg) x flux x the flux-averaged cross section
<dsigma/dT> = int_{E_min(T)}^{E_MAX} phi(E) dsigma/dT(T, E) dE / int phi, E_min(T) = (T + sqrt(T**2 + 2 m_e T))/2
the smallest E_nu that reaches T (the end point inverted).  The E_nu integral runs over the smooth pieces
[E_min, 2 MeV] and [2 MeV, E_MAX] in log E_nu with Gauss-Legendre rules of n and n/2 nodes: the difference is
the error reported.  The recoil factors do not depend on E_nu (the paper's q range 0..oo), so each approximation is
(an effective electron count at T, :mod:`nusym.detectors.targets`) x (the flux-averaged free-electron cross
section at T).

Units, as everywhere in nusym's Python API: energies (T, E_nu, edges) in eV; the magnetic moment ``mu_nu`` in Bohr
magnetons; a flux in antineutrinos per cm^2 per s (``flux_cm2_s``); cross sections in cm^2/eV; rates in events per
kg per day per keV, integrated rates in events per kg per day.  (The command line reads T in keV unless told.)
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy

from nusym import constants as K
from nusym import numeric
from nusym import variables as V
from nusym.codegen.runtime import checked
from nusym.detectors.reactor import E_MAX, FIT_RANGE, Reactor
from nusym.detectors.targets import (APPROXIMATIONS, FLAVOURS, INTERACTIONS, MOMENTA, OPTIONAL_APPROXIMATIONS, Target,
                                     as_target, choice, electron_count, free_electron, recoil_window, shell_momentum)
from nusym.quadrature import check_nodes, gauss_legendre

__all__ = ["flux_averaged", "RateTable", "rates", "mu_at_equal_rates", "e_nu_min", "FLUX_RANGE", "T_RANGE", "COLUMNS",
           "column", "breakpoints", "Integrated", "events_above", "events_between", "EqualMoments", "equal_moments",
           "recoil_changes", "SECONDS_PER_DAY", "M_E"]

SECONDS_PER_DAY = 86400.0
M_E = float(K.M_E.value)
FLUX_RANGE = V.flux.allowed[:2]     # cm^-2 s^-1 (nusym.variables)
T_RANGE = V.T_detector.allowed[:2]  # eV (nusym.variables)


def e_nu_min(T):
    """The smallest neutrino energy that gives a free electron the energy T: (T + sqrt(T**2 + 2 m_e T))/2, eV,
    written (T + sqrt(T) sqrt(T + 2 m_e))/2 (no square of T to overflow); T in (0, 1e100]."""
    T = checked("e_nu_min", "T", T, 0.0, 1e100, True)
    out = (T + numpy.sqrt(T) * numpy.sqrt(T + 2 * M_E)) / 2
    return out[()] if out.ndim == 0 else out


def flux_averaged(T, reactor: Reactor, interaction: str = "weak", flavour: str = "nuebar", mu_nu: float = 1.0,
                  s2w: float = float(K.SIN2_THETA_W_MSBAR.value), n: int = 64):
    """(<dsigma/dT> per free electron in cm^2/eV, its error estimate) at each T (eV, 1-d numpy): the E_nu
    integral of the reactor's normalized spectrum times the free-electron cross section from E_min(T)."""
    choice("interaction", interaction, INTERACTIONS)
    choice("flavour", flavour, FLAVOURS)
    if not isinstance(reactor, Reactor):
        raise TypeError(f"reactor={reactor!r}: a nusym.detectors.reactor.Reactor")
    check_nodes(n)
    T = checked("flux_averaged", "T", T, 0.0, 1e100, True)
    if T.ndim > 1:
        raise ValueError(f"flux_averaged: T has shape {T.shape}; give a number or a 1-d sequence")
    T = numpy.atleast_1d(T)
    fe = free_electron(interaction, flavour, mu_nu, s2w)
    norm = reactor.neutrinos_per_fission()
    lo = e_nu_min(T)

    def rule(m):
        x, w = gauss_legendre(m)
        total = numpy.zeros_like(T)
        for a, b in ((lo, numpy.full_like(T, FIT_RANGE[0])), (numpy.maximum(lo, FIT_RANGE[0]), numpy.full_like(T, E_MAX))):
            inside = a < b
            la, lb = numpy.log(numpy.where(inside, a, 1.0)), numpy.log(numpy.where(inside, b, 2.0))
            u = (la + lb)[:, None] / 2 + (lb - la)[:, None] / 2 * x[None, :]
            E = numpy.exp(u)
            vals = reactor.spectrum(E) * fe(T[:, None], E) * E            # dE = E du
            total += numpy.where(inside, (lb - la) / 2 * (vals @ w), 0.0)
        return total / norm

    fine, coarse = rule(n), rule(n // 2)
    return fine, numpy.abs(fine - coarse)


@dataclass
class RateTable:
    """Event rates per kg per day per keV at each energy transfer T (eV), per interaction and approximation."""

    target: Target
    T: numpy.ndarray                # eV
    flux: float                     # cm^-2 s^-1
    mu_nu: float | None             # Bohr magnetons
    reactor: Reactor
    flavour: str
    momentum: str
    columns: dict = field(default_factory=dict)          # "weak_fe", ..., "mu_stepping_recoil" -> array
    integration_error: float = 0.0                        # the largest relative error estimate of <dsigma/dT>
    electrons: dict = field(default_factory=dict)         # (interaction, approximation) -> effective count
    per_mu2: dict = field(default_factory=dict)           # approximation -> magnetic rate at mu_nu = 1 mu_B

    @property
    def T_keV(self) -> numpy.ndarray:
        return self.T / 1e3

    def rows(self) -> list:
        names = list(self.columns)
        return [{"T_keV": float(t), **{c: float(self.columns[c][i]) for c in names}} for i, t in enumerate(self.T_keV)]


def column(interaction: str, approximation: str) -> str:
    """The name of a rate column: "weak_fe", "mu_stepping_recoil", ..."""
    return f"{interaction}_{approximation.replace('-', '_')}"


COLUMNS = tuple(column(i, a) for i in INTERACTIONS for a in APPROXIMATIONS)


def _in_range(name: str, value, lo: float, hi: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{name}={value!r}: a number in [{lo:g}, {hi:g}] {unit}")
    return float(value)


def _per_kg_day_keV(tgt: Target, flux: float) -> float:
    return tgt.formula_units_per_kg * flux * SECONDS_PER_DAY * 1e3


def rates(tgt, T, flux_cm2_s: float, mu_nu: float | None = None, reactor: Reactor | None = None,
          flavour: str = "nuebar", momentum: str = "virial", s2w: float = float(K.SIN2_THETA_W_MSBAR.value),
          n: int = 64, progress=None, approximations: tuple = APPROXIMATIONS) -> RateTable:
    """Weak and magnetic event rates (per kg day keV) of ``tgt`` at the energy transfers ``T`` (eV, in T_RANGE) in a
    flux ``flux_cm2_s`` (antineutrinos per cm^2 per s) of the reactor's spectrum; magnetic columns are zero without
    ``mu_nu`` (Bohr magnetons).  ``progress(done, total)`` is called as the T values are worked through;
    ``approximations`` among APPROXIMATIONS and OPTIONAL_APPROXIMATIONS ("central-field" needs T in
    CENTRAL_FIELD_T)."""
    tgt = as_target(tgt)
    reactor = Reactor() if reactor is None else reactor
    flux = _in_range("flux_cm2_s", flux_cm2_s, *FLUX_RANGE, "cm^-2 s^-1")
    if mu_nu is not None:
        mu_nu = V.kappa.check(mu_nu, "mu_nu")
    choice("flavour", flavour, FLAVOURS)
    choice("momentum", momentum, MOMENTA)
    approximations = (approximations,) if isinstance(approximations, str) else tuple(approximations)
    for a in approximations:
        choice("approximation", a, APPROXIMATIONS + OPTIONAL_APPROXIMATIONS)
    T = checked("rates", "T", T, *T_RANGE, False)
    if T.ndim > 1:
        raise ValueError(f"rates: T has shape {T.shape}; give a number or a 1-d sequence of eV")
    T = numpy.atleast_1d(T)
    per = _per_kg_day_keV(tgt, flux)
    table = RateTable(tgt, T, flux, mu_nu, reactor, flavour, momentum)
    worst = 0.0
    step = max(1, len(T) // 20)
    chunks = [slice(i, i + step) for i in range(0, len(T), step)]
    for interaction in INTERACTIONS:
        avg = numpy.zeros_like(T)                  # per free electron; magnetic at mu_nu = 1 mu_B
        for j, sl in enumerate(chunks):
            value, err = flux_averaged(T[sl], reactor, interaction, flavour, 1.0, s2w, n)
            avg[sl] = value
            with numpy.errstate(divide="ignore", invalid="ignore"):
                rel = numpy.where(value > 0, err / value, 0.0)
            worst = max(worst, float(rel.max(initial=0.0)))
            if progress:
                progress(j + 1 + (len(chunks) if interaction == "mu" else 0), 2 * len(chunks))
        for approximation in approximations:
            count = numpy.asarray(electron_count(tgt, T, interaction, approximation, momentum), dtype=float)
            table.electrons[(interaction, approximation)] = count
            rate = count * avg * per
            if interaction == "mu":
                table.per_mu2[approximation] = rate
                # mu_nu twice, not mu_nu**2: 1e-162**2 underflows, the rate (about 1e21 times it) does not
                rate = rate * mu_nu * mu_nu if mu_nu else numpy.zeros_like(rate)
            table.columns[column(interaction, approximation)] = rate
    table.integration_error = worst
    return table


def mu_at_equal_rates(table: RateTable, approximation: str = "stepping-recoil") -> numpy.ndarray:
    """The magnetic moment (Bohr magnetons) at which the magnetic rate dR/dT equals the weak one at each T of the
    table: the magnetic rate is mu_nu**2 times its value at 1 mu_B.  NaN where both rates vanish (T beyond every
    neutrino's reach)."""
    choice("approximation", approximation, APPROXIMATIONS)
    weak, mag = table.columns[column("weak", approximation)], table.per_mu2[approximation]
    with numpy.errstate(divide="ignore", invalid="ignore"):
        return numpy.where(mag > 0, numpy.sqrt(weak / numpy.where(mag > 0, mag, 1.0)), numpy.nan)


# ------------------------------------------------------------------ events above a threshold


def breakpoints(tgt, lo: float, hi: float, momentum: str = "virial") -> numpy.ndarray:
    """The T (eV) strictly inside (lo, hi) where a rate is not smooth: every subshell edge, both ends of every
    recoil window, and where E_min(T) crosses the spectrum's 2 MeV join and its end E_MAX."""
    tgt = as_target(tgt)
    pts = [t for t in (2 * e * e / (M_E + 2 * e) for e in (FIT_RANGE[0], E_MAX))]
    for atom, _ in tgt.atoms:
        for s in atom.shells:
            if s.binding is not None:
                pts += [s.binding, *recoil_window(shell_momentum(atom, s, momentum), s.binding, atom.mass)]
    return numpy.array(sorted({t for t in pts if lo < t < hi}))


@dataclass
class Integrated:
    """Events per kg per day with T between ``lo`` and ``hi`` (eV), per column, and each one's error estimate (the
    change from a rule of half the nodes on every piece)."""

    lo: float
    hi: float
    events: dict
    errors: dict
    per_mu2: dict                   # approximation -> magnetic events at mu_nu = 1 mu_B


def _pieces(cuts, n: int):
    """Gauss-Legendre rules of n and n/2 nodes in log T on each piece [cuts[i], cuts[i + 1]] (eV): per rule the
    nodes (pieces x nodes) and the weights of dT (the same shape)."""
    a, b = numpy.log(cuts[:-1]), numpy.log(cuts[1:])
    out = []
    for m in (n, n // 2):
        x, w = gauss_legendre(m)
        t = numpy.exp((a + b)[:, None] / 2 + (b - a)[:, None] / 2 * x[None, :])
        out.append((t, (b - a)[:, None] / 2 * w[None, :] * t))
    return out


def events_above(tgt, thresholds, end: float, flux_cm2_s: float, mu_nu: float | None = None,
                 reactor: Reactor | None = None, flavour: str = "nuebar", momentum: str = "virial",
                 s2w: float = float(K.SIN2_THETA_W_MSBAR.value), n: int = 32) -> list:
    """[:class:`Integrated`] per threshold: the event rates integrated over T from each threshold to ``end`` (eV),
    events per kg per day, piecewise between the :func:`breakpoints` and the thresholds (the rates jump at every
    edge) with Gauss-Legendre rules of n and n/2 nodes in log T on each piece; the difference is the error."""
    tgt = as_target(tgt)
    reactor = Reactor() if reactor is None else reactor
    check_nodes(n)
    end = _in_range("end", end, *T_RANGE, "eV")
    lows = [_in_range("threshold", t, *T_RANGE, "eV") for t in numpy.atleast_1d(numpy.asarray(thresholds, float))]
    if not lows or max(lows) >= end:
        raise ValueError(f"thresholds={thresholds!r}, end={end!r}: give thresholds below the end (eV)")
    cuts = numpy.unique(numpy.concatenate([lows, breakpoints(tgt, min(lows), end, momentum), [end]]))
    rules = _pieces(cuts, n)
    nodes = numpy.concatenate([t.ravel() for t, _ in rules])
    table = rates(tgt, nodes, flux_cm2_s, mu_nu, reactor, flavour, momentum, s2w)
    size = rules[0][0].size

    def per_piece(values):                       # per keV -> per eV of T; (fine, coarse) integral of each piece
        v = values / 1e3
        return [(v[:size].reshape(rules[0][0].shape) * rules[0][1]).sum(axis=1),
                (v[size:].reshape(rules[1][0].shape) * rules[1][1]).sum(axis=1)]
    pieces = {name: per_piece(v) for name, v in table.columns.items()}
    magnetic = {a: per_piece(v) for a, v in table.per_mu2.items()}
    out = []
    for lo in lows:
        above = cuts[:-1] >= lo
        events, errors, per_mu2 = {}, {}, {}
        for name, (fine, coarse) in pieces.items():
            events[name], errors[name] = float(fine[above].sum()), float(abs(fine[above].sum() - coarse[above].sum()))
        for a, (fine, coarse) in magnetic.items():
            per_mu2[a] = [float(fine[above].sum()), float(coarse[above].sum())]
        out.append(Integrated(lo, end, events, errors, per_mu2))
    return out


def events_between(tgt, lo: float, hi: float, flux_cm2_s: float, mu_nu: float | None = None,
                   reactor: Reactor | None = None, flavour: str = "nuebar", momentum: str = "virial",
                   s2w: float = float(K.SIN2_THETA_W_MSBAR.value), n: int = 32) -> Integrated:
    """The event rates integrated over T from ``lo`` to ``hi`` (eV): :func:`events_above` one threshold."""
    return events_above(tgt, [lo], hi, flux_cm2_s, mu_nu, reactor, flavour, momentum, s2w, n)[0]


@dataclass
class EqualMoments:
    """The magnetic moment (mu_B) at which the magnetic signal equals the weak one, per approximation, at a
    threshold: ``differential`` (dR_mu/dT = dR_weak/dT at T = threshold) and ``above_threshold`` (the events from
    the threshold to ``end`` equal), with the relative error of the latter.  None where both vanish."""

    threshold: float                # eV
    end: float                      # eV
    differential: dict
    above_threshold: dict
    above_threshold_error: dict


def equal_moments(tgt, threshold: float, end: float, reactor: Reactor | None = None, flavour: str = "nuebar",
                  momentum: str = "virial", s2w: float = float(K.SIN2_THETA_W_MSBAR.value)) -> EqualMoments:
    """:class:`EqualMoments` at the threshold asked for (eV, not the nearest tabulated T), the events integrated up
    to ``end`` (eV).  The flux cancels."""
    tgt = as_target(tgt)
    at = rates(tgt, [threshold], 1.0, None, reactor, flavour, momentum, s2w)
    above = events_between(tgt, threshold, end, 1.0, None, reactor, flavour, momentum, s2w)
    differential, integrated, errors = {}, {}, {}
    for a in APPROXIMATIONS:
        differential[a] = _ratio_root(at.columns[column("weak", a)][0], at.per_mu2[a][0])
        weak, mag = above.events[column("weak", a)], above.per_mu2[a][0]
        integrated[a] = _ratio_root(weak, mag)
        if integrated[a] is not None:
            rel = lambda x, e: e / x if x else 0.0
            errors[a] = 0.5 * (rel(weak, above.errors[column("weak", a)]) + rel(mag, abs(above.per_mu2[a][0]
                                                                                           - above.per_mu2[a][1])))
    return EqualMoments(float(threshold), float(end), differential, integrated, errors)


def _ratio_root(weak: float, mag: float):
    return math.sqrt(weak / mag) if mag > 0 else None


# ------------------------------------------------------------------ what recoil removes above a threshold
def recoil_changes(tgt, thresholds, end: float, interaction: str = "weak", momentum: str = "virial",
                   exact: bool = False, reactor: Reactor | None = None, flavour: str = "nuebar",
                   s2w: float = float(K.SIN2_THETA_W_MSBAR.value), n: int = 32) -> list:
    """[(relative change, its error)] per threshold: how much the events between the threshold and ``end`` (eV)
    change when the stepping approximation takes the recoil factors of Eq. (7) (``exact``: with T -> T - q**2/2M_a
    substituted everywhere, the ``*_exact`` kernels, which stay m_e/(M_a + m_e) below 1 far above the edge).

    The events removed are integrated directly, subshell by subshell, N_s int (1 - R_s(T)) r(T) dT with r the
    flux-averaged rate per free electron, on pieces cut at the edge, both ends of its recoil window and the
    thresholds (no difference of two nearly equal totals); the stepping events come from :func:`events_above`.  The
    error adds both integrals' changes from rules of half the nodes, relative."""
    tgt = as_target(tgt)
    reactor = Reactor() if reactor is None else reactor
    choice("interaction", interaction, INTERACTIONS)
    check_nodes(n)
    lows = [float(t) for t in numpy.atleast_1d(numpy.asarray(thresholds, float))]
    totals = events_above(tgt, lows, end, 1.0, None, reactor, flavour, momentum, s2w, n)
    name = "recoil_factor_weak" if interaction == "weak" else "recoil_factor_mu"
    factor = getattr(numeric, name + ("_exact" if exact else ""))
    groups = []                                   # (shell electrons x atoms, p, I, M_a, piece starts, rules)
    for atom, k in tgt.atoms:
        for s in atom.shells:
            if s.binding is None or s.binding >= end:
                continue
            p = shell_momentum(atom, s, momentum)
            t1, t2 = recoil_window(p, s.binding, atom.mass)
            top = end if exact else min(t2, end)       # Eq. (7) as printed: the factor is exactly 1 from T2 on
            cuts = numpy.unique([c for c in (s.binding, t1, t2, top, *lows) if s.binding <= c <= top])
            if len(cuts) > 1:
                groups.append((float(s.electrons) * k, p, s.binding, atom.mass, cuts[:-1], _pieces(cuts, n)))
    nodes = numpy.concatenate([t.ravel() for *_, rules in groups for t, _ in rules]) if groups else numpy.zeros(0)
    r = flux_averaged(nodes, reactor, interaction, flavour, 1.0, s2w)[0] if nodes.size else nodes
    per = _per_kg_day_keV(tgt, 1.0) / 1e3                   # per electron and eV -> events per kg per day
    removed = numpy.zeros((len(lows), 2))
    at = 0
    for electrons, p, I, M, starts, rules in groups:
        for j, (t, w) in enumerate(rules):
            values = r[at:at + t.size].reshape(t.shape)
            at += t.size
            piece = electrons * per * ((1 - factor(t, p, I, M)) * values * w).sum(axis=1)
            for i, lo in enumerate(lows):
                removed[i, j] += piece[starts >= lo].sum()
    out = []
    for (fine, coarse), total in zip(removed, totals):
        if interaction == "weak":                  # per unit flux; the magnetic events at 1 mu_B
            events, events_error = total.events["weak_stepping"], total.errors["weak_stepping"]
        else:
            events, events_error = total.per_mu2["stepping"][0], abs(total.per_mu2["stepping"][0]
                                                                     - total.per_mu2["stepping"][1])
        if events <= 0:
            out.append((0.0, 0.0))
            continue
        value = fine / events
        out.append((value, value * ((abs(fine - coarse) / fine if fine else 0.0) + events_error / events)))
    return out
