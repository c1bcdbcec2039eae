"""A claim made executable: SymPy expressions compiled to mpmath callables, with S and the integrals over it
evaluated by the model (lines and delta functions exactly)."""
from __future__ import annotations

import mpmath
import sympy
from sympy.core.function import AppliedUndef

from nusym import quadrature as highprec
from nusym.claims.vocabulary import RESPONSES, response_model, uses_response

__all__ = ["NotSupported", "Compiler", "decades"]


class NotSupported(Exception):
    pass


class Compiler:
    """Turns a SymPy expression into an mpmath callable of named variables, with S and the
    integrals evaluated by the model (lines and delta functions exactly)."""

    def __init__(self, model, env):
        self.model, self.env, self.count = model, env, 0

    def compile(self, expr, args: tuple):
        impl = {}

        def replace(e):
            if isinstance(e, sympy.Integral):
                name = f"_integral{self.count}"
                self.count += 1
                outer = tuple(sorted(e.free_symbols, key=lambda s: s.name))
                impl[name] = self._integral(e, outer)
                return sympy.Function(name)(*outer)
            if isinstance(e, AppliedUndef) and e.func in RESPONSES:
                m = response_model(self.model, e.func) if self.model is not None else None
                if m is None:
                    raise NotSupported(f"{e.func}(T, q) needs a model that defines it")
                if m.shell is not None:
                    raise NotSupported(f"{e.func} of model {self.model.name} is a distribution, "
                                        "delta(T - q**2/2m_e); use it under an integral over q or T")
                impl[str(e.func)] = lambda T, q: m.density(T, q, self.env)
                return e
            if isinstance(e, sympy.DiracDelta):
                raise NotSupported("DiracDelta is evaluated only through a model's S under an integral")
            if e.args:
                return e.func(*(replace(a) for a in e.args))
            return e

        body = replace(expr)
        try:
            return sympy.lambdify(args, body, modules=[impl, "mpmath"])
        except Exception as exc:  # a SymPy object the mpmath printer cannot write
            raise NotSupported(f"cannot evaluate {body} numerically: {type(exc).__name__}: {exc}") from None

    def _integral(self, e, outer):
        if len(e.limits) != 1 or len(e.limits[0]) != 3:
            raise NotSupported(f"integrals need one variable with both limits: {e}")
        v, a, b = e.limits[0]
        lo, hi = self.compile(a, outer), self.compile(b, outer)
        body = e.function
        outside = body.replace(lambda x: isinstance(x, sympy.Integral), lambda x: sympy.Dummy())
        s_atoms = [f for f in outside.atoms(AppliedUndef) if f.func in RESPONSES]
        if uses_response(body) and not s_atoms and (self.model.line is not None or self.model.shell is not None):
            raise NotSupported(f"nested integrals of S or R are not evaluated under model {self.model.name}: its "
                                "lines and delta functions are integrated exactly only by a single integral over T or q")
        if s_atoms and self.model is not None and len(s_atoms) == 1:
            s0 = s_atoms[0]
            model = response_model(self.model, s0.func)
            coeff, rest = sympy.diff(body, s0), body.subs(s0, 0)
            Targ, qarg = s0.args
            linear = not uses_response(coeff, rest)
            mode = "q" if (qarg == v and not Targ.has(v)) else "T" if (Targ == v and not qarg.has(v)) else None
            if linear and mode:
                g = self.compile(coeff, (v,) + outer)
                r = self.compile(rest, (v,) + outer) if rest != 0 else None
                fixed = self.compile(Targ if mode == "q" else qarg, outer)

                def integral(*vals):
                    A, B, other = lo(*vals), hi(*vals), fixed(*vals)
                    sign = 1 if A <= B else -1
                    A, B = min(A, B), max(A, B)
                    gv = lambda x: g(x, *vals)
                    total = (model.q_integral(other, self.env, gv, A, B) if mode == "q"
                             else model.T_integral(other, self.env, gv, A, B))
                    if r is not None:
                        total += highprec.quad(lambda x: r(x, *vals), [A, B])
                    return sign * total
                return self._cached(integral, True)
        if s_atoms:
            raise NotSupported("S or R must enter an integral linearly, once, with the integration variable itself "
                                "as its T or q argument (substitute to bring the integral to that form), so that "
                                "its thresholds, lines and delta functions are integrated exactly")
        f = self.compile(body, (v,) + outer)
        return self._cached(lambda *vals: highprec.quad(lambda x: f(x, *vals), decades(lo(*vals), hi(*vals))),
                            uses_response(body))

    def _cached(self, integral, uses_model):
        """``integral`` remembered by its exact inputs: the values of its outer variables, the working precision
        and, where S or R is in it, the model's parameters (the point, ``env``).  An integral that does not
        depend on the sampled point (a constant, or one of a variable the claim does not vary) is computed once
        per precision, not at every point; a failure is remembered as the failure."""
        cache = {}

        def cached(*vals):
            key = (vals, mpmath.mp.prec, tuple(sorted(self.env.items())) if uses_model else ())
            if key not in cache:
                try:
                    cache[key] = (True, integral(*vals))
                except Exception as exc:  # noqa: BLE001 - re-raised below, at this point and at every other
                    cache[key] = (False, exc)
            ok, value = cache[key]
            if not ok:
                raise value
            return value
        return cached


def decades(a, b):
    """[a, ..., b] with the powers of ten of the physical ranges (1e-3 ... 1e11 eV, either sign) strictly
    between a and b as breakpoints: tanh-sinh quadrature puts its nodes densely near the ends of each
    piece, so a feature (a peak at T = 1000 on [0, oo)) is not stepped over for lack of nodes there.
    A breakpoint cannot make any quadrature see what is narrower than its nodes: the proof attempt and
    the precision change remain the other two guards."""
    lo, hi = min(a, b), max(a, b)
    inner = sorted(x for k in range(-3, 12) for x in (mpmath.mpf(10) ** k, -mpmath.mpf(10) ** k) if lo < x < hi)
    pts = [lo, *inner, hi]
    return pts if a <= b else pts[::-1]
