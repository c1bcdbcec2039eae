"""The model catalogue: sum rules, line-averaged density, Green's function, parameter errors."""
import mpmath
import pytest

from nusym import spectra


def _P(**kw):
    return {k: mpmath.mpf(v) for k, v in kw.items()}


@pytest.mark.parametrize("name, P, electrons", [
    ("hydrogen", dict(Z=1), 1), ("hydrogen", dict(Z=5), 1), ("oscillator", dict(Z=3, omega=7), 3),
    ("free", dict(Z=4), 4)])
def test_bethe_sum_rule(name, P, electrons):
    model = spectra.get(name)
    with mpmath.workdps(30):
        q = mpmath.mpf(4000)
        bethe = model.T_integral(q, _P(**P), lambda T: T)
        assert abs(bethe / (electrons * q**2 / (2 * spectra.m_e())) - 1) < mpmath.mpf(10) ** -27


@pytest.mark.parametrize("Z, y", [(1, "0.01"), (6, "2"), (32, "400")])
def test_oscillator_completeness(Z, y):
    with mpmath.workdps(30):
        P = _P(Z=Z, omega=5)
        q = mpmath.sqrt(mpmath.mpf(y) * 2 * spectra.m_e() * 5)
        total = spectra.OSCILLATOR.elastic(q, P) + spectra.OSCILLATOR.T_integral(q, P)
        assert abs(total - (Z + Z * (Z - 1) * mpmath.exp(-mpmath.mpf(y)))) < mpmath.mpf(10) ** -27 * Z**2


def test_recoil_bethe_sum_includes_the_atom():
    with mpmath.workdps(30):
        P = _P(p=3000, I=30, M_a="6.765e10")
        q = mpmath.mpf(20000)
        want = q**2 / (2 * spectra.m_e()) + q**2 / (2 * P["M_a"])
        assert abs(spectra.RECOIL.T_integral(q, P, lambda T: T) / want - 1) < mpmath.mpf(10) ** -27


def test_line_averaged_density_only_at_line_energies():
    with mpmath.workdps(30):
        P = _P(Z=2, omega=10)
        q = mpmath.mpf(3000)
        y = q**2 / (2 * spectra.m_e() * 10)
        assert spectra.OSCILLATOR.density(mpmath.mpf(30), q, P) == 2 * mpmath.exp(-y) * y**3 / 6 / 10
        assert spectra.OSCILLATOR.density(mpmath.mpf(31), q, P) == 0


def test_green_function_rejects_the_continuum():
    with mpmath.workdps(20), pytest.raises(ValueError, match="T=20"):
        spectra.HYDROGEN.green_function(mpmath.mpf(20), mpmath.mpf(1), _P(Z=1))


def test_unknown_model_is_named():
    with pytest.raises(ValueError, match="model='helium'.*allowed: free, semiclassical"):
        spectra.get("helium")
