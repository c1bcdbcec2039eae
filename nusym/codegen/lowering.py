"""From a :class:`~nusym.codegen.kernels.Kernel` to a :class:`~nusym.codegen.emit.Program`, proving on the way
every rewrite, order, range and rescaling the program relies on.

1. every intermediate goes through :mod:`nusym.codegen.rewriting` (each rewrite proven equal);
2. constants are substituted exactly and every constant subexpression is folded into one
   correctly rounded float literal (G_F**2 m_e/(2 pi) (hbar c)**2 is one number);
3. leading guard branches (T <= I -> 0) are evaluated on the arguments, then every branch of the
   expression on the elements where it holds and no earlier one did, so no formula ever sees an
   argument outside its branch (numpy.select would evaluate every branch everywhere); an
   :class:`~nusym.codegen.kernels.ExactGuard` is decided exactly (:mod:`nusym.codegen.exact`);
4. exact rescalings by powers of two (homogeneity proven) keep intermediates such as 2 m_e T inside the normal
   float range; power-of-two scaling commutes with rounding, so the results are bit for bit those of the
   unscaled formula wherever that one neither underflows nor overflows;
5. proven inequalities are enforced on the rounded values: an ordering of intermediates (q_- <= q_+)
   and the result range of the kernel (a recoil factor in [0, 1]: a quotient is formed only where it
   stays inside, which also rules out its overflow).  Moving a rounded value towards a range that holds
   the exact value can only reduce its error.

The arithmetic runs with underflow unreported (a value below the float range rounds to a subnormal or 0,
the correctly rounded result); overflow, division by zero and invalid operations cannot occur for allowed
arguments, which the tests check over the whole allowed domain.
"""
from __future__ import annotations

import functools

import sympy

from nusym.codegen.emit import Program, Value
from nusym.codegen.kernels import ExactGuard, Kernel, all_kernels, exact_constants
from nusym.codegen.rewriting import Rewrite, apply_rewrites, prove_homogeneous, prove_order, prove_range

__all__ = ["program", "lowered", "rewrites", "fold"]


def _integer_terms(kernel: Kernel, guard: ExactGuard, rename: dict) -> tuple:
    """(coefficients, first factors, second factors) of an exact guard's lhs - rhs times the common denominator of
    its coefficients (positive, so the relation keeps its direction): integers below 2**53, each with at most two
    argument factors (1.0 where fewer)."""
    cond = guard.condition
    args = [a.symbol for a in kernel.args]
    poly = sympy.Poly(sympy.expand(exact_constants(cond.lhs - cond.rhs)), *args)
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


def fold(e: sympy.Expr) -> sympy.Expr:
    """Fold every constant subexpression into one Float carrying 40 digits."""
    if e.is_Integer or e.is_Symbol or e is sympy.S.Half:
        return e
    if e.is_number:
        return sympy.Float(sympy.N(e, 40), 40)
    if isinstance(e, sympy.Pow):
        return sympy.Pow(fold(e.base), e.exp, evaluate=False)
    if isinstance(e, sympy.Mul):
        num = sympy.Mul(*[a for a in e.args if a.is_number])
        rest = [fold(a) for a in e.args if not a.is_number]
        head = [] if num == 1 else [num if num.is_Integer else fold(num)]
        return sympy.Mul(*head, *rest, evaluate=False)
    if not e.args:
        return e
    return e.func(*[fold(a) for a in e.args])


def _scaled_expr(kernel: Kernel) -> sympy.Expr:
    """The kernel's expression times its unit factor, constants exact (a Piecewise stays one)."""
    return sympy.piecewise_fold(exact_constants(kernel.expr * kernel.scale))


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
            ops.append(("choose", f"_k{j}", fold(sc.when.subs(rename)), sc.shift, 0))
        for sym, w in sc.weights:
            shifts[sym] = shifts.get(sym, 0) + w * sympy.Symbol(f"_k{j}")
    ops += [("ldexp", a.name, shifts[a.symbol]) for a in kernel.args if a.symbol in shifts]
    if any(sc.degree for sc in kernel.scalings):
        ops.append(("let", "_e", -sum(sc.degree * sympy.Symbol(f"_k{j}") for j, sc in enumerate(kernel.scalings))))
    return ops


@functools.lru_cache(maxsize=None)
def lowered(kernel: Kernel) -> tuple[Program, tuple, tuple]:
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
            cond = fold(exact_constants(cond)).subs(rename)
        ops.append(("return_if", cond, Value(fold(sympy.sympify(value)))))
    if kernel.scalings:
        ops += _scaling_ops(kernel, rename)
    exponent = "_e" if any(sc.degree for sc in kernel.scalings) else None
    lets = []
    for sym, definition in kernel.intermediates:
        stable, used = apply_rewrites(definition)
        proofs.extend(used)
        lets.append(fold(exact_constants(stable).subs(rename)))
    # common subexpressions once (q_- and q_+ share their square root): the same operations on the same
    # operands, so the same roundings
    shared, lets = sympy.cse(lets, symbols=sympy.numbered_symbols("_x"), optimizations=None, order="none")
    shared, lets = _no_shared_reciprocals(shared, lets)
    ops += [("let", s.name, e) for s, e in shared]
    ops += [("let", sym.name, e) for (sym, _), e in zip(kernel.intermediates, lets)]
    ops += [("min", lower.name, upper.name) for lower, upper in kernel.orders]
    *branches, (final, _) = [(fold(v.subs(rename)), c) for v, c in _pieces(_scaled_expr(kernel))]
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
    return lowered(kernel)[0]


def rewrites() -> dict[str, list[Rewrite]]:
    """The proven rewrites used by each kernel."""
    return {k.name: list(lowered(k)[1]) for k in all_kernels()}
