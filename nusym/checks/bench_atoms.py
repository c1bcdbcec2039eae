"""`nusym bench --atoms`: the central-field atom's costs, each against a baseline timed in the same run.

* the spherical Bessel table j_L(x), L = 0..L_MAX on X_POINTS arguments, the partial-wave sums' inner cost: nusym's
  recurrence (:class:`nusym.atoms.bessel.SphJn`) against SciPy's ``spherical_jn`` on the same table;
* the self-consistent ground state of the element (no baseline; nusym's target is under 2 s for Ge);
* the rate table the reactor rates need, int S dq^2 and int S dq^2/q^2 at the T of ``nusym rates --T 0.1:30``
  (all subshells, Elam's thresholds, no cache), through the local worker pool (:func:`nusym.atoms.structure_tables.
  rate_tables`) against one process;
* ``nusym rates``' work with the table cached: the central-field count beside the stepping one.

Rows are :class:`nusym.checks.bench.Row`; points are the values computed (Bessel values, atoms, tables).
"""
from __future__ import annotations

import time

import numpy

from nusym.checks.bench import Row, _best

__all__ = ["run", "L_MAX", "X_POINTS", "RATE_T_POINTS"]

L_MAX = 100
X_POINTS = 2000
RATE_T_POINTS = 30                  # `nusym rates --T 0.1:30` (its default --points)


def _bessel_rows(repeats: int) -> list[Row]:
    from scipy.special import spherical_jn
    from nusym.atoms.bessel import SphJn
    x = numpy.geomspace(1e-3, 400.0, X_POINTS)
    L = numpy.arange(L_MAX + 1)

    def ours():
        table = SphJn(x)
        return [table.row(int(k)) for k in L]

    def scipy_table():
        return spherical_jn(L[:, None], x[None, :])
    n = x.size * L.size
    t_scipy = _best(scipy_table, (), repeats)
    t_ours = _best(ours, (), repeats)
    kernel = f"j_L(x), L = 0..{L_MAX}, {X_POINTS} x"
    return [Row(kernel, "scipy.special.spherical_jn", t_scipy, n),
            Row(kernel, "nusym atoms.bessel.SphJn", t_ours, n, "scipy", t_scipy / t_ours)]


def _table_seconds(element: str, T, jobs: int) -> float:
    from nusym.atoms import structure as st
    from nusym.atoms import structure_tables as tables
    from nusym.runner import parallel
    st.model.cache_clear()
    t0 = time.perf_counter()
    if jobs == 1:
        tables.rate_integrals(element, T, cache=False)
    else:
        with parallel.finishing(parallel.executor(jobs)) as ex:
            tables.rate_tables([element], T, ex, cache=False)
    return time.perf_counter() - t0


def run(element: str = "Ge", jobs: int | None = None, repeats: int = 3, progress=lambda: None) -> list[Row]:
    """The rows above for ``element`` (the table through ``jobs`` workers, default one per core)."""
    from nusym import detectors
    from nusym.atoms import central_field
    from nusym.atoms import structure_tables as tables
    from nusym.runner import parallel
    jobs = parallel.default_jobs() if jobs is None else parallel.check_jobs(jobs)
    rows = _bessel_rows(repeats)
    progress()
    t = _best(central_field.ground_state, (element,), repeats)
    rows.append(Row(f"{element} ground state (LDA, self-consistent)", "nusym atoms.central_field", t, 1,
                    note=f"{t:.2f} s"))
    progress()
    T = numpy.geomspace(100.0, 30000.0, RATE_T_POINTS)
    one = _table_seconds(element, T, 1)
    rows.append(Row(f"{element} rate table, {T.size} T 0.1-30 keV", "one process", one, 1, note=f"{one:.1f} s"))
    progress()
    if jobs > 1:
        many = _table_seconds(element, T, jobs)
        rows.append(Row(f"{element} rate table, {T.size} T 0.1-30 keV", f"{jobs} worker processes (rate_tables)",
                        many, 1, "one process", one / many, f"{many:.1f} s"))
        progress()
    tables.rate_integrals(element, T)                      # cached for the next rows
    step = _best(detectors.electron_count, (element, T, "weak", "stepping"), repeats)
    cf = _best(detectors.central_field_count, (element, T, "weak"), repeats)
    rows.append(Row(f"{element} electron count at {T.size} T", "stepping", step, T.size))
    rows.append(Row(f"{element} electron count at {T.size} T", "central field, table cached", cf, T.size,
                    "stepping", step / cf))
    return rows
