"""Running the checks: `nusym verify` (:mod:`~nusym.checks.verify`), the float accuracy of the generated kernels
(:mod:`~nusym.checks.floatcheck`), mutation testing of the declared claims (:mod:`~nusym.checks.mutants`) and
`nusym bench` (:mod:`~nusym.checks.bench`).  It may import every part of the engine (and, through the catalogue,
the physics); only the command line, the output formats and the tests import it.
"""

__all__ = []    # the modules are imported by name
