"""From derived SymPy expressions to float64 numpy code, deterministically.

A :class:`Kernel` names a derived expression, its arguments (with the range a caller may
pass and the range over which accuracy is measured), and the intermediate quantities the
code should compute first (q_-, q_+, q_a, ...).  Generation:

1. every intermediate goes through :mod:`nusym.codegen.rewriting` (each rewrite proven equal);
2. constants are substituted exactly and every constant subexpression is folded into one
   correctly rounded float literal (G_F**2 m_e/(2 pi) (hbar c)**2 is one number);
3. leading guard branches (T <= I -> 0) are evaluated on the arguments, then every branch of the
   expression on the elements where it holds and no earlier one did, so no formula ever sees an
   argument outside its branch (numpy.select would evaluate every branch everywhere);
4. exact rescalings by powers of two (:class:`Scaling`, homogeneity proven) keep intermediates such as
   2 m_e T inside the normal float range; power-of-two scaling commutes with rounding, so the results
   are bit for bit those of the unscaled formula wherever that one neither underflows nor overflows;
5. proven inequalities are enforced on the rounded values: an ordering of intermediates (q_- <= q_+)
   and the result range of the kernel (a recoil factor in [0, 1]: a quotient is formed only where it
   stays inside, which also rules out its overflow).  Moving a rounded value towards a range that holds
   the exact value can only reduce its error.

The arithmetic runs with underflow unreported (a value below the float range rounds to a subnormal or 0,
the correctly rounded result); overflow, division by zero and invalid operations cannot occur for allowed
arguments, which tests/test_kernels_total.py checks over the whole allowed domain.

Output is a pure function of the kernels and the SymPy version: `nusym codegen --check`
regenerates and compares byte for byte.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sympy

from nusym import constants as K
from nusym import symbols as S
from nusym.registry import derivation_modules
from nusym.codegen import exact as _exact, emit
from nusym.codegen.emit import Program, Value
from nusym.codegen.rewriting import Rewrite, apply_rewrites, prove_homogeneous, prove_order, prove_range

__all__ = ["Arg", "Scaling", "ExactGuard", "Kernel", "collect_kernels", "generate", "write", "stale", "CONSTANTS"]

# Constant symbols a derived expression may contain, and their exact values.
CONSTANTS = {S.m_e: K.M_E.sympy(), S.alpha: K.ALPHA.sympy(), S.G_F: K.G_F.sympy()}
HBAR_C = sympy.Symbol("hbar_c", positive=True)  # eV*cm, for unit conversion factors


@dataclass(frozen=True)
class Arg:
    """One argument: its symbol, the range a caller may pass, and the measured-accuracy domain."""

    symbol: sympy.Symbol
    name: str
    unit: str
    doc: str
    allowed: tuple = (0.0, 1e100, True)        # (lo, hi, lo_open)
    domain: tuple = (1e-3, 1e7)                 # log-uniform accuracy samples
    default: str | None = None                  # python literal of the default value
    why: str = ""                               # the physical reason for a narrowed allowed range


@dataclass(frozen=True)
class Scaling:
    """An exact rescaling by a power of two: f(..., 2**(w_i k) x_i, ...) = 2**(degree k) f(...).

    The generator proves the homogeneity and emits x_i -> ldexp(x_i, w_i k) before the arithmetic and
    ldexp(result, -degree k) after it.  k is chosen per element: minus the binary exponent of
    ``normalize`` (which then becomes its mantissa, in [0.5, 1)) when that is given, else ``shift``
    where the condition ``when`` (on the arguments) holds and 0 elsewhere.
    """

    weights: tuple                              # ((argument symbol, w), ...)
    degree: int
    normalize: sympy.Symbol | None = None
    when: sympy.Basic | None = None
    shift: int = 0

    def describe(self, names: dict) -> str:
        """The rescaling in words, the arguments called by ``names`` (symbol -> name)."""
        power = lambda w: "2**k" if w == 1 else ("2**(-k)" if w == -1 else f"2**({w}*k)")
        args = ", ".join(f"{power(w)} {names[s]}" for s, w in self.weights)
        rhs = "f" if self.degree == 0 else f"{power(self.degree)} f"
        if self.normalize is not None:
            how = f"k = minus the binary exponent of {names[self.normalize]}"
        else:
            bound = self.when.rhs
            shown = f"2**{sympy.log(bound, 2)}" if bound.is_Rational and sympy.log(bound, 2).is_Integer else bound
            how = f"k = {self.shift} where {names[self.when.lhs]} {self.when.rel_op} {shown}, else 0"
        return f"f({args}) = {rhs}; {how}"


@dataclass(frozen=True)
class ExactGuard:
    """A guard condition decided exactly in the rounded arguments (a discontinuity such as a kinematic end point,
    where the wrong side of a rounding would return a value the function does not have): ``condition``, lhs
    op rhs, with lhs - rhs a polynomial of degree <= 2 in the arguments whose coefficients are exact constants.
    The generator clears its denominators to integer coefficients and the kernels evaluate its sign exactly
    (:mod:`nusym.codegen.exact`)."""

    condition: sympy.core.relational.Relational


@dataclass(frozen=True)
class Kernel:
    """A generated function: ``expr`` (in ``args`` and ``intermediates``) times ``scale``."""

    name: str
    args: tuple
    expr: sympy.Expr
    doc: str
    source: str
    intermediates: tuple = ()                   # ((symbol, definition), ...) in evaluation order
    guards: tuple = ()                          # ((condition on args, value), ...)
    scale: sympy.Expr = sympy.S.One             # unit conversion, may contain HBAR_C
    result_unit: str = "1"
    stress: Callable | None = field(default=None, compare=False)
    orders: tuple = ()                          # ((lower, upper), ...): intermediates with lower < upper
    result_range: tuple | None = None           # (lo, hi): every value of the kernel lies in [lo, hi]
    scalings: tuple = ()                        # Scaling, ... applied after the guards

    def reference(self) -> sympy.Expr:
        """The exact function (definitions of the intermediates substituted, constants exact)."""
        body = self.expr
        for sym, definition in reversed(self.intermediates):
            body = body.subs(sym, definition)
        full = sympy.Piecewise(*[(v, _condition(c)) for c, v in self.guards], (body * self.scale, True)) \
            if self.guards else body * self.scale
        return _exact_constants(full)


def _condition(guard):
    """The SymPy condition of a guard (an :class:`ExactGuard`'s relation)."""
    return guard.condition if isinstance(guard, ExactGuard) else guard


def _integer_terms(kernel: Kernel, guard: ExactGuard, rename: dict) -> tuple:
    """(coefficients, first factors, second factors) of an exact guard's lhs - rhs times the common denominator of
    its coefficients (positive, so the relation keeps its direction): integers below 2**53, each with at most two
    argument factors (1.0 where fewer)."""
    cond = guard.condition
    args = [a.symbol for a in kernel.args]
    poly = sympy.Poly(sympy.expand(_exact_constants(cond.lhs - cond.rhs)), *args)
    terms = poly.terms()
    scale = sympy.ilcm(*[sympy.Rational(c).q for _, c in terms])
    coeffs, xs, ys = [], [], []
    for exps, c in terms:
        value = sympy.Rational(c) * scale
        factors = [rename[a].name for a, k in zip(args, exps) for _ in range(k)]
        if not value.is_Integer or abs(value) >= 2**53 or len(factors) > 2:
            raise NotImplementedError(f"{kernel.name}: exact guard {cond} needs integer coefficients below 2**53 "
                                      f"and terms of degree <= 2 (got {value} x {factors})")
        coeffs.append(float(value))
        factors += ["1.0"] * (2 - len(factors))
        xs.append(factors[0])
        ys.append(factors[1])
    return tuple(coeffs), tuple(xs), tuple(ys)


def _exact_constants(expr: sympy.Expr) -> sympy.Expr:
    return expr.subs({**CONSTANTS, HBAR_C: K.hbar_c(sympy)})


def _fold(e: sympy.Expr) -> sympy.Expr:
    """Fold every constant subexpression into one Float carrying 40 digits."""
    if e.is_Integer or e.is_Symbol or e is sympy.S.Half:
        return e
    if e.is_number:
        return sympy.Float(sympy.N(e, 40), 40)
    if isinstance(e, sympy.Pow):
        return sympy.Pow(_fold(e.base), e.exp, evaluate=False)
    if isinstance(e, sympy.Mul):
        num = sympy.Mul(*[a for a in e.args if a.is_number])
        rest = [_fold(a) for a in e.args if not a.is_number]
        head = [] if num == 1 else [num if num.is_Integer else _fold(num)]
        return sympy.Mul(*head, *rest, evaluate=False)
    if not e.args:
        return e
    return e.func(*[_fold(a) for a in e.args])


def collect_kernels() -> list[Kernel]:
    """Every Kernel listed in a ``KERNELS`` tuple of a module of ``nusym.derivations``."""
    kernels = []
    for mod in derivation_modules():
        kernels.extend(getattr(mod, "KERNELS", ()))
    return kernels


def _scaled_expr(kernel: Kernel) -> sympy.Expr:
    """The kernel's expression times its unit factor, constants exact (a Piecewise stays one)."""
    return sympy.piecewise_fold(_exact_constants(kernel.expr * kernel.scale))


def _pieces(expr: sympy.Expr) -> list:
    """(value, condition) of each branch; one branch (expr, True) for an expression without any."""
    return list(expr.args) if isinstance(expr, sympy.Piecewise) else [(expr, sympy.true)]


def _prove(kernel: Kernel) -> list[str]:
    """Prove every order, range and scaling ``kernel`` declares; their descriptions for the docstring."""
    defs = dict(kernel.intermediates)
    names = {a.symbol: a.name for a in kernel.args}
    facts = []
    for lower, upper in kernel.orders:
        if not prove_order(defs[lower], defs[upper]):
            raise AssertionError(f"{kernel.name}: {lower} < {upper} not proven")
        gap = sympy.sstr(sympy.simplify(sympy.radsimp(sympy.together(defs[upper] - defs[lower]))))
        shown = f"{upper} - {lower} = {gap} > 0" if len(gap) <= 40 else f"{upper} - {lower} > 0"
        facts.append(f"{lower} <= {upper} ({shown}), enforced on the rounded values")
    if kernel.result_range is not None:
        lo, hi = kernel.result_range
        if not (all(lo <= sympy.sympify(v) <= hi for _, v in kernel.guards)
                and prove_range(kernel.expr, kernel.intermediates, [a.symbol for a in kernel.args], lo, hi)):
            raise AssertionError(f"{kernel.name}: result range [{lo}, {hi}] not proven")
        facts.append(f"every value lies in [{lo}, {hi}] (each branch; the middle one with its pivot between "
                     f"its bounds); a quotient is formed only where it stays <= {hi}, so rounding can neither "
                     "push it out nor overflow it")
    for sc in kernel.scalings:
        if not prove_homogeneous(dict(sc.weights), sc.degree, kernel.intermediates, _scaled_expr(kernel)):
            raise AssertionError(f"{kernel.name}: homogeneity {sc.describe(names)} not proven")
        facts.append(f"exact rescaling (homogeneity proven): {sc.describe(names)}")
    return facts


def _names(e) -> set:
    return {s.name for s in sympy.sympify(e).free_symbols}


def _value(kernel: Kernel, value: sympy.Expr, exponent: str | None) -> Value:
    """A branch value: a bounded quotient where the kernel has a proven result range (see :class:`Value`)."""
    num, den = sympy.fraction(value)
    if kernel.result_range is not None and not value.is_number and den != 1:
        lo, hi = kernel.result_range
        if lo != 0:
            raise NotImplementedError(f"{kernel.name}: bounded quotients need a range starting at 0")
        return Value(num, den, float(hi), exponent if value != 0 else None)
    return Value(value, exponent=exponent if value != 0 else None)


def _scaling_ops(kernel: Kernel, rename: dict) -> list:
    """k_j per element, the arguments moved by 2**(w k), and the exponent _e that undoes it on the result."""
    ops, shifts = [], {}
    for j, sc in enumerate(kernel.scalings):
        if sc.normalize is not None:
            ops.append(("exponent", f"_k{j}", rename[sc.normalize].name))
        else:
            ops.append(("choose", f"_k{j}", _fold(sc.when.subs(rename)), sc.shift, 0))
        for sym, w in sc.weights:
            shifts[sym] = shifts.get(sym, 0) + w * sympy.Symbol(f"_k{j}")
    ops += [("ldexp", a.name, shifts[a.symbol]) for a in kernel.args if a.symbol in shifts]
    if any(sc.degree for sc in kernel.scalings):
        ops.append(("let", "_e", -sum(sc.degree * sympy.Symbol(f"_k{j}") for j, sc in enumerate(kernel.scalings))))
    return ops


@functools.lru_cache(maxsize=None)
def _lower(kernel: Kernel) -> tuple[Program, tuple, tuple]:
    """The kernel as a :class:`Program`, the rewrites used, and the proven facts it relies on."""
    facts = _prove(kernel)
    proofs: list[Rewrite] = []
    rename = {a.symbol: sympy.Symbol(a.name) for a in kernel.args}
    ops = []
    for i, (cond, value) in enumerate(kernel.guards):
        if isinstance(cond, ExactGuard):                 # sign(lhs - rhs) exactly, then the relation on it
            ops.append(("sign", f"_sign{i}", *_integer_terms(kernel, cond, rename)))
            cond = cond.condition.func(sympy.Symbol(f"_sign{i}"), 0)
        else:
            cond = _fold(_exact_constants(cond)).subs(rename)
        ops.append(("return_if", cond, Value(_fold(sympy.sympify(value)))))
    if kernel.scalings:
        ops += _scaling_ops(kernel, rename)
    exponent = "_e" if any(sc.degree for sc in kernel.scalings) else None
    lets = []
    for sym, definition in kernel.intermediates:
        stable, used = apply_rewrites(definition)
        proofs.extend(used)
        lets.append(_fold(_exact_constants(stable).subs(rename)))
    # common subexpressions once (q_- and q_+ share their square root): the same operations on the same
    # operands, so the same roundings
    shared, lets = sympy.cse(lets, symbols=sympy.numbered_symbols("_x"), optimizations=None, order="none")
    shared, lets = _no_shared_reciprocals(shared, lets)
    ops += [("let", s.name, e) for s, e in shared]
    ops += [("let", sym.name, e) for (sym, _), e in zip(kernel.intermediates, lets)]
    ops += [("min", lower.name, upper.name) for lower, upper in kernel.orders]
    *branches, (final, _) = [(_fold(v.subs(rename)), c) for v, c in _pieces(_scaled_expr(kernel))]
    ops += [("return_if", cond, _value(kernel, value, exponent)) for value, cond in branches]
    ops.append(("return", _value(kernel, final, exponent)))
    args = tuple((a.name, *a.allowed) for a in kernel.args)
    return Program(kernel.name, args, _without_dead_lets(ops)), tuple(proofs), tuple(facts)


def _uses(op) -> set:
    """Names an operation of a Program reads."""
    def names(*exprs):
        return {s.name for e in exprs if e is not None for s in sympy.sympify(e).free_symbols}

    def of_value(v):
        return names(v.num, v.den) | ({v.exponent} if v.exponent else set())
    kind = op[0]
    if kind == "return_if":
        return names(op[1]) | of_value(op[2])
    if kind == "return":
        return of_value(op[1])
    if kind == "let":
        return names(op[2])
    if kind == "exponent":
        return {op[2]}
    if kind == "choose":
        return names(op[2])
    if kind == "ldexp":
        return {op[1]} | names(op[2])
    if kind == "sign":
        return set(op[3]) | set(op[4])
    return {op[1], op[2]}                                    # min


def _without_dead_lets(ops) -> tuple:
    """The operations without the intermediates no later operation reads (an intermediate one variant of a kernel
    family does not need): the same values, and no unused variable for a C compiler to warn of."""
    ops = list(ops)
    while True:
        dead = [i for i, op in enumerate(ops) if op[0] == "let"
                and not any(op[1] in _uses(later) for later in ops[i + 1:])]
        if not dead:
            return tuple(ops)
        ops = [op for i, op in enumerate(ops) if i not in dead]


def _no_shared_reciprocals(shared, lets):
    """Put back every common subexpression that is a bare reciprocal x**-1: sharing it would turn each a/x into
    a*(1/x), one more rounding than the derived expression has."""
    back = {}
    kept = []
    for sym, e in shared:
        e = e.xreplace(back)
        if isinstance(e, sympy.Pow) and e.exp.is_negative:
            back[sym] = e
        else:
            kept.append((sym, e))
    return kept, [e.xreplace(back) for e in lets]


def program(kernel: Kernel) -> Program:
    """The kernel lowered to operations on scalars, every backend's common source."""
    return _lower(kernel)[0]


def _docstring(kernel: Kernel, proofs, facts) -> str:
    out = [kernel.doc.strip(), "", f"Derived in: {kernel.source}.", "", "Arguments:"]
    for a in kernel.args:
        lo, hi, lo_open = a.allowed
        rng = f"{'(' if lo_open else '['}{lo:g}, {hi:g}]"
        out.append(f"    {a.name}: {a.doc} [{a.unit}], allowed {rng}; accuracy measured on "
                   f"[{a.domain[0]:g}, {a.domain[1]:g}]")
        if a.why:
            out.append(f"        ({a.why})")
    inside = "" if kernel.result_range is None else \
        f", in [{kernel.result_range[0]:g}, {kernel.result_range[1]:g}]"
    out.append(f"Returns: [{kernel.result_unit}]{inside}, broadcast over the arguments; finite for every allowed input.")
    if proofs:
        out += ["", "Stable forms (each proven equal to the derived expression):"]
        out += [f"    {sympy.sstr(r.before)}  ->  {sympy.sstr(r.after)}" for r in proofs]
    if facts:
        out += ["", "Proven by the generator and used in the code:"]
        out += [f"    {f}" for f in facts]
    return "\n    ".join(out)


MODULE_DOC = """Float64 kernels generated from the derivations of nusym.

Energies, momenta and masses in eV (hbar = c = 1); cross sections in cm^2/eV per electron.

Arguments: Python ints and floats, numpy integer and floating scalars and arrays (float16 ... float64,
int8 ... uint64), and lists or tuples of them, broadcast together and converted to float64.  Rejected,
naming the argument and its value: TypeError for what is not a real number (str, bytes, None, bool and
numpy.bool_, complex, datetime64, timedelta64, object arrays; numpy masked arrays are not supported, since
the kernels would compute on the masked data: pass numpy.ma.filled(x, value) or x.compressed()); ValueError
for a real number outside the argument's allowed range (NaN, +-inf, 0 or negative where a positive value is
required, an int beyond the float range) and for shapes that do not broadcast.  A physically forbidden but
allowed input (T <= I) gives 0.

Every kernel is total over its allowed arguments: the result is finite and inside its documented range.
The code is branch-free and runs in chunks that stay in cache: every branch is computed on every element,
with floating-point warnings off, and numpy.where picks each element's branch, so no warning reaches the
caller.  The scalar backends (nusym.generated.numba_backend, the C kernels) run the same program with early returns,
return the same bits, and raise no floating-point exception but underflow (tested).  Accuracy, <= 4 ULP x
max(1, kappa), is measured on the accuracy domains each docstring names.
"""


def _fingerprint(kernels: list[Kernel]) -> str:
    h = hashlib.sha256()
    for k in kernels:
        h.update(sympy.srepr(k.reference()).encode())
        h.update(k.name.encode())
        h.update(repr((k.args, k.orders, k.result_range, k.scalings)).encode())
    for c in K.DEFINING:
        h.update(f"{c.symbol}={c.value}".encode())
    return h.hexdigest()[:16]


def _specs(prog: Program) -> str:
    return "(" + " ".join(f"({n!r}, {n}, {lo!r}, {hi!r}, {lo_open!r})," for n, lo, hi, lo_open in prog.args) + ")"


def _signature(kernel: Kernel) -> str:
    return ", ".join(a.name if a.default is None else f"{a.name}={a.default}" for a in kernel.args)


def _indent(lines, by: str = "    ") -> str:
    return "".join(f"{by}{ln}\n" if ln else "\n" for ln in lines)


def _numpy_module(header: str, kernels: list) -> str:
    parts = [header, f'"""{MODULE_DOC}"""\n',
             "import numpy\n\nfrom nusym.codegen.exact import sign_array as _exact_sign\nfrom nusym.codegen.runtime import run as _run\n\n",
             f"__all__ = {[k.name for k in kernels]!r}\n\n"
             "# (name, lo, hi, lo_open) of each argument of each kernel: the allowed range, open at lo when lo_open\n"
             "ARGUMENTS = {\n" + "".join(f"    {k.name!r}: {program(k).args!r},\n" for k in kernels) + "}\n"]
    for k in kernels:
        prog, proofs, facts = _lower(k)
        parts.append(f"\n\ndef {k.name}({_signature(k)}):\n    \"\"\"{_docstring(k, proofs, facts)}\n    \"\"\"\n"
                     f"    return _run({k.name!r}, _{k.name}, {_specs(prog)})\n")
        parts.append(f"\n\ndef _{k.name}({', '.join(prog.names)}):\n" + _indent(emit.numpy_body(prog)))
    return "".join(parts)


JIT_DOC = """The kernels of nusym.numeric compiled by numba: one parallel loop per kernel over the elements.

Same arguments, results and errors as nusym.numeric (see its docstrings); each element runs the scalar
function generated from the same program, with early returns, so no branch is evaluated outside the
elements where it holds.  The allowed-range test runs inside the loop; where an element fails it the
whole call raises the same error as nusym.numeric.  Needs numba (``pip install numba``);
compiled on first use and cached beside this file.
"""


def _jit_module(header: str, kernels: list) -> str:
    parts = [header, f'"""{JIT_DOC}"""\n',
             "import math\n\nimport numpy\n\ntry:\n    import numba\nexcept ImportError as _exc:  # pragma: no cover\n"
             "    raise ImportError(\"nusym.generated.numba_backend needs numba: pip install numba\") from _exc\n\n"
             "from nusym.codegen.exact import sign_scalar as _sign_scalar\n"
             "from nusym.codegen.runtime import finish as _finish, flat as _flat, validate as _validate\n\n"
             "_scalar = numba.njit(cache=True, error_model='numpy')\n"
             "_loop = numba.njit(cache=True, error_model='numpy', parallel=True)\n"
             "_exact_sign = _scalar(_sign_scalar)\n\n"
             f"__all__ = {[k.name for k in kernels]!r}\n"]
    for k in kernels:
        prog = program(k)
        names = prog.names
        local = [f"a_{n}" for n in names]
        strided = ", ".join(f"{n}, s_{n}" for n in names)
        parts.append(f"\n\n@_scalar\ndef _{k.name}({', '.join(names)}):\n" + _indent(emit.scalar_python(prog)))
        loop = ["bad = 0", "for i in numba.prange(n):"]
        loop += [f"    {loc} = {n}[i*s_{n}]" for loc, n in zip(local, names)]
        loop += [f"    if {emit.py_range_test(prog, local)}:",
                 f"        out[i] = _{k.name}({', '.join(local)})", "    else:", "        out[i] = math.nan",
                 "        bad += 1", "return bad"]
        parts.append(f"\n\n@_loop\ndef _{k.name}_loop(n, {strided}, out):\n" + _indent(loop))
        parts.append(f"\n\ndef {k.name}({_signature(k)}):\n"
                     f"    \"\"\"nusym.numeric.{k.name}, compiled by numba (a parallel loop).\"\"\"\n"
                     f"    specs = {_specs(prog)}\n"
                     f"    ({strided},), shape, n = _flat({k.name!r}, specs)\n"
                     "    out = numpy.empty(n)\n"
                     f"    if _{k.name}_loop(n, {strided}, out):\n"
                     f"        _validate({k.name!r}, specs)  # raises the error naming the argument\n"
                     f"        raise AssertionError('{k.name}: the range test failed in the loop but not in validate')\n"
                     "    return _finish(out, shape)\n")
    return "".join(parts)


XP_DOC = """The kernels of nusym.numeric on the caller's array library (array API), for GPU arrays too.

Each function takes float64 arrays of one library and returns an array of that library on the same
device: numpy arrays (and Python numbers) go to nusym.numeric; a CuPy array runs one CuPy
ElementwiseKernel built from the C99 scalar function; a JAX array runs one ``jax.jit``-compiled function
(JAX must run with ``jax_enable_x64``); any other array-API library (PyTorch, ...) runs the branch-free
body on its namespace.  Arguments outside their allowed range raise ValueError, as in nusym.numeric.
"""


def _xp_module(header: str, kernels: list) -> str:
    parts = [header, f'"""{XP_DOC}"""\n',
             "from nusym.codegen.exact import sign_xp as _exact_sign\n"
             "from nusym.codegen.array_api import exponent as _exponent, ldexp as _ldexp, needed as _needed, run as _run\n\n",
             f"__all__ = {[k.name for k in kernels]!r}\n"]
    for k in kernels:
        prog = program(k)
        body = emit.xp_body(prog)
        parts.append(f"\n\ndef {k.name}({_signature(k)}):\n"
                     f"    \"\"\"nusym.numeric.{k.name} on the arrays' own library and device.\"\"\"\n"
                     f"    return _run({k.name!r}, _{k.name}, _C_{k.name}, {_specs(prog)})\n")
        parts.append(f"\n\ndef _{k.name}(xp, {', '.join(prog.names)}):\n" + _indent(body))
        c_body = "\n".join(emit.scalar_c(prog))
        parts.append(f"\n\n_C_{k.name} = r\"\"\"\n{c_body}\n\"\"\"\n")
    return "".join(parts)


C_DOC = """Generated by `nusym codegen` -- do not edit.
{provenance}
C99 kernels of nusym (see nusym.numeric for each function's physics and accuracy domain).
Energies, momenta and masses in eV (hbar = c = 1); mu_nu in Bohr magnetons; cross sections in cm^2/eV.

double nusym_NAME(args...): the kernel at one point; an argument outside its allowed range (NaN
included) sets errno to EDOM and returns NaN.  size_t nusym_NAME_array(n, x, x_step, ..., out): the
kernel at n points, argument i of point j read at x[j*x_step] (a step of 0 repeats one value); returns
how many points had an argument outside its range (their out is NaN).

Compile as C99 without contraction of a*b+c into fused multiply-adds, which changes roundings:
    cc -std=c99 -O2 -ffp-contract=off -c nusym_kernels.c
Built so, every function returns bit for bit what nusym.numeric returns (tested).
"""


def _c_files(provenance: str, kernels: list) -> dict[str, str]:
    first, *rest = C_DOC.format(provenance=provenance).splitlines()
    doc = f"/* {first}\n" + "".join(f" * {ln}".rstrip() + "\n" for ln in rest) + " */\n"
    h = [doc, "#ifndef NUSYM_KERNELS_H\n#define NUSYM_KERNELS_H\n\n#include <stddef.h>\n\n"
              "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"]
    c = [doc, '#include "nusym_kernels.h"\n\n#include <errno.h>\n#include <math.h>\n\n' + _exact.C_SOURCE]
    for k in kernels:
        prog = program(k)
        params = ", ".join(f"double {n}" for n in prog.names)
        arrays = ", ".join(f"const double *{n}, size_t {n}_step" for n in prog.names)
        h.append(f"/* {k.doc.strip()} */\ndouble nusym_{k.name}({params});\n"
                 f"size_t nusym_{k.name}_array(size_t n, {arrays}, double *out);\n\n")
        c.append(f"\nstatic double {k.name}_body({params})\n{{\n" + _indent(emit.scalar_c(prog)) + "}\n")
        c.append(f"\ndouble nusym_{k.name}({params})\n{{\n    if (!({emit.c_range_test(prog)})) {{\n"
                 f"        errno = EDOM;\n        return NAN;\n    }}\n    return {k.name}_body({', '.join(prog.names)});\n}}\n")
        local = [f"double a_{n} = {n}[i*{n}_step];" for n in prog.names]
        test = emit.c_range_test(Program(prog.name, tuple((f"a_{a[0]}", *a[1:]) for a in prog.args), ()))
        c.append(f"\nsize_t nusym_{k.name}_array(size_t n, {arrays}, double *out)\n{{\n    size_t bad = 0;\n"
                 "    for (size_t i = 0; i < n; ++i) {\n" + _indent(local, "        ")
                 + f"        if ({test}) {{\n            out[i] = {k.name}_body({', '.join(f'a_{n}' for n in prog.names)});\n"
                 "        } else {\n            out[i] = NAN;\n            ++bad;\n        }\n    }\n    return bad;\n}\n")
    h.append("#ifdef __cplusplus\n}\n#endif\n\n#endif\n")
    return {"nusym_kernels.h": "".join(h), "nusym_kernels.c": "".join(c)}


def generate() -> dict[str, str]:
    """The generated files, by name, as text."""
    from nusym import __version__
    kernels = collect_kernels()
    provenance = (f"Provenance: nusym {__version__}, SymPy {sympy.__version__}; kernels from "
                  f"nusym.derivations ({', '.join(sorted({k.source.split(',')[0] for k in kernels}))}); "
                  f"constants CODATA 2022; inputs sha256:{_fingerprint(kernels)}.")
    header = f"# Generated by `nusym codegen` -- do not edit.\n# {provenance}\n"
    init = header + ('"""Code written by `nusym codegen`, one file per backend: numpy_backend.py (import it as '
                     '`nusym.numeric`), numba_backend.py, array_api_backend.py (CuPy, JAX, PyTorch), nusym_kernels.h '
                     'and nusym_kernels.c (C99)."""\n')
    return {"__init__.py": init, "numpy_backend.py": _numpy_module(header, kernels),
            "numba_backend.py": _jit_module(header, kernels), "array_api_backend.py": _xp_module(header, kernels),
            **_c_files(provenance, kernels)}


def default_dir() -> Path:
    """The folder the package ``nusym.generated`` is imported from."""
    import nusym.generated
    return Path(nusym.generated.__file__).parent


@contextlib.contextmanager
def replacing(path: Path, suffix: str = ""):
    """A new temporary file's name beside ``path``, moved onto ``path`` (``os.replace``) when the block
    ends without an exception and removed otherwise: an interrupted write leaves no truncated file, and a
    symbolic link at ``path`` is replaced, not followed.  The file's mode is the usual 0o666 less the
    umask.  ``suffix`` ends the temporary name (a writer that picks its format by the suffix)."""
    path = Path(path)
    for _ in range(100):
        tmp = path.parent / f".nusym-{secrets.token_hex(6)}.tmp{suffix}"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"no free temporary name in {str(path.parent)!r}")
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def write(outdir: Path | None = None) -> list[Path]:
    """Write the generated files into ``outdir`` (default: :func:`default_dir`), each atomically (see
    :func:`replacing`); the folder is made if it is missing."""
    outdir = Path(outdir) if outdir else default_dir()
    files = generate()
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = outdir / name
        with replacing(path) as tmp:
            tmp.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def stale(outdir: Path | None = None) -> list[str]:
    """Names of generated files that differ from what the derivations generate now (or are missing)."""
    outdir = Path(outdir) if outdir else default_dir()
    bad = []
    for name, text in generate().items():
        path = outdir / name
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            bad.append(name)
    return bad


def rewrites() -> dict[str, list[Rewrite]]:
    """The proven rewrites used by each kernel."""
    return {k.name: list(_lower(k)[1]) for k in collect_kernels()}
