"""The central-field atom (nusym.atoms.central_field, radial, continuum, coulomb_functions): NIST's LDA numbers,
the Latter tail, bound and continuum states of one potential, and bad input refused with its name."""
import math

import mpmath
import numpy
import pytest

from nusym.atoms import central_field as cf
from nusym.atoms import configurations
from nusym.atoms import continuum as cc
from nusym.atoms.coulomb_functions import coulomb_fg


def _nist(element):
    return cf.nist_reference()["nist_lda"][element]


@pytest.mark.parametrize("element", ["Ge", "Na"])
def test_nist_lda_eigenvalues_and_total_energy(element):
    atom = cf.ground_state(element)
    ref = _nist(element)
    assert atom.converged
    worst = max(abs(o.energy - ref["eigenvalues"][o.label]) for o in atom.orbitals)
    assert worst < 2e-6, worst
    assert abs(atom.total_energy - ref["Etot"]) < 1e-5
    assert sorted(o.label for o in atom.orbitals) == sorted(ref["eigenvalues"])


def test_the_reference_numbers_carry_their_sources():
    data = cf.nist_reference()["nist_lda"]
    for element in ("Ge", "Si", "Ar", "Xe", "Na", "I", "Cs"):
        assert "AtomEnergyLevels" in data[element]["Etot_source"]
        assert "pymatgen" in data[element]["eigenvalues_source"]


def test_configuration_text_and_nist_table_agree():
    got = cf.parse_configuration("[Ar] 3d10 4s2 4p2")
    want = [(n, l, float(k)) for (n, l), k in configurations.configuration("Ge").items()]
    assert got == want
    with pytest.raises(ValueError, match="configuration="):
        cf.parse_configuration("[Ar] 4x2")
    with pytest.raises(ValueError, match="occupancy"):
        cf.parse_configuration("1s3")


def test_latter_tail_and_its_effect_on_the_valence():
    atom = cf.ground_state("Ge")
    assert abs(atom.r_latter - 2.937105) < 1e-6
    r = atom.r
    far = r > atom.r_latter
    assert numpy.allclose(atom.V["lda-latter"][far] * r[far], -1.0, rtol=0, atol=1e-13)
    p_lda = atom.orbital(4, 1).energy
    p_lat = cf.bound_state(atom, 4, 1, "lda-latter", grid=atom.grid).energy
    assert abs(p_lda - (-0.149882)) < 2e-6 and abs(p_lat - (-0.180299)) < 2e-6


def test_bound_and_continuum_states_of_one_potential_are_orthogonal():
    atom = cf.ground_state("Ge")
    c = cc.continuum(atom, 1, [0.05, 0.5, 3.0], potential="lda-latter")
    o = cf.bound_state(atom, 4, 1, "lda-latter", grid=c.grid)
    overlap = c.P @ (c.grid.w * o.P)
    scale = numpy.abs(c.P) @ (c.grid.w * numpy.abs(o.P))
    assert numpy.all(numpy.abs(overlap) / scale < 1e-8), overlap / scale


def test_coulomb_functions_against_mpmath():
    eta, rho = -0.7, 3.3
    F, Fp, G, Gp = coulomb_fg(4, numpy.array([eta]), numpy.array([rho]))
    for l in range(5):
        f, g = float(mpmath.coulombf(l, eta, rho)), float(mpmath.coulombg(l, eta, rho))
        assert abs(F[l, 0] - f) < 1e-11 * math.hypot(f, g)
        assert abs(G[l, 0] - g) < 1e-11 * math.hypot(f, g)


def test_continuum_in_a_bare_coulomb_potential_is_the_energy_normalized_coulomb_function():
    from nusym.atoms.radial import extended_grid
    z, eps, l = 1.0, 0.5, 1
    k = math.sqrt(2 * eps)
    grid = extended_grid(1, 60.0, k_max=k, dr_max=0.005)
    c = cc.continuum_in_potential(grid, -z / grid.r, l, [eps], z, z, 10.0)
    for r in (0.5, 2.0, 8.0):
        i = int(numpy.searchsorted(grid.r, r))
        want = math.sqrt(2 / (math.pi * k)) * float(mpmath.coulombf(l, -z / k, k * grid.r[i]))
        assert abs(c.P[0, i] - want) < 1e-8 * math.sqrt(2 / (math.pi * k))
    assert abs(c.delta[0]) < 1e-7


@pytest.mark.parametrize("bad, match", [("Xx", "element='Xx'"), (0, "element=0"), (93, "element=93")])
def test_an_element_without_a_nist_configuration_is_refused(bad, match):
    with pytest.raises(ValueError, match=match):
        cf.ground_state(bad)


def test_bad_arguments_are_refused_with_their_names():
    atom = cf.ground_state("Na")
    with pytest.raises(ValueError, match="potential='hf'"):
        cf.bound_state(atom, 3, 0, "hf")
    with pytest.raises(ValueError, match="n=3, l=3"):
        cf.bound_state(atom, 3, 3)
    with pytest.raises(ValueError, match="energies="):
        cc.continuum(atom, 0, [0.1, -1.0])
    with pytest.raises(ValueError, match="energies="):
        cc.continuum(atom, 0, [float("nan")])
    with pytest.raises(ValueError, match="tol="):
        cf.ground_state("Na", tol=float("nan"))


@pytest.mark.slow
def test_nist_for_every_element_of_the_issue_and_grid_convergence():
    for element in ("Ge", "Si", "Ar", "Xe", "Na", "I", "Cs"):
        atom = cf.ground_state(element)
        ref = _nist(element)
        assert max(abs(o.energy - ref["eigenvalues"][o.label]) for o in atom.orbitals) < 2e-6
        assert abs(atom.total_energy - ref["Etot"]) < 1e-5
    fine = cf.ground_state("Ge", grid=cf.default_grid(32, h=0.00175))
    coarse = cf.ground_state("Ge")
    assert max(abs(a.energy - b.energy) for a, b in zip(fine.orbitals, coarse.orbitals)) < 1e-8
    assert abs(fine.total_energy - coarse.total_energy) < 1e-7
