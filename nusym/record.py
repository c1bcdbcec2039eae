"""Named results and the one set of rules that turns evidence into a verdict.

A derivation module declares each assertion of a paper with :func:`result`, applied to a check function that
returns :class:`Evidence` or to a :class:`Claim` judged by the claim checker; the result is registered in
:mod:`nusym.catalogue`.
Each record names the paper, the equation, who asserts the statement (the authors, or a work they
cite) and its scope; the verdict is about that one printed statement.  No verdict is typed in:

* ``holds``: SymPy proved the statement, and every numerical check that could have failed agreed; or, for a
  statement that a quantity computed from tabulated data stays below (above) a bound over a finite scope,
  where no proof can exist, its extreme over the scope plus its error estimate (numerical, and what the model
  neglects, measured on an exact model) lies on the stated side (:class:`Bound`);
* ``approximate``: SymPy derived the statement in a named limit, and the deviation falls to zero
  along a path towards it (:class:`Trend`: a fitted power > 0 over >= 3 decades, no floor);
* ``refuted``: the deviation from the statement is resolved by two working precisions
  (:class:`Deviation`): a counterexample, or the confirmation of a symbolic disproof; or a :class:`Bound`'s
  extreme minus its error estimate lies beyond the bound;
* ``inconclusive``: anything else -- a proof not found, a disproof not confirmed, checks that
  contradict each other.  A failed disproof is never a proof.
"""
from __future__ import annotations

import enum
import math
import sys
from dataclasses import dataclass, field
from typing import Callable

import mpmath

from nusym import catalogue

__all__ = ["Verdict", "Evidence", "Deviation", "Trend", "Quoted", "Bound", "Claim", "Result", "Outcome", "result",
           "judge", "measure_deviation", "measure_excess", "digits_of_agreement", "REQUIRED_DIGITS", "RESOLUTION",
           "AUTHORS", "PROOF_KINDS"]

REQUIRED_DIGITS = 40          # definition-level numerics must agree with the closed form this well
RESOLUTION = 100              # a deviation counts only above this multiple of its numerical error
PROOF_KINDS = ("proved", "limit", "disproved", "open", "bounded")
AUTHORS = "the authors"


class Verdict(str, enum.Enum):
    """The closed vocabulary of verdicts."""

    HOLDS = "holds"
    APPROXIMATE = "approximate"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Deviation:
    """The relative deviation of a statement from what was computed, at two working precisions.

    ``value`` is the deviation at the higher precision, ``error`` its change between the two (the
    numerical error).  It refutes only when resolved: value > RESOLUTION x error.
    """

    value: float
    error: float
    precisions: tuple = (30, 45)

    @property
    def resolved(self) -> bool:
        return math.isfinite(self.value) and self.value > 0 and self.value > RESOLUTION * self.error

    def __str__(self) -> str:
        return (f"relative deviation {self.value:.4g} (changes by {self.error:.2g} between {self.precisions[0]} "
                f"and {self.precisions[1]} digits: {'resolved' if self.resolved else 'NOT resolved'})")


def measure_deviation(computed: Callable, stated: Callable, precisions=(30, 45)) -> Deviation:
    """|computed() - stated()|/|stated()| at two precisions (both callables read mpmath's working precision)."""
    vals = []
    for dps in precisions:
        with mpmath.workdps(dps):
            a, b = mpmath.mpmathify(computed()), mpmath.mpmathify(stated())
            vals.append(abs(a - b) / max(abs(a), abs(b)) if (a or b) else mpmath.mpf(0))
    with mpmath.workdps(max(precisions)):
        return Deviation(float(vals[-1]), float(abs(vals[0] - vals[-1])), tuple(precisions))


def measure_excess(computed: Callable, bound: Callable, precisions=(20, 30)) -> Deviation:
    """How far computed() exceeds bound() (the statement being computed < bound), relative to the bound,
    at two precisions; 0 where the statement is met."""
    vals = []
    for dps in precisions:
        with mpmath.workdps(dps):
            b = mpmath.mpmathify(bound())
            vals.append(max(mpmath.mpf(0), (mpmath.mpmathify(computed()) - b) / abs(b)))
    with mpmath.workdps(max(precisions)):
        return Deviation(float(vals[-1]), float(abs(vals[0] - vals[-1])), tuple(precisions))


@dataclass(frozen=True)
class Bound:
    """A quantity the statement bounds, computed over the statement's whole scope, against that bound.

    ``value`` is its extreme over the scope (the largest for ``side="below"``: the statement says the quantity
    stays below ``bound``; the smallest for ``"above"``); ``error`` >= 0 estimates how far the true extreme can
    lie from it: the numerical error and what the computation's model neglects, added.  The statement holds
    when value + error stays on its side of the bound, and is refuted when value - error lies beyond it.
    """

    label: str
    value: float
    error: float
    bound: float
    side: str = "below"

    def __post_init__(self):
        if self.side not in ("below", "above"):
            raise ValueError(f"side={self.side!r}: 'below' or 'above'")

    def _margin(self, sign: int) -> float:
        edge = self.value + sign * self.error
        return self.bound - edge if self.side == "below" else edge - self.bound

    @property
    def holds(self) -> bool:
        ok = [math.isfinite(x) for x in (self.value, self.error, self.bound)]
        return all(ok) and self.error >= 0 and self._margin(+1 if self.side == "below" else -1) > 0

    @property
    def violated(self) -> bool:
        ok = [math.isfinite(x) for x in (self.value, self.error, self.bound)]
        return all(ok) and self.error >= 0 and self._margin(-1 if self.side == "below" else +1) < 0

    def __str__(self) -> str:
        rel = "<" if self.side == "below" else ">"
        state = "holds" if self.holds else ("violated" if self.violated else "NOT decided: the error straddles the bound")
        return (f"{self.label}: {self.value:.4g} +- {self.error:.2g} against the bound {rel} {self.bound:g} "
                f"({state})")


@dataclass(frozen=True)
class Trend:
    """Deviations of a statement from the exact result along a path towards its limit.

    ``points`` are (x, deviation) pairs, x the small parameter of the limit (x -> 0).  The statement
    approaches the limit when log|deviation| against log x has a fitted power > 0 over >= 3 decades
    of x and every step along the path falls at least at a third of that power: a deviation that
    levels off at a floor fails.
    """

    label: str
    points: tuple

    @property
    def power(self) -> float:
        xs = [math.log10(float(x)) for x, _ in self.points]
        ys = [math.log10(abs(float(d))) for _, d in self.points]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0

    def problems(self) -> list:
        pts = [(float(x), abs(float(d))) for x, d in self.points]
        if len(pts) < 3 or any(not (x > 0 and d > 0 and math.isfinite(d)) for x, d in pts):
            return [f"{self.label}: needs >= 3 points with x > 0 and finite non-zero deviations, got {pts}"]
        pts.sort()
        span = math.log10(pts[-1][0] / pts[0][0])
        if span < 3 - 1e-9:
            return [f"{self.label}: the path spans {span:.2f} decades of x, fewer than 3"]
        power = self.power
        if not power > 0.1:
            return [f"{self.label}: fitted power {power:.3g} is not > 0: the deviation does not fall to 0"]
        steps = [math.log10(d2 / d1) / math.log10(x2 / x1) for (x1, d1), (x2, d2) in zip(pts, pts[1:])]
        if min(steps) < power / 3:
            return [f"{self.label}: the deviation levels off (local powers {[round(s, 3) for s in steps]}, "
                    f"fitted {power:.3g}): a floor"]
        return []

    def __str__(self) -> str:
        shown = ", ".join(f"{float(x):.3g}: {float(d):.3g}" for x, d in self.points)
        return f"{self.label}: deviation ~ x^{self.power:.3g} along x -> 0 ({shown})"


@dataclass(frozen=True)
class Quoted:
    """A number the paper quotes, against the value nusym computes.

    ``kind`` is "figures" (the paper's value must equal the computed one rounded to the paper's
    significant figures) or "order" (the paper says "about" or "~": the computed value must lie within
    a factor sqrt(10) of the paper's, i.e. the decimal logarithm of their ratio rounds to 0).
    """

    label: str
    paper: str
    computed: mpmath.mpf
    kind: str = "figures"

    @property
    def matches(self) -> bool:
        x = mpmath.mpf(self.computed)
        if self.kind == "order":
            return abs(mpmath.log10(abs(x) / mpmath.mpf(self.paper))) < mpmath.mpf("0.5")
        digits = self.paper.replace(".", "").replace("-", "").lstrip("0")
        sig = len(digits.split("e")[0].split("E")[0])
        return float(mpmath.nstr(x, sig, strip_zeros=False)) == float(self.paper)

    def __str__(self) -> str:
        shown = mpmath.nstr(self.computed, 4)
        mark = "=" if self.matches else "!="
        what = "order of magnitude" if self.kind == "order" else "to its figures"
        return f"{self.label}: computed {shown} {mark} paper's {self.paper} ({what})"


@dataclass
class Evidence:
    """What the checks of one result showed.

    symbolic:  "proved" (SymPy derived the statement from its definition), "limit" (only in the limit
               named by ``limit``), "disproved" (SymPy derived something else: ``symbolic_detail`` says
               what), "open" (SymPy settled nothing), or "bounded" (a computed quantity against the bound
               the statement sets: ``bounds``; ``symbolic_detail`` says what SymPy derived on the way).
    digits:    agreement, in decimal digits, between an mpmath evaluation of the defining expression
               (quadrature, sums) at 50 and 80 digits and the derived closed form, computed by a
               different route; None where no such independent evaluation exists (then it is not counted).
    trends:    for "limit": :class:`Trend` s towards the limit (at least one).
    deviation: the :class:`Deviation` of the statement from the definition: required for "disproved"; with
               "open" a resolved deviation is a counterexample and refutes on its own.
    quoted:    numbers quoted by the paper and the computed values.
    kernels:   names of generated float functions whose accuracy backs this result.
    independent: further independent evaluations, each (label, digits measured, digits required).
    bounds:    for "bounded": the :class:`Bound` s the statement sets (at least one).
    """

    symbolic: str
    symbolic_detail: str
    digits: float | None
    numeric_detail: str
    limit: str = ""
    trends: tuple = ()
    deviation: Deviation | None = None
    quoted: tuple = ()
    kernels: tuple = ()
    notes: str = ""
    independent: tuple = ()
    bounds: tuple = ()

    def __post_init__(self):
        if self.symbolic not in PROOF_KINDS:
            raise ValueError(f"symbolic={self.symbolic!r}: allowed {PROOF_KINDS}")

    def lines(self) -> list:
        out = [f"symbolic ({self.symbolic}): {self.symbolic_detail}"]
        if self.digits is None:
            out.append(f"numeric (no independent definition-level route; not counted): {self.numeric_detail}")
        else:
            shown = "exact" if self.digits == math.inf else f"{self.digits:.1f} digits"
            out.append(f"numeric ({shown}): {self.numeric_detail}")
        if self.limit:
            out.append(f"in the limit {self.limit}")
        out += [f"trend: {t}" for t in self.trends]
        if self.deviation is not None:
            out.append(f"deviation: {self.deviation}")
        out += [f"independent: {label}: {'exact' if got == math.inf else f'{got:.1f}'} digits (required {need})"
                for label, got, need in self.independent]
        out += [str(q) for q in self.quoted]
        out += [f"bound: {b}" for b in self.bounds]
        if self.notes:
            out.append(self.notes)
        return out


@dataclass
class Outcome:
    """The verdict on one result, why it is not the one its evidence aims at (``reasons``), and the
    problems: checks that contradict each other or fail, which make `nusym verify` fail."""

    verdict: Verdict
    problems: list = field(default_factory=list)
    reasons: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def judge(ev: Evidence) -> Outcome:
    """Turn evidence into a verdict by the rules of this module."""
    problems = []
    if ev.digits is not None and not ev.digits >= REQUIRED_DIGITS:
        problems.append(f"definition-level numerics agree to {ev.digits:.1f} digits < {REQUIRED_DIGITS}")
    for label, got, need in ev.independent:
        if not got >= need:
            problems.append(f"{label}: {got:.1f} digits < {need}")
    trend_problems = [p for t in ev.trends for p in t.problems()]
    reasons = []
    if ev.symbolic == "proved":
        verdict = Verdict.HOLDS
        problems += trend_problems
    elif ev.symbolic == "limit":
        verdict = Verdict.APPROXIMATE
        if not ev.limit:
            problems.append("an approximate verdict must name its limit")
        if not ev.trends:
            problems.append("an approximate verdict needs a trend towards its limit")
        problems += trend_problems
    elif ev.symbolic == "disproved":
        verdict = Verdict.REFUTED
        if ev.deviation is None or not ev.deviation.resolved:
            problems.append(f"the symbolic disproof is not confirmed by a resolved deviation ({ev.deviation})")
    elif ev.symbolic == "bounded":
        if not ev.bounds:
            problems.append("a bounded verdict needs at least one Bound")
            verdict = Verdict.INCONCLUSIVE
        elif any(b.violated for b in ev.bounds):
            verdict = Verdict.REFUTED
        elif all(b.holds for b in ev.bounds):
            verdict = Verdict.HOLDS
        else:
            verdict = Verdict.INCONCLUSIVE
            reasons.append("the computed value's error estimate straddles the bound: "
                           + "; ".join(str(b) for b in ev.bounds if not b.holds))
    elif ev.deviation is not None and ev.deviation.resolved:
        verdict = Verdict.REFUTED           # a counterexample that two precisions resolve
    else:
        verdict = Verdict.INCONCLUSIVE
        reasons.append("SymPy neither proved nor disproved the statement"
                       + (f", and the measured {ev.deviation}" if ev.deviation is not None else ""))
    if problems and verdict is not Verdict.INCONCLUSIVE:
        reasons.append(f"the checks do not support a {verdict} verdict")
        verdict = Verdict.INCONCLUSIVE
    wrong = [q for q in ev.quoted if not q.matches]
    if wrong and verdict in (Verdict.HOLDS, Verdict.APPROXIMATE):
        verdict = Verdict.REFUTED
        reasons.append("the paper's number(s) " + ", ".join(q.paper for q in wrong) + " differ from the computed")
    return Outcome(verdict, problems, reasons)


@dataclass(frozen=True)
class Claim:
    """A statement in the claim language of :mod:`nusym.claims.checker`, as data: judged by `nusym check`'s engine."""

    text: str
    model: str | None = None
    assume: tuple = ()
    set: tuple = ()               # (name, value) pairs
    points: int = 40

    def command(self) -> str:
        """The `nusym check` command that judges this claim as `nusym verify` does (the same random points)."""
        parts = [f'nusym check "{self.text}"'] + ([f"--model {self.model}"] if self.model else [])
        parts.append(f"--points {self.points}")
        parts += [f'--assume "{a}"' for a in self.assume] + [f"--set {k}={v}" for k, v in self.set]
        return " ".join(parts)


@dataclass
class Result:
    """One assertion of one paper: its words, who asserts it, its scope, and how it is checked: a ``check``
    function returning :class:`Evidence`, or a ``claim`` judged by the claim checker."""

    id: str
    paper: str
    equation: str
    statement: str
    check: Callable[[], Evidence] | None = None
    module: str = ""
    asserted_by: str = AUTHORS
    scope: str = ""
    claim: Claim | None = None


def _clean(text: str) -> str:
    return " ".join(text.split())


def result(id: str, paper: str, equation: str, statement: str, by: str = AUTHORS, scope: str = "",
           cost: float = 1.0, group: str = ""):
    """Declare a named assertion of a paper and register it in :mod:`nusym.catalogue` (an id used twice is an
    error at import).  Applied to a check function returning :class:`Evidence` (as a decorator), or to a
    :class:`Claim` that the claim checker judges; either way it returns the :class:`Result`.  For parallel runs
    only, kept with the catalogue entry: ``cost``, rough seconds the check takes (the costly ones start first);
    ``group``, a name shared with results whose checks reuse a step it caches (they run in one worker, in order)."""
    def declare(check) -> Result:
        module = sys._getframe(1).f_globals.get("__name__", "")
        if isinstance(check, Claim):
            r = Result(id, paper, equation, _clean(statement), None, module, by, _clean(scope), check)
        else:
            r = Result(id, paper, equation, _clean(statement), check, check.__module__, by, _clean(scope))
        return catalogue.register("result", id, r, r.module, cost=cost, group=group)
    return declare


def digits_of_agreement(a, b) -> float:
    """Decimal digits to which two mpmath numbers agree (relative; inf when equal)."""
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    if a == b:
        return math.inf
    scale = max(abs(a), abs(b))
    return float(-mpmath.log10(abs(a - b) / scale))
