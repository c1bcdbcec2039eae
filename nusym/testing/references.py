"""A kernel's sample points and their references, for a test suite in another language (`nusym references`).

Each row: the arguments (float64, the shortest decimal that reads back to the same double), the reference rounded
to float64 the same way, the reference to 30 significant digits, kappa (the relative condition number: the bar at
that point is 4 ULP x max(1, kappa)) and whether it is a stress point; with the provenance (nusym's version, the
constants' edition, the points' seed)."""
from __future__ import annotations

import csv
import io
import json
import time

import mpmath

from nusym import __version__, constants
from nusym.checks import floatcheck
from nusym.testing import flux
from nusym.testing.comparison import DEFAULT_POINTS, DEFAULT_TIMEOUT_S, MAX_POINTS, kernel_of, reference_records

__all__ = ["kernel_references", "as_csv", "as_json", "SEED", "rate_references", "rates_as_csv"]

SEED = 20141207                   # verify's float check's


def kernel_references(kernel: str, points: int = DEFAULT_POINTS, seed: int = SEED,
                      timeout_s: float = DEFAULT_TIMEOUT_S) -> dict:
    """{"kernel", "arguments", "units", "result_unit", "bar_ulps", "provenance", "rows": [...]} for ``points``
    log-uniform and as many stress points."""
    k = kernel_of(kernel)
    if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= MAX_POINTS:
        raise ValueError(f"points={points!r}: an integer from 1 to {MAX_POINTS}")
    names = [a.name for a in k.args]
    pts = floatcheck.samples(k, points, points, seed)
    n = len(pts[names[0]])
    xs = [tuple(float(pts[a][i]) for a in names) for i in range(n)]
    records = reference_records(kernel, k, xs, time.monotonic() + timeout_s)
    rows = []
    for i, (x, rec) in enumerate(zip(xs, records)):
        exact = mpmath.mpf(0) if rec[0] == "zero" else rec[1]
        rows.append({**dict(zip(names, x)), "reference": float(exact),
                     "reference_30": mpmath.nstr(exact, 30, min_fixed=1, max_fixed=0) if exact else "0",
                     "kappa": 0.0 if rec[0] == "zero" else rec[2], "stress": i >= points})
    edition = "; ".join(f"{c.symbol} = {c.value} {c.unit} ({c.source.split(',')[0]})" for c in constants.DEFINING[:5])
    return {"kernel": k.name, "arguments": names, "units": {a.name: a.unit for a in k.args},
            "result_unit": k.result_unit, "bar_ulps": floatcheck.BAR_ULPS,
            "provenance": {"nusym": __version__, "constants": edition, "seed": seed, "points": points,
                           "references": f"mpmath at {floatcheck.REFERENCE_DPS} digits, which must agree"},
            "rows": rows}


def as_json(table: dict) -> str:
    return json.dumps(table, indent=1)


def as_csv(table: dict) -> str:
    out = io.StringIO()
    out.write(f"# nusym {table['provenance']['nusym']} references of {table['kernel']} ({table['result_unit']}; "
              f"arguments in {', '.join(f'{a} {u}' for a, u in table['units'].items())})\n")
    out.write(f"# constants: {table['provenance']['constants']}\n")
    out.write(f"# bar: error <= {table['bar_ulps']:g} ULP x max(1, kappa); reference: float64 (repr), and to 30 "
              f"digits; stress: 1 at the kernel's stress points\n")
    fields = [*table["arguments"], "reference", "reference_30", "kappa", "stress"]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in table["rows"]:
        writer.writerow([repr(row[f]) if isinstance(row[f], float) else int(row[f]) if isinstance(row[f], bool)
                         else row[f] for f in fields])
    return out.getvalue()


def rate_references(target: str = "Ge") -> dict:
    """:func:`nusym.testing.flux.rate_table` with its provenance, the values to 25 digits."""
    table = flux.rate_table(target)
    rows = [{"T_keV": r["T_keV"], **{k: mpmath.nstr(v, 25, min_fixed=1, max_fixed=0) for k, v in r.items()
                                     if k != "T_keV"}} for r in table["rows"]]
    return {**table, "rows": rows, "units": "events per kg per day per keV",
            "provenance": {"nusym": __version__, "spectrum": "default reactor: Huber/Mueller above 2 MeV, Vogel-Engel "
                           "below, fractions U235 0.58, U238 0.07, Pu239 0.30, Pu241 0.05", "stepping": "Elam's edges "
                           "(xraydb)", "quadrature": f"mpmath at {flux.DPS[1]} digits, 25 printed"}}


def rates_as_csv(table: dict) -> str:
    out = io.StringIO()
    out.write(f"# nusym {table['provenance']['nusym']} reference rates of {table['target']}: {table['units']}, flux "
              f"{table['flux_cm2_s']} cm^-2 s^-1, mu_nu = {table['mu_nu']} mu_B; {table['provenance']['spectrum']}; "
              f"{table['provenance']['quadrature']}\n")
    writer = csv.writer(out, lineterminator="\n")
    fields = list(table["rows"][0])
    writer.writerow(fields)
    for row in table["rows"]:
        writer.writerow([row[f] for f in fields])
    return out.getvalue()
