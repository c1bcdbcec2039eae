"""The central-field ground state of germanium against Hartree-Fock tables nobody here computed.

Two ground-state properties of the model of ``real_atoms`` are set against nonrelativistic Hartree-Fock tables:

* the incoherent scattering function S(x) = Z - sum |form factors|^2 (Waller-Hartree, with the open 4p^2 shell's
  omega = 0 transitions left out): what int S dT over T > 0 of the model equals (central-field-incoherent-sum), against
  Hubbell et al., J. Phys. Chem. Ref. Data 4 (1975) 471 (xraylib ``SF_Compt``), at x = sin(theta/2)/lambda, so
  q = 4 pi x a_0 in atomic units;
* the Compton profiles J_nl(p_z) = 1/2 int_|p_z|^inf chi_nl(p)^2 p dp per electron, the impulse limit of S at large
  q, against Biggs, Mendelsohn & Mann, At. Data Nucl. Data Tables 16 (1975) 201 (xraylib ``ComptonProfile_Partial``,
  per electron; nonrelativistic Hartree-Fock for Z <= 35, one profile for both j parts), the j parts of a subshell weighted by 2j + 1.

The ground state is the pure LDA one (the model's ground state is always pure LDA); the Latter potential, which the
rates use for excited and continuum states and for the bound orbitals that must be orthogonal to them, is
reported beside it.  Both tables are compared at every one of their own nodes in range (xraylib interpolates
between them), and their rounding is the error allowance.
"""
import functools
import math

import numpy

from nusym.atoms import central_field
from nusym.atoms import structure as st
from nusym.derivations.real_atoms import BY_NUSYM, TABLE_BAND as BAND
from nusym.record import Bound, Evidence, result

# The tables' own nodes (xraylib returns the stored numbers there and interpolates between them): every one of
# Hubbell's x from 0.01 to 10 per angstrom and every one of Biggs' p_z
HUBBELL_X = (0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.065, 0.07, 0.075, 0.085, 0.09, 0.1, 0.15, 0.2, 0.25, 0.3,
             0.4, 0.5, 0.6, 0.65, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0)
BIGGS_PZ = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.4, 3.0, 4.0, 5.0,
            6.0, 7.0, 8.0, 10.0, 15.0, 20.0, 30.0, 40.0, 60.0, 100.0)
BIGGS_TWO_FIGURES_FROM = 10.0    # Biggs' profiles carry three significant figures below p_z = 10 a.u., two from there
BIGGS_SHELLS = {(1, 0): ("K",), (2, 0): ("L1",), (2, 1): ("L2", "L3"), (3, 0): ("M1",), (3, 1): ("M2", "M3"),
                (3, 2): ("M4", "M5"), (4, 0): ("N1",), (4, 1): ("N2", "N3")}
POTENTIALS = ("lda", "lda-latter")


def _xraylib():
    import xraylib
    return xraylib


def q_of_x(x) -> numpy.ndarray:
    """Momentum transfer in atomic units for x = sin(theta/2)/lambda in 1/angstrom: q = 4 pi x a_0."""
    return 4 * math.pi * numpy.asarray(x, float) * st.BOHR_CM * 1e8


def hubbell(element: str, x=HUBBELL_X) -> numpy.ndarray:
    """Hubbell's incoherent scattering function at Hubbell's x (1/angstrom), electrons."""
    xrl, z = _xraylib(), central_field.atomic_number(element)
    return numpy.array([xrl.SF_Compt(z, float(v)) for v in x])


def biggs(element: str, nl: tuple, pz=BIGGS_PZ) -> numpy.ndarray:
    """Biggs' Compton profile of subshell n l per electron: its j parts (per electron in xraylib) weighted 2j + 1."""
    xrl, z = _xraylib(), central_field.atomic_number(element)
    names = BIGGS_SHELLS[nl]
    weights = (1.0,) if len(names) == 1 else (nl[1] / (2 * nl[1] + 1), (nl[1] + 1) / (2 * nl[1] + 1))
    return numpy.array([sum(w * xrl.ComptonProfile_Partial(z, getattr(xrl, f"{s}_SHELL"), float(p))
                            for s, w in zip(names, weights)) for p in pz])


def figures_rounding(values, figures) -> numpy.ndarray:
    """Relative half unit of the last of ``figures`` significant figures of each value."""
    v = numpy.abs(numpy.asarray(values, float))
    return 0.5 * 10.0 ** (numpy.floor(numpy.log10(v)) - (numpy.asarray(figures) - 1)) / v


def biggs_rounding(values, pz=BIGGS_PZ) -> numpy.ndarray:
    """Relative rounding of Biggs' printed profiles at p_z: three figures below BIGGS_TWO_FIGURES_FROM, two from it."""
    return figures_rounding(values, numpy.where(numpy.asarray(pz) < BIGGS_TWO_FIGURES_FROM, 3, 2))


def decimals_rounding(values) -> numpy.ndarray:
    """Half a unit of the last decimal each value is printed with (the fewest decimals, up to 6, that give it back)."""
    out = []
    for v in numpy.asarray(values, float):
        d = next((d for d in range(7) if abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v))), 6)
        out.append(0.5 * 10.0 ** -d)
    return numpy.array(out)


def agreement(label: str, ratio, rel_rounding, where=None) -> Bound:
    """The largest |ratio - 1| within BAND, its error what the references' rounding can add at any point; ``where``
    names the points (the worst one is added to the label)."""
    dev = numpy.abs(numpy.asarray(ratio) - 1)
    k = int(numpy.argmax(dev))
    at = "" if where is None else f" (at {where[k]})"
    return Bound(label + at, float(dev[k]), float(numpy.max(dev + numpy.asarray(ratio) * rel_rounding) - dev[k]), BAND)


@functools.lru_cache(maxsize=2)
def models(element: str) -> dict:
    """{potential: the StructureFactor of ``element``'s ground state} (model thresholds: only bound states are used)."""
    atom = central_field.ground_state(element)
    return {pot: st.StructureFactor(atom, potential=pot) for pot in POTENTIALS}


def incoherent_table(element: str = "Ge", x=HUBBELL_X) -> dict:
    """{potential: model S at x (the omega > 0 part: int S dT)} and Hubbell's, electrons."""
    q = q_of_x(x)
    out = {pot: sf.incoherent(q)["S_w>0"] for pot, sf in models(element).items()}
    out["Hubbell"] = hubbell(element, x)
    return out


def compton_table(element: str = "Ge", pz=BIGGS_PZ) -> dict:
    """{(n, l): {potential: model J per electron, "Biggs": Biggs'}} at p_z (atomic units)."""
    sfs = models(element)
    return {nl: {**{pot: sf.compton_profile(*nl, numpy.asarray(pz, float)) for pot, sf in sfs.items()},
                 "Biggs": biggs(element, nl, pz)} for nl in sfs["lda"].subshells}


@result("central-field-incoherent-hubbell-germanium", "models", "-",
        """The incoherent scattering function of the central-field germanium atom agrees with Hubbell's Hartree-Fock
        incoherent scattering function to within 10 % at every tabulated x = sin(theta/2)/lambda from 0.01 to 10 per
        angstrom, read both as S and as its complement Z - S = sum |form factors|^2.""",
        by=BY_NUSYM, scope="Ge, the model's ground state (pure LDA potential); S = Z - sum |form factors|^2 with the "
                            "open 4p shell's transitions within itself left out (Hubbell's convention, and what int S "
                            "dT over T > 0 equals in the model: central-field-incoherent-sum); Hubbell's 38 nodes from "
                            "x = 0.01 to 10 per angstrom (q = 0.066-66 a.u.); the Latter potential's orbitals reported",
        cost=4)
def central_field_incoherent_hubbell_germanium():
    t = incoherent_table("Ge")
    z = central_field.atomic_number("Ge")
    ref = t["Hubbell"]
    ratio = {pot: t[pot] / ref for pot in POTENTIALS}
    rounding = decimals_rounding(ref)
    rows = "; ".join(f"x = {x:g} (q = {q:.3g}): Hubbell {h:.4g}, LDA/Hubbell {a:.4f}, Latter/Hubbell {b:.4f}"
                     for x, q, h, a, b in zip(HUBBELL_X, q_of_x(HUBBELL_X), ref, ratio["lda"], ratio["lda-latter"]))
    worst_latter = int(numpy.argmax(numpy.abs(ratio["lda-latter"] - 1)))
    xs = [f"x = {x:g}" for x in HUBBELL_X]
    sfs = models("Ge")
    e4p = {pot: sf.model.levels[(4, 1)] for pot, sf in sfs.items()}
    kin4p = {pot: 1.5 * sf.momentum_width(4, 1) ** 2 for pot, sf in sfs.items()}
    return Evidence("bounded", "no symbolic route: the model's ground state against Hubbell's tabulated numbers",
                    None, f"incoherent scattering functions of Ge (electrons): {rows}",
                    bounds=(agreement("largest |S/S_Hubbell - 1|", ratio["lda"], rounding / ref, xs),
                            agreement("largest |(Z - S)/(Z - S_Hubbell) - 1|", (z - t["lda"]) / (z - ref),
                                      rounding / (z - ref), xs)),
                    notes=f"error: Hubbell's rounding (half a unit of the last decimal printed, at each x); the model's "
                          f"own numerical error is that of central-field-incoherent-sum; with the Latter potential's "
                          f"orbitals the function is {ratio['lda-latter'][worst_latter]:.3f} of Hubbell's at x = "
                          f"{HUBBELL_X[worst_latter]:g}: Latter's -1/r tail binds 4p more ({e4p['lda-latter']:.4f} "
                          f"against {e4p['lda']:.4f} Hartree) with less kinetic energy ({kin4p['lda-latter']:.3f} "
                          f"against {kin4p['lda']:.3f}): it draws the orbital outward, where the tail is deeper than the "
                          "LDA potential, so the valence is more diffuse than Hartree-Fock's and the small-x function, "
                          "which counts <r^2> of the valence, comes out high")


@result("central-field-compton-biggs-germanium", "models", "-",
        """The Compton profiles of the central-field germanium atom's subshells 1s to 3d agree with Biggs' Hartree-Fock
        profiles to within 10 % at every tabulated p_z from 0 to 100 atomic units.""",
        by=BY_NUSYM, scope="Ge, the model's ground state (pure LDA potential), per electron, Biggs' 31 nodes from p_z "
                            "= 0 to 100 a.u.; 4s, 4p and the total reported, with the Latter potential's orbitals "
                            "beside", cost=8)
def central_field_compton_biggs_germanium():
    t = compton_table("Ge")
    rows = [f"{central_field.orbital_label(*nl)}: LDA/Biggs " + ", ".join(f"{r:.3f}" for r in d["lda"] / d["Biggs"])
            + "; Latter/Biggs " + ", ".join(f"{r:.3f}" for r in d["lda-latter"] / d["Biggs"]) for nl, d in t.items()]
    core = [nl for nl in t if nl[0] <= 3]
    ratio = numpy.concatenate([t[nl]["lda"] / t[nl]["Biggs"] for nl in core])
    rounding = numpy.concatenate([biggs_rounding(t[nl]["Biggs"]) for nl in core])
    where = [f"{central_field.orbital_label(*nl)}, p_z = {p:g}" for nl in core for p in BIGGS_PZ]
    occupancy = {nl: sub.N for nl, sub in models("Ge")["lda"].subshells.items()}
    total = {pot: sum(occupancy[nl] * d[pot] for nl, d in t.items()) for pot in (*POTENTIALS, "Biggs")}
    return Evidence("bounded", "no symbolic route: the model's momentum densities against Biggs' tabulated numbers",
                    None, f"J_nl(p_z) per electron, ratios at p_z = {', '.join(f'{p:g}' for p in BIGGS_PZ)}: "
                    + "; ".join(rows) + "; the total J(p_z) of the atom, LDA/Biggs "
                    + ", ".join(f"{r:.3f}" for r in total["lda"] / total["Biggs"]) + ", Latter/Biggs "
                    + ", ".join(f"{r:.3f}" for r in total["lda-latter"] / total["Biggs"]),
                    bounds=(agreement("largest |J/J_Biggs - 1| over 1s-3d", ratio, rounding, where),),
                    notes=f"error: what Biggs' rounding (three significant figures below p_z = "
                          f"{BIGGS_TWO_FIGURES_FROM:g} a.u., two from there) can add at any point; 4s and 4p, which "
                          "the LDA and the Hartree-Fock valence describe differently (and Latter's tail more so), are "
                          "shown, not bounded")
