import mpmath
import pytest


@pytest.fixture(autouse=True)
def reset_mp_globals():
    """mpmath's precision is global: every test starts and ends at the default."""
    mpmath.mp.dps = 15
    yield
    mpmath.mp.dps = 15
