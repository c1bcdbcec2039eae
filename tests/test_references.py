"""Precision guard: every stored reference value is recomputed and must not drift."""
import json
import sys
from pathlib import Path

import mpmath
import pytest

HERE = Path(__file__).parent / "references"
sys.path.insert(0, str(HERE))
import make_references  # noqa: E402

STORED = json.loads((HERE / "values.json").read_text())
KEYS = [k for k in STORED if not k.startswith("_")]


def test_stored_constants_are_the_current_ones():
    from nusym import constants as K
    assert STORED["_constants"] == {c.symbol: c.value for c in K.DEFINING}


@pytest.mark.parametrize("key", KEYS)
def test_reference_value_has_not_drifted(key):
    now = make_references.values()[key]
    with mpmath.workdps(50):
        a, b = mpmath.mpf(now), mpmath.mpf(STORED[key])
        assert abs(a - b) <= abs(b) * mpmath.mpf(10) ** -(STORED["_digits"] - 1)


def test_reference_values_carry_30_digits_unless_exact():
    """Each value has >= 30 significant digits, or fewer only because it is an exact decimal."""
    for key in KEYS:
        mant = STORED[key].lower().split("e")[0].replace(".", "").replace("-", "").strip("0")
        exact_decimal = len(mant) < 30
        if exact_decimal:
            with mpmath.workdps(80):
                ref = make_references.values()[key]
                assert mpmath.mpf(ref) == mpmath.mpf(STORED[key]), key
        else:
            assert len(mant) >= 30, key
