"""The central-field structure factor (nusym.atoms.structure and its parts): the exact Coulomb limit at a few points,
the sum rules within the model, thresholds, the public eV boundary, the disk cache, and bad input refused."""
import mpmath
import numpy
import pytest

from nusym.atoms import hydrogen
from nusym.atoms import structure as st
from nusym.atoms import structure_tables as tables
from nusym.atoms.structure_model import Model

FINE = dict(n_max=8, tol=1e-12, acc=0.01, h=0.003, eps_P=1e-13, floor=1e-9, l_cap=120)


@pytest.fixture(scope="module")
def hydrogen_sf():
    return st.StructureFactor(Model.coulomb(1), **FINE)


def test_coulomb_limit_continuum_lines_and_stobbe(hydrogen_sf):
    sf = hydrogen_sf
    k = numpy.array([0.001, 0.1, 1.0, 2.0, 1.0, 0.3])
    q = numpy.array([0.5, 1.0, 1.0, 2.0, 0.1, 3.0])           # threshold, the Bethe ridge q = k, off the ridge
    got = sf.subshell(1, 0, 0.5 * (1 + k * k), q, method="pw")
    with mpmath.workdps(30):
        want = numpy.array([float(hydrogen.continuum(mpmath.mpf(0.5 * (1 + a * a)), mpmath.mpf(b)))
                            for a, b in zip(k, q)])
    assert numpy.max(numpy.abs(got / want - 1)) < 1e-8
    per_n = {}
    for d in sf.lines(1, 0, numpy.array([0.7])):
        per_n[d["final"][0]] = per_n.get(d["final"][0], 0) + d["F"][0]
    for n in (2, 3, 5, 8):
        assert abs(per_n[n] / float(hydrogen.line_strength(n, mpmath.mpf("0.7"))) - 1) < 1e-8
    om = numpy.array([0.5 * (1 + 1e-5), 1.0, 10.0])
    sig = sf.photoabsorption(1, 0, om)
    stobbe = numpy.array([float(hydrogen.photoionization_stobbe(mpmath.mpf(w))) for w in om])
    assert numpy.max(numpy.abs(sig / stobbe - 1)) < 1e-8


def test_sum_rules_within_the_coulomb_model():
    sf = st.StructureFactor(Model.coulomb(1), n_max=8)           # the default numerical settings
    q = numpy.array([0.3, 2.0])
    res = sf.omega_integrals(1, 0, q, method="pw")
    t0, t1 = sf.sum_rule_targets(1, 0, q)
    for d, a, b in zip(res, t0, t1):
        assert abs(d["sum0"] / a - 1) < 1e-5 and abs(d["sum1"] / b - 1) < 1e-5


def test_the_discrete_density_joins_the_continuum_at_threshold(hydrogen_sf):
    i = 0.5
    below = hydrogen_sf.subshell(1, 0, numpy.array([i - 1e-5]), numpy.array([1.0]))
    above = hydrogen_sf.subshell(1, 0, numpy.array([i + 1e-5]), numpy.array([1.0]))
    assert abs(below[0] / above[0] - 1) < 5e-3


def test_public_boundary_in_ev_broadcasts_and_is_zero_below_threshold():
    T = numpy.array([[0.0], [50.0], [200.0]])
    q = numpy.array([[2000.0, 5000.0]])
    S = st.structure_factor("H", T, q)
    assert S.shape == (3, 2)
    assert numpy.all(S[0] == 0) and numpy.all(S[1:] > 0)
    # hydrogen's LDA atom is not the exact 1s, but S per eV has the exact one's order of magnitude
    exact = float(hydrogen.continuum(mpmath.mpf(200.0 / st.HARTREE_EV), mpmath.mpf(5000.0 / st.Q_AU_EV)))
    assert 0.3 < S[2, 1] * st.HARTREE_EV / exact < 3
    assert st.structure_factor("H", 5.0, 3000.0) == 0.0          # below the first line and Elam's 13.6 eV edge
    assert isinstance(st.structure_factor("H", 100.0, 3000.0, subshell="1s"), float)


@pytest.mark.parametrize("args, match", [
    (("Xx", 100.0, 1000.0), "element='Xx'"),
    (("H", -1.0, 1000.0), "T_eV=-1.0"),
    (("H", float("nan"), 1000.0), "T_eV=nan"),
    (("H", 100.0, 0.0), r"q_eV=0.0: outside the allowed range \(0 eV, inf\)"),
    (("H", 100.0, [1000.0, float("inf")]), "q_eV=inf"),
])
def test_bad_input_names_the_argument_its_value_and_the_range(args, match):
    with pytest.raises(ValueError, match=match):
        st.structure_factor(*args)


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="subshell='2p'"):
        st.structure_factor("H", 100.0, 1000.0, subshell="2p")
    with pytest.raises(ValueError, match="thresholds='nist'"):
        st.structure_factor("H", 100.0, 1000.0, thresholds="nist")
    with pytest.raises(ValueError, match="potential='x'"):
        st.photoabsorption("H", 100.0, potential="x")


def test_elam_thresholds_split_by_2j_plus_1():
    edges = st.elam_edges("Ge")
    (w2, i2), (w3, i3) = edges[(2, 1)]
    assert (w2, w3) == (1 / 3, 2 / 3)
    assert abs(i2 * st.HARTREE_EV - 1248.1) < 1e-9 and abs(i3 * st.HARTREE_EV - 1217.0) < 1e-9
    assert abs(st.elam_edges("Ge", split_j=False)[(1, 0)] * st.HARTREE_EV - 11103.0) < 1e-9


def test_rate_integrals_are_cached_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("NUSYM_CACHE", str(tmp_path / "cache"))
    T = numpy.array([60.0, 300.0])
    a = tables.rate_integrals("H", T, acc=0.08, l_cap=40)
    files = sorted(p.name for p in (tmp_path / "cache" / "atoms").iterdir())
    assert len(files) == 2 and files[1] == files[0] + ".sha256"
    b = tables.rate_integrals("H", T, acc=0.08, l_cap=40)
    assert all(numpy.array_equal(x, y) for x, y in zip(a, b))
    # int S dq^2 -> 2 m_e x (1 electron) far above threshold; T int S dq^2/q^2 -> 1
    m_e = st.Q_AU_EV ** 2 / st.HARTREE_EV
    assert abs(a[0][1] / (2 * m_e) - 1) < 0.05 and abs(T[1] * a[1][1] - 1) < 0.1
    path = tmp_path / "cache" / "atoms" / files[0]
    path.write_bytes(b"garbage")                                     # a replaced file is rebuilt, not read
    c = tables.rate_integrals("H", T, acc=0.08, l_cap=40)
    assert all(numpy.array_equal(x, y) for x, y in zip(a, c))
    d = tables.rate_integrals("H", T, acc=0.08, l_cap=40, cache=False)
    assert all(numpy.allclose(x, y, rtol=1e-12) for x, y in zip(a, d))


def test_rate_tables_go_through_the_executor_per_subshell_and_are_cached_here(tmp_path, monkeypatch):
    """Several elements' tables: a task per element and subshell on the executor given, summed to the one-process
    table, cached by the caller; a cached table submits nothing."""
    from nusym.runner import parallel
    monkeypatch.setenv("NUSYM_CACHE", str(tmp_path / "cache"))
    T = numpy.array([60.0, 300.0])
    submitted = []

    class Counting(parallel.InProcess):
        def submit(self, fn, /, *args, **kwargs):
            submitted.append(args[2])
            return super().submit(fn, *args, **kwargs)
    out = tables.rate_tables(["H", "Li", "H"], T, Counting(), acc=0.08, l_cap=40)
    assert sorted(out) == ["H", "Li"] and submitted == [(1, 0), (1, 0), (2, 0)]
    for el in out:
        alone = tables.rate_integrals(el, T, acc=0.08, l_cap=40, cache=False)
        assert all(numpy.allclose(x, y, rtol=1e-13, atol=0) for x, y in zip(out[el], alone))
    again = tables.rate_tables(["Li"], T, Counting(), acc=0.08, l_cap=40)
    assert len(submitted) == 3 and all(numpy.array_equal(x, y) for x, y in zip(again["Li"], out["Li"]))
    for args, kwargs, match in [(("He", T), {}, "a list of element symbols"), ((["H", "Zz"], T), {}, "'Zz'"),
                                ((["H"], T), {"potential": "hf"}, "potential='hf'"),
                                ((["H"], [1e300]), {}, "allowed range"), ((["H"], numpy.full(201, 1e3)), {}, "1 to 200"),
                                ((["H"], T), {"bogus": 1}, "bogus=1: not a setting"),
                                ((["H"], T), {"q_from_eV": [1.0, 2.0]}, "one momentum")]:
        with pytest.raises(ValueError, match=match):
            tables.rate_tables(*args, Counting(), **kwargs)
    assert len(submitted) == 3                          # every argument is checked before any task
    path = next(p for p in (tmp_path / "cache" / "atoms").iterdir() if p.name.startswith("central-field-Li"))
    tables.cache_module_write(path, _npz(T_eV=T, I1=out["Li"][0]))       # a table without I2: recomputed, not read
    again = tables.rate_integrals("Li", T, acc=0.08, l_cap=40)
    assert all(numpy.allclose(x, y, rtol=1e-13, atol=0) for x, y in zip(again, out["Li"]))


def _npz(**arrays) -> bytes:
    import io
    buf = io.BytesIO()
    numpy.savez(buf, **arrays)
    return buf.getvalue()


@pytest.mark.slow
def test_germanium_photoabsorption_against_elam_above_1_kev():
    from nusym.atoms import shells
    T = numpy.array([2000.0, 5000.0, 20000.0])
    ratio = st.photoabsorption("Ge", T) / shells.photoabsorption("Ge", T)
    assert numpy.all(numpy.abs(ratio - 1) < 0.1), ratio


@pytest.mark.slow
def test_germanium_sum_rules_with_partial_waves():
    from nusym.atoms import central_field
    sf = st.StructureFactor(central_field.ground_state("Ge"), potential="lda-latter", l_cap=300)
    q = numpy.array([0.01, 1.0, 10.0])
    for n, l in sf.subshells:
        res = sf.omega_integrals(n, l, q, method="pw")
        t0, t1 = sf.sum_rule_targets(n, l, q)
        for d, a, b in zip(res, t0, t1):
            assert abs(d["sum0"] / a - 1) < 1e-5 and abs(d["sum1"] / b - 1) < 1e-5, (n, l, d["q"])
