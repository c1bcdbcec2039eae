"""Code generation and its backends: from the derived expressions to float code on numpy, numba, the array API and
C99, and the runtimes that code calls.

- :mod:`~nusym.codegen.kernels`: what a kernel is (:class:`Kernel`, its arguments, guards, rescalings) and
  :func:`kernel`, which declares one into the catalogue;
- :mod:`~nusym.codegen.rewriting` (proven stability rewrites and facts), :mod:`~nusym.codegen.lowering` (a kernel
  to a program of scalar operations), :mod:`~nusym.codegen.emit` (the program in four languages),
  :mod:`~nusym.codegen.modules` (the generated files: generate, write, check);
- runtimes the generated code imports: :mod:`~nusym.codegen.runtime` (argument checks, broadcasting, chunks),
  :mod:`~nusym.codegen.array_api` (CuPy, JAX, PyTorch), :mod:`~nusym.codegen.exact` (exact signs for guards);
- :mod:`~nusym.codegen.backends` (which backends run here), :mod:`~nusym.codegen.c_library` (the C files compiled
  and loaded), :mod:`~nusym.checks.bench` (`nusym bench`).

It may import the shared vocabulary at nusym's root and the catalogue; never the physics, the claim checker, the
atoms or the detectors.  The names below load on first use: the generated kernels import the runtimes without
SymPy.
"""
from nusym import _lazy

__all__ = ["Arg", "Scaling", "ExactGuard", "Kernel", "kernel", "all_kernels", "HBAR_C", "program", "rewrites",
           "generate", "write", "stale", "generated_dir"]

_FROM = {"Arg": "kernels", "Scaling": "kernels", "ExactGuard": "kernels", "Kernel": "kernels", "kernel": "kernels",
         "all_kernels": "kernels", "HBAR_C": "kernels", "program": "lowering", "rewrites": "lowering",
         "generate": "modules", "write": "modules", "stale": "modules", "generated_dir": "modules"}


__getattr__, __dir__ = _lazy(__name__, _FROM, __all__)
