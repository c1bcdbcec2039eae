"""Rate tables as text, CSV, JSON and figures: the output of `nusym rates`, apart from the physics of
:mod:`nusym.detectors`.

Every format says what it was computed from (target, shells' data version, flux, spectrum, mu_nu, the E_nu
integral's error) and in which units; CSV carries that in ``#`` comment lines above its header row.
"""
from __future__ import annotations

import json

import numpy

from nusym import __version__
from nusym.output.figures import DPI
from nusym.detectors.events import EqualMoments, RateTable, column, rates
from nusym.detectors.targets import APPROXIMATIONS, OPTIONAL_APPROXIMATIONS, recoil_window, shell_momentum

__all__ = ["UNITS", "describe", "render", "render_csv", "as_json", "plot", "DPI"]

UNITS = "events per kg per day per keV"
_KEY = {a: a.replace("-", "_") for a in APPROXIMATIONS + OPTIONAL_APPROXIMATIONS}        # JSON keys: underscores, as in the column names


def describe(table: RateTable) -> list:
    """The lines saying what a table was computed from, and in which units."""
    r = table.reactor
    fr = ", ".join(f"{k} {v:g}" for k, v in r.fractions.items())
    return [f"target {table.target.formula} ({table.target.electrons} electrons per formula unit, "
            f"{table.target.formula_units_per_kg:.6g} formula units per kg); shells: {table.target.data_version}",
            f"flux {table.flux:.6g} cm^-2 s^-1 of {'anti-nu_e' if table.flavour == 'nuebar' else 'nu_e'}; spectrum: "
            f"Huber (235U, 239Pu, 241Pu) and Mueller (238U), fission fractions {fr}; below 2 MeV: {r.below}",
            f"mu_nu {'not given (magnetic columns 0)' if not table.mu_nu else f'{table.mu_nu:g} mu_B'}; shell momentum "
            f"{table.momentum}; E_nu integral: largest relative error estimate {table.integration_error:.2g}",
            f"T in keV; rates in {UNITS}; nusym {__version__}"]


def _moment(v) -> str:
    return f"{v:.4g} mu_B" if v is not None else "undefined (both rates 0)"


def _moment_lines(m: EqualMoments) -> list:
    t, end = m.threshold / 1e3, m.end / 1e3
    diff = ", ".join(f"{a} {_moment(v)}" for a, v in m.differential.items())
    above = ", ".join(f"{a} {_moment(v)}" + (f" (+- {m.above_threshold_error[a]:.1g} relative)"
                                             if v is not None else "") for a, v in m.above_threshold.items())
    return [f"mu_nu at which dR_mu/dT = dR_weak/dT at T = {t:g} keV (differential): {diff}",
            f"mu_nu at which the magnetic events equal the weak events from T = {t:g} to {end:g} keV "
            f"(threshold-integrated): {above}"]


def render(table: RateTable, moments: EqualMoments | None = None) -> str:
    out = describe(table)
    head = ("T_keV",) + tuple(table.columns)
    out.append("  ".join(f"{h:>20}" if i else f"{h:>10}" for i, h in enumerate(head)))
    for row in table.rows():
        out.append("  ".join(f"{row[h]:>20.6e}" if i else f"{row[h]:>10.5g}" for i, h in enumerate(head)))
    return "\n".join(out + (_moment_lines(moments) if moments is not None else []))


def render_csv(table: RateTable) -> str:
    """CSV with ``#`` lines of provenance and units above the header row (pandas: ``comment="#"``)."""
    head = ("T_keV",) + tuple(table.columns)
    lines = [f"# {line}" for line in describe(table)]
    lines += [",".join(head)] + [",".join(repr(row[h]) for h in head) for row in table.rows()]
    return "\n".join(lines)


def _moments_json(m: EqualMoments) -> dict:
    return {"T_keV": m.threshold / 1e3, "differential": {_KEY[a]: v for a, v in m.differential.items()},
            "above_threshold": {"T_end_keV": m.end / 1e3, **{_KEY[a]: v for a, v in m.above_threshold.items()},
                                "relative_error": {_KEY[a]: e for a, e in m.above_threshold_error.items()}}}


def as_json(table: RateTable, moments: EqualMoments | None = None) -> str:
    r = table.reactor
    data = {
        "target": table.target.formula, "units": UNITS, "rows": table.rows(),
        "flux_cm2_s": table.flux, "mu_nu": table.mu_nu or 0.0, "flavour": table.flavour,
        "spectrum": {"fractions": r.fractions, "below_2MeV": r.below, "neutrinos_per_fission": r.neutrinos_per_fission()},
        "shell_momentum": table.momentum, "integration_error": table.integration_error,
        "data_version": table.target.data_version, "nusym_version": __version__}
    if moments is not None:
        data["mu_nu_equal_rates"] = _moments_json(moments)
    return json.dumps(data, indent=2, allow_nan=False)


# ------------------------------------------------------------------ the figure
def _edge_labels(edges, lo, hi):
    """Edges inside [lo, hi] keV grouped where their labels would overprint (closer than 12 % in T): [(T keV of
    the group's lowest edge, its label)], e.g. 'Ge L1-L3'."""
    inside = sorted((e / 1e3, el, shell) for el, shell, e in edges if lo <= e / 1e3 <= hi)
    groups = []
    for t, el, shell in inside:
        if groups and t / groups[-1][-1][0] < 1.12 and groups[-1][-1][1] == el:
            groups[-1].append((t, el, shell))
        else:
            groups.append([(t, el, shell)])
    out = []
    for g in groups:
        names = sorted({s for _, _, s in g}, key=lambda s: (s[0], int(s[1:] or 0)))
        shown = names[0] if len(names) == 1 else f"{names[0]}-{names[-1]}" if len(names) > 2 else ",".join(names)
        out.append((g[0][0], f"{g[0][1]} {shown}"))
    return out


def plot(table: RateTable, path: str, points: int = 400) -> None:
    """Rate spectra for ``table``'s target, flux and spectrum over its T range (weak, and magnetic where mu_nu was
    given; free electrons, stepping, stepping with recoil, and the central-field atom at the table's own T where the
    table has it) on log axes, the subshell edges marked (matplotlib;
    format by suffix, DPI dots per inch for raster formats).  The curves are computed anew on ``points``
    log-spaced T plus both sides of every edge, so that the steps are drawn where they are.  Where stepping with
    recoil cannot be told from stepping on the figure (every point within 0.1 %), the legend says so instead of
    drawing a hidden curve; a T range where every rate is 0 gets a figure that says so."""
    from matplotlib.figure import Figure
    lo, hi = float(table.T.min()), float(table.T.max())
    central = {i: table.columns[column(i, "central-field")] for i in ("weak", "mu")
               if column(i, "central-field") in table.columns}   # markers at the table's own T (no line across edges)
    central_T = table.T
    edges = [e for _, _, e in table.target.edges() if lo < e < hi]
    dense = numpy.unique(numpy.concatenate([numpy.geomspace(lo, hi, points), numpy.array(edges),
                                            numpy.array(edges) * (1 + 1e-6)]))
    table = rates(table.target, dense, table.flux, table.mu_nu, table.reactor, table.flavour, table.momentum)
    mu = table.mu_nu
    windows = numpy.zeros(table.T.shape, dtype=bool)           # T inside a recoil window above an edge
    width = 0.0
    for atom, _ in table.target.atoms:
        for s in atom.shells:
            if s.binding is not None:
                top = recoil_window(shell_momentum(atom, s, table.momentum), s.binding, atom.mass)[1]
                windows |= (table.T > s.binding) & (table.T < top)
                width = max(width, top - s.binding)
    fig = Figure(figsize=(10, 5.5))
    ax = fig.add_axes((0.1, 0.11, 0.58, 0.8))
    drawn, notes = False, []
    for inter, colour in (("weak", "tab:blue"), ("mu", "tab:red")):
        if inter == "mu" and not mu:
            continue
        name = "weak" if inter == "weak" else "magnetic"
        step, rec = table.columns[column(inter, "stepping")], table.columns[column(inter, "stepping-recoil")]
        with numpy.errstate(divide="ignore", invalid="ignore"):
            change = numpy.where(step > 0, abs(rec / step - 1), 0.0)
        hidden = float(change[~windows].max(initial=0.0)) < 1e-3       # recoil acts within sub-pixel windows only
        notes += [name] if hidden else []
        styles = [("fe", "--", 1.0, "free electrons (Z x FE)"),
                  ("stepping", "-", 1.6, "stepping" + (" (= stepping + recoil)" if hidden else ""))]
        if not hidden:
            styles.append(("stepping-recoil", ":", 1.6, "stepping + recoil (Eq. 7)"))
        for approximation, ls, lw, label in styles:
            y = table.columns[column(inter, approximation)]
            if (y > 0).any():
                ax.plot(table.T / 1e3, numpy.where(y > 0, y, numpy.nan), ls, color=colour, lw=lw,   # log axes
                        label=f"{name}: {label}")
                drawn = True
        if inter in central and (central[inter] > 0).any():
            ax.plot(central_T / 1e3, numpy.where(central[inter] > 0, central[inter], numpy.nan), "o", ms=4,
                    color=colour, mfc="white", label=f"{name}: central field (LDA atom), at the table's T")
            drawn = True
    ax.set_xscale("log")
    ax.set_xlim(lo / 1e3, hi / 1e3)
    if drawn:
        ax.set_yscale("log")
    else:
        ax.text(0.5, 0.5, "every rate is 0 in this T range\n(no reactor antineutrino reaches it)",
                transform=ax.transAxes, ha="center", va="center", fontsize=11)
    for _, _, e in table.target.edges():
        if lo <= e <= hi:
            ax.axvline(e / 1e3, color="0.75", lw=0.6, zorder=0)
    for k, (t, label) in enumerate(_edge_labels(table.target.edges(), lo / 1e3, hi / 1e3)):
        ax.text(t, 0.99 if k % 2 == 0 else 0.84, f" {label}", rotation=90, va="top", ha="right", fontsize=7,
                color="0.35", transform=ax.get_xaxis_transform())
    ax.set_xlabel("energy transfer T [keV]")
    ax.set_ylabel(f"dR/dT [{UNITS}]")
    moment = f"mu_nu = {mu:g} mu_B" if mu else "no magnetic moment"
    ax.set_title(f"{table.target.formula}: flux {table.flux:.3g} cm$^{{-2}}$ s$^{{-1}}$, {moment}, reactor spectrum "
                 f"({table.reactor.below} below 2 MeV)", fontsize=9)
    if drawn:
        ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, frameon=False)
    import textwrap
    wrapped = textwrap.fill(f"stepping + Eq. 7 recoil ({' and '.join(notes)}) differs from stepping only within "
                            f"{width:.2g} eV above an edge, invisible here: not drawn", 48) if notes else ""
    fig.text(0.70, 0.11, (wrapped + "\n\n" if wrapped else "") + f"shells: {table.target.data_version}\n"
             f"nusym {__version__}", fontsize=6.5, color="0.35", va="bottom")
    fig.savefig(path, dpi=DPI, metadata={"Creator": f"nusym {__version__} rates"})

