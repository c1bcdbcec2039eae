"""Run every result of every derivation module and every generated kernel's float check."""
from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass

from . import codegen, floatcheck
from .registry import derivation_modules
from .record import Evidence, Outcome, Result

__all__ = ["collect_results", "run", "Report"]


def collect_results() -> list[Result]:
    """Every Result defined at module level in ``nusym.derivations``, in module then file order."""
    found = []
    for mod in derivation_modules():
        found.extend(v for v in vars(mod).values() if isinstance(v, Result) and v.module == mod.__name__)
    return found


@dataclass
class Entry:
    result: Result
    evidence: Evidence | None
    outcome: Outcome
    floats: list
    seconds: float

    @property
    def ok(self) -> bool:
        return self.outcome.ok and all(f.passed for f in self.floats)

    def as_json(self) -> dict:
        ev = self.evidence
        evidence = []
        if ev is not None:
            evidence = [f"symbolic ({ev.symbolic}): {ev.symbolic_detail}",
                        f"numeric ({ev.digits:.1f} digits): {ev.numeric_detail}"]
            if ev.limit:
                evidence.append(f"holds in the limit {ev.limit}; deviations along the path {list(ev.trend)}")
            evidence += [f"independent: {label}: {'exact' if got == float('inf') else f'{got:.1f}'} digits "
                         f"(required {need})" for label, got, need in ev.independent]
            evidence += [str(q) for q in ev.quoted]
            if ev.notes:
                evidence.append(ev.notes)
        evidence += [str(f) for f in self.floats]
        return {"id": self.result.id, "paper": self.result.paper, "equation": self.result.equation,
                "statement": self.result.statement, "verdict": self.outcome.verdict,
                "evidence": evidence,
                "symbolic": ev.symbolic if ev else None,
                "digits": None if ev is None else (ev.digits if ev.digits != float("inf") else "exact"),
                "limit": ev.limit if ev else "",
                "float": [{"function": f.name, "worst_ratio_ulps": f.worst_ratio, "max_ulps": f.max_ulps,
                           "kappa_at_max": f.kappa_at_max, "points": f.points, "passed": f.passed}
                          for f in self.floats],
                "problems": self.outcome.problems + [x for f in self.floats for x in f.failures],
                "ok": self.ok, "seconds": round(self.seconds, 3)}


@dataclass
class Report:
    entries: list
    kernels: dict
    seconds: float

    @property
    def ok(self) -> bool:
        return all(e.ok for e in self.entries) and all(r.passed for r in self.kernels.values())


def _float_reports(names, n_uniform: int, n_stress: int, progress) -> dict:
    import nusym.generated.numeric as generated
    out = {}
    for k in codegen.collect_kernels():
        if names is None or k.name in names:
            progress(f"float check {k.name}")
            out[k.name] = floatcheck.measure(k, getattr(generated, k.name),
                                             floatcheck.samples(k, n_uniform, n_stress))
    return out


def run(only: str | None = None, progress=lambda msg: None, n_uniform: int = 300, n_stress: int = 300) -> Report:
    """Check the results whose "id paper equation" matches the regular expression ``only`` (all if
    None), then the float accuracy of every kernel (with ``only``: of the kernels they cite)."""
    t0 = time.perf_counter()
    pattern = re.compile(only) if only else None
    results = [r for r in collect_results()
               if pattern is None or pattern.search(f"{r.id} {r.paper} {r.equation}")]
    checked = []
    for i, r in enumerate(results, 1):
        progress(f"[{i}/{len(results)}] {r.id}")
        start = time.perf_counter()
        try:
            ev, outcome = r.run()
        except Exception as exc:  # a check that crashes is a failed check, reported as such
            ev, outcome = None, Outcome("refuted", [f"check raised {type(exc).__name__}: {exc}"])
        checked.append((r, ev, outcome, time.perf_counter() - start))
    cited = None if pattern is None else {k for _, ev, _, _ in checked if ev for k in ev.kernels}
    kernels = _float_reports(cited, n_uniform, n_stress, progress)
    entries = [Entry(r, ev, outcome, [kernels[k] for k in (ev.kernels if ev else ()) if k in kernels], dt)
               for r, ev, outcome, dt in checked]
    return Report(entries, kernels, time.perf_counter() - t0)


def render(report: Report) -> str:
    rows = [("id", "paper", "eq.", "verdict", "symbolic", "digits", "float (worst err/max(1,k))", "ok")]
    for e in report.entries:
        ev = e.evidence
        fl = max((f.worst_ratio for f in e.floats), default=None)
        rows.append((e.result.id, e.result.paper, e.result.equation or "-", e.outcome.verdict,
                     ev.symbolic if ev else "error",
                     "-" if ev is None else ("exact" if ev.digits == float("inf") else f"{ev.digits:.1f}"),
                     "-" if fl is None else f"{fl:.2f} ULP", "yes" if e.ok else "NO"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    for e in report.entries:
        js = e.as_json()
        lines.append(f"{e.result.id} ({e.result.paper}, Eq. {e.result.equation or '-'}): {e.result.statement}")
        lines.append(f"  verdict: {e.outcome.verdict}")
        lines += [f"  - {x}" for x in js["evidence"]]
        lines += [f"  ! {x}" for x in js["problems"]]
    lines.append("")
    lines.append(f"Float kernels (bar: error <= {floatcheck.BAR_ULPS:g} ULP x max(1, kappa)):")
    lines += [f"  {'ok ' if r.passed else 'BAD'} {r}" for r in report.kernels.values()]
    n_ok = sum(e.ok for e in report.entries)
    lines.append(f"{n_ok}/{len(report.entries)} results checked without problems; "
                 f"{sum(r.passed for r in report.kernels.values())}/{len(report.kernels)} kernels within the float bar; "
                 f"{report.seconds:.1f} s")
    return "\n".join(lines)


def as_json(report: Report) -> str:
    return json.dumps({"results": [e.as_json() for e in report.entries],
                       "kernels": {k: {"worst_ratio_ulps": r.worst_ratio, "ulps_at_worst_ratio": r.worst_ulps,
                                       "kappa_at_worst_ratio": r.kappa_at_worst, "max_ulps": r.max_ulps,
                                       "kappa_at_max": r.kappa_at_max, "points": r.points, "passed": r.passed}
                                   for k, r in report.kernels.items()},
                       "ok": report.ok, "seconds": round(report.seconds, 2)}, indent=2)


def main_progress(msg: str) -> None:
    sys.stderr.write(f"\r\033[K{msg}" if sys.stderr.isatty() else f"{msg}\n")
    sys.stderr.flush()
