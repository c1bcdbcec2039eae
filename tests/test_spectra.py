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
        assert abs(spectra.RECOIL_EXACT.T_integral(q, P, lambda T: T) / want - 1) < mpmath.mpf(10) ** -27


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


@pytest.mark.parametrize("name, P, want", [
    ("hydrogen", dict(Z=1), "alpha**2/3"), ("hydrogen", dict(Z=32), "(32 alpha)**2/3"),
    ("oscillator", dict(Z=3, omega=7), "3 omega/2m_e")])
def test_transverse_sum_rule(name, P, want):
    """int R dT = sum_j <v_x**2>, the same at every q: lines + continuum with their normalization and scaling."""
    from nusym.constants import ALPHA
    model = spectra.get(name).transverse
    with mpmath.workdps(25):
        v2 = {"alpha**2/3": ALPHA.mpf() ** 2 / 3, "(32 alpha)**2/3": (32 * ALPHA.mpf()) ** 2 / 3,
              "3 omega/2m_e": 3 * mpmath.mpf(7) / (2 * spectra.m_e())}[want]
        for q in ("300", "4000", "1e6"):
            assert abs(model.T_integral(mpmath.mpf(q), _P(**P)) / v2 - 1) < mpmath.mpf(10) ** -22


def test_oscillator_transverse_lines_by_quadrature():
    """G_n = Z (omega/2m_e) |<1|d/dx|0>|**2 |<n-1|e^{i kappa z}|0>|**2 in oscillator units (b = 1), by
    quadrature over Hermite functions."""
    with mpmath.workdps(30):
        psi = lambda n, x: mpmath.hermite(n, x) * mpmath.exp(-x**2 / 2) / mpmath.sqrt(2**n * mpmath.factorial(n)
                                                                                     * mpmath.sqrt(mpmath.pi))
        dx = mpmath.quad(lambda x: psi(1, x) * mpmath.diff(lambda s: psi(0, s), x), [-mpmath.inf, 0, mpmath.inf])
        P = _P(Z=2, omega=10)
        q = mpmath.mpf(4000)
        kappa = q / mpmath.sqrt(spectra.m_e() * 10)             # q b, b = 1/sqrt(m_e omega)
        for n in (1, 2, 5):
            z = mpmath.quad(lambda x: psi(n - 1, x) * mpmath.exp(1j * kappa * x) * psi(0, x), [-mpmath.inf, 0, mpmath.inf])
            by_quad = 2 * dx**2 * 10 * spectra.m_e() * abs(z) ** 2 / spectra.m_e() ** 2
            T_n, G_n, _ = spectra.OSCILLATOR.transverse.line(n, q, P)
            assert T_n == n * 10 and abs(G_n / by_quad - 1) < mpmath.mpf(10) ** -25


def test_free_electrons_have_no_transverse_response():
    with mpmath.workdps(20):
        assert spectra.FREE.transverse.T_integral(mpmath.mpf(1000), _P(Z=3)) == 0
        assert spectra.FREE.transverse.density(mpmath.mpf(5), mpmath.mpf(1000), _P(Z=3)) == 0


def test_binding_factor_against_free_electrons():
    """[(7) + (8)]/(7)_free: exactly 1 for free electrons; below 1 for hydrogen, rising to 1 as T >> I;
    for an oscillator line above 1 only by terms of second order in T/2m_e."""
    from nusym.derivations.magnetic import binding_factor
    E_nu = mpmath.mpf(10) ** 6
    with mpmath.workdps(20):
        assert binding_factor(spectra.FREE, mpmath.mpf(50), {"Z": mpmath.mpf(3)}, 3, E_nu) == 1
        H, P = spectra.HYDROGEN, {"Z": mpmath.mpf(1)}
        I = H.threshold(P)
        B = [binding_factor(H, I * f, P, 1, E_nu) for f in (mpmath.mpf("1.000001"), 3, 30, 300)]
        assert all(a < b < 1 for a, b in zip(B, B[1:])), B
        assert 1 - B[-1] < 1e-5 and B[0] < 0.96
        P = {"Z": mpmath.mpf(32), "omega": mpmath.mpf(1000)}
        x = P["omega"] / (2 * spectra.m_e())
        excess = binding_factor(spectra.OSCILLATOR, P["omega"], P, 32) - 1
        assert 0 < excess < x**2
