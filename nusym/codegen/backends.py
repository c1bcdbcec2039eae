"""The backends that can run on this machine, each as numpy-in, numpy-out functions for the float check.

:func:`available` lists, by name, what is importable or compilable here: ``numpy`` always; ``numba`` with
numba installed; ``c`` with a C compiler; ``torch`` with PyTorch and array-api-compat; ``jax`` with JAX
(float64 enabled for its calls); ``cupy`` with CuPy and a GPU.  :func:`missing` says why each other one
is not.  Each backend maps a kernel name to a function of numpy arrays returning a numpy array, so the
float check (:func:`nusym.checks.floatcheck.measure`) measures every backend on the same points.
"""
from __future__ import annotations

import functools
import importlib.util

import numpy

__all__ = ["ALL", "available", "missing", "function"]

ALL = ("numpy", "numba", "c", "torch", "jax", "cupy")


def _why_not(name: str) -> str | None:
    """None if the backend can run here, else the reason it cannot."""
    if name == "numpy":
        return None
    if name == "numba":
        return None if importlib.util.find_spec("numba") else "numba is not installed (pip install numba)"
    if name == "c":
        from nusym.codegen import c_library as cbackend
        try:
            cbackend.load()
        except (cbackend.CompilerMissing, RuntimeError, OSError) as exc:   # UnsafeCache is a RuntimeError
            return f"the C kernels cannot be built or loaded here: {exc}"
        return None
    if name == "torch":
        if not importlib.util.find_spec("torch"):
            return "PyTorch is not installed"
        return None if importlib.util.find_spec("array_api_compat") else "array-api-compat is not installed"
    if name == "jax":
        return None if importlib.util.find_spec("jax") else "JAX is not installed"
    if name == "cupy":
        if not importlib.util.find_spec("cupy"):
            return "CuPy is not installed (no GPU path here)"
        try:
            import cupy
            return None if cupy.cuda.runtime.getDeviceCount() > 0 else "CuPy sees no GPU"
        except Exception as exc:  # noqa: BLE001 - any failure to reach a GPU is the reason
            return f"CuPy cannot reach a GPU ({type(exc).__name__})"
    raise ValueError(f"unknown backend {name!r}; known: {', '.join(ALL)}")


@functools.lru_cache(maxsize=None)
def missing() -> dict:
    """{backend: why it cannot run here} for each backend of :data:`ALL` that cannot."""
    return {n: why for n in ALL if (why := _why_not(n)) is not None}


def available() -> list:
    return [n for n in ALL if n not in missing()]


def function(backend: str, kernel: str):
    """The kernel on ``backend`` as a function of numpy arrays returning a numpy array."""
    if backend == "numpy":
        from nusym import numeric
        return getattr(numeric, kernel)
    if backend == "numba":
        from nusym.generated import numba_backend
        return getattr(numba_backend, kernel)
    if backend == "c":
        from nusym.codegen import c_library as cbackend
        return getattr(cbackend.load(), kernel)
    from nusym.generated import array_api_backend
    f = getattr(array_api_backend, kernel)
    if backend == "torch":
        import torch
        return lambda *a: f(*[torch.from_numpy(numpy.asarray(x, dtype=float)) for x in a]).numpy()
    if backend == "jax":
        import jax
        jax.config.update("jax_enable_x64", True)
        return lambda *a: numpy.asarray(f(*[jax.numpy.asarray(numpy.asarray(x, dtype=float)) for x in a]))
    if backend == "cupy":
        import cupy
        return lambda *a: cupy.asnumpy(f(*[cupy.asarray(numpy.asarray(x, dtype=float)) for x in a]))
    raise ValueError(f"unknown backend {backend!r}; known: {', '.join(ALL)}")
