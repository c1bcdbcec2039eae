"""`nusym check`'s entry point: the options validated before any work, the check run in a time-budgeted worker
(:mod:`nusym.runner.budget`), its sampled points judged by one helper process per core."""
from __future__ import annotations

import random
import time

import mpmath

from nusym.atoms import models
from nusym.claims.points import conclude, judge_point, show_raw
from nusym.claims.report import ClaimReport
from nusym.claims.sampling import draw, edge_points
from nusym.claims.setup import setting_readable, setup
from nusym.claims.compiler import NotSupported
from nusym.claims.vocabulary import ClaimError, parse_relation
from nusym.runner import budget

__all__ = ["check", "options", "DEFAULT_TIMEOUT", "MAX_WORKERS", "MAX_REASON"]


DEFAULT_TIMEOUT = 60.0
MAX_WORKERS = 8                   # processes judging the sampled points of one check
MAX_REASON = 1000                 # characters of a verdict's reason (SymPy may print a huge expression in it)
_LIMITS = {"dps": (15, 200), "points": (0, 10000), "timeout": (0.1, 86400.0), "symbolic_seconds": (0.0, 3600.0)}


def options(claim, model, assume, set, dps, points, seed, symbolic_seconds, timeout, stop_at_violation, workers=None):
    """Validate what the caller passed, before any work: (model, assume, set) normalized; ClaimError."""
    if not isinstance(claim, str):
        raise ClaimError(f"claim must be a string (got {type(claim).__name__}: {claim!r:.60})")
    if model is not None and not isinstance(model, str):
        raise ClaimError(f"model={model!r} must be a string; allowed: none, {', '.join(models.models())}")
    if model not in (None, "none") and model not in models.models():
        raise ClaimError(f"model={model!r} is not known; allowed: none, {', '.join(models.models())}")
    if isinstance(assume, str) or not isinstance(assume, (list, tuple)):
        raise ClaimError(f"assume={assume!r:.60} must be a list of relations (strings)")
    if set is None:
        set = {}
    if not isinstance(set, dict):
        raise ClaimError(f"set={set!r:.60} must be a dict {{name: value}}")
    if not isinstance(stop_at_violation, bool):
        raise ClaimError(f"stop_at_violation={stop_at_violation!r:.60} must be True or False")
    for name, value in {"dps": dps, "points": points, "seed": seed}.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ClaimError(f"{name}={value!r} must be an integer")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or not 1 <= workers <= MAX_WORKERS):
        raise ClaimError(f"workers={workers!r} must be None or an integer in [1, {MAX_WORKERS}]")
    for name, value in {"dps": dps, "points": points, "timeout": timeout, "symbolic_seconds": symbolic_seconds}.items():
        lo, hi = _LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            raise ClaimError(f"{name}={value!r} is outside the allowed range [{lo:g}, {hi:g}]")
    # what can be said without SymPy is said now, as bad usage; the rest comes back from the worker
    parse_relation(claim, build=False)
    for a in assume:
        parse_relation(a, "assumption", build=False)
    for name, value in set.items():
        setting_readable(name, value)
    # plain built-in types from here on: a str or int subclass of the caller's need not pickle for the worker
    plain = lambda v: str.__str__(v) if isinstance(v, str) else int(v) if isinstance(v, int) else float(v)
    return (None if model in (None, "none") else str.__str__(model), tuple(str.__str__(a) for a in assume),
            {str.__str__(k): plain(v) for k, v in set.items()})


def check(claim: str, model: str | None = None, assume=(), set=None, dps: int = 30, points: int = 40,
          seed: int = 20261123, symbolic_seconds: float = 10.0, stop_at_violation: bool = False,
          timeout: float = DEFAULT_TIMEOUT, workers: int | None = None) -> ClaimReport:
    """Check a claim (see the module docstring for the vocabulary and the method).

    ``assume``: relations restricting the domain ("T > I"); ``set``: {name: value} fixing variables;
    ``dps``: the lower working precision (the second is dps + 15, a third dps + 30 where the first two do
    not decide a point); ``points``: random points besides the edges; ``symbolic_seconds``: the share of
    the budget the proof attempt may take; ``stop_at_violation``: stop at the first resolved violation (a
    refutation needs only one); ``timeout``: seconds for the whole check, after which it is inconclusive;
    ``workers``: processes that judge the sampled points (default: one per core, at most MAX_WORKERS; the
    verdict does not depend on it).

    The work runs in a worker process (:mod:`nusym.runner.budget`): the budget holds whatever SymPy or mpmath
    are doing, from any thread, and the caller's timers and output are untouched.  Raises
    :class:`ClaimError` on bad usage; every other outcome, a failure to evaluate included, is a Verdict.
    """
    t0 = time.perf_counter()
    model, assume, set = options(claim, model, assume, set, dps, points, seed, symbolic_seconds, timeout,
                                  stop_at_violation, workers)
    workers = min(budget.cores(), MAX_WORKERS) if workers is None else int(workers)
    claim = str.__str__(claim)
    shown = " ".join(claim.split())          # echoed on one line: no line break or tab of the input reaches the output
    failed = lambda reason: ClaimReport("inconclusive", "none", None, None, model, list(assume), claim=shown,
                                    reason=reason)
    try:
        # the proof attempt gets at most a third of the budget, so that the numerics have the rest
        verdict = budget.call(_check, (claim, model, assume, set, dps, points, seed,
                                       min(symbolic_seconds, timeout / 3), stop_at_violation, workers), timeout,
                              passed=(ClaimError,))
        verdict.claim = shown
    except budget.OutOfTime as exc:
        verdict = failed(f"{exc}; a larger --timeout may decide it")
    except budget.WorkerFailed as exc:
        verdict = failed(f"could not evaluate: {exc}")
    verdict.assumptions = [" ".join(a.split()) for a in verdict.assumptions]
    verdict.reason = verdict.reason if len(verdict.reason) <= MAX_REASON else verdict.reason[:MAX_REASON] + " [...]"
    verdict.seconds = time.perf_counter() - t0           # the whole call, starting the worker included
    return verdict


def _check(claim, model, assume, set_, dps, points, seed, symbolic_seconds, stop_at_violation, workers=1,
           progress=lambda text: None) -> ClaimReport:
    """The check itself (in the worker)."""
    t0 = time.perf_counter()
    try:
        st = setup(claim, model, assume, set_, dps, symbolic_seconds, progress)
    except NotSupported as exc:
        return ClaimReport("inconclusive", "none", None, None, model, list(assume), claim=claim,
                       reason=str(exc), seconds=time.perf_counter() - t0)
    result = lambda verdict, method, **kw: ClaimReport(verdict, method, kw.pop("dev", None), kw.pop("cex", None),
                                                  st.model.name if st.model else None, st.shown_assumptions,
                                                  claim=claim, seconds=time.perf_counter() - t0, **kw)
    rng = random.Random(seed)
    progress("sampling the domain")
    with mpmath.workdps(dps):
        free = [n for n in st.names if n not in st.domain.fixed_values and n not in st.domain.derived]
        candidates = edge_points(rng, st.domain, st.model) + [draw(rng, st.domain, free) for _ in range(points)]
    judged = [p for p in _judge_all(st, candidates, dps, stop_at_violation, workers, progress) if p.kind != "outside"]
    evaluated = sum(p.kind in ("agree", "violate") or p.dps_needed is not None for p in judged)
    method = f"numerics at {dps} and {dps + 15} digits over {evaluated} sampled points (edges included)"
    return conclude(st, judged, evaluated, method, result)


def _judge_share(st, candidates, indices, dps, stop_at_violation, progress=lambda text: None):
    """[(index, Point)] for the candidates at ``indices``, in order, up to the first violation if asked."""
    out = []
    for i in indices:
        progress(f"numerics at point {i + 1} of {len(candidates)} ({show_raw(candidates[i])})")
        out.append((i, judge_point(st, candidates[i], dps)))
        if stop_at_violation and out[-1][1].kind == "violate":
            break
    return out


def _judge_all(st, candidates, dps, stop_at_violation, workers, progress):
    """The judged candidates, in order: the same list whether one process judges them all or ``workers``
    processes (:func:`nusym.runner.budget.helpers`, inside a worker) each judge every workers-th of them.  With
    ``stop_at_violation`` the list ends at the first violation in candidate order, as one process's would: a
    share that stopped at a later violation has judged every one of its points before the first."""
    shares = [range(i, len(candidates), workers) for i in range(min(workers, len(candidates)))]
    waits = []
    if len(shares) > 1 and budget.in_worker():
        try:
            waits = budget.helpers(_judge_share, [(st, candidates, share, dps, stop_at_violation)
                                                  for share in shares[1:]])
        except budget.WorkerFailed:
            waits = []
    if not waits:
        shares = [range(len(candidates))]
    judged = dict(_judge_share(st, candidates, shares[0], dps, stop_at_violation, progress))
    for share, wait in zip(shares[1:], waits):
        try:
            judged.update(wait())
        except budget.WorkerFailed:                 # a helper that died: its points are judged here
            judged.update(_judge_share(st, candidates, share, dps, stop_at_violation, progress))
    out = [judged[i] for i in sorted(judged)]
    if stop_at_violation:
        first = next((k for k, p in enumerate(out) if p.kind == "violate"), None)
        out = out if first is None else out[:first + 1]
    return out
