"""The backends of the generated kernels, each declared into :mod:`nusym.catalogue` as a :class:`Backend`.

A backend says why it cannot run here (``numpy`` always runs; ``numba`` needs numba; ``c`` a C compiler and a
private cache to build into; ``torch`` PyTorch and array-api-compat; ``jax`` JAX, float64 enabled for its calls;
``cupy`` CuPy and a GPU) and gives each kernel as a function of numpy arrays returning a numpy array, so that the
float check (:func:`nusym.checks.floatcheck.measure`) measures every backend on the same points.
:func:`available` lists the ones that run here, :func:`missing` says why each other one does not.
"""
from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from typing import Callable

import numpy

from nusym import catalogue

__all__ = ["Backend", "available", "missing", "function"]


@dataclass(frozen=True)
class Backend:
    name: str
    why_not: Callable[[], str | None]            # None where it runs here, else the reason
    kernels: Callable[[], object]               # the module (or namespace) holding its kernels
    wrap: Callable = staticmethod(lambda f: f)  # a kernel of it as a function of numpy arrays


def _declare(name: str, why_not, kernels, wrap=lambda f: f) -> Backend:
    return catalogue.register("backend", name, Backend(name, why_not, kernels, wrap), __name__)


def _module(name: str):
    return lambda: importlib.import_module(name)


def _installed(module: str, hint: str):
    return lambda: None if importlib.util.find_spec(module) else hint


def _c_why_not():
    from nusym.codegen import c_library
    try:
        c_library.load()
    except (c_library.CompilerMissing, RuntimeError, OSError) as exc:   # UnsafeCache is a RuntimeError
        return f"the C kernels cannot be built or loaded here: {exc}"
    return None


def _c_kernels():
    from nusym.codegen import c_library
    return c_library.load()


def _torch_why_not():
    if not importlib.util.find_spec("torch"):
        return "PyTorch is not installed"
    return None if importlib.util.find_spec("array_api_compat") else "array-api-compat is not installed"


def _on_torch(f):
    import torch
    return lambda *a: f(*[torch.from_numpy(numpy.asarray(x, dtype=float)) for x in a]).numpy()


def _on_jax(f):
    import jax
    jax.config.update("jax_enable_x64", True)
    return lambda *a: numpy.asarray(f(*[jax.numpy.asarray(numpy.asarray(x, dtype=float)) for x in a]))


def _cupy_why_not():
    if not importlib.util.find_spec("cupy"):
        return "CuPy is not installed (no GPU path here)"
    try:
        import cupy
        return None if cupy.cuda.runtime.getDeviceCount() > 0 else "CuPy sees no GPU"
    except Exception as exc:  # noqa: BLE001 - any failure to reach a GPU is the reason
        return f"CuPy cannot reach a GPU ({type(exc).__name__})"


def _on_cupy(f):
    import cupy
    return lambda *a: cupy.asnumpy(f(*[cupy.asarray(numpy.asarray(x, dtype=float)) for x in a]))


_ARRAY_API = _module("nusym.generated.array_api_backend")
_declare("numpy", lambda: None, _module("nusym.numeric"))
_declare("numba", _installed("numba", "numba is not installed (pip install numba)"),
         _module("nusym.generated.numba_backend"))
_declare("c", _c_why_not, _c_kernels)
_declare("torch", _torch_why_not, _ARRAY_API, _on_torch)
_declare("jax", _installed("jax", "JAX is not installed"), _ARRAY_API, _on_jax)
_declare("cupy", _cupy_why_not, _ARRAY_API, _on_cupy)


@functools.lru_cache(maxsize=None)
def missing() -> dict:
    """{backend: why it cannot run here} for each declared backend that cannot."""
    return {e.id: why for e in catalogue.entries("backend") if (why := e.obj.why_not()) is not None}


def available() -> list:
    return [e.id for e in catalogue.entries("backend") if e.id not in missing()]


def function(backend: str, kernel: str):
    """The kernel on ``backend`` as a function of numpy arrays returning a numpy array."""
    b = catalogue.get("backend", backend)
    return b.wrap(getattr(b.kernels(), kernel))
