"""The claim language's vocabulary: variables, constants, functions, the responses S and R, and reading a
claim or an assumption with :mod:`nusym.claims.grammar` (nothing is ever evaluated as Python)."""
from __future__ import annotations

import sympy

from nusym import constants as K
from nusym import symbols as Sym
from nusym import variables
from nusym.claims import grammar

__all__ = ["ClaimError", "VARIABLES", "CONSTANTS", "FUNCTIONS", "RELATIONS", "S_FN", "R_FN", "RESPONSES", "uses_response",
           "response_model", "read_with", "parse_relation", "parse_expression", "VOCABULARY"]

RELATIONS = tuple(grammar.RELATIONS.values())


class ClaimError(ValueError):
    """The claim, an assumption, a setting or an option cannot be used (bad usage: exit status 2)."""


# the variables a claim may use, with the ranges they are sampled over: nusym.variables, the one table
VARIABLES = variables.sampled()
CONSTANTS = {sym.name: (sym, c) for sym, c in K.BY_SYMBOL.items()}        # name -> (symbol, nusym.constants value)

_T, _q, _p, _I, _M, _me, _al = Sym.T, Sym.q, Sym.p, Sym.I, Sym.M_a, Sym.m_e, Sym.alpha
FUNCTIONS = {
    "q_plus": sympy.Lambda((_T, _p), sympy.sqrt(_p**2 + 2 * _me * _T) + _p),
    "q_minus": sympy.Lambda((_T, _p), sympy.sqrt(_p**2 + 2 * _me * _T) - _p),
    # 0 below the threshold, as nusym.numeric.q_a: no q is allowed there
    "q_a": sympy.Lambda((_T, _I, _M), sympy.sqrt(2 * _M * sympy.Max(_T - _I, 0))),
    "dsigma_w_FE": sympy.Lambda(_T, Sym.G_F**2 * _me / (2 * sympy.pi) * (1 + 4 * Sym.s2w + 8 * Sym.s2w**2)),
    "dsigma_mu_FE": sympy.Lambda(_T, 4 * sympy.pi * _al * Sym.mu_nu**2 / _T),
}
S_FN = sympy.Function("S")
R_FN = sympy.Function("R")
RESPONSES = (S_FN, R_FN)


def uses_response(*exprs) -> bool:
    return any(e.has(f) for e in exprs for f in RESPONSES)


def response_model(model, fn):
    """The model's spectrum of S (the model itself) or of R (its ``transverse``; None where undefined)."""
    return model if fn == S_FN else model.transverse


# ------------------------------------------------------------------ reading
def _vocabulary() -> grammar.Vocabulary:
    """The names and functions a claim may use (see the module docstring); nothing else is reachable."""
    names = {name: v.symbol for name, v in VARIABLES.items()}
    names.update({name: c[0] for name, c in CONSTANTS.items()})
    names.update({"E_h": Sym.alpha**2 * Sym.m_e, "mu_B": sympy.sqrt(Sym.alpha) / (2 * Sym.m_e), "pi": sympy.pi,
                  "E": sympy.E, "oo": sympy.oo})
    F = grammar.Function
    functions = {name: F(lam, (lam.nargs.args[0],) * 2) for name, lam in FUNCTIONS.items()}
    functions.update({"S": F(S_FN, (2, 2)), "R": F(R_FN, (2, 2))})
    functions.update({name: F(getattr(sympy, name)) for name in (
        "sqrt", "exp", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "Abs", "sign",
        "Heaviside", "erf")})
    functions.update({
        "log": F(sympy.log), "atan2": F(sympy.atan2, (2, 2)), "besselj": F(sympy.besselj, (2, 2)),
        "Min": F(sympy.Min, (1, 16)), "Max": F(sympy.Max, (1, 16)),
        "Rational": F(sympy.Rational, (1, 2), "integers"),
        "Integral": F(sympy.Integral, (2, 2), "integral"),
        "Derivative": F(sympy.Derivative, (2, 3), "derivative"),
        "Limit": F(sympy.Limit, (3, 3), "variable"),
    })
    return grammar.Vocabulary(names, functions, frozenset(VARIABLES))


def read_with(read, text, what, build=True):
    try:
        return read(text, VOCABULARY, what, build)
    except grammar.GrammarError as exc:
        raise ClaimError(str(exc)) from None


def parse_relation(text: str, what: str = "claim", build: bool = True):
    """(lhs, rel, rhs) of a claim or assumption; ClaimError when it is not in the grammar.  ``build=False``
    checks the grammar only, without SymPy (bounded time; see :mod:`nusym.claims.grammar`)."""
    return read_with(grammar.read_relation, text, what, build)


def parse_expression(text: str, what: str):
    return read_with(grammar.read_expression, text, what)


VOCABULARY = _vocabulary()
