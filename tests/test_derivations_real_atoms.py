"""The central-field results of `nusym verify` (nusym.derivations.real_atoms) and `nusym atom`: each verdict rests
on a comparison that flips when what it compares is mutated; the command's JSON, its bad usage and its figure."""
import json

import numpy
import pytest

from nusym import cli
from nusym.atoms import central_field
from nusym.derivations import real_atoms as R
from nusym.record import Verdict, judge


def test_nist_result_holds_and_flips_when_the_reference_moves(monkeypatch):
    monkeypatch.setattr(R, "NIST_ELEMENTS", ("Ge", "Na"))
    monkeypatch.setattr(R, "GRID_CHECK_ELEMENT", "Na")
    assert judge(R.central_field_nist.check()).verdict is Verdict.HOLDS
    true = central_field.nist_reference()

    def moved():
        data = json.loads(json.dumps(true))
        data["nist_lda"]["Ge"]["eigenvalues"]["3d"] += 1e-5          # a mutant reference: off by 1e-5 Hartree
        return data
    monkeypatch.setattr(R.central_field, "nist_reference", moved)
    out = judge(R.central_field_nist.check())
    assert out.verdict is Verdict.REFUTED and out.ok


def test_coulomb_limit_sees_a_factor_in_the_closed_form(monkeypatch):
    monkeypatch.setitem(R.COULOMB_SETTINGS, "n_max", 4)
    monkeypatch.setattr(R, "_coulomb_points", lambda: [(0.001, 0.5), (1.0, 1.0), (2.0, 0.5), (0.3, 2.0)])
    good = R.coulomb_limit(1)
    assert max(good[:4]) < 1e-8
    monkeypatch.setattr(R.hydrogen, "continuum", lambda t, q, f=R.hydrogen.continuum: f(t, q) * (1 + 1e-6))
    bad = R.coulomb_limit(1)
    assert bad[0] > 5e-7 and bad[1:4] == good[1:4]


def test_away_from_edges_excludes_ten_percent_around_each_edge():
    T = numpy.array([0.5, 1.1, 1.3, 1.6, 10.5, 12.3, 30.0])
    assert R.away_from_edges("Ge", T).tolist() == [False, False, False, True, False, True, True]


def test_kissel_is_per_electron_times_the_occupancy():
    import xraylib
    per_atom = sum(R.kissel("Ge", nl, [20.0])[0] for nl in R._KISSEL)
    assert abs(per_atom / xraylib.CSb_Photo_Total(32, 20.0) - 1) < 1e-9


def test_cli_json_shape_and_bad_element(capsys):
    assert cli.main(["atom", "Na", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"element", "potential", "total_energy_hartree", "orbitals"} <= set(data)
    assert data["element"] == "Na" and data["potential"] == "lda"
    assert [(o["n"], o["l"]) for o in data["orbitals"]] == [(1, 0), (2, 0), (2, 1), (3, 0)]
    assert all({"n", "l", "occupancy", "energy_hartree", "edge_eV"} <= set(o) for o in data["orbitals"])
    assert data["orbitals"][0]["edge_eV"] == pytest.approx(1070.8, abs=0.5) and data["orbitals"][3]["edge_eV"] is None
    assert abs(data["total_energy_hartree"] - (-161.44006)) < 1e-5
    assert cli.main(["atom", "Xx"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "element='Xx'" in err
    assert cli.main(["atom", "Na", "--plot", "out.txt"]) == 2


def test_figure_is_written(tmp_path):
    from nusym.cli import atom
    path = atom.draw("H", tmp_path / "h.png", points=6, photon_points=6)
    assert path.stat().st_size > 10000 and path.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["central_field_coulomb_limit", "central_field_photoabsorption_germanium",
                                  "central_field_z_or_z2_germanium", "central_field_bethe_sum",
                                  "central_field_incoherent_sum", "central_field_stepping_germanium"])
def test_the_verdicts(name):
    want = {"central_field_photoabsorption_germanium": Verdict.REFUTED,
            "central_field_z_or_z2_germanium": Verdict.REFUTED}.get(name, Verdict.HOLDS)
    out = judge(getattr(R, name).check())
    assert out.ok and out.verdict is want
