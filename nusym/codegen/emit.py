"""One kernel program, four languages: the code `nusym codegen` writes for each backend.

:func:`nusym.codegen.lowering.program` lowers a derived kernel to a :class:`Program`: a straight list of
operations on scalars (guards that return early, assignments, exact power-of-two rescalings, proven
clamps, the final value).  The emitters here print that one program, so every backend computes the
same operations in the same order on each element:

- :func:`numpy_body`: branch-free numpy (every branch on every element, the result picked by
  ``numpy.where`` from the last branch to the first), run in cache-sized chunks by
  :func:`nusym.codegen.runtime.run`;
- :func:`scalar_python`: a scalar function with early returns, for ``numba`` (compiled to a parallel
  loop by :mod:`nusym.generated.numba_backend`);
- :func:`scalar_c`: the same scalar function in C99 (the C backend, and the body of CuPy's elementwise
  kernel);
- :func:`xp_body`: branch-free code on any array namespace ``xp`` (the array-API backend).

Correctly rounded operations only (+, -, *, /, sqrt, min, exact scaling by powers of two) and no
contraction into fused multiply-adds, so the scalar backends and numpy agree bit for bit.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy.printing.c import C99CodePrinter
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.pycode import PythonCodePrinter

__all__ = ["Value", "Program", "numpy_body", "scalar_python", "scalar_c", "xp_body", "c_range_test", "py_range_test"]


@dataclass(frozen=True)
class Value:
    """A value returned by a branch: ``num`` (over ``den`` when a bounded quotient, which is ``hi`` wherever
    num/den would exceed it), times 2**``exponent`` (the name of an integer) when the arguments were rescaled."""

    num: sympy.Expr
    den: sympy.Expr | None = None
    hi: float | None = None
    exponent: str | None = None


@dataclass(frozen=True)
class Program:
    """A kernel as operations on scalars.  ``args``: (name, lo, hi, lo_open); ``ops`` each one of

    ("return_if", condition, Value)   leave with the value where the condition holds;
    ("let", name, expression)         a float intermediate;
    ("exponent", name, argument)      name = minus the binary exponent of the argument (frexp);
    ("choose", name, condition, a, b) an integer: a where the condition holds, else b;
    ("ldexp", name, exponent)         name = name * 2**exponent, exactly;
    ("min", lower, upper)             lower = min(lower, upper): a proven order enforced on rounded values;
    ("sign", name, c, xs, ys)         name = sign(sum_k c[k] xs[k] ys[k]) exactly (nusym.codegen.exact): -1, 0 or 1;
    ("return", Value)                 the last branch.
    """

    name: str
    args: tuple
    ops: tuple

    @property
    def names(self) -> list:
        return [a[0] for a in self.args]


def _square_first(printer, expr, power):
    """x**2 as x*x (the correctly rounded product; numpy's square, and what C and numba compute)."""
    if expr.exp == 2:
        base = printer._print(expr.base)
        return f"({base}*{base})" if expr.base.is_Symbol else f"(({base})*({base}))"
    return power(expr)


class _NumpyPrinter(NumPyPrinter):
    def _print_Float(self, e):
        return repr(float(e))

    def _print_Rational(self, e):
        return str(e.p) if e.q == 1 else repr(float(e))

    def _print_Pow(self, e, rational=False):
        return _square_first(self, e, lambda x: super(_NumpyPrinter, self)._print_Pow(x, rational))

    def _print_Relational(self, e):            # operators: arrays, numpy scalars and other namespaces alike
        return f"({self._print(e.lhs)} {e.rel_op} {self._print(e.rhs)})"


class _XpPrinter(_NumpyPrinter):
    """Functions from the namespace ``xp`` of the caller's arrays."""

    def _print_Pow(self, e, rational=False):
        if e.exp == sympy.S.Half:
            return f"xp.sqrt({self._print(e.base)})"
        return super()._print_Pow(e, rational)


class _MathPrinter(PythonCodePrinter):
    def _print_Float(self, e):
        return repr(float(e))

    def _print_Rational(self, e):
        return str(e.p) if e.q == 1 else repr(float(e))

    def _print_Pow(self, e, rational=False):
        return _square_first(self, e, lambda x: super(_MathPrinter, self)._print_Pow(x, rational))


class _CPrinter(C99CodePrinter):
    def _print_Float(self, e):
        return repr(float(e))

    def _print_Rational(self, e):
        return f"{e.p}.0" if e.q == 1 else repr(float(e))

    def _print_Integer(self, e):
        return f"{e.p}.0"

    def _print_Pow(self, e, rational=False):
        return _square_first(self, e, lambda x: super(_CPrinter, self)._print_Pow(x))


def _float_text(printer, e) -> str:
    """A float value (``0`` prints as 0.0 where the language would read an int)."""
    e = sympy.sympify(e)
    return repr(float(e)) if e.is_number else printer.doprint(e)


def _in_range(prog: Program, names, andop: str, real) -> str:
    """The allowed-range test of every argument (false for NaN)."""
    parts = []
    for (name, lo, hi, lo_open), shown in zip(prog.args, names):
        parts.append(f"{shown} {'>' if lo_open else '>='} {real(lo)} {andop} {shown} <= {real(hi)}")
    return f" {andop} ".join(f"({p})" for p in parts)


# ------------------------------------------------------------------------------------------- numpy / xp
def _vector_body(prog: Program, printer, lib: str, ldexp, exponent, skip_scaling: bool) -> list[str]:
    """Every branch on every element; the result picked from the last branch to the first.  With
    ``skip_scaling`` the conditional rescalings (``choose``) run only when some element needs them."""
    pr = printer.doprint
    lines, picks, ind = [], [], ""
    chooses = [op for op in prog.ops if op[0] == "choose"]
    conditional = skip_scaling and chooses and not any(op[0] == "exponent" for op in prog.ops)

    def value(v: Value) -> str:
        if v.den is not None:
            lines.append(f"_n, _d = {pr(v.num)}, {pr(v.den)}")
            bound = "_d" if v.hi == 1 else f"{repr(float(v.hi))}*_d"
            code = f"{lib}.where(_n < {bound}, _n/_d, {repr(float(v.hi))})"
        else:
            code = _float_text(printer, v.num)
        if v.exponent is not None and v.num != 0:
            code = f"({ldexp(code, v.exponent)} if _scaled else {code})" if conditional else ldexp(code, v.exponent)
        return code

    if conditional:
        lines += [f"_s{op[1]} = {pr(op[2])}" for op in chooses]
        test = (lambda c: f"bool(numpy.any({c}))") if lib == "numpy" else (lambda c: f"_needed({lib}, {c})")
        lines.append(f"_scaled = {' or '.join(test(f'_s{op[1]}') for op in chooses)}")
    scaling = [i for i, op in enumerate(prog.ops) if op[0] in ("choose", "ldexp") or op[:2] == ("let", "_e")]
    for at, op in enumerate(prog.ops):
        if scaling and at == scaling[-1] + 1:
            ind = ""
        kind = op[0]
        if kind == "return_if":
            i = len(picks)
            lines.append(f"_c{i} = {pr(op[1])}")
            lines.append(f"_v{i} = {value(op[2])}")
            picks.append(i)
        elif kind == "let":
            lines.append(f"{ind}{op[1]} = {pr(op[2])}")
        elif kind == "exponent":
            lines.append(f"{op[1]} = {exponent(op[2])}")
        elif kind == "choose":
            if conditional and op is chooses[0]:
                lines.append("if _scaled:")
                ind = "    "
            cond = f"_s{op[1]}" if conditional else pr(op[2])
            lines.append(f"{ind}{op[1]} = {lib}.where({cond}, {op[3]}, {op[4]})")
        elif kind == "ldexp":
            lines.append(f"{ind}{op[1]} = {ldexp(op[1], pr(op[2]))}")
        elif kind == "min":
            lines.append(f"{op[1]} = {lib}.minimum({op[1]}, {op[2]})")
        elif kind == "sign":
            lines.append(f"{op[1]} = _exact_sign({'xp, ' if lib == 'xp' else ''}{_py_terms(op)})")
        elif kind == "return":
            lines.append(f"_r = {value(op[1])}")
    for i in reversed(picks):
        lines.append(f"_r = {lib}.where(_c{i}, _v{i}, _r)")
    lines.append("return _r")
    return lines


def numpy_body(prog: Program) -> list[str]:
    """Lines of ``def _name_body(args)``: numpy, every branch everywhere, picked by numpy.where."""
    return _vector_body(prog, _NumpyPrinter({"fully_qualified_modules": True}), "numpy",
                        lambda x, k: f"numpy.ldexp({x}, {k})", lambda a: f"-numpy.frexp({a})[1]", True)


def xp_body(prog: Program) -> list[str]:
    """Lines of ``def _name_body(xp, args)``: the same on any array namespace ``xp``."""
    return _vector_body(prog, _XpPrinter({"fully_qualified_modules": True}), "xp",
                        lambda x, k: f"_ldexp(xp, {x}, {k})", lambda a: f"_exponent(xp, {a})", True)


# ------------------------------------------------------------------------------------------- scalar
def _scalar_body(prog: Program, pr, real, ldexp, minimum, ret_if, let, choose, frexp) -> list[str]:
    lines = []

    def value(v: Value) -> str:
        if v.den is not None:
            lines.append(let("_n", pr(v.num)))
            lines.append(let("_d", pr(v.den)))
            bound = "_d" if v.hi == 1 else f"{real(v.hi)}*_d"
            code = f"(_n/_d if _n < {bound} else {real(v.hi)})" if ret_if is _py_ret_if else \
                f"(_n < {bound} ? _n/_d : {real(v.hi)})"
        else:
            code = real(v.num) if sympy.sympify(v.num).is_number else pr(v.num)
        if v.exponent is not None and v.num != 0:
            code = ldexp(code, v.exponent)
        return code

    for op in prog.ops:
        kind = op[0]
        if kind == "return_if":
            saved, lines[:] = list(lines), []
            val = value(op[2])
            sub, lines[:] = list(lines), saved
            lines.extend(ret_if(pr(op[1]), sub, val))
        elif kind == "let":
            lines.append(let(op[1], sympy.sstr(op[2]) if op[1] == "_e" else pr(op[2])))
        elif kind == "exponent":
            lines.extend(frexp(op[1], op[2]))
        elif kind == "choose":
            lines.append(choose(op[1], pr(op[2]), op[3], op[4]))
        elif kind == "ldexp":
            lines.append(f"{op[1]} = {ldexp(op[1], sympy.sstr(op[2]))}" + (";" if ret_if is _c_ret_if else ""))
        elif kind == "min":
            lines.append(f"{op[1]} = {minimum}({op[1]}, {op[2]})" + (";" if ret_if is _c_ret_if else ""))
        elif kind == "sign":
            lines.extend(_c_sign(op) if ret_if is _c_ret_if else [f"{op[1]} = _exact_sign({_py_terms(op)})"])
        elif kind == "return":
            val = value(op[1])
            lines.append(f"return {val}" + (";" if ret_if is _c_ret_if else ""))
    return lines


def _py_terms(op) -> str:
    """The coefficient, first-factor and second-factor tuples of a "sign" operation, as Python source."""
    tup = lambda items: "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    return ", ".join(tup(x) for x in ([repr(c) for c in op[2]], list(op[3]), list(op[4])))


def _c_sign(op) -> list[str]:
    n = len(op[2])
    arrays = ", ".join(f"{op[1]}_{k}[{n}] = {{{', '.join(v)}}}" for k, v in
                       (("c", [repr(c) for c in op[2]]), ("x", op[3]), ("y", op[4])))
    return [f"const double {arrays};", f"double {op[1]} = nusym_exact_sign({n}, {op[1]}_c, {op[1]}_x, {op[1]}_y);"]


def _py_ret_if(cond, pre, val):
    return [f"if {cond}:"] + [f"    {x}" for x in pre] + [f"    return {val}"]


def _c_ret_if(cond, pre, val):
    return [f"if ({cond}) {{"] + [f"    {x}" for x in pre] + [f"    return {val};", "}"]


def scalar_python(prog: Program) -> list[str]:
    """Lines of a scalar ``def _name(args)`` using :mod:`math` (numba compiles it)."""
    printer = _MathPrinter({"fully_qualified_modules": True})
    real = lambda x: repr(float(x))
    return _scalar_body(
        prog, printer.doprint, real, lambda x, k: f"math.ldexp({x}, {k})", "min", _py_ret_if,
        lambda n, e: f"{n} = {e}", lambda n, c, a, b: f"{n} = {a} if {c} else {b}",
        lambda n, a: [f"{n} = -math.frexp({a})[1]"])


def scalar_c(prog: Program) -> list[str]:
    """Lines of the body of a scalar C99 function ``double nusym_name(double args...)``."""
    printer = _CPrinter()
    real = lambda x: repr(float(x))
    declared = set()

    def let(n, e):
        if n in declared or n in prog.names:
            return f"{n} = {e};"
        declared.add(n)
        return f"double {n} = {e};"

    def choose(n, c, a, b):
        declared.add(n)
        return f"int {n} = ({c}) ? {a} : {b};"

    def frexp(n, a):
        declared.add(n)
        return [f"int {n};", f"(void)frexp({a}, &{n});", f"{n} = -{n};"]

    declared.update({"_n", "_d"})
    pr = printer.doprint
    lines = _scalar_body(prog, pr, real, lambda x, k: f"ldexp({x}, {k})", "fmin", _c_ret_if, let, choose, frexp)
    if any(ln.lstrip().startswith("_n = ") for ln in lines):
        lines.insert(0, "double _n, _d;")
    # integer exponent sums (_e = _k0 - 2*_k1) are C ints, not doubles
    lines = [ln.replace("double _e = ", "int _e = ") for ln in lines]
    used = set().union(*(_words(ln) for ln in lines))
    return [f"(void){n};" for n in prog.names if n not in used] + lines        # an argument the formula ignores


def _words(line: str) -> set:
    import re
    return set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", line))


def c_range_test(prog: Program) -> str:
    return _in_range(prog, prog.names, "&&", lambda x: repr(float(x)))


def py_range_test(prog: Program, names) -> str:
    return _in_range(prog, names, "and", lambda x: repr(float(x)))
