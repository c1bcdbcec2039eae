"""Float64 kernels in physical units, generated from the derivations, plus unit multipliers.

numpy in, numpy out, broadcasting; energies, momenta and masses in eV (hbar = c = 1);
mu_nu in Bohr magnetons; cross sections in cm^2/eV per electron.  Which argument types are accepted,
which errors bad ones raise (TypeError for what is not a real number, masked arrays included; ValueError
for a value outside the allowed range), and what "total" promises: see ``nusym.generated.numpy_backend``.

>>> from nusym.numeric import q_minus, keV
>>> import numpy
>>> p, T = 1.0e6, 1.0e-20                       # 2 m_e T / p^2 ~ 1e-26
>>> float(numpy.sqrt(p**2 + 2*510998.95069*T) - p)   # the textbook form cancels to nothing
0.0
>>> float(q_minus(T, p))                          # the generated stable form keeps every bit
5.1099895069e-21
"""
from nusym.generated.numpy_backend import *  # noqa: F401,F403
from nusym.generated.numpy_backend import ARGUMENTS
from nusym.generated.numpy_backend import __all__ as _kernels
from nusym.units import *  # noqa: F401,F403
from nusym.units import __all__ as _units

__all__ = list(_kernels) + list(_units) + ["ARGUMENTS"]
