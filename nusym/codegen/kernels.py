"""What a generated kernel is: a derived expression with its arguments, intermediates, guards, exact rescalings and
proven facts (:class:`Kernel`), declared by the physics with :func:`kernel`, which registers it in
:mod:`nusym.catalogue`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy

from nusym import catalogue
from nusym import constants as K

__all__ = ["Arg", "Scaling", "ExactGuard", "Kernel", "kernel", "all_kernels", "HBAR_C", "exact_constants", "condition"]

HBAR_C = sympy.Symbol("hbar_c", positive=True)  # eV*cm, for unit conversion factors


@dataclass(frozen=True)
class Arg:
    """One argument of a kernel: its symbol, name, unit and meaning, the range a caller may pass (``allowed``, with
    the physical reason ``why`` where narrowed) and the measured-accuracy domain.  Made from the variable's one
    declaration (:mod:`nusym.variables`) by :meth:`of`, with what this kernel changes (a narrower allowed range,
    another name or meaning, a default)."""

    symbol: sympy.Symbol
    name: str
    unit: str
    doc: str
    allowed: tuple = (0.0, 1e100, True)        # (lo, hi, lo_open)
    domain: tuple | None = None                 # log-uniform accuracy samples
    default: str | None = None                  # python literal of the default value
    why: str = ""                               # the physical reason for a narrowed allowed range

    @classmethod
    def of(cls, variable, name: str | None = None, doc: str | None = None, allowed: tuple | None = None,
           why: str | None = None, default: str | None = None) -> "Arg":
        return cls(variable.symbol, name or variable.name, variable.unit, doc or variable.doc,
                   allowed or variable.allowed, variable.accuracy, default, variable.why if why is None else why)


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
        full = sympy.Piecewise(*[(v, condition(c)) for c, v in self.guards], (body * self.scale, True)) \
            if self.guards else body * self.scale
        return exact_constants(full)


def condition(guard):
    """The SymPy condition of a guard (an :class:`ExactGuard`'s relation)."""
    return guard.condition if isinstance(guard, ExactGuard) else guard


def exact_constants(expr: sympy.Expr) -> sympy.Expr:
    return expr.subs({**K.exact_values(), HBAR_C: K.hbar_c(sympy)})


def kernel(k: Kernel) -> Kernel:
    """Declare ``k`` (register it in the catalogue under its name; a name used twice is an error at import)."""
    return catalogue.register("kernel", k.name, k, k.source)


def all_kernels() -> list:
    """Every declared Kernel, in the physics' reading order."""
    return [e.obj for e in catalogue.entries("kernel")]
