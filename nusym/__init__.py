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


def _lazy(package: str, table: dict, names):
    """``(__getattr__, __dir__)`` for ``package``: each name of ``table`` is imported from ``package.table[name]``
    when first used (a submodule itself where the module's name is the name)."""
    def getattr_(name):
        if name in table:
            module = importlib.import_module(f"{package}.{table[name]}")
            return module if table[name] == name else getattr(module, name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def dir_():
        return sorted(set(vars(importlib.import_module(package))) | set(names))
    return getattr_, dir_


__getattr__, __dir__ = _lazy(__name__, {"numeric": "numeric", "units": "units", **_FROM}, __all__)
