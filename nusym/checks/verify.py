"""Run every result of every derivation module and every generated kernel's float check.

A result with a check function is judged by :func:`nusym.record.judge`; a result declared as a
:class:`nusym.record.Claim` by the claim checker (:func:`nusym.claims.checker.check`), the engine behind
`nusym check`.  Both give one of the verdicts of :class:`nusym.record.Verdict`.
"""
from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from fnmatch import fnmatchcase

from nusym import codegen
from nusym.checks import floatcheck
from nusym import catalogue
from nusym.record import Claim, Evidence, Outcome, Result, Verdict, judge
from nusym import claims
from nusym.checks import mutants
from nusym.codegen import backends
from nusym.runner import parallel
from nusym.runner.parallel import Tasks, workers_of
from nusym.runner.parallel import exclusive

__all__ = ["collect_results", "select", "run", "Report", "Entry", "run_result", "judge_claim", "only_globs", "PHYSICS",
           "NOT_GLOB", "ONLY_MAX"]

ONLY_MAX = 200                    # characters of an ``only`` selection
NOT_GLOB = "^$()|+{}\\"           # regular-expression syntax, refused rather than silently matching nothing


PHYSICS = "nusym.derivations"       # the results of the papers: those the physics declares


def collect_results() -> list[Result]:
    """Every result the physics (``nusym.derivations``) declares in the catalogue, in its reading order."""
    return [e.obj for e in catalogue.entries("result") if e.module.startswith(PHYSICS + ".")]


def only_globs(only: str) -> list[str]:
    """The globs of an ``only`` selection: shell-style patterns (``*``, ``?``, ``[...]``) separated by
    commas, each matching any part of a result's "id paper equation" (case-sensitive).  Raises
    ValueError, saying what is allowed, for anything else; the matching takes time linear in the text."""
    if not isinstance(only, str):
        raise ValueError(f"{only!r} must be a string")
    if len(only) > ONLY_MAX:
        raise ValueError(f"is {len(only)} characters long; at most {ONLY_MAX} are allowed")
    bad = [c for c in NOT_GLOB if c in only]
    if bad:
        raise ValueError(f"contains {bad[0]!r}: PATTERN is not a regular expression but shell-style globs "
                         f"(*, ?, [...]) separated by commas; {' '.join(NOT_GLOB)} are not allowed")
    globs = [g.strip() for g in only.split(",")]
    if not all(globs):
        raise ValueError("has an empty alternative; give globs separated by commas, e.g. 'b-sum-rule*,m-spurious'")
    return globs


def select(only: str | None = None, skip: str | None = None) -> list[Result]:
    """The results whose "id paper equation" one of the globs of ``only`` matches (all if None), less those one
    of the globs of ``skip`` matches; see :func:`only_globs`."""
    def matches(r, globs):
        return any(fnmatchcase(f"{r.id} {r.paper} {r.equation}", f"*{g}*") for g in globs)
    results = collect_results()
    if only is not None:
        globs = only_globs(only)
        results = [r for r in results if matches(r, globs)]
    if skip is not None:
        globs = only_globs(skip)
        results = [r for r in results if not matches(r, globs)]
    return results


@dataclass
class Entry:
    result: Result
    evidence: object                  # Evidence, a claims.ClaimReport, or None when the check crashed
    outcome: Outcome
    floats: list
    seconds: float

    @property
    def ok(self) -> bool:
        return self.outcome.ok and all(f.passed for f in self.floats)

    def evidence_lines(self) -> list:
        ev = self.evidence
        if isinstance(ev, Evidence):
            out = ev.lines()
        elif ev is not None:                                      # a claim judged by the claim checker
            out = [f"claim: {self.result.claim.command()}"] + [x.strip() for x in str(ev).splitlines()[1:]]
        else:
            out = []
        return out + [f"why not a stronger verdict: {r}" for r in self.outcome.reasons] + [str(f) for f in self.floats]

    def as_json(self) -> dict:
        ev = self.evidence
        r = self.result
        out = {"id": r.id, "paper": r.paper, "equation": r.equation, "statement": r.statement,
               "asserted_by": r.asserted_by, "scope": r.scope, "verdict": str(self.outcome.verdict),
               "evidence": self.evidence_lines()}
        if r.claim is not None:
            out["claim"] = {"text": r.claim.text, "model": r.claim.model, "assume": list(r.claim.assume),
                            "set": dict(r.claim.set), "command": r.claim.command()}
        out.update({
            "symbolic": ev.symbolic if isinstance(ev, Evidence) else ("claim" if ev is not None else None),
            "digits": (None if not isinstance(ev, Evidence) or ev.digits is None
                       else ev.digits if ev.digits != float("inf") else "exact"),
            "limit": ev.limit if isinstance(ev, Evidence) else "",
            "float": [{"function": f.name, "worst_ratio_ulps": f.worst_ratio, "max_ulps": f.max_ulps,
                       "kappa_at_max": f.kappa_at_max, "points": f.points, "passed": f.passed}
                      for f in self.floats],
            "problems": self.outcome.problems + [x for f in self.floats for x in f.failures],
            "ok": self.ok, "seconds": round(self.seconds, 3)})
        return out


def judge_claim(claim: Claim, **options):
    """The claim checker's verdict on a declared claim, and the :class:`Outcome` it gives the result."""
    v = claims.check(claim.text, model=claim.model, assume=claim.assume, set=dict(claim.set),
                     points=claim.points, **options)
    reasons = [v.reason] if v.reason and v.verdict != "holds" else []
    return v, Outcome(Verdict(v.verdict), [], reasons)


def run_result(r: Result):
    """(evidence, outcome) of one result; a check that crashes is a failed check, reported as such."""
    try:
        if r.claim is not None:
            return judge_claim(r.claim)
        ev = r.check()
        return ev, judge(ev)
    except Exception as exc:  # noqa: BLE001 - any crash of a check is reported, never a verdict
        return None, Outcome(Verdict.INCONCLUSIVE, [f"check raised {type(exc).__name__}: {exc}"])


@dataclass
class Report:
    entries: list
    kernels: dict
    seconds: float
    mutants: object = None            # a mutants.MutationReport when asked for

    @property
    def ok(self) -> bool:
        return all(e.ok for e in self.entries) and all(r.passed for r in self.kernels.values())


def _backend_funcs(name: str) -> dict:
    """{backend: the kernel ``name`` on it} for every backend that runs here (nusym.codegen.backends)."""
    return {b: backends.function(b, name) for b in backends.available()}


def _backend_reports(name: str, reports: dict) -> dict:
    """Report entries of one kernel: its numpy report under the kernel's name (what results cite), each other
    backend's under "name [backend]"."""
    return {(name if b == "numpy" else f"{name} [{b}]"): r for b, r in reports.items()}


def _float_reports(names, n_uniform: int, n_stress: int, progress) -> dict:
    out = {}
    for k in codegen.all_kernels():
        if names is None or k.name in names:
            progress(f"float check {k.name}")
            sweep = floatcheck.Sweep(k, _backend_funcs(k.name), floatcheck.samples(k, n_uniform, n_stress), 1)
            out.update(_backend_reports(k.name, sweep.reports(fn(*args) for fn, args in sweep.calls())))
    return out


def _find(module: str, result_id: str) -> Result | None:
    """The Result ``result_id`` that importing ``module`` declares in the catalogue (what a worker process looks up),
    or None."""
    try:
        catalogue.load("result")                  # first, and one thread at a time (see catalogue.load)
        importlib.import_module(module)
        return catalogue.get("result", result_id)
    except (ImportError, ValueError, LookupError):
        return None


def _hints(r: Result) -> dict:
    """The scheduling hints (cost, group) the catalogue keeps for ``r``; none for a result it does not hold."""
    try:
        e = catalogue.entry("result", r.id)
    except LookupError:
        return {}
    return e.hints if e.obj is r else {}


def _result_task(*names):
    """In a worker: [(evidence, outcome, seconds)] of the results named by (module, id) pairs, one after another
    (a group shares what its checks compute once per process).  Whatever a check does -- raise, exit, return
    something that cannot be sent back -- the answer is that result's entry, never an exception."""
    import pickle

    out = []
    for module, result_id in names:
        start = time.perf_counter()
        try:
            r = _find(module, result_id)
            if r is None:
                raise LookupError(f"no result {result_id!r} in {module}")
            ev, outcome = exclusive(run_result, r)
            answer = (ev, outcome, time.perf_counter() - start)
            pickle.dumps(answer)                  # what cannot be sent back is reported as the check's failure
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - a crash of a check is reported, never a verdict
            answer = (None, _raised(exc), time.perf_counter() - start)
        out.append(answer)
    return out


def _raised(exc: BaseException) -> Outcome:
    return Outcome(Verdict.INCONCLUSIVE, [f"check raised {type(exc).__name__}: {exc}"])


def _run_parallel(results, ex, progress, n_uniform, n_stress, all_kernels: bool):
    """(checked, kernels) with the results and the float sweeps of the kernels they cite (all of them with
    ``all_kernels``) run on the executor ``ex``; in the order of a serial run."""
    tasks = Tasks(ex)
    parts = 2 * workers_of(ex)
    kernel_of = {k.name: k for k in codegen.all_kernels()}
    sweeps, chunks, found = {}, {}, {}

    def sweep(name):
        if name in sweeps or name not in kernel_of:
            return
        k = kernel_of[name]
        sweeps[name] = floatcheck.Sweep(k, _backend_funcs(name), floatcheck.samples(k, n_uniform, n_stress), parts)
        for i, (fn, args) in enumerate(sweeps[name].calls()):
            tasks.submit(("float", name, i), fn, *args)

    local = [i for i, r in enumerate(results) if _find(r.module, r.id) is not r]   # no worker can find these
    units = {}                                # a result alone, or a group, in the order of the results
    for i, r in enumerate(results):
        if i not in local:
            units.setdefault(_hints(r).get("group") or ("", i), []).append(i)
    for unit in sorted(units.values(), key=lambda u: -sum(_hints(results[i]).get("cost", 1.0) for i in u)):
        tasks.submit(("result", tuple(unit)), _result_task, *((results[i].module, results[i].id) for i in unit))
    if all_kernels:
        for name in kernel_of:
            sweep(name)
    try:
        for i in local:
            progress(f"{results[i].id} (in this process)")
            start = time.perf_counter()
            found[i] = (*run_result(results[i]), time.perf_counter() - start)
        for key, value, exc in tasks.finished():
            if key[0] == "result":
                for i, answer in zip(key[1], value if exc is None else [(None, _raised(exc), 0.0)] * len(key[1])):
                    found[i] = answer
                    progress(f"[{len(found)}/{len(results)}] {results[i].id}")
                    for name in (answer[0].kernels if isinstance(answer[0], Evidence) else ()):
                        sweep(name)
            elif exc is not None:
                raise exc
            else:
                chunks[key[1:]] = value
    except BaseException:
        tasks.close(cancel=True)
        raise
    tasks.close()
    kernels = {}
    for name in kernel_of:
        if name in sweeps:
            kernels.update(_backend_reports(name, sweeps[name].reports(chunks[(name, i)]
                                                                       for i in range(len(sweeps[name].ranges)))))
    return [(r, *found[i]) for i, r in enumerate(results)], kernels


def run(only: str | None = None, progress=lambda msg: None, n_uniform: int = 300, n_stress: int = 300,
        mutate: bool = False, jobs: int = 1, scheduler: str | None = None, executor=None,
        skip: str | None = None) -> Report:
    """Check the results :func:`select` picks with ``only`` (globs on "id paper equation"; all if None) and
    ``skip`` (globs of results to leave out), then the float accuracy of every kernel (with ``only``: of the
    kernels they cite).

    ``jobs`` worker processes (1: here, one result after another), or the dask scheduler at ``scheduler``,
    or an ``executor`` of :mod:`nusym.runner.parallel` (left open) run the results and the float sweeps; the report
    is the same in content and order whichever runs them, apart from the times."""
    t0 = time.perf_counter()
    results = select(only, skip)
    own = executor is None and (scheduler is not None or parallel.check_jobs(jobs) > 1)
    ex = parallel.executor(jobs, scheduler) if own else executor
    here = ex is None or isinstance(ex, parallel.InProcess)
    cites = lambda ev: ev.kernels if isinstance(ev, Evidence) else ()
    done = False
    try:
        if here:
            checked = []
            for i, r in enumerate(results, 1):
                progress(f"[{i}/{len(results)}] {r.id}")
                start = time.perf_counter()
                ev, outcome = run_result(r)
                checked.append((r, ev, outcome, time.perf_counter() - start))
            cited = None if only is None else {k for _, ev, _, _ in checked for k in cites(ev)}
            kernels = _float_reports(cited, n_uniform, n_stress, progress)
        else:
            checked, kernels = _run_parallel(results, ex, progress, n_uniform, n_stress, only is None)
        entries = [Entry(r, ev, outcome, [kernels[k] for k in cites(ev) if k in kernels], dt)
                   for r, ev, outcome, dt in checked]
        mutation = None
        if mutate:
            mutation = mutants.run([r for r, *_ in checked], progress,
                                   {r.id: str(o.verdict) for r, _, o, _ in checked if r.claim is not None},
                                   executor=None if here else ex)
        done = True
    finally:
        if own:
            ex.shutdown(wait=done, cancel_futures=not done)
    return Report(entries, kernels, time.perf_counter() - t0, mutation)
