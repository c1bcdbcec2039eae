"""Every generated kernel is total over its documented allowed domain, and rejects hostile input.

Total: for every allowed input the result is a finite float64 inside the kernel's documented result range
(recoil factors in [0, 1], exactly 0 below threshold; q's and cross sections >= 0), computed without any
warning or floating-point exception (numpy.errstate(all="raise") and warnings as errors; the kernels
leave only underflow unreported, the correctly rounded result of a value below the float range).  The
edges obey q_minus <= q_plus exactly and q_minus q_plus = 2 m_e T to <= 4 ULP of q_minus (relative for a
normal q_minus; in units of the subnormal spacing below the normal range, where nothing finer exists).

Inputs are drawn over the whole allowed range: log-uniform through every binade (mantissa x 2**e, from the
smallest subnormal 5e-324 to 1e100), hypothesis's own float edge cases, and the extremes listed in
EXTREMES; for the recoil factors also points whose q_a falls between q_- and q_+ (the middle branch).
The default run draws 200 examples per test (derandomized, a few seconds in all); `pytest -m slow` draws
20 000.
"""
import decimal
import math
import warnings
from fractions import Fraction

import numpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nusym import numeric
from nusym import codegen
from nusym.checks import floatcheck
from nusym import constants as K

KERNELS = {k.name: k for k in codegen.all_kernels()}
NAMES = sorted(KERNELS)
FACTORS = [n for n in NAMES if n.startswith("recoil_factor")]
M_E = Fraction(K.M_E.value)
TINY = 5e-324                                               # the smallest positive float64
EXTREMES = (TINY, 2 * TINY, 2.225073858507201e-308, 2.2250738585072014e-308, 1e-300, 1.4916681462400413e-154,
            1e-160, 2.0**-960, 1.0, 1e6, 1e53, 1e99, math.nextafter(1e100, 0.0), 1e100)
ULP_BAR = floatcheck.BAR_ULPS                               # 4: the bar the float checks hold the kernels to

FAST = settings(max_examples=200, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SLOW = settings(FAST, max_examples=20000)


def allowed(arg) -> st.SearchStrategy:
    """Floats over the allowed range of ``arg``, log-uniform through every binade plus the edges."""
    lo, hi, lo_open = arg.allowed
    smallest = math.nextafter(lo, math.inf) if lo_open else lo
    first = max(smallest, TINY)
    binades = st.builds(lambda m, e: min(max(math.ldexp(m, e), smallest), hi),
                        st.floats(1.0, 2.0, exclude_max=True), st.integers(math.frexp(first)[1] - 1, math.frexp(hi)[1] - 1))
    edges = sorted({x for x in EXTREMES + (smallest, hi) if (lo < x if lo_open else lo <= x) and x <= hi})
    return st.one_of(binades, st.floats(lo, hi, exclude_min=lo_open), st.sampled_from(edges))


def window(kernel) -> st.SearchStrategy:
    """Recoil-factor arguments with q_a near or between q_- and q_+: for T, p and a gap T - I = f T drawn,
    M_a = q^2/2(T - I) with q = q_- + u (q_+ - q_-), kept where it is an allowed mass."""
    t, p = allowed(kernel.args[0]), allowed(kernel.args[1])
    m_lo, m_hi, m_open = kernel.args[3].allowed

    def build(t, p, f, u):
        qm, qp = float(numeric.q_minus(t, p)), float(numeric.q_plus(t, p))
        i = t - t * f
        with numpy.errstate(all="ignore"):
            m = float(numpy.float64(qm + u * (qp - qm)) ** 2 / (2 * numpy.float64(t - i)))
        return t, p, i, m

    fraction = st.builds(lambda m, e: math.ldexp(m, -e), st.floats(0.5, 1.0, exclude_max=True), st.integers(0, 60))
    return st.builds(build, t, p, fraction, st.floats(0.0, 1.0)).filter(
        lambda xs: 0 < xs[2] < xs[0] and (m_lo < xs[3] if m_open else m_lo <= xs[3]) and xs[3] <= m_hi)


def call(name, *xs):
    """The kernel at one point with every warning and floating-point exception raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with numpy.errstate(all="raise"):
            return getattr(numeric, name)(*xs)


def check_total(name, xs):
    k = KERNELS[name]
    v = call(name, *xs)
    assert isinstance(v, numpy.float64) and math.isfinite(v), (name, xs, v)
    lo, hi = k.result_range or (0.0, math.inf)
    assert lo <= v <= hi, (name, xs, v)
    at = dict(zip([a.name for a in k.args], xs))
    if k.guards and forbidden(at):                          # physically forbidden: exactly 0
        assert v == 0.0, (name, xs, v)


def forbidden(at) -> bool:
    """Decided exactly: T <= I (below the threshold), or T >= T_max = 2 E_nu^2/(m_e + 2 E_nu) (beyond the end point)."""
    if "I" in at:
        return at["T"] <= at["I"]
    t, e = Fraction(at["T"]), Fraction(at["E_nu"])
    return t * (M_E + 2 * e) >= 2 * e * e


def ulp(x: Fraction) -> Fraction:
    """The float64 spacing at the exact positive x: 2**(e - 52) for 2**e <= x < 2**(e + 1), 2**-1074 below 2**-1022."""
    e = x.numerator.bit_length() - x.denominator.bit_length()
    if Fraction(2) ** e > x:
        e -= 1
    return Fraction(2) ** max(e - 52, -1074)


def ulps(value, exact: Fraction) -> float:
    """|value - exact| in ULPs of the exact value."""
    return float(abs(Fraction(float(value)) - exact) / ulp(exact))


def identity_ulps(t, p) -> float:
    """|q_minus - 2 m_e T/q_plus| in ULPs of the exact 2 m_e T/q_plus; q_minus <= q_plus asserted on the way."""
    qm, qp = call("q_minus", t, p), call("q_plus", t, p)
    assert qm <= qp, (t, p, qm, qp)
    return ulps(qm, 2 * M_E * Fraction(t) / Fraction(float(qp)))


def run_total(name, profile):
    k = KERNELS[name]
    points = st.tuples(*[allowed(a) for a in k.args])
    if name in FACTORS:
        points = st.one_of(points, window(k))
    profile(given(points)(lambda xs: check_total(name, xs)))()


def run_identities(profile):
    t, p = (allowed(a) for a in KERNELS["q_minus"].args)

    @profile
    @given(t, p)
    def run(t, p):
        assert identity_ulps(t, p) <= ULP_BAR, (t, p)

    run()


@pytest.mark.parametrize("name", NAMES)
def test_kernel_is_total_over_its_allowed_domain(name):
    run_total(name, FAST)


def test_q_minus_below_q_plus_and_their_product_is_2_me_T():
    run_identities(FAST)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_kernel_is_total_over_its_allowed_domain_exhaustive(name):
    run_total(name, SLOW)


@pytest.mark.slow
def test_q_minus_below_q_plus_and_their_product_is_2_me_T_exhaustive():
    run_identities(SLOW)


@pytest.mark.parametrize("name", FACTORS)
def test_arrays_give_the_scalar_values_in_place(name):
    """Branches are evaluated on subsets: every element must land where it belongs, bit for bit."""
    k = KERNELS[name]

    @settings(FAST, max_examples=40)
    @given(st.lists(st.one_of(st.tuples(*[allowed(a) for a in k.args]), window(k)), min_size=1, max_size=12))
    def run(points):
        cols = [numpy.array(c) for c in zip(*points)]
        vec = call(name, *cols)
        one = numpy.array([call(name, *xs) for xs in points])
        assert vec.shape == (len(points),) and numpy.array_equal(vec.view(numpy.int64), one.view(numpy.int64))

    run()


def test_the_window_strategy_reaches_the_middle_branch():
    """Without points with q_- < q_a < q_+ the middle branch, where the quotients are, would go untested."""
    k = KERNELS["recoil_factor_weak"]
    seen = []

    @settings(FAST, max_examples=100)
    @given(window(k))
    def run(xs):
        v = call("recoil_factor_weak", *xs)
        seen.append(0.0 < v < 1.0)

    run()
    assert sum(seen) >= len(seen) // 10


# ---------------------------------------------------------------- the reproducers that were wrong before
EXACT_RANGE = "outside the allowed range [1e+06, 1e+100]"


@pytest.mark.parametrize("call_, expect", [
    # 1, 2: M_a below any atom's mass made 1 + m_e/M_a overflow (inf; 7.07e9 for a factor in [0, 1])
    (lambda: numeric.recoil_factor_mu_exact(1e100, 1.0, 1.0, 1e-200), f"M_a=1e-200 is {EXACT_RANGE}"),
    (lambda: numeric.recoil_factor_weak_exact(2.0, 1e-160, 1.0, 1e-300), f"M_a=1e-300 is {EXACT_RANGE}"),
    (lambda: numeric.recoil_factor_weak_exact(2.0, 1.0, 1.0, 999999.9999999999), f"M_a=999999.9999999999 is {EXACT_RANGE}"),
    # 4: pi r_e^2 mu^2/T overflows for mu_nu = 1e100 at small T: mu_nu is bounded by 1 mu_B
    (lambda: numeric.dsigma_mu_fe(1e-200, 1e100), "mu_nu=1e+100 is outside the allowed range [0, 1]"),
])
def test_narrowed_ranges_name_argument_value_and_range(call_, expect):
    with pytest.raises(ValueError) as err:
        call_()
    assert expect in str(err.value)


@pytest.mark.parametrize("name, xs", [
    # the reproducers' arguments moved to the new edge of M_a
    ("recoil_factor_mu_exact", (1e100, 1.0, 1.0, 1e6)),
    ("recoil_factor_weak_exact", (2.0, 1e-160, 1.0, 1e6)),
    ("recoil_factor_mu_exact", (2.0, 1e-160, 1.0, 1e6)),
    # 3: numpy.select evaluated (q_a - q_-)/2p everywhere: overflow warnings although q_a > q_+ here
    ("recoil_factor_weak", (1e100, 1e-250, 1.0, 1e100)),
    ("recoil_factor_mu", (1e100, 1e-250, 1.0, 1e100)),
    ("recoil_factor_weak", (1e100, TINY, 1e99, 1.0)),
    ("recoil_factor_mu", (1e100, TINY, 1e99, 1.0)),
    ("recoil_factor_mu", (2.225073858507201e-308, 1.4916681462400413e-154, 1.0900707509874877e-308, 1e6)),
])
def test_reproducers_are_finite_quiet_and_accurate(name, xs):
    """Finite, inside [0, 1], no warning, and within the float bar (4 ULP x max(1, kappa)) of the exact value."""
    k = KERNELS[name]
    v = call(name, *xs)
    assert math.isfinite(v) and 0.0 <= v <= 1.0
    report = floatcheck.measure(k, lambda *a: call(name, *a), {a.name: numpy.array([x]) for a, x in zip(k.args, xs)})
    assert report.passed, (str(report), report.failures)


@pytest.mark.parametrize("t, mu", [(1e-200, 1.0), (TINY, 1.0), (1e-300, 1e-160), (1e100, 1e-160), (1e-10, TINY)])
def test_dsigma_mu_fe_is_finite_and_exact_at_the_edges(t, mu):
    """4: pi r_e^2 mu^2/T overflowed for mu_nu = 1e100 (now out of range); at mu_nu <= 1 it is finite for every T,
    and mu_nu^2 no longer underflows for mu_nu < 1.5e-154 (the exponents are separated): <= 4 ULP everywhere."""
    unit = Fraction(float(numeric.dsigma_mu_fe(1.0, 1.0)))         # pi r_e^2 per eV, the kernel's own constant
    v = call("dsigma_mu_fe", t, mu)
    assert math.isfinite(v) and ulps(v, unit * Fraction(mu) ** 2 / Fraction(t)) <= ULP_BAR


@pytest.mark.parametrize("t, p", [(4.2316185024018694e+99, 1.0), (1e100, TINY), (1e100, 1e100), (TINY, 1e-159),
                                  (TINY, 1e100), (1e-300, 1e-157), (2.0**-960, 1e-160), (1e-320, 1.0)])
def test_q_edges_are_ordered_and_multiply_to_2_me_T(t, p):
    """5: q_minus exceeded q_plus by one ULP at T = 4.23e99, p = 1; tiny T made 2 m_e T subnormal (7 digits)."""
    assert identity_ulps(t, p) <= ULP_BAR


# ---------------------------------------------------------------- hostile and accepted argument types
HOSTILE = [
    ("str", ("1e3", "1"), TypeError, "T='1e3' is of type str"),
    ("bytes", (b"1", 1.0), TypeError, "T=b'1' is of type bytes"),
    ("bytearray", (bytearray(b"\x05"), 1.0), TypeError, "is of type bytearray"),
    ("memoryview", (memoryview(b"\x05"), 1.0), TypeError, "is of type memoryview"),
    ("None", (None, 1.0), TypeError, "T=None is of type NoneType"),
    ("bool", (True, 1.0), TypeError, "T=True is of type bool"),
    ("numpy.bool_", (1.0, numpy.True_), TypeError, "p=np.True_ is of type bool"),
    ("bool array", (numpy.array([True, False]), 1.0), TypeError, "is of bool type"),
    ("bool in a list", ([1.0, True], 1.0), TypeError, "holding the bool True"),
    ("datetime64", (numpy.datetime64("2020-01-01"), 1.0), TypeError, "is of datetime64 type"),
    ("timedelta64 array", (numpy.array([1, 2], dtype="timedelta64[s]"), 1.0), TypeError, "is of timedelta64 type"),
    ("complex", (1.0, 2 + 0j), TypeError, "p=(2+0j) is of type complex"),
    ("numpy complex", (numpy.complex128(2.0), 1.0), TypeError, "is of type complex128"),
    ("numpy complex64", (numpy.complex64(2.0), 1.0), TypeError, "is of complex type"),
    ("complex array", (numpy.array([1.0, 2.0 + 1e-30j]), 1.0), TypeError, "is of complex type"),
    ("complex in a list", ([1.0, 1j], 1.0), TypeError, "holding complex 1j"),
    ("object array", (numpy.array([1.0, 2.0], dtype=object), 1.0), TypeError, "is of object type"),
    ("Decimal", (1.0, decimal.Decimal(1)), TypeError, "p=Decimal('1') is of object type"),
    ("masked array", (numpy.ma.masked_array([1.0, 2.0], mask=[False, True]), 1.0), TypeError,
     "argument T is a numpy masked array; masked arrays are not supported"),
    ("masked array in a list", ([numpy.ma.masked_array([1.0, -2.0], mask=[False, True])], 1.0), TypeError,
     "a sequence holding a numpy masked array"),
    ("int beyond float", (10**400, 1.0), ValueError, "T=1.000000e+400 is outside the allowed range (0, 1e+100]"),
    ("negative int beyond float", (1.0, -10**400), ValueError, "p=-1.000000e+400 is outside the allowed range"),
    ("int beyond float in a list", ([1, 10**400], 1.0), ValueError, "T=1.000000e+400 is outside the allowed range"),
    ("int beyond 1e100", (10**101, 1.0), ValueError, "T=1e+101 is outside the allowed range (0, 1e+100]"),
    ("NaN in float32", (numpy.float32("nan"), 1.0), ValueError, "T=nan is outside the allowed range"),
    ("negative int8", (numpy.int8(-3), 1.0), ValueError, "T=-3 is outside the allowed range (0, 1e+100]"),
    ("zero uint64 array", (numpy.zeros(2, dtype=numpy.uint64), 1.0), ValueError, "T=0 is outside the allowed range"),
    ("shapes", (numpy.ones(2), numpy.ones(3)), ValueError,
     "arguments T with shape (2,), p with shape (3,) cannot be broadcast together"),
    ("ragged list", ([1.0, [2.0, 3.0]], 1.0), TypeError, "not convertible to an array"),
]
if numpy.finfo(numpy.longdouble).maxexp > 1024:                # an extended long double (x86): 1e400 exists
    HOSTILE.append(("long double beyond float", (numpy.longdouble("1e400"), 1.0), ValueError,
                    "T=1e+400 is outside the allowed range (0, 1e+100]"))


@pytest.mark.parametrize("args, error, message", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_arguments_are_rejected_by_name_and_value(args, error, message):
    with pytest.raises(error) as err:
        numeric.q_plus(*args)
    assert type(err.value) is error and message in str(err.value), str(err.value)
    assert str(err.value).startswith("q_plus: argument")


ACCEPTED = [
    ("int", 3), ("float", 3.0), ("numpy.float16", numpy.float16(3)), ("numpy.float32", numpy.float32(3)),
    ("numpy.int8", numpy.int8(3)), ("numpy.uint64", numpy.uint64(3)), ("0-d array", numpy.array(3.0)),
    ("int below 2**63 beyond 2**53", 2**60 + 1), ("int beyond int64", 2**70),
]


@pytest.mark.parametrize("value", [a[1] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED])
def test_real_scalars_are_accepted_as_float64(value):
    out = numeric.q_plus(value, 1.0)
    assert isinstance(out, numpy.float64) and out == numeric.q_plus(float(value), 1.0)


@pytest.mark.parametrize("value", [[1, 2.0, 3], (1, 2.0, 3), numpy.array([1, 2, 3], dtype=numpy.int16),
                                   numpy.array([1, 2, 3], dtype=numpy.float32), [numpy.float16(1), 2, numpy.uint8(3)],
                                   [1, 2**70, 3]], ids=["list", "tuple", "int16", "float32", "mixed", "big int"])
def test_real_sequences_are_accepted_as_float64(value):
    out = numeric.q_plus(value, [[1.0], [2.0]])
    ref = numeric.q_plus(numpy.array([float(x) for x in value]), numpy.array([[1.0], [2.0]]))
    assert out.dtype == numpy.float64 and out.shape == (2, 3) and numpy.array_equal(out, ref)


def test_arguments_are_not_modified():
    t = numpy.array([1e-320, 2.0, 3.0])
    before = t.copy()
    numeric.recoil_factor_mu(t, 1.0, 0.5, 1e9)
    numeric.q_minus(t, 1.0)
    assert numpy.array_equal(t, before)


def test_empty_input_gives_empty_output():
    out = numeric.recoil_factor_weak([], 1.0, 1.0, 1e9)
    assert out.shape == (0,) and out.dtype == numpy.float64
