"""The claim checker: is "LHS rel RHS" true over a model's physical domain?

A claim is a formula with one relation (==, <, <=, >, >=), read by :mod:`nusym.grammar`: numbers,
the names below, + - * / **, parentheses and calls of the functions below; nothing else, and
nothing is ever evaluated as Python.  Vocabulary (all positive reals in eV, hbar = c = 1, unless said):

  symbols    T (energy transfer), q (momentum transfer), p (bound-electron momentum), I (ionization
             potential), Z (positive integer), E_nu, M_a (atomic mass), omega (oscillator quantum),
             mu_nu (magnetic moment in natural units, 1/eV, as in the papers' formulas: write a moment of k Bohr
             magnetons as k*mu_B), s2w (sin^2 theta_W, dimensionless);
  constants  m_e, alpha, G_F (1/eV^2), E_h (= alpha**2 m_e), mu_B (= sqrt(alpha)/(2 m_e), the Bohr magneton with
             e**2 = alpha, the papers' Gaussian convention), at their CODATA 2022 values; pi, E, oo;
  functions  S(T, q) (the model's dynamical structure factor per atom, 1/eV), R(T, q) (its transverse
             current response, the binding paper's Eq. 10, velocities in units of c, 1/eV; defined by the
             free, oscillator and hydrogen models), q_plus(T, p),
             q_minus(T, p), q_a(T, I, M_a) (sqrt(2 M_a (T - I)), 0 for T <= I), dsigma_w_FE(T),
             dsigma_mu_FE(T) (the free-electron cross sections: G_F**2 m_e/(2 pi) (1 + 4 s2w + 8 s2w**2) and
             4 pi alpha mu_nu**2/T);
  and from SymPy: sqrt exp log (natural) sin cos tan asin acos atan atan2 sinh cosh tanh Abs sign Heaviside erf
             besselj Min Max, Rational(p, q), Integral(f, (x, a, b)), Derivative(f, x[, n]), Limit(f, x, a).
Integrals over q**2 are written in q: dq**2 = 2 q dq.  Decimals are exact: 0.1 is 1/10.

A check runs in a worker process under a time budget (``timeout``, ``--timeout``, default 60 s); when
it runs out, or when SymPy or mpmath cannot evaluate the claim, the verdict is inconclusive with the
reason.  Bad usage (a claim outside the grammar, an unknown model, an option out of range) raises
:class:`ClaimError`: exit status 2 on the command line.

Method: a symbolic proof is tried first (SymPy, under the assumptions); then the claim is
evaluated at sampled points of the domain, at two working precisions, the difference of the
two being the numerical error.  A point refutes the claim only when its deviation exceeds that
error by a wide margin; a claim holds only when no sampled point does.  Points are drawn
log-uniformly over each variable's physical range and at the edges: range ends, the thresholds
and lines of the model, and both sides of every assumption's boundary.  The points are judged
by one process per core (``workers``); the verdict is the same with any number.

Inside a discrete spectrum S(T, q) at fixed T means the line-averaged density at the line
energies (see :mod:`nusym.spectra`), and T is sampled at the line energies.  A free-electron S is
a delta function: it must appear under an integral over q or T.
"""
from __future__ import annotations

import math
import random
import signal
import threading
import time
from dataclasses import dataclass

import mpmath
import sympy
from sympy.core.function import AppliedUndef

from . import constants as K
from . import budget, grammar, highprec, spectra
from . import symbols as Sym

__all__ = ["check", "Verdict", "ClaimError", "VARIABLES", "FUNCTIONS", "RELATIONS"]

RELATIONS = tuple(grammar.RELATIONS.values())


class ClaimError(ValueError):
    """The claim, an assumption, a setting or an option cannot be used (bad usage: exit status 2)."""


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
    # 0 below the threshold, as nusym.numeric.q_a: no q is allowed there
    "q_a": sympy.Lambda((_T, _I, _M), sympy.sqrt(2 * _M * sympy.Max(_T - _I, 0))),
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
            lines.append("  counterexample: " + ", ".join(f"{k}={v:.12g}" if isinstance(v, float) else f"{k}={v}"
                                                          for k, v in self.counterexample.items()))
        if self.reason:
            lines.append(f"  {self.reason}")
        return "\n".join(lines)


# ------------------------------------------------------------------ reading
def _vocabulary() -> grammar.Vocabulary:
    """The names and functions a claim may use (see the module docstring); nothing else is reachable."""
    names = {name: v[0] for name, v in VARIABLES.items()}
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


def _read(read, text, what, build=True):
    try:
        return read(text, _VOCABULARY, what, build)
    except grammar.GrammarError as exc:
        raise ClaimError(str(exc)) from None


def parse_relation(text: str, what: str = "claim", build: bool = True):
    """(lhs, rel, rhs) of a claim or assumption; ClaimError when it is not in the grammar.  ``build=False``
    checks the grammar only, without SymPy (bounded time; see :mod:`nusym.grammar`)."""
    return _read(grammar.read_relation, text, what, build)


def parse_expression(text: str, what: str):
    return _read(grammar.read_expression, text, what)


_VOCABULARY = _vocabulary()


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
                        total += highprec.quad(lambda x: r(x, *vals), [A, B])
                    return sign * total
                return self._cached(integral, True)
        if s_atoms:
            raise _NotSupported("S or R must enter an integral linearly, once, with the integration variable itself "
                                "as its T or q argument (substitute to bring the integral to that form), so that "
                                "its thresholds, lines and delta functions are integrated exactly")
        f = self.compile(body, (v,) + outer)
        return self._cached(lambda *vals: highprec.quad(lambda x: f(x, *vals), _decades(lo(*vals), hi(*vals))),
                            _uses_response(body))

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


def _decades(a, b):
    """[a, ..., b] with the powers of ten of the physical ranges (1e-3 ... 1e11 eV, either sign) strictly
    between a and b as breakpoints: tanh-sinh quadrature puts its nodes densely near the ends of each
    piece, so a feature (a peak at T = 1000 on [0, oo)) is not stepped over for lack of nodes there.
    A breakpoint cannot make any quadrature see what is narrower than its nodes: the proof attempt and
    the precision change remain the other two guards."""
    lo, hi = min(a, b), max(a, b)
    inner = sorted(x for k in range(-3, 12) for x in (mpmath.mpf(10) ** k, -mpmath.mpf(10) ** k) if lo < x < hi)
    pts = [lo, *inner, hi]
    return pts if a <= b else pts[::-1]


# ------------------------------------------------------------------ symbolic attempt
class _Timeout(BaseException):
    """Raised by SIGALRM in a worker; a BaseException, so that SymPy's own ``except Exception`` blocks (in
    integrate and solve) do not swallow it."""


def _with_time_limit(seconds, fn):
    """fn() within ``seconds`` of SIGALRM, inside a worker process of :mod:`nusym.budget` (whose timers are
    its own); elsewhere fn() as it is, leaving the caller's signals and timers alone."""
    if (not budget.in_worker() or threading.current_thread() is not threading.main_thread()
            or not hasattr(signal, "SIGALRM")):
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
        # extended: a side SymPy finds infinite (a divergent integral) is decided against a finite one
        ok = d.is_extended_positive if rel in ("<", ">") else d.is_extended_nonnegative
        bad = d.is_extended_nonpositive if rel in ("<", ">") else d.is_extended_negative
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
    boundary and the end of its range on the side the assumption admits (the first variable, in the
    order of their names, for which that side exists and the redrawn point is admitted), so that
    narrow domains are sampled as densely as wide ones."""
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
        for side in ((target, hi), (lo, target)):
            trial = {**pt, name: _log_uniform(rng, *side, integer)}
            if dom.admits(dom.complete(trial)):
                pt = trial
                done.add(index)           # else another variable of the same assumption is tried
                break
    return pt


def _branches(eq, most=8):
    """``eq`` with each Max and Min replaced by one of its arguments, every choice (at most ``most``):
    solve() does not invert them, and a boundary lies on one of the branches."""
    out = [eq]
    for m in sorted(eq.atoms(sympy.Max, sympy.Min), key=sympy.default_sort_key):
        out = [e.xreplace({m: a}) for e in out for a in m.args][:most]
    return out


def _boundaries(assumptions, derived_sym, consts_sub, names, fixed_values, derived, sides, seconds=5.0):
    """For each assumption and each free variable x in it: the solutions x = b(others) of the
    boundary equation (SymPy solve, ``seconds`` each), as mpmath callables of a point.

    solve() is asked for candidates only (check=False, simplify=False: its symbolic check of each root of a
    radical equation took most of a second); a candidate is a boundary at a point where the assumption's two
    sides, ``sides[index]`` = (lhs(point), rhs(point)), agree with x set to it, and None elsewhere (a root of
    the squared equation, or of a branch of a Max that is not taken there)."""
    out = []
    args = [VARIABLES[n][0] for n in names]
    for index, (a, _, b) in enumerate(assumptions):
        whole = (a - b).subs(derived_sym).subs(consts_sub)
        for x, eq in ((x, eq) for x in sorted(whole.free_symbols, key=lambda s: s.name) for eq in _branches(whole)):
            if x.name not in names or x.name in fixed_values or x.name in derived:
                continue
            try:
                sols = _with_time_limit(seconds, lambda: sympy.solve(eq, x, check=False, simplify=False))
            except (Exception, _Timeout):  # no boundary found: the sampling still draws both sides at random
                continue
            for sol in sols:
                f = sympy.lambdify(args, sol, "mpmath")
                out.append((index, x.name, _checked_boundary(f, names, x.name, sides[index])))
    return out


BOUNDARY_TOLERANCE = 1e-8         # relative mismatch of an assumption's sides at a boundary candidate


def _checked_boundary(f, names, name, sides):
    """pt -> x on the boundary (f at pt), or None where the assumption's sides do not meet there."""
    def boundary(pt):
        target = f(*[pt[n] for n in names])
        if not isinstance(target, mpmath.mpf):
            return None
        a, b = (mpmath.mpmathify(v) for v in sides({**pt, name: target}))
        if isinstance(a, mpmath.mpc) or isinstance(b, mpmath.mpc):
            return None
        return target if abs(a - b) <= BOUNDARY_TOLERANCE * max(abs(a), abs(b)) else None
    return boundary


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


def _setting_readable(name, value):
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
        _read(grammar.read_expression, str(value), f"--set {name}", build=False)
    except ClaimError as exc:
        raise ClaimError(f"--set {name}={value!r}: not a number ({exc})") from None


def _read_settings(set_, mdl):
    """--set NAME=VALUE pairs -> ({name: 60-digit string}, {symbol: exact value}); ClaimError when unusable."""
    fixed_values, fixed_sym = {}, {}
    for name, value in set_.items():
        _setting_readable(name, value)
        try:
            val = parse_expression(str(value), f"--set {name}").subs({c[0]: c[1].sympy() for c in CONSTANTS.values()})
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
            e = parse_expression(prm.fixed, f"model {mdl.name}: {prm.name}")
            derived_sym[VARIABLES[prm.name][0]] = e
            f = sympy.lambdify([s for s, *_ in VARIABLES.values()] + [c[0] for c in CONSTANTS.values()], e, "mpmath")
            derived[prm.name] = (lambda f: lambda pt: f(*[pt.get(n, 1) for n in VARIABLES],
                                                        *[c[1].mpf() for c in CONSTANTS.values()]))(f)
    return derived, derived_sym


def _operators_done(expr):
    """Derivative and Limit carried out (SymPy); _NotSupported where SymPy cannot."""
    def done(e):
        try:
            out = e.doit()
        except Exception as exc:  # noqa: BLE001 - SymPy fails in many ways; the claim is then not evaluated
            raise _NotSupported(f"SymPy cannot evaluate {e}: {type(exc).__name__}: {exc}") from None
        if out.has(sympy.Derivative, sympy.Limit) or out.has(sympy.zoo, sympy.nan, sympy.AccumBounds):
            raise _NotSupported(f"SymPy cannot evaluate {e} to an expression (it gives {out})")
        return out
    return expr.replace(lambda e: isinstance(e, (sympy.Derivative, sympy.Limit)), done)


def _setup(claim, model, assume, set_, dps, symbolic_seconds, progress=lambda text: None):
    """Read the claim, the assumptions and the settings; try the proof; compile both sides for mpmath."""
    progress("reading the claim, the assumptions and the settings")
    mdl = spectra.get(model) if model not in (None, "none") else None
    lhs, rel, rhs = (_operators_done(x) if i != 1 else x for i, x in enumerate(parse_relation(claim)))
    used = [str(f) for f in RESPONSES if lhs.has(f) or rhs.has(f)]
    if used and mdl is None:
        raise ClaimError(f"the claim uses {' and '.join(f + '(T, q)' for f in used)} but no model was given; "
                         f"--model one of {', '.join(spectra.MODELS)}")
    if "R" in used and mdl.transverse is None:
        raise ClaimError(f"model {mdl.name} does not define R(T, q); models that do: "
                         + ", ".join(m.name for m in spectra.MODELS.values() if m.transverse is not None))
    assumptions = [(_operators_done(a), r, _operators_done(b))
                   for a, r, b in (parse_relation(text, "assumption") for text in assume)]
    fixed_values, fixed_sym = _read_settings(dict(set_ or {}), mdl)
    derived, derived_sym = _model_fixed(mdl)
    names_in_claim = {s.name for e in (lhs, rhs, *(x for a, _, b in assumptions for x in (a, b)))
                      for s in e.free_symbols}
    names = tuple(n for n in VARIABLES if n in names_in_claim or (mdl is not None and n in mdl.param_names))
    progress("the symbolic proof (SymPy)")
    proof = None if symbolic_seconds <= 0 else _symbolic(
        lhs.subs(derived_sym), rel, rhs.subs(derived_sym), mdl, fixed_sym,
        [(a.subs(derived_sym), r, b.subs(derived_sym)) for a, r, b in assumptions], symbolic_seconds)
    progress("compiling the claim for mpmath")
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
    progress("solving for the assumptions' boundaries")
    with_derived = lambda pt: {**pt, **{k: f(pt) for k, f in derived.items()}}      # no snapping to lines
    sides = [(lambda a, b: lambda pt: (call(a, with_derived(pt)), call(b, with_derived(pt))))(a, b)
             for a, _, b, _ in f_as]
    dom.boundaries = tuple(_boundaries(assumptions, derived_sym, consts_sub, names, fixed_values, derived, sides,
                                       seconds=min(5.0, symbolic_seconds / 2 + 0.1)))
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


def _unconverged(st, low, high):
    """The side holding an integral whose value moved by more than highprec.QUAD_TOLERANCE of itself between
    the precisions ('left', 'right'), or None.  Such a side is not computed, however small it is beside the
    other: a divergent integral gives mpmath a finite number that grows with the precision (int_0^oo dT is
    2e34 at 30 digits, 3e49 at 45), and measured against 10**100 its change would look like rounding."""
    for side, x1, x2, has in (("left", low[0], high[0], st.lhs.has(sympy.Integral)),
                              ("right", low[1], high[1], st.rhs.has(sympy.Integral))):
        if has and abs(x1 - x2) > highprec.QUAD_TOLERANCE * abs(x2):
            return side
    return None


def _compare(st, low, high, prec_high):
    """Judge one point from its sides at two precisions: (kind, dev, signed, err)."""
    (l1, r1), (l2, r2) = low, high
    with mpmath.workdps(prec_high):
        scale = max(abs(l2), abs(r2))
        err = (abs(l1 - l2) + abs(r1 - r2)) / scale if scale else mpmath.mpf(0)
        signed, signed_low = _signed(l2, r2), _signed(l1, r1)
        dev = abs(signed)
        if _unconverged(st, low, high):
            return "undecided", dev, signed, err
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
    side = _unconverged(st, low, high) if kind == "undecided" else None
    if side:
        point.reason = (f"the integral on the {side} side does not converge: it changes with the precision "
                        f"({point.lhs if side == 'left' else point.rhs} at {dps + 30} digits) at {_show(pt, st.names)}")
    elif kind == "undecided":
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
        # the point as numbers (an integer variable as an int); the two sides as decimal text, with the digits that
        # show their difference (a float would round it away)
        cex = {n: int(v.point[n]) if VARIABLES[n][3] else float(v.point[n]) for n in st.names}
        cex.update({"lhs": v.lhs, "rhs": v.rhs})
        if st.proof:
            return result("inconclusive", method, dev=v.dev, cex=cex,
                          reason="SymPy proved the claim but the numerics found a violation: report this")
        return result("refuted", method, dev=v.dev, cex=cex, points=evaluated)
    if evaluated == 0:
        why = (f"no sampled point could be evaluated; first: {undecided[0].reason}" if undecided
               else "no sampled point satisfies the assumptions" if st.shown_assumptions else "no point was sampled")
        return result("inconclusive", method, reason=why)
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


DEFAULT_TIMEOUT = 60.0
MAX_WORKERS = 8                   # processes judging the sampled points of one check
MAX_REASON = 1000                 # characters of a verdict's reason (SymPy may print a huge expression in it)
_LIMITS = {"dps": (15, 200), "points": (0, 10000), "timeout": (0.1, 86400.0), "symbolic_seconds": (0.0, 3600.0)}


def _options(claim, model, assume, set, dps, points, seed, symbolic_seconds, timeout, stop_at_violation, workers=None):
    """Validate what the caller passed, before any work: (model, assume, set) normalized; ClaimError."""
    if not isinstance(claim, str):
        raise ClaimError(f"claim must be a string (got {type(claim).__name__}: {claim!r:.60})")
    if model is not None and not isinstance(model, str):
        raise ClaimError(f"model={model!r} must be a string; allowed: none, {', '.join(spectra.MODELS)}")
    if model not in (None, "none") and model not in spectra.MODELS:
        raise ClaimError(f"model={model!r} is not known; allowed: none, {', '.join(spectra.MODELS)}")
    if isinstance(assume, str) or not isinstance(assume, (list, tuple)):
        raise ClaimError(f"assume={assume!r:.60} must be a list of relations (strings)")
    if set is None:
        set = {}
    if not isinstance(set, dict):
        raise ClaimError(f"set={set!r:.60} must be a dict {{name: value}}")
    if not isinstance(stop_at_violation, bool):
        raise ClaimError(f"stop_at_violation={stop_at_violation!r:.60} must be True or False")
    for name, value in {"dps": dps, "points": points, "seed": seed}.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ClaimError(f"{name}={value!r} must be an integer")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or not 1 <= workers <= MAX_WORKERS):
        raise ClaimError(f"workers={workers!r} must be None or an integer in [1, {MAX_WORKERS}]")
    for name, value in {"dps": dps, "points": points, "timeout": timeout, "symbolic_seconds": symbolic_seconds}.items():
        lo, hi = _LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            raise ClaimError(f"{name}={value!r} is outside the allowed range [{lo:g}, {hi:g}]")
    # what can be said without SymPy is said now, as bad usage; the rest comes back from the worker
    parse_relation(claim, build=False)
    for a in assume:
        parse_relation(a, "assumption", build=False)
    for name, value in set.items():
        _setting_readable(name, value)
    # plain built-in types from here on: a str or int subclass of the caller's need not pickle for the worker
    plain = lambda v: str.__str__(v) if isinstance(v, str) else int(v) if isinstance(v, int) else float(v)
    return (None if model in (None, "none") else str.__str__(model), tuple(str.__str__(a) for a in assume),
            {str.__str__(k): plain(v) for k, v in set.items()})


def check(claim: str, model: str | None = None, assume=(), set=None, dps: int = 30, points: int = 40,
          seed: int = 20261123, symbolic_seconds: float = 10.0, stop_at_violation: bool = False,
          timeout: float = DEFAULT_TIMEOUT, workers: int | None = None) -> Verdict:
    """Check a claim (see the module docstring for the vocabulary and the method).

    ``assume``: relations restricting the domain ("T > I"); ``set``: {name: value} fixing variables;
    ``dps``: the lower working precision (the second is dps + 15, a third dps + 30 where the first two do
    not decide a point); ``points``: random points besides the edges; ``symbolic_seconds``: the share of
    the budget the proof attempt may take; ``stop_at_violation``: stop at the first resolved violation (a
    refutation needs only one); ``timeout``: seconds for the whole check, after which it is inconclusive;
    ``workers``: processes that judge the sampled points (default: one per core, at most MAX_WORKERS; the
    verdict does not depend on it).

    The work runs in a worker process (:mod:`nusym.budget`): the budget holds whatever SymPy or mpmath
    are doing, from any thread, and the caller's timers and output are untouched.  Raises
    :class:`ClaimError` on bad usage; every other outcome, a failure to evaluate included, is a Verdict.
    """
    t0 = time.perf_counter()
    model, assume, set = _options(claim, model, assume, set, dps, points, seed, symbolic_seconds, timeout,
                                  stop_at_violation, workers)
    workers = min(budget.cores(), MAX_WORKERS) if workers is None else int(workers)
    claim = str.__str__(claim)
    shown = " ".join(claim.split())          # echoed on one line: no line break or tab of the input reaches the output
    failed = lambda reason: Verdict("inconclusive", "none", None, None, model, list(assume), claim=shown,
                                    reason=reason)
    try:
        # the proof attempt gets at most a third of the budget, so that the numerics have the rest
        verdict = budget.call(_check, (claim, model, assume, set, dps, points, seed,
                                       min(symbolic_seconds, timeout / 3), stop_at_violation, workers), timeout,
                              passed=(ClaimError,))
        verdict.claim = shown
    except budget.OutOfTime as exc:
        verdict = failed(f"{exc}; a larger --timeout may decide it")
    except budget.WorkerFailed as exc:
        verdict = failed(f"could not evaluate: {exc}")
    verdict.assumptions = [" ".join(a.split()) for a in verdict.assumptions]
    verdict.reason = verdict.reason if len(verdict.reason) <= MAX_REASON else verdict.reason[:MAX_REASON] + " [...]"
    verdict.seconds = time.perf_counter() - t0           # the whole call, starting the worker included
    return verdict


def _check(claim, model, assume, set_, dps, points, seed, symbolic_seconds, stop_at_violation, workers=1,
           progress=lambda text: None) -> Verdict:
    """The check itself (in the worker)."""
    t0 = time.perf_counter()
    try:
        st = _setup(claim, model, assume, set_, dps, symbolic_seconds, progress)
    except _NotSupported as exc:
        return Verdict("inconclusive", "none", None, None, model, list(assume), claim=claim,
                       reason=str(exc), seconds=time.perf_counter() - t0)
    result = lambda verdict, method, **kw: Verdict(verdict, method, kw.pop("dev", None), kw.pop("cex", None),
                                                  st.model.name if st.model else None, st.shown_assumptions,
                                                  claim=claim, seconds=time.perf_counter() - t0, **kw)
    rng = random.Random(seed)
    progress("sampling the domain")
    with mpmath.workdps(dps):
        free = [n for n in st.names if n not in st.domain.fixed_values and n not in st.domain.derived]
        candidates = _edges(rng, st.domain, st.model) + [_draw(rng, st.domain, free) for _ in range(points)]
    judged = [p for p in _judge_all(st, candidates, dps, stop_at_violation, workers, progress) if p.kind != "outside"]
    evaluated = sum(p.kind in ("agree", "violate") or p.dps_needed is not None for p in judged)
    method = f"numerics at {dps} and {dps + 15} digits over {evaluated} sampled points (edges included)"
    return _conclude(st, judged, evaluated, method, result)


def _judge_share(st, candidates, indices, dps, stop_at_violation, progress=lambda text: None):
    """[(index, _Point)] for the candidates at ``indices``, in order, up to the first violation if asked."""
    out = []
    for i in indices:
        progress(f"numerics at point {i + 1} of {len(candidates)} ({_show_raw(candidates[i])})")
        out.append((i, _judge_point(st, candidates[i], dps)))
        if stop_at_violation and out[-1][1].kind == "violate":
            break
    return out


def _judge_all(st, candidates, dps, stop_at_violation, workers, progress):
    """The judged candidates, in order: the same list whether one process judges them all or ``workers``
    processes (:func:`nusym.budget.helpers`, inside a worker) each judge every workers-th of them.  With
    ``stop_at_violation`` the list ends at the first violation in candidate order, as one process's would: a
    share that stopped at a later violation has judged every one of its points before the first."""
    shares = [range(i, len(candidates), workers) for i in range(min(workers, len(candidates)))]
    waits = []
    if len(shares) > 1 and budget.in_worker():
        try:
            waits = budget.helpers(_judge_share, [(st, candidates, share, dps, stop_at_violation)
                                                  for share in shares[1:]])
        except budget.WorkerFailed:
            waits = []
    if not waits:
        shares = [range(len(candidates))]
    judged = dict(_judge_share(st, candidates, shares[0], dps, stop_at_violation, progress))
    for share, wait in zip(shares[1:], waits):
        try:
            judged.update(wait())
        except budget.WorkerFailed:                 # a helper that died: its points are judged here
            judged.update(_judge_share(st, candidates, share, dps, stop_at_violation, progress))
    out = [judged[i] for i in sorted(judged)]
    if stop_at_violation:
        first = next((k for k, p in enumerate(out) if p.kind == "violate"), None)
        out = out if first is None else out[:first + 1]
    return out


def _show_raw(raw):
    return ", ".join(f"{n}={mpmath.nstr(v, 6)}" for n, v in raw.items()) or "its only point (it has no variables)"


def _show(pt, names):
    return ", ".join(f"{n}={mpmath.nstr(pt[n], 6)}" for n in names) or "its only point (it has no variables)"
