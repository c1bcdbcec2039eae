"""Argument checking, broadcasting and safe arithmetic shared by the generated numeric kernels.

What a kernel accepts for each argument: a Python int or float, a numpy integer or floating
scalar, a numpy array of integer or floating dtype (float16 ... float64, int8 ... uint64), or a
(nested) list or tuple of those.  Everything is converted to float64.

What it rejects, naming the argument and its value:

- ``TypeError`` for a value that is not a real number: str, bytes, bytearray, memoryview, None, bool and numpy.bool_
  (scalars, arrays and list elements: True is not an energy), complex (never silently truncated),
  datetime64 and timedelta64, object arrays, and numpy masked arrays, alone or inside a list (not supported: the
  kernels would compute on the hidden data; pass ``numpy.ma.filled(x, fill)`` or ``x.compressed()``);
- ``ValueError`` for a real number outside the argument's allowed range (NaN, +-inf, 0 or negative
  where a positive value is required, a Python int too large for a float), and for arguments whose
  shapes do not broadcast together.
"""
from __future__ import annotations

import decimal
import math
import numbers

import numpy

__all__ = ["finish", "run", "flat", "validate", "checked", "CHUNK"]

_REAL_KINDS = "iuf"          # numpy dtype kinds accepted: signed and unsigned integers, floating
_KIND_NAMES = {"b": "bool", "c": "complex", "M": "datetime64", "m": "timedelta64", "O": "object",
               "U": "str", "S": "bytes", "V": "void"}


def _describe(lo: float, hi: float, lo_open: bool) -> str:
    return f"{'(' if lo_open else '['}{lo:g}, {hi:g}]"


def _show(value) -> str:
    """A short, exact text of one real value as the caller passed it."""
    if isinstance(value, (int, numpy.integer)) and not isinstance(value, (bool, numpy.bool_)):
        v = int(value)
        return repr(v) if abs(v) < 10**17 else f"{decimal.Decimal(v):.6e}"
    if isinstance(value, numpy.floating) and value.dtype.itemsize > 8:
        return str(value)                                   # long double: keep its range and digits
    return repr(float(value))


def _type_error(func: str, name: str, value, what: str) -> TypeError:
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return TypeError(f"{func}: argument {name}={shown} is {what}, not a real number "
                     "(int, float, or an array or list of them)")


def _kind_error(func: str, name: str, value, kind: str) -> TypeError:
    return _type_error(func, name, value, f"of {_KIND_NAMES.get(kind, 'unsupported')} type")


def _check_leaves(func: str, name: str, value) -> None:
    """Reject bools, strings, None and complex numbers inside a (nested) list or tuple."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, (bool, numpy.bool_)):
            raise _type_error(func, name, value, f"a sequence holding the bool {item!r}")
        elif isinstance(item, numpy.ma.MaskedArray):
            raise _type_error(func, name, value, "a sequence holding a numpy masked array (not supported: the "
                                                 "kernels would compute on its hidden data)")
        elif isinstance(item, numpy.ndarray):
            if item.dtype.kind not in _REAL_KINDS:
                raise _kind_error(func, name, value, item.dtype.kind)
        elif not isinstance(item, numbers.Real):
            raise _type_error(func, name, value, f"a sequence holding {type(item).__name__} {item!r}")


def _as_float(func: str, name: str, value, lo: float, hi: float, lo_open: bool):
    """(float64 array, the array as passed for error messages) of one argument, or raise."""
    if value is None or isinstance(value, (str, bytes, bytearray, memoryview, bool, numpy.bool_, complex)):
        raise _type_error(func, name, value, f"of type {type(value).__name__}")
    if isinstance(value, numpy.ma.MaskedArray):
        raise TypeError(f"{func}: argument {name} is a numpy masked array; masked arrays are not supported "
                        "(pass numpy.ma.filled(x, value) or x.compressed())")
    if isinstance(value, int):                                # Python int: may exceed the float range
        try:
            float(value)
        except OverflowError:
            raise ValueError(f"{func}: argument {name}={_show(value)} is outside the allowed range "
                             f"{_describe(lo, hi, lo_open)}") from None
    if isinstance(value, (list, tuple)):
        _check_leaves(func, name, value)
    try:
        raw = numpy.asarray(value)
    except (TypeError, ValueError, OverflowError) as exc:     # ragged nesting and the like
        raise _type_error(func, name, value, "not convertible to an array") from exc
    if raw.dtype.kind == "O" and isinstance(value, (list, tuple, int)):
        raw = _object_reals(func, name, raw, lo, hi, lo_open)  # Python ints beyond int64 in a list
    if raw.dtype.kind not in _REAL_KINDS:
        raise _kind_error(func, name, value, raw.dtype.kind)
    with numpy.errstate(over="ignore"):                       # long double beyond float64: inf, rejected below
        return numpy.asarray(raw, dtype=numpy.float64), raw


def _object_reals(func: str, name: str, raw: numpy.ndarray, lo: float, hi: float, lo_open: bool):
    """An object array of Python ints and floats as float64; an int beyond the float range is out of range."""
    out = numpy.empty(raw.shape)
    for idx, item in numpy.ndenumerate(raw):
        if isinstance(item, bool) or not isinstance(item, numbers.Real):
            raise _type_error(func, name, raw, f"an array holding {type(item).__name__} {item!r}")
        try:
            out[idx] = float(item)
        except OverflowError:
            raise ValueError(f"{func}: argument {name}={_show(item)} is outside the allowed range "
                             f"{_describe(lo, hi, lo_open)}") from None
    return out


def checked(func: str, name: str, value, lo: float, hi: float, lo_open: bool) -> numpy.ndarray:
    """One argument as a float64 array, or TypeError for what is not a real number / ValueError for a value
    outside [lo, hi] (open at lo when ``lo_open``), naming the argument, its value and the range."""
    a, raw = _as_float(func, name, value, lo, hi, lo_open)
    below = (a <= lo) if lo_open else (a < lo)
    bad = ~numpy.isfinite(a) | below | (a > hi)
    if bad.any():
        first = raw[bad].flat[0] if raw.ndim else raw[()]
        raise ValueError(f"{func}: argument {name}={_show(first)} is outside the allowed range "
                         f"{_describe(lo, hi, lo_open)}")
    return a


def finish(out: numpy.ndarray, shape: tuple):
    """The flat result in the broadcast shape; a 0-d result becomes a numpy float64 scalar, as numpy's ufuncs return."""
    out = out.reshape(shape)
    return out[()] if out.ndim == 0 else out


# Elements per chunk of a numpy kernel: its temporaries (a few dozen arrays of CHUNK floats) and the chunk of
# each argument stay in the processor's cache while the kernel and the range test run on them, where
# whole-array numpy expressions stream every temporary through main memory.
CHUNK = 65536


def _inside(lo: float, hi: float, lo_open: bool, mn, mx) -> bool:
    """Whether [mn, mx] lies in the allowed range (False for NaN)."""
    return bool((mn > lo if lo_open else mn >= lo) and mx <= hi)


def _fast(value, lo: float, hi: float, lo_open: bool):
    """``value`` as is if it is a float64 ndarray (its range is tested by the caller), as a numpy float64 if
    it is a Python float or int inside the allowed range; None if it needs the full conversion and checks
    of :func:`checked` (other types, or a number out of range, which :func:`checked` then names)."""
    kind = type(value)
    if kind is float or kind is int:
        try:
            v = float(value)
        except OverflowError:
            return None
        return numpy.float64(v) if _inside(lo, hi, lo_open, v, v) else None
    if kind is numpy.ndarray and value.dtype == numpy.float64:
        return value
    return None


def _broadcast(func: str, specs, arrays):
    try:
        return numpy.broadcast_shapes(*[tuple(numpy.shape(a)) for a in arrays])
    except ValueError:
        shapes = ", ".join(f"{s[0]} with shape {tuple(numpy.shape(a))}" for s, a in zip(specs, arrays))
        raise ValueError(f"{func}: arguments {shapes} cannot be broadcast together") from None


def _flatten(a, shape, n: int):
    """One argument as a numpy float64 (one value for every element) or a flat float64 array of n values
    (a view where the argument already has the broadcast shape)."""
    if numpy.ndim(a) == 0 or (a.size == 1 and n != 0):
        return numpy.float64(numpy.reshape(a, -1)[0])
    if a.shape == shape:
        return a.reshape(-1)
    return numpy.broadcast_to(a, shape).reshape(-1)


def _collect(func: str, specs):
    """The arguments as numpy float64 scalars or float64 arrays, in the order numpy's kernels check them:
    every argument's type, and the range of every one that is not a float64 array (TypeError/ValueError naming
    it); then the range test of each float64 array, which the caller runs (per chunk, or on the whole array)."""
    arrays, deferred = [], []
    for spec in specs:
        a = _fast(*spec[1:])
        if a is None:
            a = checked(func, *spec)
        elif isinstance(a, numpy.ndarray):
            deferred.append(len(arrays))
        arrays.append(a)
    return arrays, deferred


def _test_whole(func: str, specs, arrays, index) -> None:
    lo, hi, lo_open = specs[index][2:]
    a = arrays[index]
    if a.size and not _inside(lo, hi, lo_open, a.min(), a.max()):
        checked(func, *specs[index])
        raise AssertionError(f"{func}: argument {specs[index][0]} failed the range test but not the check")


def validate(func: str, specs) -> None:
    """Raise the error numpy's kernel ``func`` raises for these arguments (none if they are allowed): every
    backend reports a bad call with this one, so all name the same argument first."""
    arrays, deferred = _collect(func, specs)
    _broadcast(func, specs, arrays)
    for i in deferred:
        _test_whole(func, specs, arrays, i)


def run(func: str, body, specs):
    """``body`` over the validated, broadcast arguments of ``func``, in chunks of :data:`CHUNK` elements.

    ``specs`` holds (name, value, lo, hi, lo_open) per argument; bad ones raise :func:`validate`'s errors.  The range test of a float64 array that has the
    broadcast shape runs on each chunk just before the kernel reads it (one pass over memory for both); any
    other array is tested whole first.  ``body`` takes one numpy float64 or flat float64 array per argument
    and evaluates every branch on every element (numpy.where picks the result), so the arithmetic runs with
    floating-point warnings off: values in the elements a branch discards are never returned.  That the
    returned values are finite and in range is what the tests check."""
    arrays, deferred = _collect(func, specs)
    shape = _broadcast(func, specs, arrays)
    n = math.prod(shape)
    flat = [_flatten(a, shape, n) for a in arrays]
    whole = [isinstance(a, numpy.ndarray) for a in flat]
    tests = []                                                   # (index, lo, hi, lo_open) tested per chunk
    for i in deferred:
        if n and arrays[i].shape == shape:
            tests.append((i, *specs[i][2:]))
        else:
            _test_whole(func, specs, arrays, i)
    out = numpy.empty(n)
    with numpy.errstate(all="ignore"):
        for start in range(0, max(n, 1), CHUNK):
            part = [a[start:start + CHUNK] if w else a for a, w in zip(flat, whole)]
            for i, lo, hi, lo_open in tests:
                if part[i].size and not _inside(lo, hi, lo_open, part[i].min(), part[i].max()):
                    _test_whole(func, specs, arrays, i)
            out[start:start + CHUNK] = body(*part)
    return finish(out, shape)


def flat(func: str, specs):
    """The arguments of ``func`` as (array, step) pairs, flattened, for a compiled loop that reads element i of
    an argument at array[i*step] and tests the allowed ranges itself (where it finds an argument outside,
    the caller raises :func:`validate`'s error); the broadcast shape and its size.  Raises the errors
    :func:`validate` raises for what is not a real number, for shapes that do not broadcast, and for any
    argument outside its range when no element is computed."""
    arrays = []
    try:
        for name, value, lo, hi, lo_open in specs:
            kind = type(value)
            if kind is numpy.ndarray and value.dtype == numpy.float64:
                arrays.append(value)
            elif kind is float:
                arrays.append(numpy.float64(value))
            else:
                arrays.append(_as_float(func, name, value, lo, hi, lo_open)[0])
        shape = _broadcast(func, specs, arrays)
    except (TypeError, ValueError):
        validate(func, specs)                                    # the error numpy's kernel names first
        raise
    n = math.prod(shape)
    if n == 0:
        validate(func, specs)                                    # nothing is computed: test the arguments here
    out = []
    for a in arrays:
        a = _flatten(a, shape, n)
        out += [numpy.ascontiguousarray(a), 1] if isinstance(a, numpy.ndarray) else [numpy.array([a]), 0]
    return out, shape, n
