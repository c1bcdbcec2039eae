"""The array-API backend's runtime: which library the caller's arrays belong to, and how to run a kernel there.

numpy arrays and Python numbers go to the numpy kernels (:mod:`nusym.generated.numpy_backend`); CuPy arrays to one
``cupy.ElementwiseKernel`` per function, built from the generated C99 scalar function; JAX arrays to one
``jax.jit``-compiled function per kernel; any other library with an array-API namespace (PyTorch through
``array_api_compat``, or an array's own ``__array_namespace__``) to the branch-free body on that namespace.
The allowed-range test is part of the computation (an element outside its range gives NaN there); where
any element fails it, the arguments are checked again on the host by :func:`nusym.codegen.runtime.validate`, which
raises the error naming the argument.
"""
from __future__ import annotations

import functools

import numpy

from nusym.codegen import runtime as _runtime

__all__ = ["namespace", "run", "ldexp", "exponent", "needed"]


def _library(x) -> str:
    mod = type(x).__module__.split(".")[0]
    return {"jaxlib": "jax", "jax": "jax"}.get(mod, mod)


def _device_array(v) -> bool:
    """An array of a library other than numpy (CuPy, JAX, PyTorch, ...): what decides where a kernel runs.
    Python numbers, lists, numpy arrays and anything else are host values, checked as nusym.numeric does."""
    return (hasattr(v, "shape") and hasattr(v, "dtype") and not isinstance(v, (numpy.ndarray, numpy.generic))
            and _library(v) != "numpy")


def namespace(func: str, values):
    """The library name of the device arrays among ``values`` ('numpy' when there are none), or TypeError when
    they come from more than one library."""
    libs = {_library(v) for v in values if _device_array(v)}
    if len(libs) > 1:
        raise TypeError(f"{func}: arrays of different libraries ({', '.join(sorted(libs))}) cannot be mixed")
    return libs.pop() if libs else "numpy"


def ldexp(xp, x, k):
    """x * 2**k, exactly (correctly rounded where the result leaves the normal range)."""
    if hasattr(xp, "ldexp") and "torch" not in getattr(xp, "__name__", ""):
        return xp.ldexp(x, k)
    # torch.ldexp multiplies by pow(2, k), which overflows for k > 1023: two exact steps instead, the first
    # moving by at most 2**+-1000 so that only the last product can round
    k1 = xp.clip(k, -1000, 1000)
    return (x * xp.pow(2.0, (k1).to(x.dtype))) * xp.pow(2.0, (k - k1).to(x.dtype))


def needed(xp, mask) -> bool:
    """Whether an exact rescaling must run (some element is in ``mask``): always inside ``jax.jit``, where
    the arrays are traced (rescaling every element is exact, so the result is the same), else by testing."""
    if "jax" in getattr(xp, "__name__", ""):
        return True
    if isinstance(mask, (bool, numpy.bool_)):            # the test on a Python number among the arguments
        return bool(mask)
    return bool(xp.any(mask))


def exponent(xp, x):
    """Minus the binary exponent of x (x = m 2**e with m in [0.5, 1)): the k that makes ldexp(x, k) in [0.5, 1)."""
    return -xp.frexp(x)[1]


@functools.lru_cache(maxsize=None)
def _jax_kernel(body, names: tuple, ranges: tuple):
    import jax
    import jax.numpy as jnp

    def kernel(*args):
        ok = functools.reduce(jnp.logical_and, [((a > lo) if lo_open else (a >= lo)) & (a <= hi)
                                                  for a, (lo, hi, lo_open) in zip(args, ranges)])
        return jnp.where(ok, body(jnp, *args), jnp.nan), jnp.all(ok)
    return jax.jit(kernel)


@functools.lru_cache(maxsize=None)
def _cupy_kernel(name: str, c_body: str, names: tuple, ranges: tuple):
    import cupy
    params = ", ".join(f"double {n}" for n in names)
    test = " && ".join(f"({n} {'>' if lo_open else '>='} {lo!r} && {n} <= {hi!r})"
                       for n, (lo, hi, lo_open) in zip(names, ranges))
    preamble = f"__device__ double nusym_{name}({params})\n{{\n{c_body}\n}}\n"
    return cupy.ElementwiseKernel(", ".join(f"float64 {n}" for n in names), "float64 out",
                                  f"out = ({test}) ? nusym_{name}({', '.join(names)}) : CUDART_NAN",
                                  f"nusym_{name}", preamble="#include <math_constants.h>\n" + preamble,
                                  options=("--fmad=false",))       # no contraction into FMAs: numpy's roundings


def _float64(func: str, specs, lib: str, values):
    for (name, *_), v in zip(specs, values):
        if _device_array(v) and "float64" not in str(v.dtype):
            raise TypeError(f"{func}: argument {name} is a {lib} array of dtype {v.dtype}; the kernels compute in "
                            "float64 (convert it, and for JAX enable jax_enable_x64)")


def _on_device(func: str, specs, lib: str, values):
    """The arguments for ``lib``: its arrays as they are; every other value checked on the host as
    nusym.numeric checks it (TypeError/ValueError naming it) and moved to the device of the first array."""
    first = next(v for v in values if _device_array(v))
    out = []
    for spec, v in zip(specs, values):
        if _device_array(v):
            out.append(v)
            continue
        a = _runtime.checked(func, *spec)
        if a.ndim == 0:
            out.append(float(a))
        elif lib == "torch":
            import torch
            out.append(torch.from_numpy(numpy.ascontiguousarray(a)).to(first.device))
        elif lib == "jax":
            import jax.numpy as jnp
            out.append(jnp.asarray(a))
        elif lib == "cupy":
            import cupy
            out.append(cupy.asarray(a))
        else:
            import array_api_compat
            out.append(array_api_compat.array_namespace(first).asarray(a))
    return out


def run(func: str, body, c_body: str, specs):
    """``func`` on the arguments' own library; see the module docstring."""
    values = [s[1] for s in specs]
    lib = namespace(func, values)
    if lib == "numpy":
        from nusym import numeric
        return getattr(numeric, func)(*values)
    _float64(func, specs, lib, values)
    values = _on_device(func, specs, lib, values)
    shape = _runtime._broadcast(func, specs, values)           # numpy.shape reads each array's .shape
    names = tuple(s[0] for s in specs)
    ranges = tuple(tuple(s[2:]) for s in specs)
    if lib == "jax":
        out, ok = _jax_kernel(body, names, ranges)(*values)
    elif lib == "cupy":
        out = _cupy_kernel(func, c_body, names, ranges)(*values)
        ok = not bool(out.size) or not bool(__import__("cupy").isnan(out).any())
    else:
        import array_api_compat
        xp = array_api_compat.array_namespace(*[v for v in values if _device_array(v)])
        oks = [((a > lo) if lo_open else (a >= lo)) & (a <= hi)
               for a, (lo, hi, lo_open) in zip(values, ranges) if _device_array(a)]
        out = body(xp, *values)
        ok = all(bool(xp.all(t)) for t in oks)
    if not bool(ok) or 0 in shape:
        host = [(s[0], _to_numpy(v) if _device_array(v) else v, *s[2:]) for s, v in zip(specs, values)]
        _runtime.validate(func, host)
        if not bool(ok):
            raise ValueError(f"{func}: an argument failed the allowed-range test on {lib} though not on the host: "
                             f"{lib} flushes subnormal numbers (below 2.2e-308) to zero on this device")
    return out


def _to_numpy(v):
    if hasattr(v, "get"):                        # CuPy
        return v.get()
    if hasattr(v, "cpu"):                        # PyTorch
        return v.cpu().numpy()
    return numpy.asarray(v)
