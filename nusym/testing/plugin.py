"""The pytest plugin nusym registers (entry point ``pytest11``): the fixture ``nusym_matches``, so that a suite
checks an implementation in one line, the report in the failure message::

    def test_my_q_minus(nusym_matches):
        nusym_matches(my_q_minus, "q_minus")                        # or units=..., fixed=..., ulps=...
"""
import pytest

__all__ = ["nusym_matches"]


@pytest.fixture
def nusym_matches():
    """:func:`nusym.testing.assert_matches`: compare a callable with a kernel of nusym.numeric at verify's
    points; AssertionError with the worst points and a diagnosis where any is beyond the bar."""
    from nusym.testing import assert_matches
    return assert_matches
