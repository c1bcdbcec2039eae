"""nusym: derive, verify and code-generate the theory of neutrino-atom ionizing collisions.

``nusym.numeric`` holds the generated float64 kernels in physical units (eV, cm^2/eV) and
the unit multipliers; ``nusym verify`` re-derives and checks every result of the papers.
"""
__version__ = "0.1.0"

from . import numeric, units  # noqa: E402  (the generated kernels are part of the package)

__all__ = ["numeric", "units", "__version__"]
