"""The proof attempt: SymPy under the assumptions, within a time limit (SIGALRM in a budget worker)."""
from __future__ import annotations

import signal
import threading

import sympy
from sympy.core.function import AppliedUndef

from nusym import symbols as Sym
from nusym.claims.vocabulary import RESPONSES, VARIABLES, response_model
from nusym.runner import budget

__all__ = ["Timeout", "with_time_limit", "prove"]


class Timeout(BaseException):
    """Raised by SIGALRM in a worker; a BaseException, so that SymPy's own ``except Exception`` blocks (in
    integrate and solve) do not swallow it."""


def with_time_limit(seconds, fn):
    """fn() within ``seconds`` of SIGALRM, inside a worker process of :mod:`nusym.runner.budget` (whose timers are
    its own); elsewhere fn() as it is, leaving the caller's signals and timers alone."""
    if (not budget.in_worker() or threading.current_thread() is not threading.main_thread()
            or not hasattr(signal, "SIGALRM")):
        return fn()

    def handler(signum, frame):
        raise Timeout()
    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def prove(lhs, rel, rhs, model, fixed, assumptions, seconds=10.0):
    """True (proved), False (disproved), or None.  Assumptions of the form ``x > e`` / ``x < e`` (x a
    symbol) are built in by x = e + t / x = e/(1 + t) with t > 0; others make the attempt give up."""
    used = [f for f in RESPONSES if lhs.has(f) or rhs.has(f)]
    if any(response_model(model, f).symbolic is None for f in used):
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
    P = {name: VARIABLES[name].symbol for name in model.param_names if name in VARIABLES} if used else {}
    for fn in used:
        expr = sympy.sympify(response_model(model, fn).symbolic(P))
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
        return with_time_limit(seconds, attempt)
    except Timeout:
        return None
    except Exception:  # SymPy may fail in many ways on a hard claim: no symbolic verdict then
        return None
