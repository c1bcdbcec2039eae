"""Real detector materials: effective electron counts, cross sections, reactor rates against the mpmath reference
rates, `nusym rates` (table, CSV, JSON, figure) and bad input."""
import json
import math
import sys
from pathlib import Path

import numpy
import pytest

from nusym import cli
from nusym import detectors as D
from nusym.output import rates as report
from nusym import numeric
from nusym.detectors import reactor as R
from nusym.atoms import shells

HERE = Path(__file__).parent / "references"
STORED = json.loads((HERE / "values.json").read_text())
sys.path.insert(0, str(HERE))
import make_references  # noqa: E402


def test_targets_and_their_electrons():
    assert (D.target("Ge").electrons, D.target("NaI").electrons, D.target("CsI").electrons) == (32, 64, 108)
    nai = D.target("NaI")
    assert math.isclose(nai.molar_mass, shells.atom("Na").molar_mass + shells.atom("I").molar_mass, rel_tol=1e-15)
    assert D.target("CaWO4").electrons == 20 + 74 + 4 * 8
    assert math.isclose(D.target("Ge").formula_units_per_kg, 6.02214076e26 / 72.63, rel_tol=1e-14)


@pytest.mark.parametrize("formula, message", [("Gx", "not an element"), ("ge", "not a chemical formula"),
                                              ("", "not a chemical formula"), ("Ge0", "outside 1..1000"),
                                              ("Ge;rm", "not a chemical formula"), ("Am", "outside 1..92"),
                                              ("H" * 50, "not a chemical formula")])
def test_bad_targets_are_refused_by_name(formula, message):
    with pytest.raises(ValueError, match=message):
        D.target(formula)
    with pytest.raises(TypeError):
        D.target(32)


def test_electron_counts_step_at_the_edges():
    ge = shells.atom("Ge")
    k = ge.shell("K").binding
    count = lambda t, a, i="weak": float(D.electron_count("Ge", t, i, a))
    assert count(100.0, "stepping") == 14 and count(100.0, "fe") == 32          # M4,5 and N open at 100 eV
    assert count(k * (1 - 1e-12), "stepping") == 30 and count(k * (1 + 1e-12), "stepping") == 32
    assert count(k, "stepping-recoil") == 30                                   # T = I: the K factor is 0
    # within the recoil window the K electrons count partly, and fully once q_a >= q_+ (0.489 eV above the edge)
    assert 30 < count(k + 0.2, "stepping-recoil") < 32 and count(k + 0.6, "stepping-recoil") == 32
    assert count(k + 0.2, "stepping-recoil", "mu") != count(k + 0.2, "stepping-recoil", "weak")
    # the Thomas-Fermi momentum narrows the window
    assert float(D.electron_count("Ge", k + 0.2, "weak", "stepping-recoil", "thomas-fermi")) == 32


def test_cross_sections_are_counts_times_the_free_electron_kernels():
    T, E = numpy.array([150.0, 2000.0, 12000.0]), 1e6
    ref = D.electron_count("Ge", T, "weak", "stepping") * numeric.dsigma_weak_fe_nuebar(T, E, 0.23868)
    assert numpy.array_equal(D.dsigma_dT("Ge", T, E, "weak", "stepping"), ref)
    mu = D.dsigma_dT("Ge", T, E, "mu", "fe", mu_nu=1e-11)
    assert numpy.array_equal(mu, 32 * numeric.dsigma_mu_fe_enu(T, E, 1e-11))
    # beyond the free electron's end point nothing is counted
    assert D.dsigma_dT("Ge", 2e6, 1e6) == 0


def test_flux_average_converges_and_reports_its_error():
    """The Gauss-Legendre E_nu integral: its own error estimate below 1e-12, and rules of 32 to 256 nodes within
    1e-13 of each other (the independent check is against the mpmath rates below)."""
    core = R.Reactor()
    T = numpy.array([100.0, 3000.0, 30000.0, 2e6])
    value, err = D.flux_averaged(T, core, "weak")
    assert numpy.all(err <= 1e-12 * value)
    for n in (32, 128, 256):
        other, _ = D.flux_averaged(T, core, "weak", n=n)
        assert numpy.allclose(other, value, rtol=1e-13, atol=0)
    # beyond E_MAX's end point nothing reaches T
    assert D.flux_averaged(numpy.array([9.9e6]), core, "mu")[0][0] == 0


def test_e_nu_min_inverts_the_end_point():
    T = numpy.geomspace(1e-3, 1e7, 50)
    E = D.e_nu_min(T)
    assert numpy.allclose(2 * E * E / (510998.95069 + 2 * E), T, rtol=1e-14, atol=0)


@pytest.mark.parametrize("t_kev", make_references.RATE_T_KEV)
def test_ge_rates_against_the_mpmath_references(t_kev):
    """nusym.detectors (float kernels, Gauss-Legendre) against the stored 40-digit rates computed by mpmath from the
    Vogel-Engel formulas (tests/references/make_references.py): any drift of either fails."""
    table = D.rates("Ge", float(t_kev) * 1e3, float(make_references.RATE_FLUX), mu_nu=float(make_references.RATE_MU))
    for name in ("weak", "mu"):
        key = f"Ge {name}_stepping rate at T = {t_kev} keV, {make_references.RATE_FLUX} cm^-2 s^-1 [/kg/day/keV]"
        stored = float(STORED[key])
        for column in (f"{name}_stepping", f"{name}_stepping_recoil"):      # no edge within a recoil window here
            assert abs(table.columns[column][0] / stored - 1) < 1e-12, (key, column)


def test_magnetic_rate_scales_as_mu_squared_and_the_equal_rate_moment():
    a = D.rates("Ge", [1e3, 1e4], 1e13, mu_nu=1e-11)
    b = D.rates("Ge", [1e3, 1e4], 1e13, mu_nu=2e-11)
    assert numpy.allclose(b.columns["mu_fe"], 4 * a.columns["mu_fe"], rtol=1e-14)
    mu = D.mu_at_equal_rates(a)
    c = D.rates("Ge", [1e3], 1e13, mu_nu=float(mu[0]))
    assert math.isclose(c.columns["mu_stepping_recoil"][0], c.columns["weak_stepping_recoil"][0], rel_tol=1e-12)
    assert not D.rates("Ge", [1e3], 1e13).columns["mu_fe"].any()                # no mu_nu: zeros


def test_the_low_energy_treatment_moves_rates_by_percents_at_a_given_flux():
    """With the flux given directly, the spectrum below 2 MeV still matters through the T/E_nu and m_e T/E_nu^2
    terms: what `nusym rates --below-2mev` changes (README)."""
    T = [1e3, 1e4, 3e4]
    base = D.rates("Ge", T, 1e13, mu_nu=1e-11)
    zero = D.rates("Ge", T, 1e13, mu_nu=1e-11, reactor=R.Reactor(below="zero"))
    change = zero.columns["weak_fe"] / base.columns["weak_fe"] - 1
    assert 0.01 < change[0] < change[1] < change[2] < 0.2


@pytest.mark.parametrize("call, message", [
    (lambda: D.rates("Ge", [1e3], -1.0), "flux_cm2_s=-1.0"),
    (lambda: D.rates("Ge", [1e3], 1e13, mu_nu=2.0), "mu_nu=2.0"),
    (lambda: D.rates("Ge", [-1.0], 1e13), "T"),
    (lambda: D.dsigma_dT("Ge", 1e3, 1e6, "mu"), "mu_nu=None: interaction='mu' needs"),
    (lambda: D.events_between("Ge", 3e4, 1e3, 1.0), "give thresholds below the end"),
    (lambda: D.electron_count("Ge", 1.0, "strong"), "interaction='strong'"),
    (lambda: D.electron_count("Ge", 1.0, "weak", "exact"), "approximation='exact'"),
    (lambda: D.dsigma_dT("Ge", 1.0, 1e6, flavour="numu"), "flavour='numu'"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def run(argv, capsys):
    try:
        status = cli.main(argv)
    except SystemExit as exc:                       # argparse's own refusals leave through SystemExit
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


def test_rates_command_table_csv_json(capsys):
    args = ["rates", "--target", "Ge", "--flux", "2.7e13", "--mu-nu", "1e-11", "--T", "0.1,0.5,1,2,5,10:keV"]
    status, out, _ = run(args, capsys)
    assert status == 0 and "XrayDB database" in out and "(differential)" in out and "(threshold-integrated)" in out
    status, out, _ = run(args + ["--csv"], capsys)
    lines = out.strip().splitlines()
    head = [ln for ln in lines if ln.startswith("#")]
    assert any("rates in events per kg per day per keV" in ln for ln in head) and any("XrayDB" in ln for ln in head)
    lines = [ln for ln in lines if not ln.startswith("#")]
    assert lines[0] == "T_keV," + ",".join(D.COLUMNS) and len(lines) == 7
    status, out, _ = run(args + ["--json"], capsys)
    data = json.loads(out)
    assert data["target"] == "Ge" and [r["T_keV"] for r in data["rows"]] == [0.1, 0.5, 1.0, 2.0, 5.0, 10.0]
    assert set(data["rows"][0]) == {"T_keV", *D.COLUMNS}
    key = "Ge mu_stepping rate at T = 1 keV, 2.7e13 cm^-2 s^-1 [/kg/day/keV]"
    assert abs(data["rows"][2]["mu_stepping"] / float(STORED[key]) - 1) < 1e-12
    status, out, _ = run(["rates", "--target", "NaI", "--power", "3000", "--distance", "20", "--T", "1:10:keV",
                          "--points", "3", "--json"], capsys)
    data = json.loads(out)
    assert status == 0 and all(r["mu_fe"] == 0 for r in data["rows"]) and data["flux_cm2_s"] > 1e12


@pytest.mark.parametrize("target", ["Ge", "Si", "Xe", "Ar", "NaI", "CsI"])
def test_rates_of_every_detector_of_the_issue(target, capsys):
    status, out, _ = run(["rates", "--target", target, "--flux", "2.7e13", "--mu-nu", "2.9e-11", "--T", "0.2:30:keV",
                          "--json"], capsys)
    rows = json.loads(out)["rows"]
    assert status == 0 and len(rows) == 30
    for r in rows:
        assert 0 < r["weak_stepping_recoil"] <= r["weak_stepping"] <= r["weak_fe"]
        assert 0 < r["mu_stepping_recoil"] <= r["mu_stepping"] <= r["mu_fe"]


@pytest.mark.parametrize("argv, message", [
    (["--target", "Gx", "--flux", "1", "--T", "1:2"], "not an element"),
    (["--target", "Ge", "--flux", "-1", "--T", "1:2"], "--flux '-1'"),
    (["--target", "Ge", "--flux", "1", "--T", "30:0.2"], "inverted"),
    (["--target", "Ge", "--flux", "1", "--T", "1:2:GeV"], "unit 'GeV'"),
    (["--target", "Ge", "--flux", "1", "--T", "0:2"], "must be positive"),
    (["--target", "Ge", "--flux", "1", "--T", "1:2e9:eV"], "must lie in"),
    (["--target", "Ge", "--flux", "1", "--T", "2,1"], "increasing"),
    (["--target", "Ge", "--flux", "1e400", "--T", "1:2"], "--flux"),
    (["--target", "Ge", "--flux", "1_0", "--T", "1:2"], "--flux"),
    (["--target", "Ge", "--T", "1:2"], "give --flux"),
    (["--target", "Ge", "--flux", "1", "--power", "1", "--distance", "1", "--T", "1:2"], "give --flux"),
    (["--target", "Ge", "--power", "1", "--T", "1:2"], "give --flux"),
    (["--target", "Ge", "--flux", "1", "--T", "1:2", "--mu-nu", "5"], "--mu-nu"),
    (["--target", "Ge", "--flux", "1", "--T", "1:2", "--fractions", "U235=0.9"], "sum to"),
    (["--target", "Ge", "--flux", "1", "--T", "1:2", "--fractions", "U235=1,U235=0"], "twice"),
    (["--target", "Ge", "--flux", "1", "--T", "1:2", "--threshold", "50"], "--threshold"),
    (["--target", "Ge", "--flux", "1", "--T", "1:2", "--points", "1"], "--points"),
    (["--target", "Ge", "--flux", "1", "--T", "1:2", "--plot", "out.gif"], "--plot"),
    (["--target", "Ge", "--flux", "1e300", "--T", "1:2"], "[1e-10, 1e+30]"),
    (["--target", "Ge", "--power", "1e308", "--distance", "10", "--T", "1:2"], "--power"),
    (["--target", "Ge", "--power", "3000", "--distance", "1e-300", "--T", "1:2"], "--distance"),
    (["--target", "Ge", "--flux", "1", "--T", "1:inf"], "finite"),
    (["--target", "Ge", "--flux", "1", "--T", "1e-400:2"], "finite"),
    (["--target", "Ge", "--flux", "1", "--T", "1:1.0000000000000002", "--points", "5"], "too narrow"),
    (["--target", "GE", "--flux", "1", "--T", "1:2"], "case sensitive"),
    (["--target", "Ge", "--flux", "1", "--T", "1:2", "--csv", "--json"], "not allowed with"),
    (["--target", "Ge", "--flux", "1", "--T", "1:2", "--points", "0x10"], "invalid int"),
    (["--flux", "1", "--T", "1:2"], "required: --target"),
])
def test_rates_bad_usage_is_exit_2_with_one_line(argv, message, capsys):
    status, out, err = run(["rates", *argv], capsys)
    assert status == 2 and out == "" and message in err and err.count("\n") == 1, err


def test_rates_figure_is_drawn(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    path = tmp_path / "ge.png"
    status, _, err = run(["rates", "--target", "Ge", "--flux", "2.7e13", "--mu-nu", "2.9e-11", "--T", "0.2:30:keV",
                          "--plot", str(path)], capsys)
    assert status == 0 and f"wrote {path}" in err
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20000


def test_a_list_of_T_ignores_points(capsys):
    status, out, _ = run(["rates", "--target", "Ge", "--flux", "1e13", "--T", "1", "--points", "1", "--csv"], capsys)
    assert status == 0 and len([ln for ln in out.strip().splitlines() if not ln.startswith("#")]) == 2


def test_the_equal_rate_moment_does_not_depend_on_the_moment_given_and_json_is_strict(capsys):
    """mu_nu = 1e-200 squares to nothing, but the equal-rate moment comes from the rate at 1 mu_B; where both rates
    vanish it is null, never Infinity or NaN (which strict JSON readers refuse)."""
    a = D.rates("Ge", [1e3], 1e13, mu_nu=1e-11)
    b = D.rates("Ge", [1e3], 1e13, mu_nu=1e-200)
    assert b.columns["mu_fe"][0] == 0 and D.mu_at_equal_rates(b)[0] == D.mu_at_equal_rates(a)[0] > 0
    assert D.mu_at_equal_rates(D.rates("Ge", [1e3], 1e13))[0] == D.mu_at_equal_rates(a)[0]
    status, out, _ = run(["rates", "--target", "Ge", "--flux", "1e13", "--mu-nu", "1e-11", "--T", "0.001,0.1:keV",
                          "--json"], capsys)
    refuse = lambda c: (_ for _ in ()).throw(ValueError(c))
    data = json.loads(out, parse_constant=refuse)
    assert status == 0 and data["mu_nu_equal_rates"]["differential"]["stepping"] is None     # no shell open at 1 eV


def test_the_figure_without_a_magnetic_moment_and_with_zero_rates(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report.plot(D.rates("Ge", [1e3, 9.9e6], 1e13), str(tmp_path / "weak.png"))     # 9.9 MeV: every rate 0
    assert (tmp_path / "weak.png").stat().st_size > 10000


@pytest.mark.parametrize("call, error, message", [
    (lambda: D.rates("Ge", [1e3], 1e13, flavour="x"), ValueError, "flavour='x'"),
    (lambda: D.rates("Ge", [1e3], 1e13, momentum=None), ValueError, "momentum=None"),
    (lambda: D.rates("Ge", [[1e3, 2e3]], 1e13), ValueError, "1-d"),
    (lambda: D.rates("Ge", [1e3], 1e300), ValueError, "flux_cm2_s=1e\\+300"),
    (lambda: D.rates("Ge", 1e-300, 1e13), ValueError, "allowed range"),
    (lambda: D.rates("Ge", 0.5, 1e13), ValueError, "allowed range [1, "),
    (lambda: D.flux_averaged([1e3], R.Reactor(), interaction="x"), ValueError, "interaction='x'"),
    (lambda: D.flux_averaged([1e3], "x"), TypeError, "Reactor"),
    (lambda: D.flux_averaged([1e3], R.Reactor(), n=10**6), ValueError, "n=1000000"),
    (lambda: D.flux_averaged([1e3], R.Reactor(), n=7), ValueError, "even"),
    (lambda: D.e_nu_min("1"), TypeError, "str"),
    (lambda: D.e_nu_min(-1.0), ValueError, "allowed range"),
    (lambda: D.target("Ge1000Ge1000"), ValueError, "more than 1000"),
    (lambda: shells.photoabsorption("Ge", "1000"), TypeError, "str"),
    (lambda: shells.photoabsorption("Ge", 1e6), ValueError, "allowed range"),
    (lambda: R.Reactor().flux(power_W=1e9, distance_m=1e-200), ValueError, "distance"),
    (lambda: R.Reactor().spectrum(None), TypeError, "NoneType"),
])
def test_hostile_api_arguments_are_refused_by_name(call, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace("[", r"\[")):
        call()


def test_extreme_but_allowed_arguments_stay_quiet():
    import warnings
    with warnings.catch_warnings(), numpy.errstate(all="raise"):
        warnings.simplefilter("error")
        assert D.e_nu_min(1e100) > 1e100 / 2 and D.e_nu_min(5e-324) > 0
        assert R.Reactor().spectrum(1e90) == 0
        table = D.rates("Ge", [1.0, 1e7], 1e-10, mu_nu=1e-11)
        assert all(numpy.isfinite(v).all() for v in table.columns.values())
        assert math.isfinite(R.Reactor().flux(power_W=1e12, distance_m=0.1)) and R.Reactor().flux(power_W=1.0, distance_m=1e8) > 0


def test_the_threshold_is_evaluated_where_it_is_asked_for(capsys):
    """--threshold 2.8 with --T 1,5 used the nearest tabulated T (1 keV, 6.4e-12 mu_B); now the rates at 2.8 keV."""
    status, out, _ = run(["rates", "--target", "Ge", "--flux", "1e13", "--T", "1,5:keV", "--threshold", "2.8",
                          "--json"], capsys)
    m = json.loads(out)["mu_nu_equal_rates"]
    at = D.rates("Ge", [2800.0], 1e13)
    expect = math.sqrt(at.columns["weak_stepping"][0] / at.per_mu2["stepping"][0])
    assert status == 0 and m["T_keV"] == 2.8 and math.isclose(m["differential"]["stepping"], expect, rel_tol=1e-14)
    assert 1.05e-11 < expect < 1.09e-11
    above = m["above_threshold"]
    assert above["T_end_keV"] == 5.0 and above["stepping_recoil"] > expect and above["relative_error"]["fe"] < 1e-10


def test_the_threshold_integrated_events_against_a_dense_trapezoid():
    """events_between (Gauss-Legendre between the edges) against a trapezoid on 20 000 log-spaced T."""
    T = numpy.geomspace(200.0, 30000.0, 20000)
    t = D.rates("Ge", T, 1e13, mu_nu=1e-11)
    got = D.events_between("Ge", 200.0, 30000.0, 1e13, mu_nu=1e-11)
    for name in ("weak_stepping", "mu_stepping", "mu_fe"):
        trapezoid = float(numpy.sum((t.columns[name][1:] + t.columns[name][:-1]) / 2 * numpy.diff(T))) / 1e3
        assert math.isclose(got.events[name], trapezoid, rel_tol=1e-5), name   # the trapezoid: 1e-6 at the steps
        assert got.errors[name] < 1e-10 * got.events[name]


def test_threshold_in_ev_is_not_refused_for_a_rounding(capsys):
    status, out, err = run(["rates", "--target", "Ge", "--flux", "1e13", "--T", "700:800:eV", "--points", "3",
                            "--threshold", "0.7", "--csv"], capsys)
    rows = [ln for ln in out.splitlines() if ln and not ln.startswith("#")]
    assert status == 0 and rows[1].startswith("0.7,") and rows[-1].startswith("0.8,"), err


def test_a_tiny_allowed_magnetic_moment_does_not_underflow(capsys):
    status, out, _ = run(["rates", "--target", "Ge", "--flux", "2.7e13", "--mu-nu", "1e-162", "--T", "1,2",
                          "--json"], capsys)
    rows = json.loads(out)["rows"]
    assert status == 0 and all(0 < r["mu_fe"] < 1e-250 for r in rows)


def test_a_figure_of_zero_rates_comes_after_the_table(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    path = tmp_path / "zero.png"
    status, out, err = run(["rates", "--target", "Ge", "--flux", "1e13", "--T", "9800:10000", "--points", "3",
                            "--plot", str(path)], capsys)
    assert status == 0 and "T_keV" in out and path.stat().st_size > 5000 and f"wrote {path}" in err


@pytest.mark.parametrize("argv, message", [
    (["--mu-nu", "-1e-11"], "--mu-nu '-1e-11': a magnetic moment in Bohr magnetons in (0, 1]"),
    (["--T", "-1:1"], "LO = -1 must be positive"),
    (["--target", "Si"], "argument --target: given twice ('Ge' and 'Si')"),
    (["--threshold", "5"], "--threshold '5'"),
])
def test_rates_usage_found_by_the_attacker(argv, message, capsys):
    base = {"--target": "Ge", "--flux": "1e13", "--T": "1,5"}
    args = ["rates"]
    for k, v in base.items():
        if k not in argv or k == "--target":
            args += [k, v]
    status, out, err = run(args + argv, capsys)
    assert status == 2 and out == "" and message in err and err.count("\n") == 1, err


def test_non_ascii_digits_are_no_count():
    with pytest.raises(ValueError, match="not a chemical formula"):
        D.target("Ge\u0663")


def test_edge_labels_do_not_overprint():
    labels = report._edge_labels(D.target("Xe").edges(), 0.1, 60.0)
    names = [label for _, label in labels]
    assert "Xe L1-L3" in names and "Xe K" in names and "Xe M4,M5" in names
    ts = sorted(t for t, _ in labels)
    same = [b / a for a, b in zip(ts, ts[1:])]
    assert min(same) >= 1.0                       # one label per group, groups ordered


def test_the_figure_says_when_recoil_is_not_drawn(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    texts = []
    import matplotlib.figure
    real = matplotlib.figure.Figure.text
    monkeypatch.setattr(matplotlib.figure.Figure, "text", lambda self, *a, **k: texts.append(a[2]) or real(self, *a, **k))
    report.plot(D.rates("Ge", [200.0, 30000.0], 1e13, mu_nu=1e-11), str(tmp_path / "ge.png"))
    assert any("differs from stepping only within 0.49 eV above an edge" in t.replace("\n", " ") for t in texts)


@pytest.mark.slow
def test_central_field_columns_on_request(capsys):
    """approximation="central-field": the LDA atom's own count at E_nu >> T, within 2 % of stepping at 1 and 5 keV
    (central-field-stepping-germanium), its columns only when asked for, and T outside 0.1-30 keV refused."""
    plain = D.rates("Ge", [1e3, 5e3], 2.7e13, mu_nu=1e-11)
    assert "weak_central_field" not in plain.columns
    table = D.rates("Ge", [1e3, 5e3], 2.7e13, mu_nu=1e-11, approximations=D.APPROXIMATIONS + ("central-field",))
    for inter in ("weak", "mu"):
        ratio = table.columns[f"{inter}_central_field"] / table.columns[f"{inter}_stepping"]
        assert numpy.all(numpy.abs(ratio - 1) < 0.02), (inter, ratio)
    for formula in ("Si", "Xe", "Ar", "NaI", "CsI"):
        count = D.central_field_count(formula, [2e3, 2e4], "mu")
        assert numpy.all(count > 0) and numpy.all(count <= D.target(formula).electrons * 1.02), (formula, count)


def test_central_field_bad_range_is_refused_before_any_table(capsys):
    with pytest.raises(ValueError, match="T"):
        D.central_field_count("Ge", 50.0)
    assert cli.main(["rates", "--target", "Ge", "--flux", "2.7e13", "--T", "0.05,1", "--approximation",
                     "central-field"]) == 2
    assert "must lie in 0.1..30 keV" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--T", "1,5", "-j", "0"], "-j"), (["--T", "1,5", "-j", "2", "--scheduler", "tcp://h:1"], "both"),
    (["--T", "1,5", "--scheduler", " "], "--scheduler"),
    (["--T", "1,5", "--scheduler", "x" * 5000], "(5000 characters)"),
    (["--T", "0.1:30", "--points", "201"], "201 T values; a table takes at most 200"),
    (["--T", "1,5", "--target", "CaWO4NaK"], "has 5 elements; at most 4")])
def test_central_field_workers_and_sizes_are_checked_before_any_table(capsys, monkeypatch, argv, message):
    from nusym.atoms import structure_tables
    monkeypatch.setattr(structure_tables, "rate_tables", lambda *a, **k: pytest.fail("a table was computed"))
    target = [] if "--target" in argv else ["--target", "NaI"]
    assert cli.main(["rates", *target, "--flux", "2.7e13", "--approximation", "central-field", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and len(err) < 600


@pytest.mark.parametrize("option", [["-j", "2"], ["--scheduler", "tcp://h:1"]])
def test_workers_without_central_field_are_bad_usage_not_ignored(capsys, option):
    assert cli.main(["rates", "--target", "Ge", "--flux", "2.7e13", "--T", "1,5", *option]) == 2
    assert "applies to --approximation central-field's tables only" in capsys.readouterr().err
