import mpmath
import pytest


@pytest.fixture(autouse=True)
def reset_mp_globals():
    """mpmath's precision is global: every test starts and ends at the default."""
    mpmath.mp.dps = 15
    yield
    mpmath.mp.dps = 15


# The modules that take longest (measured on 2 cores), first: pytest-xdist hands whole modules to its processes in
# collection order (--dist loadfile --no-loadscope-reorder), two to each at the start (here verify + parallel, about
# 70 s, and the claim checker's two files, about 70 s), then one to whichever finishes, so the short ones fill in at
# the end.
# Module-scoped fixtures (a whole `nusym verify`, a compiled C library) and per-process caches are so built once.
LONGEST_FIRST = ("test_checks_verify", "test_claims_grammar", "test_runner_parallel", "test_claims_checker",
                 "test_runner_budget", "test_codegen_modules", "test_codegen_backends", "test_atoms_spectra",
                 "test_atoms_hydrogen")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.module.__name__.rpartition(".")[2], len(rank)))    # stable


def replace_figure(monkeypatch, draw, name="magnetic-hydrogen"):
    """Put ``draw`` in the catalogue in place of the figure ``name`` for one test (the real one loaded first, so that
    loading it later cannot collide)."""
    from nusym import catalogue
    catalogue.load("figure")
    old = catalogue.entry("figure", name)
    monkeypatch.setitem(catalogue._ENTRIES["figure"], name, catalogue.Entry("figure", name, draw, "tests", old.hints))
