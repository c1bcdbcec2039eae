"""The physics: one module per topic of the papers, each a list of named results.

Installed as ``nusym.derivations``; `nusym verify` runs every :class:`nusym.record.Result`
found in these modules, and `nusym codegen` turns every ``KERNELS`` entry into float code.
"""

# Reading order of the topics (`nusym verify` lists results in this order).
TOPICS = ("kinematics", "free_electron", "recoil", "estimates", "atomic_models", "sum_rules", "magnetic", "detectors",
          "kernels")
