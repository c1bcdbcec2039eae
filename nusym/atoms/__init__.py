"""Atomic models: everything nusym knows of an atom's electrons.

- :mod:`~nusym.atoms.hydrogen` (closed forms of the hydrogen-like 1s ion, atomic units, and their partial-wave
  evaluation), :mod:`~nusym.atoms.semiclassical` (the recoil paper's semiclassical S and its recoil forms);
- :mod:`~nusym.atoms.spectra` (a model as a spectrum: elastic part, lines, continuum, integrals over them) and
  :mod:`~nusym.atoms.models` (the exact models, declared into the catalogue: free, semiclassical, recoil,
  recoil-exact, oscillator, hydrogen);
- :mod:`~nusym.atoms.configurations` (NIST's ground-state configurations) and :mod:`~nusym.atoms.shells` (real
  elements' subshells: Elam's edges, occupancies, photoabsorption);
- the real atom from first principles: :mod:`~nusym.atoms.radial` (grids, Numerov bound states, the Hartree
  potential), :mod:`~nusym.atoms.lda` (Slater exchange, VWN5 correlation), :mod:`~nusym.atoms.central_field` (the
  self-consistent LDA ground state, the Latter tail, excited states; NIST's LDA tables in ``data/nist_lda.json``),
  :mod:`~nusym.atoms.continuum` and :mod:`~nusym.atoms.coulomb_functions` (continuum states normalized per unit
  energy), :mod:`~nusym.atoms.bessel` (spherical Bessel functions and 3j symbols), and the structure factor
  S(T, q) per subshell: :mod:`~nusym.atoms.structure` (public: ``structure_factor``, ``photoabsorption``) with
  :mod:`~nusym.atoms.structure_model`, ``structure_continuum``, ``structure_lines``, ``structure_integrals`` and
  ``structure_tables`` (tables kept in nusym's private cache).

It may import the shared vocabulary at nusym's root (symbols, constants, variables, the catalogue, the quadrature)
and the kernels' argument checks; never the physics, the claim checker, the detectors or the checks.
"""

__all__ = []    # the modules are imported by name
