"""Argument checking, broadcasting and safe arithmetic shared by the generated numeric kernels.

What a kernel accepts for each argument: a Python int or float, a numpy integer or floating
scalar, a numpy array of integer or floating dtype (float16 ... float64, int8 ... uint64), or a
(nested) list or tuple of those.  Everything is converted to float64.

What it rejects, naming the argument and its value:

- ``TypeError`` for a value that is not a real number: str, bytes, None, bool and numpy.bool_
  (scalars, arrays and list elements: True is not an energy), complex (never silently truncated),
  datetime64 and timedelta64, object arrays, and numpy masked arrays (not supported: the kernels
  would compute on the hidden data; pass ``numpy.ma.filled(x, fill)`` or ``x.compressed()``);
- ``ValueError`` for a real number outside the argument's allowed range (NaN, +-inf, 0 or negative
  where a positive value is required, a Python int too large for a float), and for arguments whose
  shapes do not broadcast together.
"""
from __future__ import annotations

import decimal
import numbers

import numpy

__all__ = ["prepare", "finish", "quiet_underflow", "ratio_at_most"]

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
        elif isinstance(item, numpy.ndarray):
            if item.dtype.kind not in _REAL_KINDS:
                raise _kind_error(func, name, value, item.dtype.kind)
        elif not isinstance(item, numbers.Real):
            raise _type_error(func, name, value, f"a sequence holding {type(item).__name__} {item!r}")


def _as_float(func: str, name: str, value, lo: float, hi: float, lo_open: bool):
    """(float64 array, the array as passed for error messages) of one argument, or raise."""
    if value is None or isinstance(value, (str, bytes, bool, numpy.bool_, complex)):
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


def prepare(func: str, specs):
    """Validate and broadcast the arguments of ``func``.

    ``specs`` holds (name, value, lo, hi, lo_open) for each argument; values must be finite
    reals in (lo, hi] (or [lo, hi] when not ``lo_open``).  Returns the broadcast float64 arrays,
    flattened (copies, one element per output element), and the output shape.  Raises TypeError
    for a value that is not a real number and ValueError for one outside its range (the first
    offending element is named, with its value and the allowed range) or for shapes that do not
    broadcast together.
    """
    arrays = []
    for name, value, lo, hi, lo_open in specs:
        a, raw = _as_float(func, name, value, lo, hi, lo_open)
        below = (a <= lo) if lo_open else (a < lo)
        bad = ~numpy.isfinite(a) | below | (a > hi)
        if bad.any():
            first = raw[bad].flat[0] if raw.ndim else raw[()]
            raise ValueError(f"{func}: argument {name}={_show(first)} is outside the allowed range "
                             f"{_describe(lo, hi, lo_open)}")
        arrays.append(a)
    try:
        shape = numpy.broadcast_shapes(*[a.shape for a in arrays])
    except ValueError:
        shapes = ", ".join(f"{s[0]} with shape {a.shape}" for s, a in zip(specs, arrays))
        raise ValueError(f"{func}: arguments {shapes} cannot be broadcast together") from None
    return [numpy.broadcast_to(a, shape).ravel() for a in arrays], shape


def finish(out: numpy.ndarray, shape: tuple):
    """The flat result in the broadcast shape; a 0-d result becomes a numpy float64 scalar, as numpy's ufuncs return."""
    out = out.reshape(shape)
    return out[()] if out.ndim == 0 else out


def quiet_underflow():
    """Context of a kernel's arithmetic: underflow (a value below the float range rounded to a subnormal
    or to 0, the correctly rounded result) is not reported; the kernels are written so that overflow,
    division by zero and invalid operations cannot occur for allowed arguments, and those stay reported."""
    return numpy.errstate(under="ignore")


def ratio_at_most(num: numpy.ndarray, den: numpy.ndarray, hi: float) -> numpy.ndarray:
    """num/den for num >= 0, den >= 0 whose exact value is proven <= hi: the quotient is formed only where
    num < hi*den, so rounding in num and den can neither overflow it nor push it above hi; hi elsewhere."""
    out = numpy.full(num.shape, float(hi))
    numpy.divide(num, den, out=out, where=num < hi * den)
    return out
