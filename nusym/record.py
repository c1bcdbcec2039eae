"""Named results and the rules that turn evidence into a verdict.

A derivation module declares each result of a paper with :func:`result`; its check
function computes an :class:`Evidence` (what SymPy showed, what mpmath measured) and the
verdict follows from that evidence by the rules in :func:`judge`.  No verdict is typed in.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import mpmath

__all__ = ["Evidence", "Quoted", "Result", "Outcome", "result", "judge", "REQUIRED_DIGITS"]

REQUIRED_DIGITS = 40          # definition-level numerics must agree with the closed form this well
PROOF_KINDS = ("proved", "limit", "disproved")


@dataclass(frozen=True)
class Quoted:
    """A number the paper quotes, against the value nusym computes.

    ``kind`` is "figures" (the paper's value must equal the computed one rounded to the
    paper's significant figures) or "order" (the paper says "about an order of magnitude":
    the decimal logarithm of the computed value must round to 1).
    """

    label: str
    paper: str
    computed: mpmath.mpf
    kind: str = "figures"

    @property
    def matches(self) -> bool:
        x = mpmath.mpf(self.computed)
        if self.kind == "order":
            return int(mpmath.nint(mpmath.log10(abs(x)))) == 1
        digits = self.paper.replace(".", "").replace("-", "").lstrip("0")
        sig = len(digits.split("e")[0].split("E")[0])
        return float(mpmath.nstr(x, sig, strip_zeros=False)) == float(self.paper)

    def __str__(self) -> str:
        shown = mpmath.nstr(self.computed, 4)
        mark = "=" if self.matches else "!="
        what = "order of magnitude" if self.kind == "order" else f"{self.paper} to its figures"
        return f"{self.label}: computed {shown} {mark} paper's {what}"


@dataclass
class Evidence:
    """What the three checks of one result showed.

    symbolic:  "proved" (SymPy derived the paper's statement from its definition),
               "limit" (SymPy derived it only in the limit named by ``limit``), or
               "disproved" (SymPy derived something else: ``symbolic_detail`` says what).
    digits:    agreement, in decimal digits, between an mpmath evaluation of the defining
               expression (quadrature, sums) at >= 50 digits and the derived closed form;
               the minimum over the sampled points.
    trend:     for "limit": relative deviations of the paper's form from the exact one along
               a path towards the limit; they must fall towards zero.
    deviation: for "disproved": relative deviation of the paper's form from the definition,
               measured by mpmath; it must be far above numerical noise.
    quoted:    numbers quoted by the paper and the computed values.
    kernels:   names of generated float functions whose accuracy backs this result.
    independent: further independent evaluations, each (label, digits measured, digits required),
               e.g. a partial-wave sum against a closed form.
    """

    symbolic: str
    symbolic_detail: str
    digits: float
    numeric_detail: str
    limit: str = ""
    trend: tuple = ()
    deviation: float | None = None
    quoted: tuple = ()
    kernels: tuple = ()
    notes: str = ""
    independent: tuple = ()

    def __post_init__(self):
        if self.symbolic not in PROOF_KINDS:
            raise ValueError(f"symbolic={self.symbolic!r}: allowed {PROOF_KINDS}")


@dataclass
class Outcome:
    """The verdict on one result, with the problems that make its checks fail (if any)."""

    verdict: str                      # holds | approximate | refuted
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def judge(ev: Evidence) -> Outcome:
    """Turn evidence into a verdict; contradictions between the checks become problems."""
    problems = []
    if not (ev.digits >= REQUIRED_DIGITS):
        problems.append(f"definition-level numerics agree to {ev.digits:.1f} digits < {REQUIRED_DIGITS}")
    if ev.symbolic == "proved":
        verdict = "holds"
    elif ev.symbolic == "limit":
        verdict = "approximate"
        if not ev.limit:
            problems.append("a limit verdict must name its limit")
        devs = [abs(float(d)) for d in ev.trend]
        if len(devs) < 3 or not all(b < a for a, b in zip(devs, devs[1:])) or devs[-1] > 1e-3 * devs[0]:
            problems.append(f"numerics do not approach the limit: deviations {devs}")
    else:
        verdict = "refuted"
        if ev.deviation is None or not ev.deviation > 1e-30:
            problems.append(f"symbolic disproof not confirmed numerically (deviation {ev.deviation})")
    for label, got, need in ev.independent:
        if not got >= need:
            problems.append(f"{label}: {got:.1f} digits < {need}")
    for qv in ev.quoted:
        if not qv.matches:
            verdict = "refuted"
    return Outcome(verdict, problems)


@dataclass
class Result:
    """One result of one paper: the paper's words, and the function that checks them."""

    id: str
    paper: str
    equation: str
    statement: str
    check: Callable[[], Evidence]
    module: str = ""

    def run(self) -> tuple[Evidence, Outcome]:
        ev = self.check()
        return ev, judge(ev)


def result(id: str, paper: str, equation: str, statement: str):
    """Decorator: declare the decorated check function as the named result of a paper."""
    def wrap(fn: Callable[[], Evidence]) -> Result:
        return Result(id, paper, equation, " ".join(statement.split()), fn, fn.__module__)
    return wrap


def digits_of_agreement(a, b) -> float:
    """Decimal digits to which two mpmath numbers agree (relative; inf when equal)."""
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    if a == b:
        return math.inf
    scale = max(abs(a), abs(b))
    return float(-mpmath.log10(abs(a - b) / scale))
