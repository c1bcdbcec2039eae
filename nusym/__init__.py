"""nusym: derive, verify and code-generate the theory of neutrino-atom ionizing collisions.

``nusym.numeric`` holds the generated float64 kernels in physical units (eV, cm^2/eV) and
the unit multipliers; ``nusym verify`` re-derives and checks every result of the papers;
``nusym.check("LHS == RHS", model=...)`` checks a claim of one's own against the exact atomic
models of ``nusym.spectra``.
"""
__version__ = "0.1.0"

from . import numeric, units  # noqa: E402  (the generated kernels are part of the package)
from .claims import ClaimError, Verdict, check  # noqa: E402

__all__ = ["numeric", "units", "check", "Verdict", "ClaimError", "__version__"]
