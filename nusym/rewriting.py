"""Stability rewrites for generated code, each proven equal to what it replaces.

``rationalize_sqrt_difference`` turns sqrt(A) - B (B > 0) into (A - B**2)/(sqrt(A) + B)
when A - B**2 is provably positive, i.e. when it is a sum that no longer cancels.  That
is the textbook cure for q_- = sqrt(p**2 + 2 m_e T) - p, which in double precision
returns 0.0 for 2 m_e T / p**2 below 2**-53 while the rationalized form keeps every bit.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

__all__ = ["Rewrite", "rationalize_sqrt_difference", "prove_equal", "apply_rewrites"]


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
