"""Reading formulas typed by people, without running them.

A formula is read by Python's parser (:func:`ast.parse`, which builds a tree and executes nothing)
and the tree is accepted only when every node is in a small grammar:

  formula   := expr | expr REL expr                REL one of == < <= > >=
  expr      := number | NAME | expr OP expr | -expr | +expr | ( expr ) | FUNC(expr, ...)
  OP        := + - * / **
  number    := an integer or a decimal literal ("0.1" is read as 1/10 exactly, "1e-3" as 1/1000)

NAME and FUNC come from a :class:`Vocabulary`; nothing else is reachable: no strings, no
attribute access, no subscripts, no keywords, no comprehensions, no lambda.  The tree is then
turned into SymPy objects node by node.  Limits keep the work of building it small:

  MAX_LENGTH characters, MAX_DEPTH levels of nesting, literals of at most MAX_DIGITS digits
  (and within 1e-MAX_DIGITS..1eMAX_DIGITS), constant exponents of at most MAX_EXPONENT in size, and
  at most MAX_FOLDED_DIGITS digits in any number SymPy would form from them (a bound computed in
  plain Python before SymPy builds anything: (10*T)**1000 is refused, T**1000 is not).

The check against the grammar and the limits runs without SymPy (``build=False``): it is what a
caller can afford to do before handing the formula to a worker with a time budget, since SymPy's
automatic evaluation while building can itself take unbounded time.

Text pasted from papers is normalized first: line breaks and tabs become spaces, and the
typographic signs − × · ≤ ≥ ² ³ become their ASCII forms.  Any other character outside
printable ASCII is refused with its position.
"""
from __future__ import annotations

import ast
import decimal
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import sympy

__all__ = ["GrammarError", "Vocabulary", "Function", "read_relation", "read_expression",
           "MAX_LENGTH", "MAX_DEPTH", "MAX_DIGITS", "MAX_EXPONENT", "MAX_FOLDED_DIGITS", "RELATIONS", "MAX_ORDER"]

MAX_LENGTH = 2000
MAX_DEPTH = 40
MAX_DIGITS = 400
MAX_EXPONENT = 1000
MAX_FOLDED_DIGITS = 1000
MAX_ORDER = 10

RELATIONS = {ast.Eq: "==", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a**b}
_GROUP = {ast.Add: "sum", ast.Sub: "sum", ast.Mult: "product", ast.Div: "product"}
_UNARY = {ast.USub: lambda a: -a, ast.UAdd: lambda a: a}
_TYPOGRAPHY = {"\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u2264": "<=",
               "\u2265": ">=", "\u00b2": "**2", "\u00b3": "**3", "\u00a0": " ", "\u2009": " "}
_NAMES_OF_OPS = {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
                 ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>", ast.Invert: "~", ast.Not: "not",
                 ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}


class GrammarError(ValueError):
    """The text is not a formula of the grammar (bad usage)."""


@dataclass(frozen=True)
class Function:
    """A callable name: ``build(*args)`` makes the SymPy object from arguments already read.

    ``arity`` is (least, most) arguments; ``special`` names a reader for arguments that are not
    all expressions: "integral" (expr, (var, lo, hi)), "variable" (expr, var, ...) for Limit,
    "derivative" (expr, var[, order]) with 1 <= order <= MAX_ORDER, "integers" for Rational.
    """

    build: Callable
    arity: tuple = (1, 1)
    special: str = ""


@dataclass(frozen=True)
class Vocabulary:
    names: dict                                   # NAME -> SymPy object
    functions: dict                               # FUNC -> Function
    variables: frozenset = field(default=frozenset())   # names that may be integrated or differentiated over


def _normalize(text, what):
    if not isinstance(text, str):
        raise GrammarError(f"{what} must be a string (got {type(text).__name__}: {text!r:.60})")
    if len(text) > MAX_LENGTH:
        raise GrammarError(f"{what} is {len(text)} characters long; at most {MAX_LENGTH} are read")
    out = []
    for i, ch in enumerate(text):
        if ch in "\r\n\t\f\v":
            out.append(" ")
        elif ch in _TYPOGRAPHY:
            out.append(_TYPOGRAPHY[ch])
        elif ch == "#":
            raise GrammarError(f"{what}: '#' at position {i}: a formula has no comments")
        elif not (" " <= ch <= "~"):
            raise GrammarError(f"{what}: character {ch!r} (U+{ord(ch):04X}) at position {i} is not allowed; "
                               "formulas are written in ASCII")
        else:
            out.append(ch)
    text = "".join(out).strip()
    if not text:
        raise GrammarError(f"{what} is empty")
    return text


def _parse(text, what):
    try:
        return ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        hint = ""
        if "=" in text and "==" not in text and not any(r in text for r in ("<=", ">=")):
            hint = "; equality is written =="
        where = f" at position {exc.offset - 1}" if exc.offset else ""
        raise GrammarError(f"{what} {text!r} is not a formula: {exc.msg}{where}{hint}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise GrammarError(f"{what} cannot be read: {type(exc).__name__}: {exc}") from None


@dataclass(frozen=True)
class _Value:
    """What a subtree reads as: ``sym`` its SymPy object (None when only checking), ``exact`` its value
    when it is a rational constant (a Fraction), ``digits`` a bound on the digits of the numbers SymPy
    will hold for it.  ``exact`` and ``digits`` are computed in plain Python, before SymPy is asked to
    build anything, so that the limits hold whatever SymPy would evaluate automatically."""

    sym: object
    exact: Fraction | None
    digits: float
    constant: bool = True          # no symbols in it: SymPy evaluates what it can while building


def _digits(x: Fraction) -> float:
    return max(abs(x.numerator), x.denominator).bit_length() * 0.30103


class _Reader:
    def __init__(self, vocabulary, text, what, build):
        self.v, self.text, self.what, self.build = vocabulary, text, what, build

    def fail(self, node, message):
        seg = ast.get_source_segment(self.text, node) if node is not None else None
        at = f" in {seg!r}" if seg and seg != self.text else ""
        raise GrammarError(f"{self.what}: {message}{at}")

    def refuse_operator(self, node, op):
        self.fail(node, f"operator {_NAMES_OF_OPS.get(type(op), type(op).__name__)!r} is not allowed; "
                        "operators: + - * / ** and unary - +")

    def make(self, node, fn, args, exact=None, digits=None):
        """A value from its parts; SymPy builds ``fn(*args' objects)`` only when building."""
        digits = sum(a.digits for a in args) if digits is None else digits
        if exact is not None:
            digits = _digits(exact)
        if digits > MAX_FOLDED_DIGITS:
            self.fail(node, f"the numbers in it would have more than {MAX_FOLDED_DIGITS} digits")
        sym = None
        if self.build:
            try:
                sym = fn(*(a.sym for a in args))
            except (TypeError, ValueError, ZeroDivisionError, ArithmeticError) as exc:
                self.fail(node, f"{type(exc).__name__}: {exc}")
            if sym is sympy.zoo or sym is sympy.nan or sym is sympy.S.ComplexInfinity:
                self.fail(node, "the expression is undefined (a division by zero)")
        return _Value(sym, exact, digits, all(a.constant for a in args))

    def expr(self, node, depth=0):
        if depth > MAX_DEPTH:
            self.fail(None, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            if node.id in self.v.names:
                return _Value(self.v.names[node.id] if self.build else None, None, 0, node.id not in self.v.variables)
            if node.id in self.v.functions:
                self.fail(node, f"{node.id} is a function; call it, {node.id}(...)")
            self.fail(node, f"unknown name {node.id!r}; names: {', '.join(self.v.names)}")
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARY:
                self.refuse_operator(node, node.op)
            a = self.expr(node.operand, depth + 1)
            op = _UNARY[type(node.op)]
            return self.make(node, op, [a], None if a.exact is None else op(a.exact))
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Compare):
            self.fail(node, "a relation is allowed only once, at the top")
        kind = {ast.Attribute: "attribute access", ast.Subscript: "subscripts", ast.Lambda: "lambda",
                ast.Tuple: "a tuple", ast.List: "a list", ast.Dict: "a dict", ast.Set: "a set",
                ast.BoolOp: "and/or", ast.IfExp: "if/else", ast.NamedExpr: ":=", ast.JoinedStr: "a string",
                ast.Starred: "*", }.get(type(node), type(node).__name__)
        self.fail(node, f"{kind} is not allowed")

    def binary(self, node, depth):
        """A chain a op b op c ... of one precedence level, read without recursing along the chain
        (a sum of many terms is long, not deep)."""
        group = _GROUP.get(type(node.op))
        chain = []
        while isinstance(node, ast.BinOp) and group is not None and _GROUP.get(type(node.op)) == group:
            chain.append(node)
            node = node.left
        if group is None:
            chain, node = [node], node.left
        value = self.expr(node, depth + 1)
        for link in reversed(chain):
            op = _BINARY.get(type(link.op))
            if op is None:
                self.refuse_operator(link, link.op)
            right = self.expr(link.right, depth + 1)
            if isinstance(link.op, ast.Pow):
                value = self.power(link, value, right)
                continue
            if isinstance(link.op, ast.Div) and right.exact == 0:
                self.fail(link, "division by zero")
            exact = op(value.exact, right.exact) if value.exact is not None and right.exact is not None else None
            value = self.make(link, op, [value, right], exact)       # a/b + c/d has the digits of bd
        return value

    def power(self, node, base, exponent):
        e = exponent.exact
        if e is None and base.constant and exponent.constant and exponent.digits > 3:
            self.fail(node, f"a constant exponent must be a number of at most {MAX_EXPONENT} in size, or hold "
                            "no number above 1000: SymPy would evaluate the power while building it")
        if e is None:                              # a symbolic exponent: SymPy keeps the power unevaluated
            return self.make(node, _BINARY[ast.Pow], [base, exponent])
        if abs(e) > MAX_EXPONENT:
            shown = f"{float(e):g}" if _digits(e) < 300 else f"of {int(_digits(e))} digits"
            self.fail(node, f"exponent {shown} is larger than {MAX_EXPONENT} in size")
        if base.exact == 0 and e < 0:
            self.fail(node, "division by zero")
        digits = base.digits * max(abs(float(e)), 1) + exponent.digits
        exact = base.exact ** int(e) if base.exact is not None and e.denominator == 1 and digits <= MAX_FOLDED_DIGITS \
            else None
        return self.make(node, _BINARY[ast.Pow], [base, exponent], exact, digits)

    def number(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(node, f"{type(value).__name__} literal {value!r:.40} is not allowed; only real numbers")
        if isinstance(value, int):
            if value.bit_length() > MAX_DIGITS * 3.33:
                self.fail(node, f"integer with more than {MAX_DIGITS} digits")
            exact = Fraction(value)
        else:
            seg = (ast.get_source_segment(self.text, node) or repr(value)).replace("_", "")
            try:
                d = decimal.Decimal(seg)
            except decimal.InvalidOperation:
                self.fail(node, f"cannot read the number {seg!r}")
            _, digits, exponent = d.as_tuple()
            if not isinstance(exponent, int) or len(digits) > MAX_DIGITS or abs(exponent + len(digits)) > MAX_DIGITS:
                self.fail(node, f"number {seg!r} is outside 1e-{MAX_DIGITS}..1e{MAX_DIGITS} or has more than "
                                f"{MAX_DIGITS} digits")
            exact = Fraction(d)              # the decimal exactly: 0.1 is 1/10, not the double nearest to it
        sym = sympy.Rational(exact.numerator, exact.denominator) if self.build else None
        return _Value(sym, exact, _digits(exact))

    def variable(self, node):
        if not (isinstance(node, ast.Name) and node.id in self.v.variables):
            self.fail(node, f"expected a variable ({', '.join(sorted(self.v.variables))})")
        return _Value(self.v.names[node.id] if self.build else None, None, 0, False)

    def call(self, node, depth):
        fn = node.func.id if isinstance(node.func, ast.Name) else None
        if fn not in self.v.functions:
            shown = fn if fn else (ast.get_source_segment(self.text, node.func) or "?")
            self.fail(node, f"unknown function {shown!r}; functions: {', '.join(self.v.functions)}")
        f = self.v.functions[fn]
        if node.keywords:
            self.fail(node, f"{fn}: keyword arguments are not allowed")
        lo, hi = f.arity
        if not lo <= len(node.args) <= hi:
            want = f"{lo}" if lo == hi else f"{lo} to {hi}"
            self.fail(node, f"{fn} takes {want} argument(s), got {len(node.args)}")
        if f.special == "integral":
            lim = node.args[1]
            if not (isinstance(lim, ast.Tuple) and len(lim.elts) == 3):
                self.fail(node, f"{fn}: the limits are written (variable, lower, upper)")
            body, x = self.expr(node.args[0], depth + 1), self.variable(lim.elts[0])
            a, b = self.expr(lim.elts[1], depth + 2), self.expr(lim.elts[2], depth + 2)
            return self.make(node, lambda f_, x_, a_, b_: f.build(f_, (x_, a_, b_)), [body, x, a, b])
        if f.special in ("variable", "derivative"):
            args = [self.expr(node.args[0], depth + 1), self.variable(node.args[1]),
                    *(self.expr(a, depth + 1) for a in node.args[2:])]
            if f.special == "derivative" and len(args) == 3 and not (
                    args[2].exact is not None and args[2].exact.denominator == 1 and 1 <= args[2].exact <= MAX_ORDER):
                self.fail(node, f"the order of a derivative is an integer from 1 to {MAX_ORDER}")
        else:
            args = [self.expr(a, depth + 1) for a in node.args]
        exact = None
        if f.special == "integers":
            if not all(a.exact is not None and a.exact.denominator == 1 for a in args):
                self.fail(node, f"{fn} takes integers")
            if len(args) == 2 and args[1].exact == 0:
                self.fail(node, "division by zero")
            exact = args[0].exact / (args[1].exact if len(args) == 2 else 1)
        return self.make(node, f.build, args, exact)


def _read(text, vocabulary, what, relation, build):
    text = _normalize(text, what)
    node = _parse(text, what)
    reader = _Reader(vocabulary, text, what, build)
    if not relation:
        if isinstance(node, ast.Compare):
            raise GrammarError(f"{what} {text!r}: a relation is not allowed here")
        return reader.expr(node).sym
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        found = len(node.ops) if isinstance(node, ast.Compare) else 0
        raise GrammarError(f"{what} {text!r} must contain exactly one relation among "
                           f"{', '.join(RELATIONS.values())} (found {found})")
    rel = RELATIONS.get(type(node.ops[0]))
    if rel is None:
        raise GrammarError(f"{what} {text!r}: relation {_NAMES_OF_OPS.get(type(node.ops[0]), '?')!r} is not "
                           f"allowed; use one of {', '.join(RELATIONS.values())}")
    return reader.expr(node.left).sym, rel, reader.expr(node.comparators[0]).sym


def read_expression(text, vocabulary: Vocabulary, what: str = "expression", build: bool = True):
    """One expression of the grammar (no relation) as a SymPy object.  ``build=False`` only checks the
    text against the grammar and the limits, in plain Python (SymPy is not called; returns None)."""
    return _read(text, vocabulary, what, False, build)


def read_relation(text, vocabulary: Vocabulary, what: str = "claim", build: bool = True):
    """``lhs REL rhs`` as (lhs, rel, rhs), the sides SymPy objects, rel one of ``RELATIONS``.
    ``build=False``: checked only, as in :func:`read_expression`."""
    return _read(text, vocabulary, what, True, build)
