"""One sampled point judged: both sides at two working precisions (a third where they do not decide), and the
verdict from all judged points."""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy

from nusym import quadrature as highprec
from nusym.claims.vocabulary import VARIABLES
from nusym.record import RESOLUTION

__all__ = ["Point", "judge_point", "conclude", "show_raw", "show_point"]

# A point's two sides are computed at dps and dps + 15 digits.  dev is the relative deviation at the higher
# precision, err the change of the sides between the precisions (the numerical error of the lower).
#   agree:     dev falls with precision (dev <= dev_low/1000) or sits at the higher precision's rounding;
#   violate:   dev > RESOLUTION x err and above the higher precision's rounding: resolved, it refutes;
#   undecided: neither, after one more evaluation at dps + 30 -- the answer names the --dps that would settle it.


@dataclass
class Point:
    kind: str                   # agree | violate | undecided | outside
    point: dict = None
    dev: float = 0.0
    lhs: str = ""
    rhs: str = ""
    reason: str = ""
    dps_needed: int | None = None


def _evaluate(st, raw, prec):
    """(point, (lhs, rhs)) at precision ``prec``; (point, None) outside the assumptions; raises on failure."""
    with mpmath.workdps(prec):
        pt = st.domain.complete({k: mpmath.mpf(v) for k, v in raw.items()})
        if not st.domain.admits(pt):
            return pt, None
        st.env.clear()
        st.env.update(pt)
        return pt, (mpmath.mpmathify(st.f_lhs(pt)), mpmath.mpmathify(st.f_rhs(pt)))


def _real_pair(st, pt, sides):
    """The two sides as finite reals, or the reason they are not."""
    if any(isinstance(v, mpmath.mpc) and v.imag != 0 for v in sides):
        return None, f"the claim is not real at {show_point(pt, st.names)}"
    sides = [mpmath.re(v) for v in sides]
    if not all(mpmath.isfinite(v) for v in sides):
        return None, f"the claim is not finite at {show_point(pt, st.names)}"
    return sides, ""


def _signed(l, r):
    scale = max(abs(l), abs(r))
    return (l - r) / scale if scale else mpmath.mpf(0)


def _unconverged(st, low, high):
    """The side holding an integral whose value moved by more than highprec.QUAD_TOLERANCE of itself between
    the precisions ('left', 'right'), or None.  Such a side is not computed, however small it is beside the
    other: a divergent integral gives mpmath a finite number that grows with the precision (int_0^oo dT is
    2e34 at 30 digits, 3e49 at 45), and measured against 10**100 its change would look like rounding."""
    for side, x1, x2, has in (("left", low[0], high[0], st.lhs.has(sympy.Integral)),
                              ("right", low[1], high[1], st.rhs.has(sympy.Integral))):
        if has and abs(x1 - x2) > highprec.QUAD_TOLERANCE * abs(x2):
            return side
    return None


def _compare(st, low, high, prec_high):
    """Judge one point from its sides at two precisions: (kind, dev, signed, err)."""
    (l1, r1), (l2, r2) = low, high
    with mpmath.workdps(prec_high):
        scale = max(abs(l2), abs(r2))
        err = (abs(l1 - l2) + abs(r1 - r2)) / scale if scale else mpmath.mpf(0)
        signed, signed_low = _signed(l2, r2), _signed(l1, r1)
        dev = abs(signed)
        if _unconverged(st, low, high):
            return "undecided", dev, signed, err
        rounding = mpmath.mpf(10) ** -(prec_high - 5)
        if st.rel == "==":
            if dev <= rounding or (dev <= abs(signed_low) / 1000):
                return "agree", dev, signed, err
            if dev > RESOLUTION * err and dev > rounding:
                return "violate", dev, signed, err
            return "undecided", dev, signed, err
        # an inequality: the side that violates it, if any, must be resolved; so must a margin that meets it
        against = signed if st.rel in ("<", "<=") else -signed        # > 0 violates
        if against > 0 and against > RESOLUTION * err and against > rounding:
            return "violate", dev, signed, err
        if against < 0 and -against > RESOLUTION * err:
            return "agree", dev, signed, err
        if against == 0 and l2 == r2 and (l2 == 0 or r2 == 0):
            return ("violate" if st.rel in ("<", ">") else "agree"), dev, signed, err   # exactly equal: a side is 0
        if st.rel in ("<=", ">=") and (dev <= rounding or dev <= abs(signed_low) / 1000):
            return "agree", dev, signed, err                          # equal to the precision: <= and >= are met
        return "undecided", dev, signed, err


def judge_point(st, raw, dps) -> Point:
    """Evaluate the claim at one sampled point and judge it (see the rules above)."""
    try:
        pt, low = _evaluate(st, raw, dps)
        if low is None:
            return Point("outside")
        _, high = _evaluate(st, raw, dps + 15)
        low, why = _real_pair(st, pt, low)
        high, why2 = _real_pair(st, pt, high) if low is not None else (None, why)
        if low is None or high is None:
            return Point("undecided", pt, reason=why or why2)
        kind, dev, signed, err = _compare(st, low, high, dps + 15)
        if kind == "undecided":                      # one more precision before giving up
            _, higher = _evaluate(st, raw, dps + 30)
            higher, why = _real_pair(st, pt, higher)
            if higher is None:
                return Point("undecided", pt, reason=why)
            kind, dev, signed, err = _compare(st, high, higher, dps + 30)
            high = higher
    except Exception as exc:  # noqa: BLE001 - any failure at a point leaves it undecided, never passed
        return Point("undecided", None, reason=f"evaluation failed at {show_raw(raw)}: {type(exc).__name__}: {exc}")
    if not (err <= mpmath.mpf(10) ** -6):
        return Point("undecided", pt, float(dev), reason=f"numerical error {float(err):.2g} at {show_point(pt, st.names)}")
    shown = max(12, min(dps, int(-mpmath.log10(dev)) + 4 if dev > 0 else 12))    # enough digits to see dev
    point = Point(kind, pt, float(dev), mpmath.nstr(high[0], shown), mpmath.nstr(high[1], shown))
    side = _unconverged(st, low, high) if kind == "undecided" else None
    if side:
        point.reason = (f"the integral on the {side} side does not converge: it changes with the precision "
                        f"({point.lhs if side == 'left' else point.rhs} at {dps + 30} digits) at {show_point(pt, st.names)}")
    elif kind == "undecided":
        size = max(dev, err, mpmath.mpf(10) ** -(dps + 30))
        point.dps_needed = min(200, int(-mpmath.log10(size)) + 12)
        point.reason = (f"the deviation {mpmath.nstr(dev, 3)} at {show_point(pt, st.names)} is not resolved by the numerical "
                        f"error {mpmath.nstr(err, 3)}")
    return point


def conclude(st, points, evaluated, method, result):
    """The verdict from the judged points and the proof attempt."""
    bad = [p for p in points if p.kind == "violate"]
    undecided = [p for p in points if p.kind == "undecided"]
    worst = max((p.dev for p in points if p.kind in ("agree", "violate", "undecided") and p.point), default=None)
    dev_out = worst if st.rel == "==" and evaluated else None
    if bad:
        v = max(bad, key=lambda p: p.dev)
        # the point as numbers (an integer variable as an int); the two sides as decimal text, with the digits that
        # show their difference (a float would round it away)
        cex = {n: int(v.point[n]) if VARIABLES[n].integer else float(v.point[n]) for n in st.names}
        cex.update({"lhs": v.lhs, "rhs": v.rhs})
        if st.proof:
            return result("inconclusive", method, dev=v.dev, cex=cex,
                          reason="SymPy proved the claim but the numerics found a violation: report this")
        return result("refuted", method, dev=v.dev, cex=cex, points=evaluated)
    if evaluated == 0:
        why = (f"no sampled point could be evaluated; first: {undecided[0].reason}" if undecided
               else "no sampled point satisfies the assumptions" if st.shown_assumptions else "no point was sampled")
        return result("inconclusive", method, reason=why)
    if st.proof is False:
        return result("inconclusive", method, dev=dev_out,
                      reason="SymPy disproved the claim but no sampled point shows it; the failing region is narrow")
    if undecided:
        need = max((p.dps_needed for p in undecided if p.dps_needed), default=None)
        advice = f"; --dps {need} would resolve it" if need else ""
        return result("inconclusive", method, dev=dev_out, points=evaluated,
                      reason=f"{len(undecided)} point(s) undecided; first: {undecided[0].reason}{advice}")
    return result("holds", method if not st.proof else "symbolic proof (SymPy), confirmed by " + method,
                  dev=dev_out, points=evaluated)


def show_raw(raw):
    return ", ".join(f"{n}={mpmath.nstr(v, 6)}" for n, v in raw.items()) or "its only point (it has no variables)"


def show_point(pt, names):
    return ", ".join(f"{n}={mpmath.nstr(pt[n], 6)}" for n in names) or "its only point (it has no variables)"
