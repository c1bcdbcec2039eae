"""A claim read and made ready: the claim, assumptions and settings parsed, the model's fixed parameters, the
proof attempt, both sides compiled, the domain and its boundaries."""
from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

from nusym.atoms import models
from nusym.claims import grammar
from nusym.claims.compiler import Compiler
from nusym.claims.sampling import Domain, boundaries, ranges, snapper
from nusym.claims.symbolic import prove
from nusym.claims.compiler import NotSupported
from nusym.claims.vocabulary import (CONSTANTS, RESPONSES, VARIABLES, ClaimError, parse_expression, parse_relation,
                                    read_with)

__all__ = ["Setup", "setting_readable", "read_settings", "model_fixed", "operators_done", "setup"]



@dataclass
class Setup:
    """A claim read and made executable: what the four steps of :func:`check` share."""

    lhs: object
    rel: str
    rhs: object
    model: object
    names: tuple
    domain: object
    f_lhs: object
    f_rhs: object
    env: dict
    shown_assumptions: list
    proof: bool | None


def setting_readable(name, value):
    """ClaimError unless NAME=VALUE can be read (in plain Python: the grammar, not SymPy)."""
    if name in CONSTANTS or name in ("E_h", "mu_B"):
        raise ClaimError(f"--set {name}: {name} is a constant (CODATA 2022) and cannot be set")
    if not isinstance(name, str) or name not in VARIABLES:
        raise ClaimError(f"--set {name!r}: unknown name; variables: {', '.join(VARIABLES)}")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ClaimError(f"--set {name}={value!r}: a value is a number or a formula (a string), "
                         f"not {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ClaimError(f"--set {name}={value!r}: must be a positive finite number")
    try:
        read_with(grammar.read_expression, str(value), f"--set {name}", build=False)
    except ClaimError as exc:
        raise ClaimError(f"--set {name}={value!r}: not a number ({exc})") from None


def read_settings(set_, mdl):
    """--set NAME=VALUE pairs -> ({name: 60-digit string}, {symbol: exact value}); ClaimError when unusable."""
    fixed_values, fixed_sym = {}, {}
    for name, value in set_.items():
        setting_readable(name, value)
        try:
            val = parse_expression(str(value), f"--set {name}").subs({c[0]: c[1].sympy() for c in CONSTANTS.values()})
        except ClaimError as exc:
            raise ClaimError(f"--set {name}={value!r}: not a number ({exc})") from None
        if val.free_symbols or not (val.is_real and val.is_positive and val.is_finite):
            raise ClaimError(f"--set {name}={value!r}: must be a positive finite number")
        if VARIABLES[name].integer and not val.is_integer:
            raise ClaimError(f"--set {name}={value!r}: must be a positive integer")
        lo, hi, _ = ranges(mdl, [name])[name]
        if not sympy.Rational(lo) <= val <= sympy.Rational(hi):
            raise ClaimError(f"--set {name}={value!r} is outside the domain [{lo}, {hi}] over which nusym "
                             f"evaluates {name}")
        prm = next((p for p in mdl.params if p.name == name), None) if mdl else None
        if prm is not None and prm.fixed is not None:
            raise ClaimError(f"--set {name}: model {mdl.name} fixes {name} = {prm.fixed}")
        fixed_values[name] = str(sympy.N(val, 60))
        fixed_sym[VARIABLES[name].symbol] = val
    return fixed_values, fixed_sym


def model_fixed(mdl):
    """Parameters the model fixes (hydrogen's I = Z**2 E_h/2): ({name: callable(point)}, {symbol: expr})."""
    derived, derived_sym = {}, {}
    for prm in (mdl.params if mdl is not None else ()):
        if prm.fixed is not None:
            e = parse_expression(prm.fixed, f"model {mdl.name}: {prm.name}")
            derived_sym[VARIABLES[prm.name].symbol] = e
            f = sympy.lambdify([v.symbol for v in VARIABLES.values()] + [c[0] for c in CONSTANTS.values()], e, "mpmath")
            derived[prm.name] = (lambda f: lambda pt: f(*[pt.get(n, 1) for n in VARIABLES],
                                                        *[c[1].mpf() for c in CONSTANTS.values()]))(f)
    return derived, derived_sym


def operators_done(expr):
    """Derivative and Limit carried out (SymPy); NotSupported where SymPy cannot."""
    def done(e):
        try:
            out = e.doit()
        except Exception as exc:  # noqa: BLE001 - SymPy fails in many ways; the claim is then not evaluated
            raise NotSupported(f"SymPy cannot evaluate {e}: {type(exc).__name__}: {exc}") from None
        if out.has(sympy.Derivative, sympy.Limit) or out.has(sympy.zoo, sympy.nan, sympy.AccumBounds):
            raise NotSupported(f"SymPy cannot evaluate {e} to an expression (it gives {out})")
        return out
    return expr.replace(lambda e: isinstance(e, (sympy.Derivative, sympy.Limit)), done)


def setup(claim, model, assume, set_, dps, symbolic_seconds, progress=lambda text: None):
    """Read the claim, the assumptions and the settings; try the proof; compile both sides for mpmath."""
    progress("reading the claim, the assumptions and the settings")
    mdl = models.get(model) if model not in (None, "none") else None
    lhs, rel, rhs = (operators_done(x) if i != 1 else x for i, x in enumerate(parse_relation(claim)))
    used = [str(f) for f in RESPONSES if lhs.has(f) or rhs.has(f)]
    if used and mdl is None:
        raise ClaimError(f"the claim uses {' and '.join(f + '(T, q)' for f in used)} but no model was given; "
                         f"--model one of {', '.join(models.models())}")
    if "R" in used and mdl.transverse is None:
        raise ClaimError(f"model {mdl.name} does not define R(T, q); models that do: "
                         + ", ".join(m.name for m in models.models().values() if m.transverse is not None))
    assumptions = [(operators_done(a), r, operators_done(b))
                   for a, r, b in (parse_relation(text, "assumption") for text in assume)]
    fixed_values, fixed_sym = read_settings(dict(set_ or {}), mdl)
    derived, derived_sym = model_fixed(mdl)
    names_in_claim = {s.name for e in (lhs, rhs, *(x for a, _, b in assumptions for x in (a, b)))
                      for s in e.free_symbols}
    names = tuple(n for n in VARIABLES if n in names_in_claim or (mdl is not None and n in mdl.param_names))
    progress("the symbolic proof (SymPy)")
    proof = None if symbolic_seconds <= 0 else prove(
        lhs.subs(derived_sym), rel, rhs.subs(derived_sym), mdl, fixed_sym,
        [(a.subs(derived_sym), r, b.subs(derived_sym)) for a, r, b in assumptions], symbolic_seconds)
    progress("compiling the claim for mpmath")
    consts_sub = {c[0]: sympy.Float(c[1].value, 60) for c in CONSTANTS.values()}
    args = tuple(VARIABLES[n].symbol for n in names)
    env = {}
    comp = Compiler(mdl, env)
    shown = [f"{a} {r} {b}" for a, r, b in assumptions]
    f_l = comp.compile(lhs.subs(consts_sub), args)          # raises NotSupported
    f_r = comp.compile(rhs.subs(consts_sub), args)
    f_as = [(comp.compile(a.subs(consts_sub), args), r, comp.compile(b.subs(consts_sub), args), text)
            for (a, r, b), text in zip(assumptions, shown)]
    call = lambda f, pt: f(*[pt[n] for n in names])
    dom = Domain(names, ranges(mdl, names), fixed_values, derived,
                  [((lambda f: lambda pt: call(f, pt))(a), r, (lambda g: lambda pt: call(g, pt))(b), text)
                   for a, r, b, text in f_as])
    progress("solving for the assumptions' boundaries")
    with_derived = lambda pt: {**pt, **{k: f(pt) for k, f in derived.items()}}      # no snapping to lines
    sides = [(lambda a, b: lambda pt: (call(a, with_derived(pt)), call(b, with_derived(pt))))(a, b)
             for a, _, b, _ in f_as]
    dom.boundaries = tuple(boundaries(assumptions, derived_sym, consts_sub, names, fixed_values, derived, sides,
                                       seconds=min(5.0, symbolic_seconds / 2 + 0.1)))
    if mdl is not None and mdl.line is not None and "T" in names and "T" not in fixed_values:
        dom.snap_T = snapper(mdl)
    return Setup(lhs, rel, rhs, mdl, names, dom, (lambda pt: call(f_l, pt)), (lambda pt: call(f_r, pt)), env,
                  shown, proof)
