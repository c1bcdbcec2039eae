"""`nusym atom ELEMENT`: the central-field atom (nusym.atoms.central_field) beside Elam's edges, as a table, as JSON,
or drawn: S(T, q) as a map with the Bethe ridge and Eq. (4)'s q-, q+ edges, and the model's photoabsorption against
Kissel's and Elam's."""
from __future__ import annotations

import json
import math

from nusym.cli.messages import usage
from nusym.cli.paths import figure_out

__all__ = ["add_parsers", "atom_command", "orbitals_table", "draw"]


def add_parsers(sub) -> None:
    a = sub.add_parser("atom", help="the self-consistent central-field (LDA) atom: orbitals beside Elam's edges",
                       description="A nonrelativistic Kohn-Sham LDA atom (Slater + VWN5) on NIST's configuration: "
                                   "orbital energies beside Elam's edges (nusym.atoms.shells); --plot draws S(T, q) "
                                   "and the photoabsorption cross section.",
                       epilog="exit status: 0 computed, 2 bad usage, 3 could not finish")
    a.add_argument("element", help="element symbol (H to U) or atomic number")
    a.add_argument("--potential", choices=("lda", "lda-latter"), default="lda",
                   help="orbital energies in the self-consistent LDA potential (default) or with Latter's -1/r tail")
    a.add_argument("--json", action="store_true", help='JSON: {"element", "potential", "total_energy_hartree", '
                                                       '"orbitals": [{"n", "l", "occupancy", "energy_hartree", '
                                                       '"edge_eV", "edges_eV"}], "configuration"}')
    a.add_argument("--plot", metavar="FILE", help="also draw S(T, q) and sigma_gamma (matplotlib; .png, .svg, .pdf) of "
                                                  "the rates' model: Latter potential, Elam's thresholds, whatever "
                                                  "--potential is (about 15 s)")
    a.set_defaults(func=atom_command)


def orbitals_table(element, potential: str = "lda") -> dict:
    """The JSON the command prints: the ground state's orbitals (energies in ``potential``) with Elam's edges."""
    from nusym.atoms import central_field, shells
    atom = central_field.ground_state(element)
    try:
        elam = shells.atom(atom.symbol).shells
    except ValueError:                     # an element shells refuses (no consistent Elam table): no edges shown
        elam = ()
    rows = []
    for o in atom.orbitals:
        energy = o.energy if potential == "lda" else central_field.bound_state(atom, o.n, o.l, potential,
                                                                               grid=atom.grid).energy
        parts = {s.name: s.binding for s in elam if (s.n, s.l) == (o.n, o.l) and s.binding is not None}
        weights = {s.name: float(2 * s.j + 1) / (2 * (2 * o.l + 1)) for s in elam if s.name in parts}
        edge = sum(weights[k] * v for k, v in parts.items()) if parts and abs(sum(weights.values()) - 1) < 1e-9 \
            else None
        rows.append({"n": o.n, "l": o.l, "label": o.label, "occupancy": o.occupancy, "energy_hartree": energy,
                     "edge_eV": edge, "edges_eV": parts})
    return {"element": atom.symbol, "potential": potential, "configuration": atom.configuration,
            "total_energy_hartree": atom.total_energy, "orbitals": rows}


def atom_command(args) -> int:
    from nusym.atoms import configurations
    try:
        configurations.atomic_number(int(args.element) if args.element.isdigit() else args.element)
    except ValueError as exc:
        return usage("atom", str(exc))
    out = None
    if args.plot is not None:
        out, why = figure_out(args.plot)
        if out is None:
            return usage("atom", f"--plot {args.plot!r} {why}")
    element = int(args.element) if args.element.isdigit() else args.element
    table = orbitals_table(element, args.potential)
    if args.json:
        print(json.dumps(table, indent=1))
    else:
        from nusym.atoms.structure import HARTREE_EV
        print(f"{table['element']}: {table['configuration']}, nonrelativistic LDA (Slater + VWN5), total energy "
              f"{table['total_energy_hartree']:.6f} Hartree; orbital energies in the {args.potential} potential")
        print(f"{'orbital':>8} {'occupancy':>10} {'energy_hartree':>16} {'binding_eV':>12} {'Elam_edges_eV':>24}")
        for r in table["orbitals"]:
            edges = ", ".join(f"{k} {v:.1f}" for k, v in r["edges_eV"].items()) or "-"
            print(f"{r['label']:>8} {r['occupancy']:>10.4g} {r['energy_hartree']:>16.6f} "
                  f"{-r['energy_hartree'] * HARTREE_EV:>12.2f} {edges:>24}")
    if out is not None:
        draw(table["element"], out)
    return 0


def draw(element, path, points: int = 40, photon_points: int = 120):
    """Two panels: log10 S(T, q) (1/eV, Latter potential, Elam's thresholds) over T and q with the Bethe ridge
    q = sqrt(2 m_e T) and Eq. (4)'s q-, q+ = sqrt(p^2 + 2 m_e T) -+ p of the K and outermost shells (p = sqrt(2 m_e I));
    and the model's sigma_gamma against Kissel's (xraylib) and Elam's (xraydb).  Returns ``path``."""
    import numpy
    from matplotlib.figure import Figure
    from nusym import constants as K
    from nusym.atoms import shells
    from nusym.atoms import structure as st
    from nusym.output.figures import DPI
    m_e = float(K.M_E)
    T = numpy.geomspace(100.0, 30000.0, points)
    q = numpy.geomspace(0.3 * math.sqrt(2 * m_e * 100.0), 3.0 * math.sqrt(2 * m_e * 30000.0), points)
    S = st.structure_factor(element, T[None, :], q[:, None])
    fig = Figure(figsize=(12.0, 4.8), layout="constrained")
    fig.get_layout_engine().set(wspace=0.12)
    ax, bx = fig.subplots(1, 2)
    with numpy.errstate(divide="ignore"):
        img = ax.pcolormesh(T / 1e3, q / 1e3, numpy.log10(S), shading="nearest", cmap="viridis")
    fig.colorbar(img, ax=ax, label="log10 S(T, q) [1/eV]")
    ax.plot(T / 1e3, numpy.sqrt(2 * m_e * T) / 1e3, "w-", lw=1.2, label="Bethe ridge q = sqrt(2 m_e T)")
    sh = [s for s in shells.atom(element).shells if s.binding is not None]
    for s, style in ((sh[0], "--"), (sh[-1], ":")):
        p = math.sqrt(2 * m_e * s.binding)
        root = numpy.sqrt(p * p + 2 * m_e * T)
        ok = T > s.binding
        ax.plot(T[ok] / 1e3, (root - p)[ok] / 1e3, color="orange", ls=style, lw=1,
                label=f"Eq. (4)'s q-, q+ of the {s.name} shell (p = sqrt(2 m_e I))")
        ax.plot(T[ok] / 1e3, (root + p)[ok] / 1e3, color="orange", ls=style, lw=1)
    ax.set(xscale="log", yscale="log", xlabel="T [keV]", ylabel="q [keV]", ylim=(q[0] / 1e3, q[-1] / 1e3),
           title=f"{element}: central-field S(T, q) (Latter potential, Elam's thresholds)")
    ax.legend(fontsize="x-small", loc="lower right")
    Tp = numpy.geomspace(100.0, 30000.0, photon_points)
    model = st.photoabsorption(element, Tp) / 1e-24
    elam = shells.photoabsorption(element, Tp) / 1e-24
    bx.plot(Tp / 1e3, model, "k-", label="central field (dipole limit of S)")
    bx.plot(Tp / 1e3, elam, "C0--", label="Elam (xraydb)")
    kis = _kissel_total(element, Tp / 1e3)
    if kis is not None:
        bx.plot(Tp / 1e3, kis, "C3:", label="Kissel, sum of subshells (xraylib)")
    for s in sh:
        if 100 < s.binding < 30000:
            bx.axvline(s.binding / 1e3, color="0.8", lw=0.6,
                       label="Elam's edges" if s is next(x for x in sh if 100 < x.binding < 30000) else None)
    bx.set(xscale="log", yscale="log", xlabel="T [keV]", ylabel="sigma_gamma [barn/atom]",
           title=f"{element}: photoabsorption")
    bx.legend(fontsize="small")
    fig.savefig(path, dpi=DPI, metadata={"Creator": "nusym"})
    return path


def _kissel_total(element, T_keV):
    """Kissel's photoionization summed over subshells (xraylib CSb_Photo_Total), barn/atom; None without xraylib."""
    try:
        import xraylib
    except ImportError:
        return None
    from nusym.atoms.configurations import atomic_number
    z = atomic_number(element)
    out = []
    for e in T_keV:
        try:
            out.append(xraylib.CSb_Photo_Total(z, float(e)))
        except ValueError:
            out.append(float("nan"))
    return out
