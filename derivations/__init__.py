"""The physics: one module per topic of the papers, each a list of named results.

Installed as ``nusym.derivations``.  Importing it declares the order of ``TOPICS`` and imports the topic modules; each declares
its results (:func:`nusym.record.result`), kernels (:func:`nusym.codegen.kernels.kernel`) and figures
(:func:`nusym.catalogue.figure`) into :mod:`nusym.catalogue`, so that this order is the order in which `nusym verify`
lists them and `nusym codegen` writes them.  The physics imports the engine; the engine never imports the physics
(the catalogue loads this package by name).
"""
import importlib

from nusym import catalogue

# Reading order of the topics
TOPICS = ("kinematics", "free_electron", "recoil", "estimates", "atomic_models", "sum_rules", "magnetic_amplitude", "magnetic_hydrogen",
          "magnetic_enhancement", "detectors", "real_atoms", "ground_state_tables",
          "kernels")

catalogue.topics(__name__, TOPICS)
for _topic in TOPICS:
    importlib.import_module(f"{__name__}.{_topic}")
