"""Discovery of the physics modules (installed as ``nusym.derivations``)."""
from __future__ import annotations

import importlib
import pkgutil

__all__ = ["derivation_modules", "figures"]


def derivation_modules(package: str = "nusym.derivations") -> list:
    """The imported modules of ``package``, in the order its ``TOPICS`` lists (others after, by name)."""
    pkg = importlib.import_module(package)
    order = {name: i for i, name in enumerate(getattr(pkg, "TOPICS", ()))}
    infos = sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: (order.get(m.name, len(order)), m.name))
    return [importlib.import_module(f"{package}.{m.name}") for m in infos]


def figures(package: str = "nusym.derivations") -> dict:
    """name -> function(path, E_nu, points) writing a figure, from the modules' ``FIGURES`` tables."""
    out = {}
    for mod in derivation_modules(package):
        out.update(getattr(mod, "FIGURES", {}))
    return out
