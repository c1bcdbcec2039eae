"""The C99 kernels (``nusym_kernels.c``, written by `nusym codegen`) compiled and called from Python.

For embedding, take ``nusym_kernels.h`` and ``nusym_kernels.c`` from :func:`generated_dir` into the simulation's
build (see the header for the flags).  :func:`load` compiles them here with the system's C compiler into a
shared library and returns numpy-in, numpy-out functions with the arguments, broadcasting and errors of
:mod:`nusym.numeric`: used by the float check and the benchmark.

The library is built into nusym's private cache (:mod:`nusym.cache`: the user's cache folder, mode 0700, refused
when another user owns it or can write it), named by the hash of the source, the flags and the compiler, and
loaded only when its bytes match the SHA-256 recorded when it was built; otherwise it is built again.
"""
from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from types import SimpleNamespace

import numpy

from nusym.codegen import runtime as _runtime
from nusym import cache

__all__ = ["generated_dir", "compiler", "CFLAGS", "build", "library_path", "load", "CompilerMissing"]

CFLAGS = ("-std=c99", "-O2", "-ffp-contract=off", "-fPIC", "-shared")


class CompilerMissing(RuntimeError):
    pass


def generated_dir() -> Path:
    """The folder the package ``nusym.generated`` is imported from: the C files a simulation embeds
    (nusym_kernels.h, nusym_kernels.c) are there."""
    import nusym.generated
    return Path(nusym.generated.__file__).parent


def compiler() -> str | None:
    """The C compiler: $CC, else the one Python was built with, else cc or gcc on the PATH (None if none)."""
    for cand in (os.environ.get("CC"), (sysconfig.get_config_var("CC") or "").split(" ")[0], "cc", "gcc"):
        if cand and shutil.which(cand):
            return shutil.which(cand)
    return None


def build() -> Path:
    """The shared library of the generated C kernels in the private cache, compiled where no verified one is
    there; CompilerMissing if no compiler is found, RuntimeError with the compiler's message if it fails,
    :class:`nusym.cache.UnsafeCache` if the cache folder or file could have been written by another user."""
    cc = compiler()
    if cc is None:
        raise CompilerMissing("no C compiler found (set CC)")
    lib = library_path(cc)
    src = generated_dir() / "nusym_kernels.c"
    if cache.read_verified(lib) is None:
        with tempfile.TemporaryDirectory(dir=lib.parent) as work:
            out = Path(work) / lib.name
            done = subprocess.run([cc, *CFLAGS, "-I", str(generated_dir()), str(src), "-o", str(out), "-lm"],
                                  capture_output=True, text=True, timeout=300)
            if done.returncode:
                raise RuntimeError(f"{cc} failed on {src}:\n{done.stderr[-2000:]}")
            cache.write_verified(lib, out.read_bytes())
    return lib


def library_path(cc: str) -> Path:
    """Where the library built by ``cc`` from today's source and flags lives in the private cache (checked, made)."""
    src = generated_dir() / "nusym_kernels.c"
    digest = hashlib.sha256(src.read_bytes() + " ".join(CFLAGS).encode() + cc.encode()).hexdigest()[:16]
    return cache.directory("c") / f"nusym_kernels-{digest}{sysconfig.get_config_var('SHLIB_SUFFIX') or '.so'}"


@functools.lru_cache(maxsize=None)
def load() -> SimpleNamespace:
    """numpy wrappers of the compiled kernels (``load().q_minus(T, p)``), one call of the C array function
    per call; the same arguments, results and errors as nusym.numeric."""
    from nusym import numeric
    path = build()
    if cache.read_verified(path) is None:                # checked again just before it is run
        raise cache.UnsafeCache(f"the compiled kernels {str(path)!r} changed after they were built: not loaded")
    lib = ctypes.CDLL(str(path))
    funcs = {}
    for name in numeric.ARGUMENTS:
        funcs[name] = _wrap(name, getattr(lib, f"nusym_{name}_array"), getattr(numeric, name))
    return SimpleNamespace(**funcs, library=lib)


def _wrap(name: str, cfunc, reference):
    import inspect
    params = list(inspect.signature(reference).parameters.values())
    dp = ctypes.POINTER(ctypes.c_double)
    cfunc.restype = ctypes.c_size_t
    cfunc.argtypes = [ctypes.c_size_t] + [dp, ctypes.c_size_t] * len(params) + [dp]
    from nusym.numeric import ARGUMENTS
    ranges = {a[0]: a[1:] for a in ARGUMENTS[name]}

    def kernel(*args):
        values = [a if i < len(args) else p.default for i, (p, a) in
                  enumerate(zip(params, list(args) + [None] * (len(params) - len(args))))]
        specs = tuple((p.name, v, *ranges[p.name]) for p, v in zip(params, values))
        flat, shape, n = _runtime.flat(name, specs)
        out = numpy.empty(n)
        ptrs = []
        for j in range(0, len(flat), 2):
            ptrs += [flat[j].ctypes.data_as(dp), flat[j + 1]]
        if cfunc(n, *ptrs, out.ctypes.data_as(dp)):
            _runtime.validate(name, specs)
            raise AssertionError(f"{name}: the C range test failed where nusym.numeric's passed")
        return _runtime.finish(out, shape)
    kernel.__name__ = name
    kernel.__doc__ = f"nusym.numeric.{name}, computed by the compiled C99 kernel."
    return kernel


if __name__ == "__main__":                                       # pragma: no cover
    print(build())
    sys.exit(0)
