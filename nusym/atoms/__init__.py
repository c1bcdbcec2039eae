"""Atomic models: everything nusym knows of an atom's electrons.

- :mod:`~nusym.atoms.hydrogen` (closed forms of the hydrogen-like 1s ion, atomic units, and their partial-wave
  evaluation), :mod:`~nusym.atoms.semiclassical` (the recoil paper's semiclassical S and its recoil forms);
- :mod:`~nusym.atoms.spectra` (a model as a spectrum: elastic part, lines, continuum, integrals over them) and
  :mod:`~nusym.atoms.models` (the exact models, declared into the catalogue: free, semiclassical, recoil,
  recoil-exact, oscillator, hydrogen);
- :mod:`~nusym.atoms.configurations` (NIST's ground-state configurations) and :mod:`~nusym.atoms.shells` (real
  elements' subshells: Elam's edges, occupancies, photoabsorption).

It may import the shared vocabulary at nusym's root (symbols, constants, variables, the catalogue, the quadrature)
and the kernels' argument checks; never the physics, the claim checker, the detectors or the checks.
"""

__all__ = []    # the modules are imported by name
