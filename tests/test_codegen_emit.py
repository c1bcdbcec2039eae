"""From a lowered program to text (nusym.codegen.emit): the scalar Python body computes what the numpy backend
computes, bit for bit; the range tests name every argument with the bounds its variable declares; an argument a
formula ignores is marked unused in C, never silently dropped."""
import math
import re

import numpy
import pytest

from nusym import catalogue, numeric
from nusym.codegen import emit, kernels, lowering

catalogue.load("kernel")
KERNELS = kernels.all_kernels()


@pytest.mark.parametrize("k", KERNELS[:6], ids=lambda k: k.name)
def test_the_scalar_python_body_gives_numpys_bits(k):
    prog, _, _ = lowering.lowered(k)
    text = f"def f({', '.join(prog.names)}):\n" + "".join(f"    {ln}\n" for ln in emit.scalar_python(prog))
    space = {"math": math}
    exec(compile(text, f"<emit {k.name}>", "exec"), space)        # nusym's own generated text, not input
    rng = numpy.random.default_rng(7)
    for _ in range(50):
        args = [float(numpy.exp(rng.uniform(*numpy.log(a.domain)))) for a in k.args]
        want = float(getattr(numeric, k.name)(*args))
        assert space["f"](*args) == want or (math.isnan(want) and math.isnan(space["f"](*args))), (k.name, args)


@pytest.mark.parametrize("k", KERNELS, ids=lambda k: k.name)
def test_range_tests_name_every_argument_with_its_bounds(k):
    prog, _, _ = lowering.lowered(k)
    c, py = emit.c_range_test(prog), emit.py_range_test(prog, prog.names)
    for a in k.args:
        lo, hi, lo_open = a.allowed
        assert f"{a.name} {'>' if lo_open else '>='} {float(lo)!r}" in c, (a.name, c)
        assert f"{a.name} <= {float(hi)!r}" in c and f"{a.name} <= {float(hi)!r}" in py, (a.name, c)


@pytest.mark.parametrize("k", KERNELS, ids=lambda k: k.name)
def test_an_argument_the_formula_ignores_is_marked_unused_in_c(k):
    prog, _, _ = lowering.lowered(k)
    body = emit.scalar_c(prog)
    words = set(re.findall(r"[A-Za-z_]\w*", " ".join(ln for ln in body if not ln.startswith("(void)"))))
    for name in prog.names:
        assert name in words or f"(void){name};" in body, (k.name, name)
