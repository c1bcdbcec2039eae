"""Argument checking and broadcasting shared by the generated numeric kernels."""
from __future__ import annotations

import numpy

__all__ = ["prepare", "finish"]


def _describe(lo: float, hi: float, lo_open: bool) -> str:
    return f"{'(' if lo_open else '['}{lo:g}, {hi:g}]"


def prepare(func: str, specs):
    """Validate and broadcast the arguments of ``func``.

    ``specs`` holds (name, value, lo, hi, lo_open) for each argument; values must be finite
    reals in (lo, hi] (or [lo, hi] when not ``lo_open``).  Returns the broadcast float64
    arrays (copies) and their common shape.  The first offending element is named in the
    ValueError, with its value and the allowed range.
    """
    arrays = []
    for name, value, lo, hi, lo_open in specs:
        try:
            a = numpy.asarray(value, dtype=numpy.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{func}: argument {name}={value!r} is not a real number") from exc
        below = (a <= lo) if lo_open else (a < lo)
        bad = ~numpy.isfinite(a) | below | (a > hi)
        if bad.any():
            first = a[bad].flat[0] if a.ndim else a[()]
            raise ValueError(f"{func}: argument {name}={float(first)!r} is outside the allowed range "
                             f"{_describe(lo, hi, lo_open)}")
        arrays.append(a)
    arrays = numpy.broadcast_arrays(*arrays)
    shape = arrays[0].shape
    return [numpy.array(a, dtype=numpy.float64) for a in arrays], shape


def finish(out: numpy.ndarray):
    """A 0-d result becomes a numpy float64 scalar, as numpy's ufuncs return."""
    return out[()] if out.ndim == 0 else out
