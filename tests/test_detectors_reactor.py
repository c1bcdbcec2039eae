"""Reactor spectra: the published coefficients, the treatments below 2 MeV, fluxes, and bad input."""
import math

import mpmath
import numpy
import pytest

from nusym.detectors import reactor as R


def test_coefficients_are_the_published_ones():
    """Huber (2011) Table for 235U, 239Pu, 241Pu and Mueller (2011) for 238U; Vogel & Engel (1989) below 2 MeV."""
    assert R.FITS["U235"].coefficients == ("4.367", "-4.577", "2.100", "-5.294e-1", "6.186e-2", "-2.777e-3")
    assert R.FITS["U238"].coefficients == ("4.833e-1", "1.927e-1", "-1.283e-1", "-6.762e-3", "2.233e-3", "-1.536e-4")
    assert R.FITS["Pu239"].coefficients == ("4.757", "-5.392", "2.563", "-6.596e-1", "7.820e-2", "-3.536e-3")
    assert R.FITS["Pu241"].coefficients == ("2.990", "-2.882", "1.278", "-3.343e-1", "3.905e-2", "-1.754e-3")
    assert R.VOGEL_ENGEL["U235"].coefficients == ("0.870", "-0.160", "-0.0910")
    assert {k: v[0] for k, v in R.ENERGY_PER_FISSION.items()} == {"U235": "202.36", "U238": "205.99",
                                                                    "Pu239": "211.12", "Pu241": "214.26"}


def test_the_spectrum_is_the_fit_inside_its_range_and_continuous_at_2_mev():
    for iso, fit in R.FITS.items():
        for below in R.BELOW_2MEV:
            r = R.Reactor({iso: 1.0}, below)
            e = numpy.array([2.0e6, 3.5e6, 8.0e6])
            expect = [float(mpmath.exp(sum(mpmath.mpf(a) * (x / 1e6)**k for k, a in enumerate(fit.coefficients))))
                      / 1e6 for x in e]
            assert numpy.allclose(r.spectrum(e), expect, rtol=1e-13, atol=0)
            if below != "zero":
                left, right = r.spectrum([math.nextafter(2e6, 0), 2e6])
                assert abs(left / right - 1) < 1e-12, (iso, below)
            assert r.spectrum(1.000001e7) == 0 and r.spectrum(0.0) == 0


@pytest.mark.parametrize("below, per_fission", [("vogel-engel", 5.72), ("flat", 4.33), ("zero", 1.69),
                                                ("extrapolate", 24.5)])
def test_antineutrinos_per_235u_fission_as_documented(below, per_fission):
    """The numbers nusym.detectors.reactor's docstring quotes; against mpmath quadrature of the same spectrum."""
    r = R.Reactor({"U235": 1.0}, below)
    n, err = r.integral()
    assert round(n, 2 if n < 10 else 1) == per_fission and err < 1e-10 * n
    f = lambda e: r.spectrum(float(e))
    exact = mpmath.quad(f, [0, 2e6, 8e6, R.E_MAX])
    assert abs(n / exact - 1) < 1e-9


def test_flux_from_power_and_distance():
    r = R.Reactor()
    fissions = 3e9 / (r.energy_per_fission() * 1.602176634e-19)
    assert math.isclose(r.flux(power_W=3e9, distance_m=15.0), fissions * r.neutrinos_per_fission() / (4 * math.pi * 1500.0**2),
                        rel_tol=1e-14)
    assert math.isclose(r.flux(power_W=3e9, distance_m=30.0), r.flux(power_W=3e9, distance_m=15.0) / 4, rel_tol=1e-14)          # 1/L^2
    # a 3 GW core at 15 m: about 1.8e13 per cm^2 s, the order of GEMMA's 2.7e13 at 13.9 m
    assert 1.5e13 < r.flux(power_W=3e9, distance_m=15.0) < 2.1e13


@pytest.mark.parametrize("kwargs, message", [
    ({"fractions": {"U235": 0.5}}, "sum to 0.5"),
    ({"fractions": {"U233": 1.0}}, "not one of"),
    ({"fractions": {"U235": 1.5, "U238": -0.5}}, "lies in [0, 1]"),
    ({"fractions": {"U235": True}}, "lies in [0, 1]"),
    ({"fractions": {}}, "give a dict"),
    ({"below": "linear"}, "one of"),
])
def test_bad_reactors_are_refused_by_name(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        R.Reactor(**kwargs)


@pytest.mark.parametrize("power, distance", [(-1, 10), (1e9, 0), (float("nan"), 10), (1e9, float("inf")), ("1", 2)])
def test_bad_flux_arguments_are_refused(power, distance):
    with pytest.raises(ValueError, match="positive finite"):
        R.Reactor().flux(power_W=power, distance_m=distance)


@pytest.mark.parametrize("n", [0, -4, 3, 10**6, 2048, True, 64.0])
def test_quadrature_nodes_are_bounded(n):
    with pytest.raises(ValueError, match=r"n=.*: the number of Gauss-Legendre nodes is an even integer in \[4, 1024\]"):
        R.Reactor().integral(n=n)


def test_flux_takes_its_units_by_keyword():
    """flux(3000, 15) read 3000 as watts and returned 1.78e7: the units are in the keywords, which are required."""
    with pytest.raises(TypeError):
        R.Reactor().flux(3000, 15)
    assert R.Reactor().flux(power_W=3e9, distance_m=15.0) > 1e13


def test_fractions_that_do_not_sum_to_one_show_their_sum():
    with pytest.raises(ValueError, match=r"sum to 1\.0000011, not 1"):
        R.Reactor({"U235": 0.5800011, "U238": 0.07, "Pu239": 0.3, "Pu241": 0.05})
