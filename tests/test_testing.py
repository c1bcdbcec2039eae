"""nusym.testing, `nusym compare` and `nusym references`: correct implementations pass with their worst error shown;
a corpus of realistic slips, typed in as a user would, is caught and each classified as what it is."""
import json
import shutil
import subprocess

import numpy
import pytest

from nusym import cli, numeric
from nusym.testing import assert_matches, compare

G_F, M_E, ALPHA, HBAR_C = 1.1663787e-23, 510998.95069, 7.2973525643e-3, 1.973269804593025e-5
FAST = dict(points=60)


def vogel_engel(T, E, s2w, antineutrino=True, square=True, end_point=True):
    """The free-electron weak cross section (cm^2/eV) as a user types it: 2 G_F^2 m_e/pi [g_L^2 + g_R^2 (1 - T/E)^2
    - g_L g_R m_e T/E^2], couplings swapped for antineutrinos, zero from T_max = 2E^2/(m_e + 2E)."""
    T, E = numpy.asarray(T, float), numpy.asarray(E, float)
    g_l, g_r = 0.5 + s2w, s2w
    if antineutrino:
        g_l, g_r = g_r, g_l
    y = (1 - T / E) ** 2 if square else 1 - T**2 / E**2
    value = 2 * G_F**2 * M_E / numpy.pi * (g_l**2 + g_r**2 * y - g_l * g_r * M_E * T / E**2) * HBAR_C**2
    return numpy.where(T < (2 * E**2 / (M_E + 2 * E) if end_point else E), value, 0.0)


def magnetic(T, mu_nu, pi=numpy.pi):
    """pi alpha^2 mu_nu^2/(m_e^2 T) in cm^2/eV, mu_nu in Bohr magnetons."""
    return pi * ALPHA**2 / M_E**2 * mu_nu**2 / numpy.asarray(T, float) * HBAR_C**2


def test_the_generated_kernel_passes_with_its_worst_error_shown():
    result = assert_matches(numeric.q_minus, "q_minus", **FAST)
    assert result.passed and 0 < result.worst_ratio <= 4
    assert "within the bar at all 120 points; worst" in str(result)


def test_units_by_name_keV_in_and_cm2_per_keV_out():
    keV = lambda T_keV, p_keV: numeric.q_plus(T_keV * 1e3, p_keV * 1e3) / 1e3
    assert compare(keV, "q_plus", units={"T": "keV", "p": "keV", "result": "keV"}, **FAST).passed
    assert not compare(keV, "q_plus", **FAST).passed                                # undeclared units fail
    per_keV = lambda T, mu: numeric.dsigma_mu_fe(T, mu) * 1e3
    assert compare(per_keV, "dsigma_mu_fe", units={"result": "cm2/keV"}, **FAST).passed
    assert not compare(per_keV, "dsigma_mu_fe", units={"result": "barn/keV"}, **FAST).passed


def test_a_scalar_implementation_is_called_point_by_point():
    import math
    scalar = lambda T, p: math.sqrt(p * p + 2 * M_E * T) - p if T > 0 else 0.0
    result = compare(scalar, "q_minus", **FAST)
    assert result.how_called == "point by point" and not result.passed


SLIPS = [
    ("pi = 3.14159 in the magnetic cross section", lambda T, mu: magnetic(T, mu, pi=3.14159), "dsigma_mu_fe", {},
     "constant or convention", "pi typed as 3.14159, to the power 1"),
    ("a binding energy's keV scaled by 1e-3 twice",
     lambda T, p, I, M: numeric.recoil_factor_weak(T, p, I * 1e-3, M), "recoil_factor_weak", {},
     "another formula", "I x 1e-3"),
    ("g_L and g_R swapped between nu_e and nubar_e", lambda T, E, s: vogel_engel(T, E, s, antineutrino=False),
     "dsigma_weak_fe_nuebar", {}, "another formula", "the formula of dsigma_weak_fe_nue instead"),
    ("(1 - T/E)^2 written as 1 - T^2/E^2", lambda T, E, s: vogel_engel(T, E, s, square=False),
     "dsigma_weak_fe_nuebar", {}, "power law", "T^1.0"),
    ("sin^2 theta_W = 0.2312 inside", lambda T, E, s: vogel_engel(T, E, 0.2312), "dsigma_weak_fe_nuebar", {},
     "another formula", "sin2_theta_w fixed at the MS-bar value at the Z mass, 0.2312"),
    ("q_minus by direct subtraction", lambda T, p: numpy.sqrt(p * p + 2 * M_E * T) - p, "q_minus", {},
     "cancellation", "rationalize sqrt(A) - B"),
    ("M_a in MeV where eV is expected", lambda T, p, I, M: numeric.recoil_factor_mu(T, p, I, M * 1e-6),
     "recoil_factor_mu", {}, "another formula", "M_a x 1e-6 (MeV given where eV is expected)"),
    ("the end point T_max replaced by E", lambda T, E, s: vogel_engel(T, E, s, end_point=False),
     "dsigma_weak_fe_nuebar", {}, "branch", "a wrong branch"),
    ("a float32 implementation",
     lambda T, p: (numpy.float32(p) + numpy.sqrt(numpy.float32(p) ** 2 + numpy.float32(2 * M_E) * numpy.float32(T)))
     .astype(float), "q_plus", {}, "float32", "single precision"),
]


@pytest.mark.parametrize("slip, func, kernel, options, kind, says", SLIPS, ids=[s[0] for s in SLIPS])
def test_each_slip_is_caught_and_classified(slip, func, kernel, options, kind, says):
    result = compare(func, kernel, **FAST, **options)
    assert not result.passed, slip
    assert result.diagnosis.kind == kind, str(result)
    assert says in result.diagnosis.summary, str(result)
    with pytest.raises(AssertionError, match=kind):
        assert_matches(func, kernel, **FAST, **options)


def test_the_reactor_spectra_compare_and_a_spectrum_per_mev_is_a_unit_prefix():
    from nusym.detectors import reactor
    core = reactor.Reactor()
    for iso in reactor.ISOTOPES:
        assert compare(lambda E: core.isotope_spectrum(iso, E), f"reactor_spectrum_{iso}", **FAST).passed, iso
    per_mev = lambda E: core.isotope_spectrum("U235", E) * 1e6
    result = compare(per_mev, "reactor_spectrum_U235", **FAST)
    assert result.diagnosis.kind == "constant or convention" and "1e6 (a unit prefix)" in result.diagnosis.summary
    assert compare(per_mev, "reactor_spectrum_U235", units={"result": "1/MeV"}, **FAST).passed


def test_flux_averages_compare_at_a_stated_tolerance_and_need_one():
    from nusym.detectors import events, reactor
    core = reactor.Reactor()
    own = lambda T: events.flux_averaged(T, core, interaction="mu")[0]
    result = compare(own, "flux_averaged_mu", ulps=64, points=3)           # nusym's own: about 10 ULP measured
    assert result.passed, str(result)
    off = compare(lambda T: own(T) * (1 + 1e-7), "flux_averaged_mu", ulps=64, points=3)
    assert not off.passed and off.diagnosis.kind == "constant offset"
    with pytest.raises(ValueError, match="give the tolerance of your quadrature"):
        compare(own, "flux_averaged_mu", points=3)


def test_the_ge_rate_table_references_match_the_rates_command(capsys):
    from nusym.detectors import rates, target
    assert cli.main(["references", "--rates", "Ge", "--format", "json"]) == 0
    table = json.loads(capsys.readouterr().out)
    t_kev = [float(r["T_keV"]) for r in table["rows"]]
    got = rates(target("Ge"), numpy.array(t_kev) * 1e3, flux_cm2_s=2.7e13, mu_nu=1e-11)
    for j, row in enumerate(table["rows"]):
        for col in ("weak_fe", "weak_stepping", "mu_fe", "mu_stepping"):
            assert abs(float(row[col]) / got.columns[col][j] - 1) < 1e-12, (row["T_keV"], col)


def test_the_correct_hand_typed_formulas_pass_where_the_slips_fail():
    assert compare(lambda T, mu: magnetic(T, mu), "dsigma_mu_fe", **FAST).worst_ratio < 8
    assert compare(lambda T, E, s: vogel_engel(T, E, s), "dsigma_weak_fe_nuebar", **FAST).diagnosis.kind in (
        "within the bar", "rounding")


@pytest.mark.parametrize("kwargs, message", [
    (dict(kernel="no_such"), "kernel='no_such' is not a kernel"),
    (dict(kernel="q_minus", units={"T": "kg"}), "'kg' is not a unit"),
    (dict(kernel="q_minus", units={"T": "cm"}), "is not a unit of eV"),
    (dict(kernel="q_minus", units={"x": "eV"}), "'x' is not an argument of q_minus"),
    (dict(kernel="q_minus", points=0), "points=0: an integer from 1 to 20000"),
    (dict(kernel="q_minus", ulps=-1), "ulps=-1"),
    (dict(kernel="q_minus", units={"T": "__import__('os')"}), "names of nusym.units"),
])
def test_bad_options_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compare(numeric.q_minus, **kwargs)


def test_the_pytest_fixture(nusym_matches):
    nusym_matches(numeric.q_plus, "q_plus", **FAST)
    with pytest.raises(AssertionError, match="cancellation"):
        nusym_matches(lambda T, p: numpy.sqrt(p * p + 2 * M_E * T) - p, "q_minus", **FAST)


def test_compare_command_python(tmp_path, capsys, monkeypatch):
    (tmp_path / "mine.py").write_text("import numpy\ndef q_minus(T, p):\n    return numpy.sqrt(p*p + 2*510998.95069*T)"
                                      " - p\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["compare", "mine:q_minus", "--kernel", "q_minus", "--points", "40"]) == 1
    assert "diagnosis (cancellation)" in capsys.readouterr().out
    assert cli.main(["compare", str(tmp_path / "mine.py") + ":q_minus", "--kernel", "q_plus", "--points", "20"]) == 1
    assert cli.main(["compare", "nusym.numeric:q_plus", "--kernel", "q_plus", "--points", "20"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("argv, message", [
    (["compare", "nosuchmodule:f", "--kernel", "q_minus"], "importing 'nosuchmodule' raised ModuleNotFoundError"),
    (["compare", "nusym.numeric:nope", "--kernel", "q_minus"], "has no callable 'nope'"),
    (["compare", "nusym.numeric", "--kernel", "q_minus"], "is not MODULE:FUNC"),
    (["compare", "--kernel", "q_minus"], "give one implementation"),
    (["compare", "nusym.numeric:q_minus", "--kernel", "nope"], "--kernel 'nope' is not a kernel"),
    (["compare", "nusym.numeric:q_minus", "--kernel", "q_minus", "--units", "T"], "NAME=VALUE pairs"),
    (["compare", "--c", "/no/such.so:f", "--kernel", "q_minus"], "no shared library at '/no/such.so'"),
    (["references", "--kernel", "q_a", "--points", "0"], "--points 0: an integer from 1"),
    (["references", "--rates", "NaI"], "--rates: "),
    (["references", "--rates", "Ge", "--points", "3"], "--points applies to --kernel"),
    (["references", "--kernel", "flux_averaged_mu", "--points", "201"], "a flux average takes 1 to 200 points"),
    (["compare", "nusym.numeric:q_minus", "--kernel", "q_minus", "--points", "0"], "--points 0: an integer"),
    (["compare", "nusym.numeric:dsigma_weak_fe", "--kernel", "dsigma_weak_fe", "--fixed", "sin2_theta_w=5"],
     "sin2_theta_w is allowed in (0, 1]"),
    (["compare", "nusym.numeric:q_minus", "--kernel", "q_minus", "--units", "T=keV,T=eV"], "given twice"),
])
def test_compare_bad_usage_is_one_line_and_exit_2(argv, message, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err


def test_a_module_that_raises_on_import_is_bad_usage(tmp_path, capsys):
    (tmp_path / "broken.py").write_text("raise SystemExit(5)\n")
    assert cli.main(["compare", f"{tmp_path / 'broken.py'}:f", "--kernel", "q_minus"]) == 2
    assert "raised SystemExit" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="no C compiler here")
def test_a_c_implementation_with_a_slip_through_c(tmp_path, capsys):
    src = tmp_path / "mine.c"
    src.write_text("#include <math.h>\ndouble my_q_minus(double T, double p) { return sqrt(p*p + 2*510998.95069*T)"
                   " - p; }\n")
    lib = tmp_path / "libmine.so"
    subprocess.run([shutil.which("cc") or shutil.which("gcc"), "-O2", "-shared", "-fPIC", str(src), "-o", str(lib),
                    "-lm"], check=True)
    assert cli.main(["compare", "--c", f"{lib}:my_q_minus", "--kernel", "q_minus", "--points", "40"]) == 1
    out = capsys.readouterr().out
    assert "libmine.so:my_q_minus against nusym's q_minus" in out and "diagnosis (cancellation)" in out


def test_references_export_round_trips(capsys):
    assert cli.main(["references", "--kernel", "dsigma_mu_fe_enu", "--points", "5", "--format", "json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert table["arguments"] == ["T", "E_nu", "mu_nu"] and len(table["rows"]) == 10
    for row in table["rows"]:
        assert float(repr(row["reference"])) == row["reference"]
        want = numeric.dsigma_mu_fe_enu(row["T"], row["E_nu"], row["mu_nu"])
        assert abs(want - row["reference"]) <= 4 * max(1, row["kappa"]) * numpy.spacing(abs(row["reference"]))
    assert cli.main(["references", "--kernel", "q_a", "--points", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("# nusym ") and lines[3] == "T,I,M_a,reference,reference_30,kappa,stress"
    assert len(lines) == 4 + 4


def test_an_implementation_that_writes_into_its_arguments_gets_copies():
    def inplace(T, p):
        out = numeric.q_minus(T, p)
        T[:] = 0.0
        return out
    assert compare(inplace, "q_minus", **FAST).passed
    zeroed = compare(lambda T, p: numpy.zeros_like(T), "q_minus", **FAST)
    assert not zeroed.passed and zeroed.diagnosis.kind == "zero"


@pytest.mark.parametrize("bad, kind", [
    (lambda T, p: numeric.q_minus(T, p) + 5j, "raised"),                         # complex: not its real part
    (lambda T, p: float("nan"), "raised"),
    (lambda T, p: "1.0", "raised"),
])
def test_what_is_not_a_real_number_is_not_taken_for_one(bad, kind):
    result = compare(bad, "q_minus", **FAST)
    assert not result.passed and result.diagnosis.kind == kind, str(result)


def test_exit_inside_the_implementation_is_a_raise_at_that_point():
    import sys
    result = compare(lambda T, p: sys.exit(0), "q_minus", **FAST)
    assert not result.passed and result.diagnosis.kind == "raised" and "SystemExit" in str(result)


def test_the_budget_stops_an_implementation_stuck_in_one_call():
    import time
    t0 = time.monotonic()
    with pytest.raises(TimeoutError, match="budget"):
        compare(lambda T, p: time.sleep(60), "q_minus", timeout_s=1.0, **FAST)
    assert time.monotonic() - t0 < 10


def test_a_large_factor_that_varies_is_not_a_unit_prefix():
    wobble = lambda T, p: 1000 * numeric.q_minus(T, p) * (1 + 0.9 * numpy.sin(numpy.log(T)))
    assert compare(wobble, "q_minus", **FAST).diagnosis.kind != "constant or convention"
    kev = lambda T, p: numeric.q_minus(1000 * T, p)
    result = compare(kev, "q_minus", **FAST)
    assert result.diagnosis.kind == "another formula" and "T x 1e3" in result.diagnosis.summary, str(result)
