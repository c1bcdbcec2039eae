"""`nusym verify`'s report as text (a table of verdicts, then each record with its evidence) and as JSON."""
from __future__ import annotations

import json

from nusym.checks import floatcheck
from nusym.checks.verify import Report

__all__ = ["render", "as_json"]


def render(report: Report) -> str:
    rows = [("id", "paper", "eq.", "verdict", "by", "symbolic", "digits", "float (worst err/max(1,k))", "ok")]
    for e in report.entries:
        js = e.as_json()
        fl = max((f.worst_ratio for f in e.floats), default=None)
        digits = js["digits"]
        rows.append((e.result.id, e.result.paper, e.result.equation or "-", str(e.outcome.verdict),
                     "authors" if e.result.asserted_by == "the authors" else e.result.asserted_by.split(",")[0][:24],
                     js["symbolic"] or "error",
                     "-" if digits is None else digits if isinstance(digits, str) else f"{digits:.1f}",
                     "-" if fl is None else f"{fl:.2f} ULP", "yes" if e.ok else "NO"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    for e in report.entries:
        js = e.as_json()
        r = e.result
        lines.append(f"{r.id} ({r.paper}, Eq. {r.equation or '-'}; asserted by {r.asserted_by}"
                     + (f"; scope: {r.scope}" if r.scope else "") + f"): {r.statement}")
        lines.append(f"  verdict: {e.outcome.verdict}")
        lines += [f"  - {x}" for x in js["evidence"]]
        lines += [f"  ! {x}" for x in js["problems"]]
    lines.append("")
    lines.append(f"Float kernels (bar: error <= {floatcheck.BAR_ULPS:g} ULP x max(1, kappa)):")
    lines += [f"  {'ok ' if r.passed else 'BAD'} {r}" for r in report.kernels.values()]
    n_ok = sum(e.ok for e in report.entries)
    if report.mutants is not None:
        lines.append(report.mutants.render())
    kernels = (f"{sum(r.passed for r in report.kernels.values())}/{len(report.kernels)} kernels within the float bar"
               if report.kernels else "no kernel's float check (none cited by the selected results)")
    lines.append(f"{n_ok}/{len(report.entries)} results checked without problems; {kernels}; {report.seconds:.1f} s")
    return "\n".join(lines)


def as_json(report: Report) -> str:
    return json.dumps({"results": [e.as_json() for e in report.entries],
                       "kernels": {k: {"worst_ratio_ulps": r.worst_ratio, "ulps_at_worst_ratio": r.worst_ulps,
                                       "kappa_at_worst_ratio": r.kappa_at_worst, "max_ulps": r.max_ulps,
                                       "kappa_at_max": r.kappa_at_max, "points": r.points, "passed": r.passed}
                                   for k, r in report.kernels.items()},
                       **({"mutants": report.mutants.as_json()} if report.mutants is not None else {}),
                       "ok": report.ok, "seconds": round(report.seconds, 2)}, indent=2)
