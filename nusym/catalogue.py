"""One catalogue of everything nusym runs: results, kernels, figures, atomic models and backends.

Each is registered under its id when the module that declares it is imported (mpmath's ``defun`` registry is the
model): results by :func:`nusym.record.result`, kernels by :func:`nusym.codegen.kernels.kernel`, figures by
:func:`figure`, models by the atomic models' module, backends by :mod:`nusym.codegen.backends`.  A second definition
of an id of the same kind is an error at import (:class:`DuplicateId`): the first match never wins silently.

The order is the reading order of the physics: ``nusym.derivations`` declares its topics' order (:func:`topics`),
and within a topic module the order of declaration.  :func:`load` imports whatever
registers each kind (the physics, the models, the backends), once per process; ``nusym verify``, ``nusym codegen``,
``nusym bench``, the command line and the tests ask the catalogue, and nothing scans module globals.

Scheduling hints (a result's rough cost in seconds, a group of results that share cached steps) are kept with the
entry, not with the result: they are how the checks are run, not what they check.
"""
from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass, field

__all__ = ["KINDS", "Entry", "DuplicateId", "UnknownId", "register", "topics", "get", "entry", "entries", "ids", "load",
           "figure",
           "PROVIDERS"]

KINDS = ("result", "kernel", "figure", "model", "backend")
# the modules whose import registers each kind: the physics (results, kernels, figures), the atomic models, the backends
PROVIDERS = {"result": ("nusym.derivations",), "kernel": ("nusym.derivations",), "figure": ("nusym.derivations",),
             "model": ("nusym.atoms.models",), "backend": ("nusym.codegen.backends",)}


_LOADING = threading.RLock()


class DuplicateId(ValueError):
    """An id registered twice for one kind."""


class UnknownId(LookupError):
    """No entry of that kind has that id."""


@dataclass(frozen=True)
class Entry:
    """One registered thing: its kind, id, the object, the module that declared it, and hints for running it."""

    kind: str
    id: str
    obj: object
    module: str
    hints: dict = field(default_factory=dict, compare=False)


_ENTRIES: dict = {kind: {} for kind in KINDS}
_TOPICS: dict = {}                   # module name -> its rank in the reading order


def topics(package: str, names) -> None:
    """Declare the reading order of ``package``'s modules (their short names, in order): entries are listed by the
    rank of the module that declared them, then in the order they were declared."""
    for rank, name in enumerate(names):
        _TOPICS[f"{package}.{name}"] = rank


def register(kind: str, id: str, obj, module: str = "", **hints):
    """Register ``obj`` as the ``kind`` called ``id`` (DuplicateId if that id is taken); returns ``obj``."""
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r}: one of {KINDS}")
    if not isinstance(id, str) or not id:
        raise ValueError(f"{kind} id={id!r}: a non-empty string")
    table = _ENTRIES[kind]
    if id in table:
        raise DuplicateId(f"{kind} {id!r} is defined twice: in {table[id].module or '?'} and in {module or '?'}")
    table[id] = Entry(kind, id, obj, module, dict(hints))
    return obj


def entries(kind: str) -> list:
    """Every :class:`Entry` of ``kind``: by the topic order of their modules (:func:`topics`; others after), then in
    the order they were declared."""
    load(kind)
    found = list(_ENTRIES[kind].values())
    return sorted(found, key=lambda e: _TOPICS.get(e.module, len(_TOPICS)))      # stable: declaration order within


def ids(kind: str) -> list:
    return [e.id for e in entries(kind)]


def get(kind: str, id: str):
    """The object registered as the ``kind`` called ``id``; UnknownId (naming the known ones) otherwise."""
    load(kind)
    try:
        return _ENTRIES[kind][id].obj
    except KeyError:
        raise UnknownId(f"{kind} {id!r} is not known; known: {', '.join(_ENTRIES[kind])}") from None


def entry(kind: str, id: str) -> Entry:
    get(kind, id)
    return _ENTRIES[kind][id]


def load(kind: str | None = None) -> None:
    """Import the modules that register ``kind`` (every kind with None; :data:`PROVIDERS`).  Python imports a
    module once, so this costs nothing after the first call.  One thread at a time imports them: a thread that
    imported one topic module while another imports the package would each hold the lock the other waits for
    (Python's _DeadlockError, seen with dask's threaded workers)."""
    with _LOADING:
        for k in ([kind] if kind is not None else KINDS):
            for name in PROVIDERS[k]:
                importlib.import_module(name)


def figure(id: str, doc: str):
    """Decorator: register a function ``f(path, E_nu, points)`` that writes the figure ``id`` (``nusym figure``)."""
    def wrap(fn):
        return register("figure", id, fn, fn.__module__, doc=" ".join(doc.split()))
    return wrap
