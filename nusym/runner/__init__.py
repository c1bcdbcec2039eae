"""Where work runs: time-budgeted worker processes for claim checks (:mod:`~nusym.runner.budget`) and the
executors of long sweeps, local processes or a dask cluster (:mod:`~nusym.runner.parallel`).  It imports nothing of
nusym's physics; the claim checker and the checks import it.
"""

__all__ = []    # the modules are imported by name
