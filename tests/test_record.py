"""Verdicts follow from evidence by fixed rules; contradictions are problems."""
import mpmath

from nusym.record import Evidence, Quoted, judge


def ev(**kw):
    base = dict(symbolic="proved", symbolic_detail="", digits=45.0, numeric_detail="")
    return Evidence(**{**base, **kw})


def test_proved_and_numerics_agree_holds():
    out = judge(ev())
    assert out.verdict == "holds" and out.ok


def test_too_few_digits_is_a_problem():
    assert not judge(ev(digits=39.0)).ok


def test_limit_needs_a_name_and_a_falling_trend():
    assert judge(ev(symbolic="limit", limit="T << E", trend=(1e-1, 1e-3, 1e-5))).verdict == "approximate"
    assert not judge(ev(symbolic="limit", limit="", trend=(1e-1, 1e-3, 1e-5))).ok
    assert not judge(ev(symbolic="limit", limit="x", trend=(1e-1, 1e-2, 1e-1))).ok


def test_disproof_must_be_confirmed_numerically():
    assert judge(ev(symbolic="disproved", deviation=0.5)).verdict == "refuted"
    assert not judge(ev(symbolic="disproved", deviation=None)).ok


def test_quoted_numbers_are_checked_to_the_papers_figures():
    assert Quoted("x", "0.04", mpmath.mpf("0.0418")).matches
    assert Quoted("x", "0.3", mpmath.mpf("0.3354")).matches
    assert not Quoted("x", "0.3", mpmath.mpf("0.489")).matches
    assert Quoted("x", "3.2", mpmath.mpf("3.2026")).matches
    assert not Quoted("x", "3.3", mpmath.mpf("3.2026")).matches
    assert Quoted("x", "10", mpmath.mpf("8.03"), kind="order").matches
    assert not Quoted("x", "10", mpmath.mpf("2.5"), kind="order").matches
    assert judge(ev(quoted=(Quoted("x", "0.5", mpmath.mpf("0.3354")),))).verdict == "refuted"
