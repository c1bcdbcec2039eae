"""Detectors and reactors: the materials' subshells counted in three approximations and their cross sections
(:mod:`~nusym.detectors.targets`), reactor antineutrino spectra and fluxes (:mod:`~nusym.detectors.reactor`), and
event rates, events above a threshold, equal-signal magnetic moments and the events recoil removes
(:mod:`~nusym.detectors.events`).  The names below load on first use (``from nusym import detectors;
detectors.rates("Ge", ...)``).

It may import the shared vocabulary, the generated kernels (:mod:`nusym.numeric`), the quadrature and the atomic
data (:mod:`nusym.atoms`); never the physics, the claim checker or the checks.  Output formats are in
:mod:`nusym.output`.
"""
from nusym import _lazy

_FROM = {'APPROXIMATIONS': 'targets',
         'OPTIONAL_APPROXIMATIONS': 'targets',
         'CENTRAL_FIELD_T': 'targets',
         'CENTRAL_FIELD_ELEMENTS': 'targets',
         'check_central_field_size': 'targets',
         'central_field_count': 'targets',
         'AVOGADRO': 'targets',
         'BELOW_2MEV': 'reactor',
         'COLUMNS': 'events',
         'DEFAULT_FRACTIONS': 'reactor',
         'DISTANCE_RANGE': 'reactor',
         'ENERGY_PER_FISSION': 'reactor',
         'E_MAX': 'reactor',
         'EqualMoments': 'events',
         'FITS': 'reactor',
         'FIT_RANGE': 'reactor',
         'FLAVOURS': 'targets',
         'FLUX_RANGE': 'events',
         'Fit': 'reactor',
         'INTERACTIONS': 'targets',
         'ISOTOPES': 'reactor',
         'Integrated': 'events',
         'MOMENTA': 'targets',
         'POWER_RANGE': 'reactor',
         'RateTable': 'events',
         'Reactor': 'reactor',
         'SECONDS_PER_DAY': 'events',
         'T_RANGE': 'events',
         'Target': 'targets',
         'VOGEL_ENGEL': 'reactor',
         'as_target': 'targets',
         'breakpoints': 'events',
         'choice': 'targets',
         'column': 'events',
         'dsigma_dT': 'targets',
         'e_nu_min': 'events',
         'electron_count': 'targets',
         'equal_moments': 'events',
         'events_above': 'events',
         'events_between': 'events',
         'flux_averaged': 'events',
         'free_electron': 'targets',
         'mu_at_equal_rates': 'events',
         'rates': 'events',
         'recoil_changes': 'events',
         'recoil_window': 'targets',
         'shell_momentum': 'targets',
         'target': 'targets'}

__all__ = sorted(_FROM)


__getattr__, __dir__ = _lazy(__name__, _FROM, __all__)
