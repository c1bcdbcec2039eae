"""The model catalogue: sum rules, line-averaged density, Green's function, parameter errors."""
import mpmath
import pytest

from nusym import variables
from nusym.atoms import models, spectra


def _P(**kw):
    return {k: mpmath.mpf(v) for k, v in kw.items()}


@pytest.mark.parametrize("name, P, electrons", [
    ("hydrogen", dict(Z=1), 1), ("hydrogen", dict(Z=5), 1), ("oscillator", dict(Z=3, omega=7), 3),
    ("free", dict(Z=4), 4)])
def test_bethe_sum_rule(name, P, electrons):
    model = models.get(name)
    with mpmath.workdps(30):
        q = mpmath.mpf(4000)
        bethe = model.T_integral(q, _P(**P), lambda T: T)
        assert abs(bethe / (electrons * q**2 / (2 * spectra.m_e())) - 1) < mpmath.mpf(10) ** -27


@pytest.mark.parametrize("Z, y", [(1, "0.01"), (6, "2"), (32, "400")])
def test_oscillator_completeness(Z, y):
    with mpmath.workdps(30):
        P = _P(Z=Z, omega=5)
        q = mpmath.sqrt(mpmath.mpf(y) * 2 * spectra.m_e() * 5)
        total = models.OSCILLATOR.elastic(q, P) + models.OSCILLATOR.T_integral(q, P)
        assert abs(total - (Z + Z * (Z - 1) * mpmath.exp(-mpmath.mpf(y)))) < mpmath.mpf(10) ** -27 * Z**2


def test_recoil_bethe_sum_includes_the_atom():
    with mpmath.workdps(30):
        P = _P(p=3000, I=30, M_a="6.765e10")
        q = mpmath.mpf(20000)
        want = q**2 / (2 * spectra.m_e()) + q**2 / (2 * P["M_a"])
        assert abs(models.RECOIL_EXACT.T_integral(q, P, lambda T: T) / want - 1) < mpmath.mpf(10) ** -27


def test_line_averaged_density_only_at_line_energies():
    with mpmath.workdps(30):
        P = _P(Z=2, omega=10)
        q = mpmath.mpf(3000)
        y = q**2 / (2 * spectra.m_e() * 10)
        assert models.OSCILLATOR.density(mpmath.mpf(30), q, P) == 2 * mpmath.exp(-y) * y**3 / 6 / 10
        assert models.OSCILLATOR.density(mpmath.mpf(31), q, P) == 0


def test_green_function_rejects_the_continuum():
    with mpmath.workdps(20), pytest.raises(ValueError, match="T=20"):
        models.HYDROGEN.green_function(mpmath.mpf(20), mpmath.mpf(1), _P(Z=1))


def test_unknown_model_is_named():
    with pytest.raises(ValueError, match="model='helium'.*allowed: free, semiclassical"):
        models.get("helium")


@pytest.mark.parametrize("name, P, want", [
    ("hydrogen", dict(Z=1), "alpha**2/3"), ("hydrogen", dict(Z=32), "(32 alpha)**2/3"),
    ("oscillator", dict(Z=3, omega=7), "3 omega/2m_e")])
def test_transverse_sum_rule(name, P, want):
    """int R dT = sum_j <v_x**2>, the same at every q: lines + continuum with their normalization and scaling."""
    from nusym.constants import ALPHA
    model = models.get(name).transverse
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
            T_n, G_n, _ = models.OSCILLATOR.transverse.line(n, q, P)
            assert T_n == n * 10 and abs(G_n / by_quad - 1) < mpmath.mpf(10) ** -25


def test_free_electrons_have_no_transverse_response():
    with mpmath.workdps(20):
        assert models.FREE.transverse.T_integral(mpmath.mpf(1000), _P(Z=3)) == 0
        assert models.FREE.transverse.density(mpmath.mpf(5), mpmath.mpf(1000), _P(Z=3)) == 0


def test_binding_factor_against_free_electrons():
    """[(7) + (8)]/(7)_free: exactly 1 for free electrons; below 1 for hydrogen, rising to 1 as T >> I;
    for an oscillator line above 1 only by terms of second order in T/2m_e."""
    from nusym.derivations.magnetic_enhancement import binding_factor
    E_nu = mpmath.mpf(10) ** 6
    with mpmath.workdps(20):
        assert binding_factor(models.FREE, mpmath.mpf(50), {"Z": mpmath.mpf(3)}, 3, E_nu) == 1
        H, P = models.HYDROGEN, {"Z": mpmath.mpf(1)}
        I = H.threshold(P)
        B = [binding_factor(H, I * f, P, 1, E_nu) for f in (mpmath.mpf("1.000001"), 3, 30, 300)]
        assert all(a < b < 1 for a, b in zip(B, B[1:])), B
        assert 1 - B[-1] < 1e-5 and B[0] < 0.96
        P = {"Z": mpmath.mpf(32), "omega": mpmath.mpf(1000)}
        x = P["omega"] / (2 * spectra.m_e())
        excess = binding_factor(models.OSCILLATOR, P["omega"], P, 32) - 1
        assert 0 < excess < x**2


# ---------------------------------------------------------------- the integration variables of the models
@pytest.mark.parametrize("q", ["1e-2", "30", "3728", "3e4", "1e6", "1e8"])
@pytest.mark.parametrize("Z", [1, 37])
def test_hydrogen_bethe_sum_rule_to_the_working_precision_over_the_whole_q_range(q, Z):
    """From the dipole region (S ~ q**2, a sum of size 1e-10 eV) to the Bethe ridge far from the threshold
    (q = 27000 a.u.), int T S dT = q**2/2m_e (lines + continuum) to within 10**4 units of the last digit
    (1e-42 at 45 digits for q = 1e8 eV, where the extrapolated error of tanh-sinh is too optimistic)."""
    for dps in (30, 45):
        with mpmath.workdps(dps):
            q_ = mpmath.mpf(q)
            bethe = models.HYDROGEN.T_integral(q_, _P(Z=Z), lambda T: T)
            assert abs(bethe / (q_**2 / (2 * spectra.m_e())) - 1) <= mpmath.mpf(10) ** -(dps - 4)


@pytest.mark.parametrize("n, omega", [(1, "1"), (7, "3"), (1000, "0.5"), (10**9, "0.01")])
def test_oscillator_q_sum_rules_on_a_line_whatever_its_index(n, omega):
    """int S 2/q dq = Z/T and int S 2q dq = 2 m_e Z on the line n, whose Poisson peak in y = q**2/2m_e omega
    has the relative width n**-1/2 (3e-5 for n = 1e9)."""
    for dps in (30, 45):
        with mpmath.workdps(dps):
            P = _P(Z=3, omega=omega)
            T = n * P["omega"]
            mu = models.OSCILLATOR.q_integral(T, P, lambda q: 2 / q)
            weak = models.OSCILLATOR.q_integral(T, P, lambda q: 2 * q)
            assert abs(mu / (3 / T) - 1) <= mpmath.mpf(10) ** -(dps - 1)
            assert abs(weak / (6 * spectra.m_e()) - 1) <= mpmath.mpf(10) ** -(dps - 1)


@pytest.mark.parametrize("p, T", [("1e3", "1e3"), ("2e5", "0.02"), ("300", "100")])
def test_semiclassical_integrals_over_decades_in_log_q(p, T):
    """S = m_e/2pq between q_- and q_+, which are decades apart where p >> sqrt(2 m_e T) (q_- = 0.05 eV, q_+ =
    4e5 eV at p = 2e5 eV, T = 0.02 eV): int S 2q dq = 2 m_e and int S 2/q dq = 1/T, to the working precision
    (q_- without the cancellation of sqrt(p**2 + 2 m_e T) - p, which lost 20 digits there)."""
    with mpmath.workdps(30):
        P = _P(p=p, I="0.01", Z=1)
        T_ = mpmath.mpf(T)
        weak = models.SEMICLASSICAL.q_integral(T_, P, lambda q: 2 * q)
        mu = models.SEMICLASSICAL.q_integral(T_, P, lambda q: 2 / q)
        assert abs(weak / (2 * spectra.m_e()) - 1) <= mpmath.mpf(10) ** -29
        assert abs(mu * T_ - 1) <= mpmath.mpf(10) ** -29


def test_units_and_factorials_are_computed_once_per_precision():
    """The ion's units come from decimal strings and n! from the gamma function: once per precision (and Z,
    n), not at each of the quadrature's nodes."""
    models._h_units.cache_clear()
    models._factorial.cache_clear()
    with mpmath.workdps(30):
        models.HYDROGEN.T_integral(mpmath.mpf(3000), _P(Z=2), lambda T: T)
        P = _P(Z=3, omega=2)
        models.OSCILLATOR.q_integral(40 * P["omega"], P, lambda q: 2 / q)
    units, factorials = models._h_units.cache_info(), models._factorial.cache_info()
    assert units.misses <= 8 and units.hits > 100 * units.misses          # a few precisions: 30 digits, + guard, x4
    assert factorials.misses <= 4 and factorials.hits > 100 * factorials.misses


def test_hydrogen_T_integral_nodes():
    """The number of integrand evaluations of int T S dT at 30 and 45 digits, counted, not timed: 190 and 382
    below the ridge (Fejer's rule), about 1000 and 1900 with the ridge apart (tanh-sinh on four pieces);
    before the change of variable it was 560 to 5000.  A regression in the quadrature shows here first."""
    from nusym.atoms import hydrogen
    calls = []
    continuum = hydrogen.continuum

    def counted(t, q):
        calls.append(1)
        return continuum(t, q)
    hydrogen.continuum = counted
    try:
        for q, most in (("1e-2", (250, 500)), ("3e4", (1300, 2500))):
            for dps, bound in zip((30, 45), most):
                calls.clear()
                with mpmath.workdps(dps):
                    models.HYDROGEN.T_integral(mpmath.mpf(q), _P(Z=1), lambda T: T)
                assert len(calls) <= bound, (q, dps, len(calls))
    finally:
        hydrogen.continuum = continuum


@pytest.mark.parametrize("name", ["semiclassical", "recoil", "recoil-exact"])
def test_semiclassical_windows_are_the_theta_functions(name):
    """S at fixed T (in q) and at fixed q (in T) from the window solved once, against S from its theta
    functions (nusym.atoms.semiclassical) at 3000 points over the whole domain, a third of them inside the window."""
    import random
    model, rng = models.get(name), random.Random(7)
    log_uniform = lambda lo, hi: mpmath.mpf(lo) * (mpmath.mpf(hi) / mpmath.mpf(lo)) ** rng.random()
    inside = 0
    with mpmath.workdps(30):
        for _ in range(1000):
            P = _P(**{n: log_uniform(*variables.get(n).sampled) for n in ("p", "I", "M_a")}, Z=1)
            T = P["I"] * (1 + log_uniform(1e-6, 1e3))
            window = models._q_window(T, P, {"recoil": "eq7", "recoil-exact": "exact"}.get(name))
            qs = [log_uniform(*variables.get("q").sampled)] + ([log_uniform(*window)] if window else [])
            for q in qs:
                S = model.continuum(T, q, P)
                for value in (model.at_T(T, P)(q), model.at_q(q, P)(T)):
                    assert (value == 0) == (S == 0), (name, P, T, q)          # the same window, exactly
                    assert abs(value - S) <= mpmath.mpf(10) ** -29 * S        # m_e/(2p)/q against m_e/(2pq)
                inside += S != 0
    assert inside > 500
