"""Output formats, apart from the physics: rate tables as text, CSV, JSON and figures (:mod:`~nusym.output.rates`),
`nusym verify`'s report (:mod:`~nusym.output.verify`), and line figures of computed curves
(:mod:`~nusym.output.figures`).  It may import what it formats (the detectors, the checks' report); nothing but the
command line, the physics' figures and the tests import it.
"""

__all__ = []    # the modules are imported by name
