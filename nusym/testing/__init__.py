"""Precision regression for anyone's code: check an implementation of a nusym kernel, in Python or C, against the
mpmath references that `nusym verify`'s float check uses, and say what is wrong with it.

- :mod:`~nusym.testing.comparison`: :func:`compare` (a :class:`Comparison`: the worst points and a diagnosis) and
  :func:`assert_matches` (raises AssertionError with that report), numpy.testing style; the user's units declared
  by name (``units={"T": "keV", "result": "cm2/keV"}``, names of :mod:`nusym.units`);
- :mod:`~nusym.testing.diagnosis`: what the pattern of errors says (a constant or a convention, an argument in the
  wrong unit, the other flavour's formula, a wrong branch at a threshold or end point, a cancellation, float32,
  an error growing as a power of an argument);
- :mod:`~nusym.testing.references`: the sample points and their references as CSV or JSON for a C++ or Fortran
  suite (`nusym references`);
- :mod:`~nusym.testing.plugin`: the pytest plugin (the ``nusym_matches`` fixture), registered by the install.

It may import nusym's root, the code generator's kernels and lowering, the checks' float measurement, the reactor
spectra and a target's shells; never the physics (the catalogue loads the kernels by name).  Nothing here imports
a user's module: that is the command line's `nusym compare`, and says so.
"""
from nusym import _lazy

__all__ = ["compare", "assert_matches", "Comparison", "kernel_names", "parse_units"]

_FROM = {name: "comparison" for name in __all__}

__getattr__, __dir__ = _lazy(__name__, _FROM, __all__)
