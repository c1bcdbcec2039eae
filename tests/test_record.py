"""Verdicts follow from evidence by one set of rules; each rule is shown to be able to fail."""
import math

import mpmath

from nusym.record import Bound, Deviation, Evidence, Quoted, Trend, Verdict, judge, measure_deviation, measure_excess


def ev(**kw):
    base = dict(symbolic="proved", symbolic_detail="", digits=45.0, numeric_detail="")
    return Evidence(**{**base, **kw})


def decades(devs, start=1.0):
    return tuple((start * 10.0 ** -k, d) for k, d in enumerate(devs))


def test_proved_and_numerics_agree_holds():
    out = judge(ev())
    assert out.verdict is Verdict.HOLDS and out.ok


def test_a_proof_with_failing_numerics_is_not_a_hold():
    out = judge(ev(digits=39.0))
    assert out.verdict is Verdict.INCONCLUSIVE and not out.ok
    out = judge(ev(independent=(("partial waves", 12.0, 15),)))
    assert out.verdict is Verdict.INCONCLUSIVE and not out.ok


def test_no_independent_route_is_not_counted_but_does_not_fail():
    assert judge(ev(digits=None)).verdict is Verdict.HOLDS


def test_a_failed_proof_or_disproof_is_inconclusive_never_holds():
    assert judge(ev(symbolic="open")).verdict is Verdict.INCONCLUSIVE
    assert judge(ev(symbolic="open", deviation=Deviation(1e-40, 1e-40))).verdict is Verdict.INCONCLUSIVE


def test_limit_needs_a_name_and_a_fitted_power_over_three_decades():
    good = Trend("x", decades([1e-1, 1e-2, 1e-3, 1e-4]))
    assert judge(ev(symbolic="limit", limit="T << E", trends=(good,))).verdict is Verdict.APPROXIMATE
    assert not judge(ev(symbolic="limit", limit="", trends=(good,))).ok
    assert not judge(ev(symbolic="limit", limit="T << E", trends=())).ok
    two_decades = Trend("x", decades([1e-1, 1e-2, 1e-3]))
    assert judge(ev(symbolic="limit", limit="x", trends=(two_decades,))).verdict is Verdict.INCONCLUSIVE


def test_a_floor_fails_the_limit_rule():
    """The old rule (falling, last < 1e-3 x first) passed this; a deviation levelling off at 2m_e/M_a is a floor."""
    floor = Trend("x", decades([0.46, 0.05, 0.0055, 0.00051, 0.000017, 0.000015, 0.0000149]))
    assert floor.problems()
    assert judge(ev(symbolic="limit", limit="x", trends=(floor,))).verdict is Verdict.INCONCLUSIVE
    rising = Trend("x", decades([1e-3, 1e-2, 1e-1, 1]))
    assert rising.problems()


def test_refutation_needs_a_deviation_resolved_by_two_precisions():
    assert judge(ev(symbolic="disproved", deviation=Deviation(0.5, 1e-30))).verdict is Verdict.REFUTED
    unresolved = judge(ev(symbolic="disproved", deviation=Deviation(5e-31, 5e-31)))
    assert unresolved.verdict is Verdict.INCONCLUSIVE and not unresolved.ok
    assert judge(ev(symbolic="disproved", deviation=None)).verdict is Verdict.INCONCLUSIVE
    # a counterexample resolved numerically refutes on its own
    assert judge(ev(symbolic="open", digits=None, deviation=Deviation(0.12, 1e-21))).verdict is Verdict.REFUTED


def test_deviations_are_measured_at_two_precisions():
    true = measure_deviation(lambda: mpmath.exp(mpmath.mpf(10) ** -18), lambda: 1 + mpmath.mpf(10) ** -18)
    assert 4e-37 < true.value < 6e-37 and not true.resolved          # 30 digits cannot see 5e-37
    wide = measure_deviation(lambda: mpmath.exp(mpmath.mpf(10) ** -18), lambda: 1 + mpmath.mpf(10) ** -18, (45, 60))
    assert wide.resolved
    assert measure_excess(lambda: mpmath.mpf("0.0112"), lambda: mpmath.mpf("0.01")).resolved
    assert measure_excess(lambda: mpmath.mpf("0.0099"), lambda: mpmath.mpf("0.01")).value == 0


def test_quoted_numbers_are_checked_to_the_papers_figures():
    assert Quoted("x", "0.04", mpmath.mpf("0.0418")).matches
    assert Quoted("x", "0.3", mpmath.mpf("0.3354")).matches
    assert not Quoted("x", "0.3", mpmath.mpf("0.489")).matches
    assert Quoted("x", "3.2", mpmath.mpf("3.2026")).matches
    assert not Quoted("x", "3.3", mpmath.mpf("3.2026")).matches
    assert Quoted("x", "10", mpmath.mpf("8.03"), kind="order").matches
    assert not Quoted("x", "10", mpmath.mpf("2.5"), kind="order").matches
    assert judge(ev(quoted=(Quoted("x", "0.5", mpmath.mpf("0.3354")),))).verdict is Verdict.REFUTED


def test_trend_power_is_fitted():
    t = Trend("x", decades([2.0 * 10.0 ** (-2 * k) for k in range(5)]))
    assert math.isclose(t.power, 2.0, rel_tol=1e-12) and not t.problems()


def test_a_bound_holds_only_with_its_error_inside_and_refutes_only_with_it_outside():
    bounded = lambda *b: judge(ev(symbolic="bounded", digits=None, bounds=b)).verdict
    assert bounded(Bound("share", 1e-3, 5e-4, 1e-2)) is Verdict.HOLDS
    assert bounded(Bound("share", 1e-3, 5e-4, 1e-4)) is Verdict.REFUTED           # the same value, a tighter bound
    assert bounded(Bound("share", 1e-3, 5e-4, 1.2e-3)) is Verdict.INCONCLUSIVE    # the error straddles it
    assert bounded(Bound("share", 1e-3, 5e-4, 1e-2), Bound("other", 2e-2, 1e-3, 1e-2)) is Verdict.REFUTED
    assert bounded(Bound("floor", 5.0, 1.0, 3.0, side="above")) is Verdict.HOLDS
    assert bounded(Bound("floor", 5.0, 1.0, 7.0, side="above")) is Verdict.REFUTED
    assert bounded(Bound("share", float("nan"), 0.0, 1e-2)) is Verdict.INCONCLUSIVE
    assert bounded() is Verdict.INCONCLUSIVE and not judge(ev(symbolic="bounded", digits=None)).ok
    out = judge(ev(symbolic="bounded", digits=None, bounds=(Bound("share", 1e-3, 5e-4, 1e-2),),
                   independent=(("dipole form on hydrogen", 3.0, 5),)))
    assert out.verdict is Verdict.INCONCLUSIVE and not out.ok                     # a failing check is a problem
