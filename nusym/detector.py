"""Cross sections of real detector materials and their event rates in a reactor's antineutrino flux.

Three approximations for the electrons of an atom (shells from :mod:`nusym.shells`), each a weighted count of
electrons times the free-electron cross section at the neutrino energy (``nusym.numeric``, full T/E_nu
dependence, zero beyond the end point T_max = 2 E_nu**2/(m_e + 2 E_nu)):

* ``"fe"``: Z free electrons (what many codes do);
* ``"stepping"``: each subshell's electrons count only above its edge, T > I (Kopeikin et al., the recoil
  paper's ref. [7]); electrons with no edge in Elam's tables count at every T;
* ``"stepping-recoil"``: each subshell's electrons weighted by the recoil factor of the recoil paper's Eq. (7),
  ``recoil_factor_weak``/``recoil_factor_mu`` (T, p, I, M_a), which is 0 at T <= I and 1 once q_a >= q_+.

The recoil factors need the shell's mean momentum p.  ``momentum="virial"`` (default) is the recoil paper's
p = sqrt(2 m_e I) for every subshell (exact for a hydrogen-like orbital); ``momentum="thomas-fermi"`` is the
paper's one scale alpha Z**(2/3) m_e for all electrons.  Either only moves the window above each edge where the
factor is below 1 (the paper's estimates 2p**2/M_a are 0.3 and 0.04 eV for the Ge K shell; the exact q_a = q_+
boundaries the kernels use lie 0.489 and 0.167 eV above the edge).

Cross sections are per formula unit (per atom for an element; NaI: one Na and one I), in cm^2/eV.  Rates are
events per kg per day per keV: (formula units per kg) x flux x the flux-averaged cross section
<dsigma/dT> = int_{E_min(T)}^{E_MAX} phi(E) dsigma/dT(T, E) dE / int phi, E_min(T) = (T + sqrt(T**2 + 2 m_e T))/2
the smallest E_nu that reaches T (the end point inverted).  The E_nu integral runs over the smooth pieces
[E_min, 2 MeV] and [2 MeV, E_MAX] in log E_nu with Gauss-Legendre rules of n and n/2 nodes: the difference is
the error reported.  The recoil factors do not depend on E_nu (the paper's q range 0..oo), so each approximation is
(an effective electron count at T) x (the flux-averaged free-electron cross section at T).
"""
from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass, field

import numpy

from . import constants as K
from . import numeric as N
from . import shells
from ._runtime import checked
from .reactor import E_MAX, FIT_RANGE, Reactor, gauss_legendre

__all__ = ["Target", "target", "APPROXIMATIONS", "INTERACTIONS", "FLAVOURS", "MOMENTA", "electron_count",
           "dsigma_dT", "flux_averaged", "RateTable", "rates", "mu_at_equal_rates", "e_nu_min", "shell_momentum",
           "AVOGADRO", "FLUX_RANGE", "T_RANGE_KEV", "render", "render_csv", "as_json", "plot"]

APPROXIMATIONS = ("fe", "stepping", "stepping-recoil")
INTERACTIONS = ("weak", "mu")
FLAVOURS = ("nuebar", "nue")
MOMENTA = ("virial", "thomas-fermi")
AVOGADRO = 6.02214076e23           # 1/mol, SI 2019 exact
SECONDS_PER_DAY = 86400.0
M_E = float(K.M_E.value)
FLUX_RANGE = (1e-10, 1e30)          # cm^-2 s^-1: the sun's is 6e10, a reactor's at 10 m ~1e13
T_RANGE_KEV = (1e-6, 1e4)           # 1 meV to 10 MeV (the reactor spectrum's end, beyond which every rate is 0)
NODES = (4, 4096)                   # Gauss-Legendre nodes of the E_nu integral, an even number in this range


@dataclass(frozen=True)
class Target:
    """A detector material: its formula, atoms (with their count per formula unit), molar mass in g/mol."""

    formula: str
    atoms: tuple                    # ((shells.Atom, count), ...)
    molar_mass: float
    data_version: str

    @property
    def formula_units_per_kg(self) -> float:
        return AVOGADRO * 1000.0 / self.molar_mass

    @property
    def electrons(self) -> int:
        return sum(a.Z * n for a, n in self.atoms)

    def edges(self) -> list:
        """(element, subshell, binding eV) of every subshell with an edge, deepest first."""
        out = [(a.symbol, s.name, s.binding) for a, _ in self.atoms for s in a.shells if s.binding is not None]
        return sorted(out, key=lambda e: -e[2])


_FORMULA = re.compile(r"([A-Z][a-z]?)(\d*)")


def target(formula: str) -> Target:
    """The :class:`Target` of a chemical formula of elements xraydb knows: "Ge", "Xe", "NaI", "CsI", "CaWO4"."""
    if not isinstance(formula, str):
        raise TypeError(f"target={formula!r}: give a chemical formula such as 'Ge' or 'NaI'")
    text = formula.strip()
    parts = _FORMULA.findall(text)
    if not text or len(text) > 40 or "".join(s + n for s, n in parts) != text:
        raise ValueError(f"target={formula!r} is not a chemical formula (element symbols, each with an optional "
                         "count: 'Ge', 'Xe', 'NaI', 'CsI', 'CaWO4')")
    counts: dict = {}
    for sym, n in parts:
        k = int(n) if n else 1
        if not 1 <= k <= 1000:
            raise ValueError(f"target={formula!r}: count {n} of {sym} is outside 1..1000")
        counts[sym] = counts.get(sym, 0) + k
    if sum(counts.values()) > 1000:
        raise ValueError(f"target={formula!r}: {sum(counts.values())} atoms per formula unit, more than 1000")
    atoms = []
    for sym, k in counts.items():
        try:
            atoms.append((shells.atom(sym), k))
        except ValueError as exc:
            hint = " (symbols are case sensitive: 'Ge', 'NaI')" if text.isupper() and len(text) > 1 else ""
            raise ValueError(f"target={formula!r}: {exc}{hint}") from None
    molar = sum(a.molar_mass * k for a, k in atoms)
    return Target(text, tuple(atoms), molar, atoms[0][0].data_version)


def _as_target(t) -> Target:
    return t if isinstance(t, Target) else target(t)


def _choice(name: str, value, allowed: tuple):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name}={value!r}: one of {allowed}")
    return value


def shell_momentum(atom, shell, momentum: str = "virial") -> float:
    """The mean momentum (eV) of a subshell's electrons in the recoil factors: virial sqrt(2 m_e I), or the
    atom's Thomas-Fermi scale alpha Z**(2/3) m_e."""
    _choice("momentum", momentum, MOMENTA)
    if momentum == "virial":
        return shell.p
    return float(K.ALPHA.value) * atom.Z ** (2.0 / 3.0) * M_E


def electron_count(tgt, T, interaction: str = "weak", approximation: str = "stepping-recoil",
                   momentum: str = "virial"):
    """The effective number of electrons per formula unit at energy transfer T (eV, numpy): Z, the electrons of
    the open subshells, or those weighted by the recoil factors of Eq. (7) (``interaction`` picks weak or mu)."""
    tgt = _as_target(tgt)
    _choice("interaction", interaction, INTERACTIONS)
    _choice("approximation", approximation, APPROXIMATIONS)
    _choice("momentum", momentum, MOMENTA)
    T = checked("electron_count", "T", T, 0.0, 1e100, True)
    total = numpy.zeros_like(T)
    factor = N.recoil_factor_weak if interaction == "weak" else N.recoil_factor_mu
    for atom, k in tgt.atoms:
        for s in atom.shells:
            n = float(s.electrons) * k
            if approximation == "fe" or s.binding is None:
                total = total + n
            elif approximation == "stepping":
                total = total + n * (T > s.binding)
            else:
                total = total + n * factor(T, shell_momentum(atom, s, momentum), s.binding, atom.mass)
    return total[()] if total.ndim == 0 else total


def _fe(interaction: str, flavour: str, mu_nu, s2w):
    if interaction == "mu":
        return lambda T, E: N.dsigma_mu_fe_enu(T, E, mu_nu)
    f = N.dsigma_weak_fe_nuebar if flavour == "nuebar" else N.dsigma_weak_fe_nue
    return lambda T, E: f(T, E, s2w)


def dsigma_dT(tgt, T, E_nu, interaction: str = "weak", approximation: str = "stepping-recoil",
              flavour: str = "nuebar", mu_nu: float = 1e-11, s2w: float = float(K.SIN2_THETA_W_MSBAR.value),
              momentum: str = "virial"):
    """dsigma/dT per formula unit (cm^2/eV) at energy transfer T and neutrino energy E_nu (eV, numpy,
    broadcast): the effective electron count times the free-electron cross section (module docstring)."""
    _choice("flavour", flavour, FLAVOURS)
    _choice("interaction", interaction, INTERACTIONS)
    T = checked("dsigma_dT", "T", T, 0.0, 1e100, True)
    count = electron_count(tgt, T, interaction, approximation, momentum)
    return count * _fe(interaction, flavour, mu_nu, s2w)(T, E_nu)


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
    _choice("interaction", interaction, INTERACTIONS)
    _choice("flavour", flavour, FLAVOURS)
    if not isinstance(reactor, Reactor):
        raise TypeError(f"reactor={reactor!r}: a nusym.reactor.Reactor")
    if isinstance(n, bool) or not isinstance(n, int) or n % 2 or not NODES[0] <= n <= NODES[1]:
        raise ValueError(f"n={n!r}: an even number of nodes in [{NODES[0]}, {NODES[1]}]")
    T = checked("flux_averaged", "T", T, 0.0, 1e100, True)
    if T.ndim > 1:
        raise ValueError(f"flux_averaged: T has shape {T.shape}; give a number or a 1-d sequence")
    T = numpy.atleast_1d(T)
    fe = _fe(interaction, flavour, mu_nu, s2w)
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
    """Event rates per kg per day per keV at each T (keV), per interaction and approximation."""

    target: Target
    T_keV: numpy.ndarray
    flux: float                     # cm^-2 s^-1
    mu_nu: float | None
    reactor: Reactor
    flavour: str
    momentum: str
    columns: dict = field(default_factory=dict)          # "weak_fe", ..., "mu_stepping_recoil" -> array
    integration_error: float = 0.0                        # the largest relative error estimate of <dsigma/dT>
    electrons: dict = field(default_factory=dict)         # (interaction, approximation) -> effective count
    per_mu2: dict = field(default_factory=dict)           # approximation -> magnetic rate at mu_nu = 1 mu_B

    def rows(self) -> list:
        names = list(self.columns)
        return [{"T_keV": float(t), **{c: float(self.columns[c][i]) for c in names}} for i, t in enumerate(self.T_keV)]


def _in_range(name: str, value, lo: float, hi: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{name}={value!r}: a number in [{lo:g}, {hi:g}] {unit}")
    return float(value)


def rates(tgt, T_keV, flux: float, mu_nu: float | None = None, reactor: Reactor | None = None,
          flavour: str = "nuebar", momentum: str = "virial", s2w: float = float(K.SIN2_THETA_W_MSBAR.value),
          n: int = 64, progress=None) -> RateTable:
    """Weak and magnetic event rates (per kg day keV) of ``tgt`` at the energy transfers ``T_keV`` in a flux
    ``flux`` (cm^-2 s^-1) of the reactor's spectrum; magnetic columns are zero without ``mu_nu`` (Bohr
    magnetons).  ``progress(done, total)`` is called as the T values are worked through."""
    tgt = _as_target(tgt)
    reactor = Reactor() if reactor is None else reactor
    flux = _in_range("flux", flux, *FLUX_RANGE, "cm^-2 s^-1")
    if mu_nu is not None:
        mu_nu = _in_range("mu_nu", mu_nu, 0.0, 1.0, "mu_B")
    _choice("flavour", flavour, FLAVOURS)
    _choice("momentum", momentum, MOMENTA)
    T_keV = checked("rates", "T", T_keV, *T_RANGE_KEV, False)
    if T_keV.ndim > 1:
        raise ValueError(f"rates: T has shape {T_keV.shape}; give a number or a 1-d sequence of keV")
    T_keV = numpy.atleast_1d(T_keV)
    T = T_keV * 1e3
    per_day_keV = tgt.formula_units_per_kg * flux * SECONDS_PER_DAY * 1e3
    table = RateTable(tgt, T_keV, flux, mu_nu, reactor, flavour, momentum)
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
        for approximation in APPROXIMATIONS:
            count = numpy.asarray(electron_count(tgt, T, interaction, approximation, momentum), dtype=float)
            table.electrons[(interaction, approximation)] = count
            rate = count * avg * per_day_keV
            if interaction == "mu":
                table.per_mu2[approximation] = rate
                rate = rate * mu_nu**2 if mu_nu else numpy.zeros_like(rate)
            table.columns[f"{interaction}_{approximation.replace('-', '_')}"] = rate
    table.integration_error = worst
    return table


def mu_at_equal_rates(table: RateTable, approximation: str = "stepping-recoil") -> numpy.ndarray:
    """The magnetic moment (Bohr magnetons) at which the magnetic rate equals the weak rate at each T: the magnetic
    rate is mu_nu**2 times its value at 1 mu_B.  NaN where both rates vanish (T beyond every neutrino's reach)."""
    _choice("approximation", approximation, APPROXIMATIONS)
    weak, mag = table.columns[f"weak_{approximation.replace('-', '_')}"], table.per_mu2[approximation]
    with numpy.errstate(divide="ignore", invalid="ignore"):
        return numpy.where(mag > 0, numpy.sqrt(weak / numpy.where(mag > 0, mag, 1.0)), numpy.nan)


# ------------------------------------------------------------------ output: text, CSV, JSON, figure
COLUMNS = ("weak_fe", "weak_stepping", "weak_stepping_recoil", "mu_fe", "mu_stepping", "mu_stepping_recoil")
UNITS = "events per kg per day per keV"


def describe(table: RateTable) -> list:
    """The lines saying what a table was computed from."""
    r = table.reactor
    fr = ", ".join(f"{k} {v:g}" for k, v in r.fractions.items())
    return [f"target {table.target.formula} ({table.target.electrons} electrons per formula unit, "
            f"{table.target.formula_units_per_kg:.6g} formula units per kg); shells: {table.target.data_version}",
            f"flux {table.flux:.6g} cm^-2 s^-1 of {'anti-nu_e' if table.flavour == 'nuebar' else 'nu_e'}; spectrum: "
            f"Huber (235U, 239Pu, 241Pu) and Mueller (238U), fission fractions {fr}; below 2 MeV: {r.below}",
            f"mu_nu {'not given (magnetic columns 0)' if not table.mu_nu else f'{table.mu_nu:g} mu_B'}; shell momentum "
            f"{table.momentum}; E_nu integral: largest relative error estimate {table.integration_error:.2g}",
            f"rates in {UNITS}"]


def render(table: RateTable, threshold_keV: float | None = None) -> str:
    out = describe(table)
    head = ("T_keV",) + COLUMNS
    out.append("  ".join(f"{h:>20}" if i else f"{h:>10}" for i, h in enumerate(head)))
    for row in table.rows():
        out.append("  ".join(f"{row[h]:>20.6e}" if i else f"{row[h]:>10.5g}" for i, h in enumerate(head)))
    out += [f"mu_nu at which the magnetic rate equals the weak rate at T = {t:g} keV: "
            + ", ".join(f"{k} " + (f"{v:.4g} mu_B" if v is not None else "undefined (both rates 0)")
                        for k, v in mus.items()) for t, mus in _equal(table, threshold_keV)]
    return "\n".join(out)


def _equal(table: RateTable, threshold_keV):
    """[(T, {approximation: mu_nu or None})] at the T of the table nearest ``threshold_keV`` (default: the first)."""
    t = table.T_keV[0] if threshold_keV is None else threshold_keV
    i = int(numpy.argmin(abs(table.T_keV - t)))
    mus = {a: float(mu_at_equal_rates(table, a)[i]) for a in APPROXIMATIONS}
    return [(float(table.T_keV[i]), {a: (None if math.isnan(v) else v) for a, v in mus.items()})]


def render_csv(table: RateTable) -> str:
    head = ("T_keV",) + COLUMNS
    lines = [",".join(head)] + [",".join(repr(row[h]) for h in head) for row in table.rows()]
    return "\n".join(lines)


def as_json(table: RateTable, threshold_keV: float | None = None) -> str:
    import json
    r = table.reactor
    return json.dumps({
        "target": table.target.formula, "units": UNITS, "rows": table.rows(),
        "flux_cm2_s": table.flux, "mu_nu": table.mu_nu or 0.0, "flavour": table.flavour,
        "spectrum": {"fractions": r.fractions, "below_2MeV": r.below, "neutrinos_per_fission": r.neutrinos_per_fission()},
        "shell_momentum": table.momentum, "integration_error": table.integration_error,
        "data_version": table.target.data_version,
        "mu_nu_equal_rates": [{"T_keV": t, **mus} for t, mus in _equal(table, threshold_keV)]}, indent=2,
        allow_nan=False)


def plot(table: RateTable, path: str, points: int = 400) -> None:
    """Rate spectra for ``table``'s target, flux and spectrum over its T range (weak, and magnetic where mu_nu was
    given; free electrons, stepping, stepping with recoil) on log axes, the subshell edges marked (matplotlib;
    format by suffix).  The curves are computed anew on ``points`` log-spaced T plus both sides of every edge, so
    that the steps are drawn where they are."""
    from matplotlib.figure import Figure
    lo, hi = float(table.T_keV.min()), float(table.T_keV.max())
    edges = [e / 1e3 for _, _, e in table.target.edges() if lo < e / 1e3 < hi]
    dense = numpy.unique(numpy.concatenate([numpy.geomspace(lo, hi, points), numpy.array(edges),
                                            numpy.array(edges) * (1 + 1e-6)]))
    table = rates(table.target, dense, table.flux, table.mu_nu, table.reactor, table.flavour, table.momentum)
    fig = Figure(figsize=(8, 5.5))
    ax = fig.add_subplot()
    styles = {"fe": ("--", "free electrons (Z x FE)"), "stepping": ("-", "stepping"),
              "stepping_recoil": (":", "stepping + recoil (Eq. 7)")}
    for inter, colour in (("weak", "tab:blue"), ("mu", "tab:red")):
        if inter == "mu" and not table.mu_nu:
            continue
        name = "weak" if inter == "weak" else f"magnetic, mu_nu = {table.mu_nu:g} mu_B"
        for key, (ls, label) in styles.items():
            y = table.columns[f"{inter}_{key}"]
            ax.plot(table.T_keV, numpy.where(y > 0, y, numpy.nan), ls, color=colour,        # log axes: no zeros
                    lw=1.4 if key != "fe" else 1.0, label=f"{name}: {label}")
    for el, shell, edge in table.target.edges():
        if lo <= edge / 1e3 <= hi:
            ax.axvline(edge / 1e3, color="0.7", lw=0.6, zorder=0)
            ax.text(edge / 1e3, 1.0, f" {el} {shell}", rotation=90, va="top", ha="left", fontsize=7, color="0.4",
                    transform=ax.get_xaxis_transform())
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("energy transfer T [keV]")
    ax.set_ylabel(f"dR/dT [{UNITS}]")
    ax.set_title(f"{table.target.formula}: flux {table.flux:.3g} cm$^{{-2}}$ s$^{{-1}}$, reactor spectrum "
                 f"({table.reactor.below} below 2 MeV)", fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, metadata={"Creator": "nusym rates"})
