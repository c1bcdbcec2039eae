"""Stability rewrites for generated code, each proven equal to what it replaces.

``rationalize_sqrt_difference`` turns sqrt(A) - B (B > 0) into (A - B**2)/(sqrt(A) + B)
when A - B**2 is provably positive, i.e. when it is a sum that no longer cancels.  That
is the textbook cure for q_- = sqrt(p**2 + 2 m_e T) - p, which in double precision
returns 0.0 for 2 m_e T / p**2 below 2**-53 while the rationalized form keeps every bit.

The facts the generated code relies on beyond equal rewrites are proven here too: an ordering of two
intermediates (``prove_order``: q_- < q_+, enforced on the rounded values), the range of a kernel's
values (``prove_range``: a recoil factor lies in [0, 1]), and homogeneity (``prove_homogeneous``: the
exact power-of-two rescaling that keeps 2 m_e T a normal float changes nothing but the exponent).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy

__all__ = ["Rewrite", "rationalize_sqrt_difference", "prove_equal", "apply_rewrites", "prove_order",
           "prove_homogeneous", "prove_range"]


@dataclass(frozen=True)
class Rewrite:
    """One rewrite with the proof that it preserves the value."""

    rule: str
    before: sympy.Expr
    after: sympy.Expr

    def __str__(self) -> str:
        return f"{self.rule}: {sympy.sstr(self.before)} -> {sympy.sstr(self.after)} (proved equal)"


def prove_equal(a: sympy.Expr, b: sympy.Expr) -> bool:
    """True when SymPy shows a - b == 0 identically under the symbols' assumptions."""
    diff = sympy.simplify(sympy.radsimp(sympy.together(a - b)))
    return diff == 0


def _split_sqrt_difference(add: sympy.Add):
    roots = [t for t in add.args if isinstance(t, sympy.Pow) and t.exp == sympy.S.Half]
    if len(roots) != 1:
        return None
    rest = add - roots[0]
    b = -rest
    if b.is_positive is not True:
        return None
    return roots[0].base, b


def rationalize_sqrt_difference(expr: sympy.Expr) -> tuple[sympy.Expr, list[Rewrite]]:
    """Rewrite every cancelling sqrt(A) - B in ``expr``; return the new expression and the proofs."""
    done: list[Rewrite] = []

    def visit(e):
        if not e.args:
            return e
        e = e.func(*[visit(a) for a in e.args])
        if isinstance(e, sympy.Add):
            parts = _split_sqrt_difference(e)
            if parts is not None:
                a, b = parts
                numerator = sympy.expand(a - b ** 2)
                if numerator.is_positive:
                    new = numerator / (sympy.sqrt(a) + b)
                    if not prove_equal(new, e):
                        raise AssertionError(f"rewrite of {e} not proven")
                    done.append(Rewrite("rationalize sqrt(A) - B", e, new))
                    return new
        return e

    return visit(expr), done


def apply_rewrites(expr: sympy.Expr) -> tuple[sympy.Expr, list[Rewrite]]:
    """All stability rewrites nusym knows, in order."""
    return rationalize_sqrt_difference(expr)


# ---------------------------------------------------------------- proven facts the generated code enforces or uses
def _positive(e: sympy.Expr) -> bool:
    """True when SymPy shows e > 0 under the symbols' assumptions (after simplification)."""
    e = sympy.factor(sympy.simplify(e))
    return bool(e.is_positive)


def _nonnegative(e: sympy.Expr) -> bool:
    e = sympy.factor(sympy.simplify(e))
    return e == 0 or bool(e.is_nonnegative)


def prove_order(lower: sympy.Expr, upper: sympy.Expr) -> bool:
    """True when lower < upper is proven: the code may then enforce lower <= upper on the rounded values."""
    return _positive(upper - lower)


def _power_of(ratio: sympy.Expr, lam: sympy.Symbol):
    """k when ratio == lam**k for a number k, else None."""
    ratio = sympy.powsimp(sympy.simplify(ratio), force=True)
    if ratio == 1:
        return sympy.S.Zero
    base, k = ratio.as_base_exp()
    return k if base == lam and k.is_number else None


def prove_homogeneous(weights: dict, degree, intermediates, expr: sympy.Expr) -> bool:
    """True when f(lam**w_i x_i) = lam**degree f(x) is proven for every lam > 0.

    ``intermediates`` are (symbol, definition) in evaluation order, ``expr`` the kernel's expression in the
    arguments and intermediates (a Piecewise is proven branch by branch: every value scales with ``degree``,
    or is 0, and every condition lhs - rhs scales with a positive factor, so no branch changes)."""
    lam = sympy.Symbol("lambda", positive=True)
    scaled = {s: lam**w * s for s, w in weights.items()}
    for sym, definition in intermediates:
        k = _power_of(definition.subs(scaled, simultaneous=True) / definition, lam)
        if k is None:
            return False
        scaled[sym] = lam**k * sym
    pieces = expr.args if isinstance(expr, sympy.Piecewise) else ((expr, sympy.true),)
    for value, cond in pieces:
        if value != 0 and _power_of(sympy.sympify(value).subs(scaled, simultaneous=True) / value, lam) != degree:
            return False
        if cond is not sympy.true:
            if not isinstance(cond, sympy.core.relational.Relational):
                return False
            gap = cond.lhs - cond.rhs
            if _power_of(gap.subs(scaled, simultaneous=True) / gap, lam) is None:
                return False
    return True


def _factor_radicands(e: sympy.Expr) -> sympy.Expr:
    """sqrt(A) with A factored, so that sqrt((a + b)**2/4) becomes (a + b)/2 for positive a, b."""
    return e.replace(lambda x: isinstance(x, sympy.Pow) and x.exp == sympy.S.Half,
                     lambda x: sympy.sqrt(sympy.factor(x.base)))


def _solve_for_args(defs: dict, targets, args):
    """Two arguments expressed through the intermediates ``targets`` by inverting their definitions: a map
    proven to be the inverse both ways, so that every point of the arguments is reached exactly once."""
    back = {t: defs[t] for t in targets}
    for pair in itertools.combinations([a for a in args if any(a in defs[t].free_symbols for t in targets)], 2):
        for sol in sympy.solve([sympy.Eq(t, defs[t]) for t in targets], list(pair), dict=True):
            if (all(prove_equal(_factor_radicands(defs[t].subs(sol)), t) for t in targets)
                    and all(prove_equal(sol[a].subs(back), a) for a in pair)):
                return sol
    return None


def prove_range(expr: sympy.Expr, intermediates, args, lo, hi) -> bool:
    """True when every value ``expr`` takes lies in [lo, hi], proven branch by branch.

    A branch value free of conditions must lie in [lo, hi] for all positive symbols.  The default branch
    of Piecewise((v_1, x <= L), (v_2, x >= U), (v, True)) holds for L < x < U: with U = L + g (g > 0 is
    proven from the definitions) and x = L + g/(1 + s), s > 0, and two arguments expressed through L and U
    by inverting their definitions, v - lo and hi - v must simplify to nonnegative expressions."""
    defs = dict(intermediates)
    pieces = expr.args if isinstance(expr, sympy.Piecewise) else ((expr, sympy.true),)
    lower = upper = pivot = None
    for value, cond in pieces:
        value = sympy.sympify(value)
        if cond is not sympy.true:
            if not (isinstance(cond, (sympy.LessThan, sympy.GreaterThan)) and cond.lhs in defs and cond.rhs in defs):
                return False
            if pivot not in (None, cond.lhs):
                return False
            pivot = cond.lhs
            if isinstance(cond, sympy.LessThan):
                lower = cond.rhs
            else:
                upper = cond.rhs
            if not (_nonnegative(value - lo) and _nonnegative(hi - value)):
                return False
            continue
        if pivot is None:                                   # no condition: the value itself
            return _nonnegative(value - lo) and _nonnegative(hi - value)
        if lower is None or upper is None or not prove_order(defs[lower], defs[upper]):
            return False
        sol = _solve_for_args(defs, (lower, upper), args)
        if sol is None:
            return False
        g, s = sympy.symbols("g s", positive=True)
        v = value.subs(pivot, lower + g / (1 + s)).subs(sol).subs(upper, lower + g)
        if v.free_symbols & {upper, pivot}:
            return False
        return _nonnegative(v - lo) and _nonnegative(hi - v)
    return False
