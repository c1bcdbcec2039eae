"""Tables of the central-field structure factor that event rates need, cached on disk.

:func:`rate_integrals` gives, per atom, int S dq^2 (eV) and int S dq^2/q^2 (1/eV) over the momentum transfer, from
q_min = T/c (or a given lower limit) to where the impulse-approximation estimate of the rest is below 1e-7 of the
electrons, at energy transfers T (eV): the two integrals the weak and magnetic cross sections of Eqs. (1), (3) need
once the neutrino energy is far above T.  A table costs seconds to a minute, so it is kept in nusym's private cache
(:mod:`nusym.cache`: an owner-checked folder, each file beside its SHA-256), keyed by element, potential,
thresholds, the numerical settings, the T grid and nusym's version; ``cache=False`` recomputes without reading or
writing it.
"""
from __future__ import annotations

import hashlib
import io
import json

import numpy as np

from nusym import __version__
from nusym import cache as _cache
from nusym.atoms import structure as st

MAX_T = 200               # T values per table: time and memory grow with them (1000 T of Cs and I took 4.8 GB)
MAX_T_EV = 1e6            # the nonrelativistic model ends far below an MeV of energy transfer

__all__ = ["rate_integrals", "rate_tables", "MAX_T", "MAX_T_EV", "cache_key", "cached_arrays", "cache_module_read", "cache_module_write"]


def cache_key(element, T_eV, potential: str, thresholds: str, q_from_eV, settings: dict) -> str:
    """The file name a table is cached under: element, then the SHA-256 of everything it depends on."""
    text = json.dumps({"element": element, "potential": potential, "thresholds": thresholds, "version": __version__,
                       "settings": sorted((k, repr(v)) for k, v in settings.items()),
                       "q_from": None if q_from_eV is None else repr(float(q_from_eV))}, sort_keys=True)
    h = hashlib.sha256(text.encode())
    h.update(np.ascontiguousarray(np.asarray(T_eV, float)).tobytes())
    return f"central-field-{element}-{h.hexdigest()[:32]}.npz"


def rate_integrals(element, T_eV, *, potential: str = "lda-latter", thresholds: str = "elam", q_from_eV=None,
                   cache: bool = True, processes: int = 1, **settings):
    """(int S dq^2 in eV, int S dq^2/q^2 in 1/eV) per atom of ``element`` at energy transfers T_eV (> 0, a 1-d
    array), over q from T/c (``q_from_eV``: from that fixed q instead) upwards.  ``settings`` go to
    :class:`nusym.atoms.structure.StructureFactor`; ``processes`` > 1 shares the subshells among worker processes."""
    T, key = _checked(element, T_eV, potential, thresholds, q_from_eV, settings)
    path = _table_path(key, T) if cache else None
    data = _cached(path)
    if data is not None:
        return data
    sf = _model(key)
    q_from = None if q_from_eV is None else float(q_from_eV) / st.Q_AU_EV
    out = _to_eV(*sf.q_integrals(T / st.HARTREE_EV, processes=processes, q_from=q_from))
    _store(path, T, out)
    return out


def rate_tables(elements, T_eV, executor, *, potential: str = "lda-latter", thresholds: str = "elam",
                q_from_eV=None, cache: bool = True, **settings) -> dict:
    """{element: rate_integrals(element, T_eV, ...)} for several elements, the tables not already cached computed
    through ``executor`` (:func:`nusym.runner.parallel.executor`: local processes or a dask scheduler's workers),
    one task per element and subshell; the results are summed, and cached, here."""
    from nusym.atoms import central_field
    if isinstance(elements, (str, bytes)) or not hasattr(elements, "__iter__"):
        raise ValueError(f"elements={elements!r}: a list of element symbols, e.g. ['Na', 'I']")
    checked = {element: _checked(element, T_eV, potential, thresholds, q_from_eV, settings)
               for element in dict.fromkeys(elements)}             # every argument checked before any task
    out, pending = {}, {}
    for element, (T, key) in checked.items():
        path = _table_path(key, T) if cache else None
        data = _cached(path)
        if data is not None:
            out[element] = data
            continue
        subshells = [(o.n, o.l) for o in central_field.ground_state(key[0]).orbitals]
        futures = [executor.submit(_subshell_integrals, key, T, nl, q_from_eV) for nl in subshells]
        pending[element] = (path, T, futures)
    for element, (path, T, futures) in pending.items():
        parts = [f.result() for f in futures]
        out[element] = (sum(p[0] for p in parts), sum(p[1] for p in parts))
        _store(path, T, out[element])
    return out


def _checked(element, T_eV, potential, thresholds, q_from_eV, settings):
    """(T as a checked 1-d array, the key of its table: (symbol, potential, thresholds, q_from, settings))."""
    import inspect

    from nusym.atoms import configurations
    T = st.check_energies("T_eV", T_eV, inclusive=False)
    if T.ndim != 1 or T.size == 0 or T.size > MAX_T:
        raise ValueError(f"T_eV: {T.size} values in {T.ndim} dimensions; a one-dimensional array of 1 to {MAX_T} "
                         "energies in eV")
    if T.max() > MAX_T_EV:
        raise ValueError(f"T_eV={float(T.max())!r}: outside the allowed range (0, {MAX_T_EV:g}] eV (the model is "
                         "nonrelativistic)")
    if q_from_eV is not None and st.check_energies("q_from_eV", q_from_eV, inclusive=False).ndim != 0:
        raise ValueError(f"q_from_eV={q_from_eV!r}: one momentum in eV")
    known = set(inspect.signature(st.StructureFactor.__init__).parameters) - {"self", "atom_or_model", "potential",
                                                                               "edges"}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise ValueError(f"{unknown[0]}={settings[unknown[0]]!r}: not a setting of the structure factor; known: "
                         f"{', '.join(sorted(known))}")
    st.check_options(potential, thresholds)
    symbol = configurations.SYMBOLS[configurations.atomic_number(element) - 1]
    return T, (symbol, potential, thresholds, q_from_eV, tuple(sorted(settings.items())))


def _table_path(key, T):
    symbol, potential, thresholds, q_from_eV, settings = key
    return _cache_folder() / cache_key(symbol, T, potential, thresholds, q_from_eV, dict(settings))


def _model(key):
    """The structure factor of one element (st.model keeps it: a worker builds it once for all its subshells)."""
    symbol, potential, thresholds, _, settings = key
    return st.model(symbol, potential, thresholds, **dict(settings))


def _subshell_integrals(key, T, nl, q_from_eV):
    """One subshell's (int S dq^2, int S dq^2/q^2) in eV and 1/eV: one task of :func:`rate_tables`."""
    sf = _model(key)
    q_from = None if q_from_eV is None else float(q_from_eV) / st.Q_AU_EV
    return _to_eV(*sf.q_integrals(T / st.HARTREE_EV, subshells=[tuple(nl)], q_from=q_from))


def _cached(path):
    """(I1, I2) from the cache file ``path``, or None (no cache, no file, or not a table)."""
    data = cache_module_read(path) if path is not None else None
    if data is None or not {"I1", "I2"} <= set(data):
        return None
    return data["I1"], data["I2"]


def _to_eV(i1, i2):
    return i1 * st.Q_AU_EV ** 2 / st.HARTREE_EV, i2 / st.HARTREE_EV


def _store(path, T, out):
    if path is None:
        return
    buf = io.BytesIO()
    np.savez(buf, T_eV=T, I1=out[0], I2=out[1])
    try:
        cache_module_write(path, buf.getvalue())
    except OSError:
        pass                                   # a cache that cannot be written is only slower


def _cache_folder():
    return _cache.directory("atoms")


def cached_arrays(name: str, key: dict, compute, cache: bool = True) -> dict:
    """{name: numpy array} that ``compute()`` returns, kept in nusym's private cache under ``name`` and the SHA-256 of
    ``key`` (a JSON-able description of everything the arrays depend on) and nusym's version; ``cache=False``
    computes without reading or writing the cache."""
    text = json.dumps({"key": key, "version": __version__}, sort_keys=True, default=repr)
    path = _cache_folder() / f"{name}-{hashlib.sha256(text.encode()).hexdigest()[:32]}.npz" if cache else None
    if path is not None:
        raw = cache_module_read(path)
        if raw is not None:
            return raw
    out = {k: np.asarray(v) for k, v in compute().items()}
    if path is not None:
        buf = io.BytesIO()
        np.savez(buf, **out)
        try:
            cache_module_write(path, buf.getvalue())
        except OSError:
            pass
    return out


def cache_module_read(path) -> dict | None:
    """The arrays of a cached .npz file, or None where it is missing, not this user's, or its hash differs."""
    raw = _cache.read_verified(path)
    if raw is None:
        return None
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            return {k: z[k].copy() for k in z.files}
    except (OSError, ValueError):
        return None


def cache_module_write(path, data: bytes) -> None:
    """Write ``data`` to the cache file ``path`` with its SHA-256 beside it."""
    _cache.write_verified(path, data)
