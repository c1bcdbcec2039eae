"""The claim checker: is "LHS rel RHS" true over a model's physical domain?

A claim is SymPy syntax with one relation (==, <, <=, >, >=).  Vocabulary (all positive reals in
eV, hbar = c = 1, unless said):

  symbols    T (energy transfer), q (momentum transfer), p (bound-electron momentum), I (ionization
             potential), Z (positive integer), E_nu, M_a (atomic mass), omega (oscillator quantum),
             mu_nu (magnetic moment, 1/eV), s2w (sin^2 theta_W, dimensionless);
  constants  m_e, alpha, G_F (1/eV^2), E_h (= alpha**2 m_e), at their CODATA 2022 values;
  functions  S(T, q) (the model's dynamical structure factor per atom, 1/eV), R(T, q) (its transverse
             current response, the binding paper's Eq. 10, velocities in units of c, 1/eV; defined by the
             free, oscillator and hydrogen models), q_plus(T, p),
             q_minus(T, p), q_a(T, I, M_a), dsigma_w_FE(T), dsigma_mu_FE(T) (the free-electron
             cross sections: G_F**2 m_e/(2 pi) (1 + 4 s2w + 8 s2w**2) and 4 pi alpha mu_nu**2/T);
  and SymPy's names (Integral, oo, pi, sqrt, exp, Heaviside, Rational, ...).
Integrals over q**2 are written in q: dq**2 = 2 q dq.

Method: a symbolic proof is tried first (SymPy, under the assumptions); then the claim is
evaluated at sampled points of the domain, at two working precisions, the difference of the
two being the numerical error.  A point refutes the claim only when its deviation exceeds that
error by a wide margin; a claim holds only when no sampled point does.  Points are drawn
log-uniformly over each variable's physical range and at the edges: range ends, the thresholds
and lines of the model, and both sides of every assumption's boundary.

Inside a discrete spectrum S(T, q) at fixed T means the line-averaged density at the line
energies (see :mod:`nusym.spectra`), and T is sampled at the line energies.  A free-electron S is
a delta function: it must appear under an integral over q or T.
"""
from __future__ import annotations

import io
import random
import signal
import threading
import time
import tokenize
from dataclasses import dataclass

import mpmath
import sympy
from sympy.core.function import AppliedUndef
from sympy.parsing.sympy_parser import parse_expr, rationalize, standard_transformations

from . import constants as K
from . import spectra
from . import symbols as Sym

__all__ = ["check", "Verdict", "ClaimError", "VARIABLES", "FUNCTIONS", "RELATIONS"]

RELATIONS = ("==", "<=", ">=", "<", ">")
# decimals are read as exact rationals: 0.1 is 1/10, not the double nearest to it
_TRANSFORMATIONS = standard_transformations + (rationalize,)


class ClaimError(ValueError):
    """The claim, an assumption or a setting cannot be read (bad usage: exit status 2)."""


omega = sympy.Symbol("omega", positive=True)
mu_nu, s2w = Sym.mu_nu, Sym.s2w

# name -> (symbol, sampled range lo, hi, integer?, meaning)
VARIABLES = {
    "T": (Sym.T, "1e-3", "1e7", False, "energy transfer"),
    "q": (Sym.q, "1e-2", "1e8", False, "momentum transfer"),
    "p": (Sym.p, "1", "2e5", False, "mean momentum of the bound electron"),
    "I": (Sym.I, "1e-2", "1.2e5", False, "ionization potential"),
    "Z": (Sym.Z, "1", "100", True, "electrons (free, oscillator) or nuclear charge (hydrogen)"),
    "E_nu": (Sym.E_nu, "1e3", "1e8", False, "neutrino energy"),
    "M_a": (Sym.M_a, "9.3e8", "2.3e11", False, "atomic mass"),
    "omega": (omega, "1e-2", "1e5", False, "oscillator quantum"),
    "mu_nu": (mu_nu, "1e-21", "1e-15", False, "neutrino magnetic moment, 1/eV"),
    "s2w": (s2w, "1e-3", "0.999", False, "sin^2 theta_W"),
}
CONSTANTS = {"m_e": (Sym.m_e, K.M_E), "alpha": (Sym.alpha, K.ALPHA), "G_F": (Sym.G_F, K.G_F)}

_T, _q, _p, _I, _M, _me, _al = Sym.T, Sym.q, Sym.p, Sym.I, Sym.M_a, Sym.m_e, Sym.alpha
FUNCTIONS = {
    "q_plus": sympy.Lambda((_T, _p), sympy.sqrt(_p**2 + 2 * _me * _T) + _p),
    "q_minus": sympy.Lambda((_T, _p), sympy.sqrt(_p**2 + 2 * _me * _T) - _p),
    "q_a": sympy.Lambda((_T, _I, _M), sympy.sqrt(2 * _M * (_T - _I))),
    "dsigma_w_FE": sympy.Lambda(_T, Sym.G_F**2 * _me / (2 * sympy.pi) * (1 + 4 * s2w + 8 * s2w**2)),
    "dsigma_mu_FE": sympy.Lambda(_T, 4 * sympy.pi * _al * mu_nu**2 / _T),
}
S_FN = sympy.Function("S")
R_FN = sympy.Function("R")
RESPONSES = (S_FN, R_FN)


def _uses_response(*exprs) -> bool:
    return any(e.has(f) for e in exprs for f in RESPONSES)


def _response_model(model, fn):
    """The model's spectrum of S (the model itself) or of R (its ``transverse``; None where undefined)."""
    return model if fn == S_FN else model.transverse


@dataclass
class Verdict:
    verdict: str                        # holds | refuted | inconclusive
    method: str
    max_rel_deviation: float | None
    counterexample: dict | None
    model: str | None
    assumptions: list
    reason: str = ""
    claim: str = ""
    points: int = 0
    seconds: float = 0.0

    @property
    def exit_status(self) -> int:
        return {"holds": 0, "refuted": 1, "inconclusive": 3}[self.verdict]

    def as_json(self) -> dict:
        return {"verdict": self.verdict, "method": self.method, "max_rel_deviation": self.max_rel_deviation,
                "counterexample": self.counterexample, "model": self.model, "assumptions": self.assumptions,
                "reason": self.reason, "claim": self.claim, "points": self.points,
                "seconds": round(self.seconds, 2)}

    def __str__(self) -> str:
        lines = [f"{self.verdict}: {self.claim}" + (f"  [model {self.model}]" if self.model else ""),
                 f"  method: {self.method}"]
        if self.assumptions:
            lines.append(f"  assuming: {', '.join(self.assumptions)}")
        if self.max_rel_deviation is not None:
            lines.append(f"  max relative deviation: {self.max_rel_deviation:.3g}")
        if self.counterexample:
            lines.append("  counterexample: " + ", ".join(f"{k}={v}" for k, v in self.counterexample.items()))
        if self.reason:
            lines.append(f"  {self.reason}")
        return "\n".join(lines)


# ------------------------------------------------------------------ reading
def _split_relation(text: str, what: str):
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError) as exc:
        raise ClaimError(f"{what} {text!r} cannot be read: {exc}") from None
    depth, found = 0, []
    for tok in toks:
        if tok.type == tokenize.NAME and (tok.string.startswith("_") or tok.string in ("lambda", "import")):
            raise ClaimError(f"{what} {text!r}: the name {tok.string!r} is not allowed")
        if tok.type == tokenize.OP and tok.string == ".":
            raise ClaimError(f"{what} {text!r}: attribute access ('.') is not allowed")
        if tok.type == tokenize.OP:
            if tok.string in "([{":
                depth += 1
            elif tok.string in ")]}":
                depth -= 1
            elif depth == 0 and tok.string in RELATIONS:
                found.append(tok)
            elif depth == 0 and tok.string in ("=", "!="):
                raise ClaimError(f"{what} {text!r}: relation {tok.string!r} is not allowed; use one of "
                                 f"{', '.join(RELATIONS)}")
    if len(found) != 1:
        raise ClaimError(f"{what} {text!r} must contain exactly one relation among {', '.join(RELATIONS)} "
                         f"(found {len(found)})")
    tok = found[0]
    lines = text.splitlines() or [""]
    offset = sum(len(l) + 1 for l in lines[: tok.start[0] - 1]) + tok.start[1]
    return text[:offset], tok.string, text[offset + len(tok.string):]


def _namespace():
    ns = {name: v[0] for name, v in VARIABLES.items()}
    ns.update({name: c[0] for name, c in CONSTANTS.items()})
    ns["E_h"] = Sym.alpha**2 * Sym.m_e
    ns.update(FUNCTIONS)
    ns["S"], ns["R"] = S_FN, R_FN
    return ns


def _parse_side(text: str, what: str):
    if not text.strip():
        raise ClaimError(f"{what}: one side of the relation is empty")
    try:
        expr = sympy.sympify(parse_expr(text, local_dict=_namespace(), transformations=_TRANSFORMATIONS))
    except Exception as exc:  # SymPy raises many kinds of errors for bad syntax
        raise ClaimError(f"{what}: {text.strip()!r} cannot be read as SymPy: {type(exc).__name__}: {exc}") from None
    if not isinstance(expr, sympy.Expr):
        raise ClaimError(f"{what}: {text.strip()!r} is not an expression (it reads as {type(expr).__name__})")
    expr = expr.replace(lambda e: isinstance(e, (sympy.Derivative, sympy.Limit)), lambda e: e.doit())
    known = {s for s, *_ in VARIABLES.values()} | {c[0] for c in CONSTANTS.values()}
    unknown = sorted(s.name for s in expr.free_symbols if s not in known)
    if unknown:
        raise ClaimError(f"{what}: unknown name(s) {', '.join(unknown)}; symbols: "
                         f"{', '.join([*VARIABLES, *CONSTANTS, 'E_h'])}")
    for f in expr.atoms(AppliedUndef):
        if f.func not in RESPONSES:
            raise ClaimError(f"{what}: unknown function {f.func}; functions: S, R, {', '.join(FUNCTIONS)}")
        if len(f.args) != 2:
            raise ClaimError(f"{what}: {f.func} takes two arguments, {f.func}(T, q); got {f}")
    return expr


def parse_relation(text: str, what: str = "claim"):
    left, rel, right = _split_relation(text, what)
    return _parse_side(left, what), rel, _parse_side(right, what)


# ------------------------------------------------------------------ compiling to mpmath
class _NotSupported(Exception):
    pass


class _Compiler:
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
                m = _response_model(self.model, e.func) if self.model is not None else None
                if m is None:
                    raise _NotSupported(f"{e.func}(T, q) needs a model that defines it")
                if m.shell is not None:
                    raise _NotSupported(f"{e.func} of model {self.model.name} is a distribution, "
                                        "delta(T - q**2/2m_e); use it under an integral over q or T")
                impl[str(e.func)] = lambda T, q: m.density(T, q, self.env)
                return e
            if isinstance(e, sympy.DiracDelta):
                raise _NotSupported("DiracDelta is evaluated only through a model's S under an integral")
            if e.args:
                return e.func(*(replace(a) for a in e.args))
            return e

        body = replace(expr)
        try:
            return sympy.lambdify(args, body, modules=[impl, "mpmath"])
        except Exception as exc:  # a SymPy object the mpmath printer cannot write
            raise _NotSupported(f"cannot evaluate {body} numerically: {type(exc).__name__}: {exc}") from None

    def _integral(self, e, outer):
        if len(e.limits) != 1 or len(e.limits[0]) != 3:
            raise _NotSupported(f"integrals need one variable with both limits: {e}")
        v, a, b = e.limits[0]
        lo, hi = self.compile(a, outer), self.compile(b, outer)
        body = e.function
        outside = body.replace(lambda x: isinstance(x, sympy.Integral), lambda x: sympy.Dummy())
        s_atoms = [f for f in outside.atoms(AppliedUndef) if f.func in RESPONSES]
        if _uses_response(body) and not s_atoms and (self.model.line is not None or self.model.shell is not None):
            raise _NotSupported(f"nested integrals of S or R are not evaluated under model {self.model.name}: its "
                                "lines and delta functions are integrated exactly only by a single integral over T or q")
        if s_atoms and self.model is not None and len(s_atoms) == 1:
            s0 = s_atoms[0]
            model = _response_model(self.model, s0.func)
            coeff, rest = sympy.diff(body, s0), body.subs(s0, 0)
            Targ, qarg = s0.args
            linear = not _uses_response(coeff, rest)
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
                        total += mpmath.quad(lambda x: r(x, *vals), [A, B])
                    return sign * total
                return integral
        if s_atoms:
            raise _NotSupported("S or R must enter an integral linearly, once, with the integration variable itself "
                                "as its T or q argument (substitute to bring the integral to that form), so that "
                                "its thresholds, lines and delta functions are integrated exactly")
        f = self.compile(body, (v,) + outer)
        return lambda *vals: mpmath.quad(lambda x: f(x, *vals), [lo(*vals), hi(*vals)])


# ------------------------------------------------------------------ symbolic attempt
class _Timeout(Exception):
    pass


def _with_time_limit(seconds, fn):
    """fn() under a SIGALRM time limit where that is possible (main thread on POSIX); else fn()."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        return fn()

    def handler(signum, frame):
        raise _Timeout()
    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _symbolic(lhs, rel, rhs, model, fixed, assumptions, seconds=10.0):
    """True (proved), False (disproved), or None.  Assumptions of the form ``x > e`` / ``x < e`` (x a
    symbol) are built in by x = e + t / x = e/(1 + t) with t > 0; others make the attempt give up."""
    used = [f for f in RESPONSES if lhs.has(f) or rhs.has(f)]
    if any(_response_model(model, f).symbolic is None for f in used):
        return None
    diff = rhs - lhs if rel in ("<", "<=") else lhs - rhs
    subs = {}
    for a, r_, b in assumptions:
        for x, e, r in ((a, b, r_), (b, a, {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(r_, r_))):
            if isinstance(x, sympy.Symbol) and x not in e.free_symbols and x not in subs and r in (">", "<"):
                t = sympy.Dummy("t", positive=True)
                subs[x] = e + t if r == ">" else e / (1 + t)
                break
        else:
            return None
    P = {name: VARIABLES[name][0] for name in model.param_names if name in VARIABLES} if used else {}
    for fn in used:
        expr = sympy.sympify(_response_model(model, fn).symbolic(P))
        diff = diff.replace(lambda e: isinstance(e, AppliedUndef) and e.func == fn,
                            lambda e: expr.subs({Sym.T: e.args[0], Sym.q: e.args[1]}, simultaneous=True))
    diff = diff.subs(fixed).subs(subs)

    def attempt():
        d = sympy.simplify(diff.doit())
        if d.has(sympy.Integral, sympy.nan, sympy.Piecewise):
            return None
        if rel == "==":
            return True if d == 0 else (False if d.is_zero is False else None)
        ok = d.is_positive if rel in ("<", ">") else d.is_nonnegative
        bad = d.is_nonpositive if rel in ("<", ">") else d.is_negative
        return True if ok else (False if bad else None)
    try:
        return _with_time_limit(seconds, attempt)
    except _Timeout:
        return None
    except Exception:  # SymPy may fail in many ways on a hard claim: no symbolic verdict then
        return None


# ------------------------------------------------------------------ sampling
def _log_uniform(rng, lo, hi, integer):
    lo, hi = mpmath.mpf(lo), mpmath.mpf(hi)
    x = lo * (hi / lo) ** mpmath.mpf(rng.random())
    return mpmath.mpf(int(mpmath.nint(x))) if integer else x


def _ranges(model, names):
    out = {}
    for name in names:
        sym, lo, hi, integer, _ = VARIABLES[name]
        if model is not None:
            for var, vlo, vhi in model.ranges:
                if var == name:
                    lo, hi = vlo, vhi
            for prm in model.params:
                if prm.name == name and prm.fixed is None:
                    lo, hi, integer = prm.lo, prm.hi, prm.integer
        out[name] = (lo, hi, integer)
    return out


@dataclass
class _Domain:
    names: tuple
    ranges: dict
    fixed_values: dict
    derived: dict                 # name -> callable(point) for parameters fixed by the model (hydrogen's I)
    assumptions: list             # (callable lhs, rel, callable rhs, text)
    snap_T: object = None         # callable(point) -> T snapped to a line energy, or None
    boundaries: tuple = ()        # (assumption index, name, callable(point)): where an assumption turns

    def complete(self, pt):
        pt = dict(pt)
        pt.update({k: mpmath.mpf(v) for k, v in self.fixed_values.items()})
        for k, f in self.derived.items():
            pt[k] = f(pt)
        if self.snap_T is not None and "T" in pt:
            pt["T"] = self.snap_T(pt)
        return pt

    def inside(self, raw) -> bool:
        """Every sampled variable of ``raw`` within its documented range."""
        return all(mpmath.mpf(self.ranges[n][0]) <= v <= mpmath.mpf(self.ranges[n][1]) for n, v in raw.items()
                   if n in self.ranges and n not in self.fixed_values and n not in self.derived)

    def admits(self, pt) -> bool:
        for f, rel, g, _ in self.assumptions:
            a, b = mpmath.mpmathify(f(pt)), mpmath.mpmathify(g(pt))
            if any(isinstance(x, mpmath.mpc) for x in (a, b)):
                if a.imag != 0 or b.imag != 0:
                    return False            # an assumption that is not real there does not admit the point
                a, b = a.real, b.real
            if not {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b}[rel]:
                return False
        return True


def _edges(rng, dom, model):
    """Points at the edges: range ends, model thresholds and lines, assumption boundaries."""
    free = [n for n in dom.names if n not in dom.fixed_values and n not in dom.derived]
    base = lambda: {n: _log_uniform(rng, *dom.ranges[n]) for n in free}
    pts = []
    for n in free:
        lo, hi, _ = dom.ranges[n]
        for v in (lo, hi):
            pt = base()
            pt[n] = mpmath.mpf(v)
            pts.append(pt)
    if model is not None and "T" in free:
        for k in (1, 3, 6, 12):
            for side in (1, -1):
                pt = base()
                full = dom.complete(pt)
                thr = model.threshold(full) if model.threshold else None
                if thr is not None:
                    pt["T"] = thr * (1 + side * mpmath.mpf(10) ** -k)
                    pts.append(pt)
    return [pt for pt in pts + _boundary_edges(rng, dom, free, base) if dom.inside(pt)]


def _boundary_edges(rng, dom, free, base):
    pts = []
    for _, name, boundary in dom.boundaries:     # both sides of each assumption's boundary
        if name not in free:
            continue
        for k in (1, 3, 6, 12):
            for side in (1, -1):
                pt = base()
                try:
                    target = mpmath.mpmathify(boundary(dom.complete(pt)))
                except (ValueError, TypeError, ZeroDivisionError, ArithmeticError):
                    continue
                if isinstance(target, mpmath.mpf) and target > 0:
                    pt[name] = target * (1 + side * mpmath.mpf(10) ** -k)
                    pts.append(pt)
    return pts


def _draw(rng, dom, free):
    """A log-uniform point; for each assumption, one variable it bounds is redrawn between its
    boundary and the end of its range on the side the assumption admits, so that narrow domains
    are sampled as densely as wide ones."""
    pt = {n: _log_uniform(rng, *dom.ranges[n]) for n in free}
    done = set()
    for index, name, boundary in dom.boundaries:
        if index in done or name not in free:
            continue
        try:
            target = mpmath.mpmathify(boundary(dom.complete(pt)))
        except (ValueError, TypeError, ZeroDivisionError, ArithmeticError):
            continue
        lo, hi, integer = dom.ranges[name]
        if not (isinstance(target, mpmath.mpf) and mpmath.mpf(lo) < target < mpmath.mpf(hi)):
            continue
        done.add(index)
        for side in ((target, hi), (lo, target)):
            trial = {**pt, name: _log_uniform(rng, *side, integer)}
            if dom.admits(dom.complete(trial)):
                pt = trial
                break
    return pt


def _boundaries(assumptions, derived_sym, consts_sub, names, fixed_values, derived):
    """For each assumption and each free variable x in it: the solutions x = b(others) of the
    boundary equation (SymPy solve, 5 s limit), as mpmath callables of a point."""
    out = []
    args = [VARIABLES[n][0] for n in names]
    for index, (a, _, b) in enumerate(assumptions):
        eq = (a - b).subs(derived_sym).subs(consts_sub)
        for x in eq.free_symbols:
            if x.name not in names or x.name in fixed_values or x.name in derived:
                continue
            try:
                sols = _with_time_limit(5.0, lambda: sympy.solve(eq, x))
            except Exception:  # no boundary found: the sampling still draws both sides at random
                continue
            for sol in sols:
                f = sympy.lambdify(args, sol, "mpmath")
                out.append((index, x.name, (lambda f: lambda pt: f(*[pt[n] for n in names]))(f)))
    return out


def _snapper(model):
    def snap(pt):
        T = pt["T"]
        lim = model.series_limit(pt) if model.series_limit else None
        if lim is not None and T >= lim:
            return T
        x = model.line_index(T, pt)
        n = max(model.first_line, int(mpmath.nint(x)))
        return model.line(n, mpmath.mpf(1), pt)[0]
    return snap


# ------------------------------------------------------------------ the check
# A point's two sides are computed at dps and dps + 15 digits.  dev is the relative deviation at the higher
# precision, err the change of the sides between the precisions (the numerical error of the lower).
#   agree:     dev falls with precision (dev <= dev_low/1000) or sits at the higher precision's rounding;
#   violate:   dev > RESOLUTION x err and above the higher precision's rounding: resolved, it refutes;
#   undecided: neither, after one more evaluation at dps + 30 -- the answer names the --dps that would settle it.
RESOLUTION = 100


@dataclass
class _Setup:
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


def _read_settings(set_, mdl):
    """--set NAME=VALUE pairs -> ({name: 60-digit string}, {symbol: exact value}); ClaimError when unusable."""
    fixed_values, fixed_sym = {}, {}
    for name, value in set_.items():
        if name in CONSTANTS or name == "E_h":
            raise ClaimError(f"--set {name}: {name} is a constant (CODATA 2022) and cannot be set")
        if name not in VARIABLES:
            raise ClaimError(f"--set {name}: unknown name; variables: {', '.join(VARIABLES)}")
        try:
            val = _parse_side(str(value), f"--set {name}").subs({c[0]: c[1].sympy() for c in CONSTANTS.values()})
        except ClaimError as exc:
            raise ClaimError(f"--set {name}={value!r}: not a number ({exc})") from None
        if val.free_symbols or not (val.is_real and val.is_positive and val.is_finite):
            raise ClaimError(f"--set {name}={value!r}: must be a positive finite number")
        if VARIABLES[name][3] and not val.is_integer:
            raise ClaimError(f"--set {name}={value!r}: must be a positive integer")
        lo, hi, _ = _ranges(mdl, [name])[name]
        if not sympy.Rational(lo) <= val <= sympy.Rational(hi):
            raise ClaimError(f"--set {name}={value!r} is outside the domain [{lo}, {hi}] over which nusym "
                             f"evaluates {name}")
        prm = next((p for p in mdl.params if p.name == name), None) if mdl else None
        if prm is not None and prm.fixed is not None:
            raise ClaimError(f"--set {name}: model {mdl.name} fixes {name} = {prm.fixed}")
        fixed_values[name] = str(sympy.N(val, 60))
        fixed_sym[VARIABLES[name][0]] = val
    return fixed_values, fixed_sym


def _model_fixed(mdl):
    """Parameters the model fixes (hydrogen's I = Z**2 E_h/2): ({name: callable(point)}, {symbol: expr})."""
    derived, derived_sym = {}, {}
    for prm in (mdl.params if mdl is not None else ()):
        if prm.fixed is not None:
            e = sympy.sympify(prm.fixed, locals=_namespace())
            derived_sym[VARIABLES[prm.name][0]] = e
            f = sympy.lambdify([s for s, *_ in VARIABLES.values()] + [c[0] for c in CONSTANTS.values()], e, "mpmath")
            derived[prm.name] = (lambda f: lambda pt: f(*[pt.get(n, 1) for n in VARIABLES],
                                                        *[c[1].mpf() for c in CONSTANTS.values()]))(f)
    return derived, derived_sym


def _setup(claim, model, assume, set_, dps, symbolic_seconds):
    """Read the claim, the assumptions and the settings; try the proof; compile both sides for mpmath."""
    if not isinstance(dps, int) or not 15 <= dps <= 200:
        raise ClaimError(f"dps={dps!r} is outside the allowed range [15, 200]")
    mdl = spectra.get(model) if model not in (None, "none") else None
    lhs, rel, rhs = parse_relation(claim)
    used = [str(f) for f in RESPONSES if lhs.has(f) or rhs.has(f)]
    if used and mdl is None:
        raise ClaimError(f"the claim uses {' and '.join(f + '(T, q)' for f in used)} but no model was given; "
                         f"--model one of {', '.join(spectra.MODELS)}")
    if "R" in used and mdl.transverse is None:
        raise ClaimError(f"model {mdl.name} does not define R(T, q); models that do: "
                         + ", ".join(m.name for m in spectra.MODELS.values() if m.transverse is not None))
    assumptions = [parse_relation(a, "assumption") for a in assume]
    fixed_values, fixed_sym = _read_settings(dict(set_ or {}), mdl)
    derived, derived_sym = _model_fixed(mdl)
    names_in_claim = {s.name for e in (lhs, rhs, *(x for a, _, b in assumptions for x in (a, b)))
                      for s in e.free_symbols}
    names = tuple(n for n in VARIABLES if n in names_in_claim or (mdl is not None and n in mdl.param_names))
    proof = _symbolic(lhs.subs(derived_sym), rel, rhs.subs(derived_sym), mdl, fixed_sym,
                      [(a.subs(derived_sym), r, b.subs(derived_sym)) for a, r, b in assumptions], symbolic_seconds)
    consts_sub = {c[0]: sympy.Float(c[1].value, 60) for c in CONSTANTS.values()}
    args = tuple(VARIABLES[n][0] for n in names)
    env = {}
    comp = _Compiler(mdl, env)
    shown = [f"{a} {r} {b}" for a, r, b in assumptions]
    f_l = comp.compile(lhs.subs(consts_sub), args)          # raises _NotSupported
    f_r = comp.compile(rhs.subs(consts_sub), args)
    f_as = [(comp.compile(a.subs(consts_sub), args), r, comp.compile(b.subs(consts_sub), args), text)
            for (a, r, b), text in zip(assumptions, shown)]
    call = lambda f, pt: f(*[pt[n] for n in names])
    dom = _Domain(names, _ranges(mdl, names), fixed_values, derived,
                  [((lambda f: lambda pt: call(f, pt))(a), r, (lambda g: lambda pt: call(g, pt))(b), text)
                   for a, r, b, text in f_as])
    dom.boundaries = tuple(_boundaries(assumptions, derived_sym, consts_sub, names, fixed_values, derived))
    if mdl is not None and mdl.line is not None and "T" in names and "T" not in fixed_values:
        dom.snap_T = _snapper(mdl)
    return _Setup(lhs, rel, rhs, mdl, names, dom, (lambda pt: call(f_l, pt)), (lambda pt: call(f_r, pt)), env,
                  shown, proof)


@dataclass
class _Point:
    kind: str                   # agree | violate | undecided | outside
    point: dict = None
    dev: float = 0.0
    lhs: str = ""
    rhs: str = ""
    reason: str = ""
    dps_needed: int | None = None


def _evaluate(st, raw, prec):
    """(point, (lhs, rhs)) at precision ``prec``; (point, None) outside the assumptions; raises on failure."""
    with mpmath.workdps(prec):
        pt = st.domain.complete({k: mpmath.mpf(v) for k, v in raw.items()})
        if not st.domain.admits(pt):
            return pt, None
        st.env.clear()
        st.env.update(pt)
        return pt, (mpmath.mpmathify(st.f_lhs(pt)), mpmath.mpmathify(st.f_rhs(pt)))


def _real_pair(st, pt, sides):
    """The two sides as finite reals, or the reason they are not."""
    if any(isinstance(v, mpmath.mpc) and v.imag != 0 for v in sides):
        return None, f"the claim is not real at {_show(pt, st.names)}"
    sides = [mpmath.re(v) for v in sides]
    if not all(mpmath.isfinite(v) for v in sides):
        return None, f"the claim is not finite at {_show(pt, st.names)}"
    return sides, ""


def _signed(l, r):
    scale = max(abs(l), abs(r))
    return (l - r) / scale if scale else mpmath.mpf(0)


def _compare(st, low, high, prec_high):
    """Judge one point from its sides at two precisions: (kind, dev, signed, err, reason)."""
    (l1, r1), (l2, r2) = low, high
    with mpmath.workdps(prec_high):
        scale = max(abs(l2), abs(r2))
        err = (abs(l1 - l2) + abs(r1 - r2)) / scale if scale else mpmath.mpf(0)
        signed, signed_low = _signed(l2, r2), _signed(l1, r1)
        dev = abs(signed)
        rounding = mpmath.mpf(10) ** -(prec_high - 5)
        if st.rel == "==":
            if dev <= rounding or (dev <= abs(signed_low) / 1000):
                return "agree", dev, signed, err
            if dev > RESOLUTION * err and dev > rounding:
                return "violate", dev, signed, err
            return "undecided", dev, signed, err
        # an inequality: the side that violates it, if any, must be resolved; so must a margin that meets it
        against = signed if st.rel in ("<", "<=") else -signed        # > 0 violates
        if against > 0 and against > RESOLUTION * err and against > rounding:
            return "violate", dev, signed, err
        if against < 0 and -against > RESOLUTION * err:
            return "agree", dev, signed, err
        if against == 0 and l2 == r2 and (l2 == 0 or r2 == 0):
            return ("violate" if st.rel in ("<", ">") else "agree"), dev, signed, err   # exactly equal: a side is 0
        if st.rel in ("<=", ">=") and (dev <= rounding or dev <= abs(signed_low) / 1000):
            return "agree", dev, signed, err                          # equal to the precision: <= and >= are met
        return "undecided", dev, signed, err


def _judge_point(st, raw, dps) -> _Point:
    """Evaluate the claim at one sampled point and judge it (see the rules above)."""
    try:
        pt, low = _evaluate(st, raw, dps)
        if low is None:
            return _Point("outside")
        _, high = _evaluate(st, raw, dps + 15)
        low, why = _real_pair(st, pt, low)
        high, why2 = _real_pair(st, pt, high) if low is not None else (None, why)
        if low is None or high is None:
            return _Point("undecided", pt, reason=why or why2)
        kind, dev, signed, err = _compare(st, low, high, dps + 15)
        if kind == "undecided":                      # one more precision before giving up
            _, higher = _evaluate(st, raw, dps + 30)
            higher, why = _real_pair(st, pt, higher)
            if higher is None:
                return _Point("undecided", pt, reason=why)
            kind, dev, signed, err = _compare(st, high, higher, dps + 30)
            high = higher
    except Exception as exc:  # noqa: BLE001 - any failure at a point leaves it undecided, never passed
        return _Point("undecided", None, reason=f"evaluation failed at {_show_raw(raw)}: {type(exc).__name__}: {exc}")
    if not (err <= mpmath.mpf(10) ** -6):
        return _Point("undecided", pt, float(dev), reason=f"numerical error {float(err):.2g} at {_show(pt, st.names)}")
    shown = max(12, min(dps, int(-mpmath.log10(dev)) + 4 if dev > 0 else 12))    # enough digits to see dev
    point = _Point(kind, pt, float(dev), mpmath.nstr(high[0], shown), mpmath.nstr(high[1], shown))
    if kind == "undecided":
        size = max(dev, err, mpmath.mpf(10) ** -(dps + 30))
        point.dps_needed = min(200, int(-mpmath.log10(size)) + 12)
        point.reason = (f"the deviation {mpmath.nstr(dev, 3)} at {_show(pt, st.names)} is not resolved by the numerical "
                        f"error {mpmath.nstr(err, 3)}")
    return point


def _conclude(st, points, evaluated, method, result):
    """The verdict from the judged points and the proof attempt."""
    bad = [p for p in points if p.kind == "violate"]
    undecided = [p for p in points if p.kind == "undecided"]
    worst = max((p.dev for p in points if p.kind in ("agree", "violate", "undecided") and p.point), default=None)
    dev_out = worst if st.rel == "==" and evaluated else None
    if bad:
        v = max(bad, key=lambda p: p.dev)
        cex = {n: mpmath.nstr(v.point[n], 12) for n in st.names}
        cex.update({"lhs": v.lhs, "rhs": v.rhs})
        if st.proof:
            return result("inconclusive", method, dev=v.dev, cex=cex,
                          reason="SymPy proved the claim but the numerics found a violation: report this")
        return result("refuted", method, dev=v.dev, cex=cex, points=evaluated)
    if evaluated == 0:
        return result("inconclusive", method, reason="no sampled point satisfies the assumptions"
                      + (f"; {undecided[0].reason}" if undecided else ""))
    if st.proof is False:
        return result("inconclusive", method, dev=dev_out,
                      reason="SymPy disproved the claim but no sampled point shows it; the failing region is narrow")
    if undecided:
        need = max((p.dps_needed for p in undecided if p.dps_needed), default=None)
        advice = f"; --dps {need} would resolve it" if need else ""
        return result("inconclusive", method, dev=dev_out, points=evaluated,
                      reason=f"{len(undecided)} point(s) undecided; first: {undecided[0].reason}{advice}")
    return result("holds", method if not st.proof else "symbolic proof (SymPy), confirmed by " + method,
                  dev=dev_out, points=evaluated)


def check(claim: str, model: str | None = None, assume=(), set=None, dps: int = 30, points: int = 40,
          seed: int = 20261123, symbolic_seconds: float = 10.0, stop_at_violation: bool = False) -> Verdict:
    """Check a claim (see the module docstring for the vocabulary and the method).

    ``assume``: relations restricting the domain ("T > I"); ``set``: {name: value} fixing variables;
    ``dps``: the lower working precision (the second is dps + 15, a third dps + 30 where the first two do
    not decide a point); ``stop_at_violation``: stop at the first resolved violation (a refutation needs
    only one).  Raises :class:`ClaimError` on bad usage.
    """
    t0 = time.perf_counter()
    try:
        st = _setup(claim, model, assume, set, dps, symbolic_seconds)
    except _NotSupported as exc:
        mdl = spectra.get(model) if model not in (None, "none") else None
        return Verdict("inconclusive", "none", None, None, mdl.name if mdl else None, list(assume), claim=claim,
                       reason=str(exc), seconds=time.perf_counter() - t0)
    result = lambda verdict, method, **kw: Verdict(verdict, method, kw.pop("dev", None), kw.pop("cex", None),
                                                  st.model.name if st.model else None, st.shown_assumptions,
                                                  claim=claim, seconds=time.perf_counter() - t0, **kw)
    rng = random.Random(seed)
    with mpmath.workdps(dps):
        free = [n for n in st.names if n not in st.domain.fixed_values and n not in st.domain.derived]
        candidates = _edges(rng, st.domain, st.model) + [_draw(rng, st.domain, free) for _ in range(points)]
    judged = []
    for raw in candidates:
        p = _judge_point(st, raw, dps)
        if p.kind != "outside":
            judged.append(p)
        if stop_at_violation and p.kind == "violate":
            break
    evaluated = sum(p.kind in ("agree", "violate") or p.dps_needed is not None for p in judged)
    method = f"numerics at {dps} and {dps + 15} digits over {evaluated} sampled points (edges included)"
    return _conclude(st, judged, evaluated, method, result)


def _show_raw(raw):
    return ", ".join(f"{n}={mpmath.nstr(v, 6)}" for n, v in raw.items())


def _show(pt, names):
    return ", ".join(f"{n}={mpmath.nstr(pt[n], 6)}" for n in names)
