"""Where a claim is evaluated: its domain, log-uniform draws over each variable's range, the edges (range ends,
the model's threshold and lines), and both sides of every assumption's boundary (solved by SymPy)."""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy

from nusym.claims.symbolic import Timeout, with_time_limit
from nusym.claims.vocabulary import VARIABLES

__all__ = ["log_uniform", "ranges", "Domain", "edge_points", "draw", "boundaries", "snapper", "BOUNDARY_TOLERANCE"]


def log_uniform(rng, lo, hi, integer):
    lo, hi = mpmath.mpf(lo), mpmath.mpf(hi)
    x = lo * (hi / lo) ** mpmath.mpf(rng.random())
    return mpmath.mpf(int(mpmath.nint(x))) if integer else x


def ranges(model, names):
    out = {}
    for name in names:
        v = VARIABLES[name]
        (lo, hi), integer = v.sampled, v.integer
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
class Domain:
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


def edge_points(rng, dom, model):
    """Points at the edges: range ends, model thresholds and lines, assumption boundaries."""
    free = [n for n in dom.names if n not in dom.fixed_values and n not in dom.derived]
    base = lambda: {n: log_uniform(rng, *dom.ranges[n]) for n in free}
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


def draw(rng, dom, free):
    """A log-uniform point; for each assumption, one variable it bounds is redrawn between its
    boundary and the end of its range on the side the assumption admits (the first variable, in the
    order of their names, for which that side exists and the redrawn point is admitted), so that
    narrow domains are sampled as densely as wide ones."""
    pt = {n: log_uniform(rng, *dom.ranges[n]) for n in free}
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
            trial = {**pt, name: log_uniform(rng, *side, integer)}
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


def boundaries(assumptions, derived_sym, consts_sub, names, fixed_values, derived, sides, seconds=5.0):
    """For each assumption and each free variable x in it: the solutions x = b(others) of the
    boundary equation (SymPy solve, ``seconds`` each), as mpmath callables of a point.

    solve() is asked for candidates only (check=False, simplify=False: its symbolic check of each root of a
    radical equation took most of a second); a candidate is a boundary at a point where the assumption's two
    sides, ``sides[index]`` = (lhs(point), rhs(point)), agree with x set to it, and None elsewhere (a root of
    the squared equation, or of a branch of a Max that is not taken there)."""
    out = []
    args = [VARIABLES[n].symbol for n in names]
    for index, (a, _, b) in enumerate(assumptions):
        whole = (a - b).subs(derived_sym).subs(consts_sub)
        for x, eq in ((x, eq) for x in sorted(whole.free_symbols, key=lambda s: s.name) for eq in _branches(whole)):
            if x.name not in names or x.name in fixed_values or x.name in derived:
                continue
            try:
                sols = with_time_limit(seconds, lambda: sympy.solve(eq, x, check=False, simplify=False))
            except (Exception, Timeout):  # no boundary found: the sampling still draws both sides at random
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


def snapper(model):
    def snap(pt):
        T = pt["T"]
        lim = model.series_limit(pt) if model.series_limit else None
        if lim is not None and T >= lim:
            return T
        x = model.line_index(T, pt)
        n = max(model.first_line, int(mpmath.nint(x)))
        return model.line(n, mpmath.mpf(1), pt)[0]
    return snap
