"""nusym: derive, verify and code-generate the theory of neutrino-atom ionizing collisions.

``nusym.numeric`` holds the generated float64 kernels in physical units (eV, cm^2/eV) and
the unit multipliers; ``nusym verify`` re-derives and checks every result of the papers;
``nusym.check("LHS == RHS", model=...)`` checks a claim of one's own against the exact atomic
models of ``nusym.atoms.spectra`` and returns a :class:`ClaimReport` whose ``verdict`` is a :class:`Verdict`.

The names below are imported when first used, so that ``import nusym`` (and the command line, whose Ctrl-C
handling starts in ``nusym.cli.main``) costs no import of numpy or SymPy.
"""
import importlib

__version__ = "0.1.0"

__all__ = ["numeric", "units", "check", "ClaimReport", "ClaimError", "Verdict", "__version__"]

_FROM = {"check": "claims", "ClaimReport": "claims", "ClaimError": "claims", "Verdict": "record"}


def __getattr__(name):
    if name in ("numeric", "units"):
        return importlib.import_module(f"{__name__}.{name}")
    if name in _FROM:
        return getattr(importlib.import_module(f"{__name__}.{_FROM[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
