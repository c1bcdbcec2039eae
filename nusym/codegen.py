"""From derived SymPy expressions to float64 numpy code, deterministically.

A :class:`Kernel` names a derived expression, its arguments (with the range a caller may
pass and the range over which accuracy is measured), and the intermediate quantities the
code should compute first (q_-, q_+, q_a, ...).  Generation:

1. every intermediate goes through :mod:`nusym.rewriting` (each rewrite proven equal);
2. constants are substituted exactly and every constant subexpression is folded into one
   correctly rounded float literal (G_F**2 m_e/(2 pi) (hbar c)**2 is one number);
3. leading guard branches (T <= I -> 0) are evaluated on the arguments, then every branch of the
   expression on the elements where it holds and no earlier one did, so no formula ever sees an
   argument outside its branch (numpy.select would evaluate every branch everywhere);
4. exact rescalings by powers of two (:class:`Scaling`, homogeneity proven) keep intermediates such as
   2 m_e T inside the normal float range; power-of-two scaling commutes with rounding, so the results
   are bit for bit those of the unscaled formula wherever that one neither underflows nor overflows;
5. proven inequalities are enforced on the rounded values: an ordering of intermediates (q_- <= q_+)
   and the result range of the kernel (a recoil factor in [0, 1]: a quotient is formed only where it
   stays inside, which also rules out its overflow).  Moving a rounded value towards a range that holds
   the exact value can only reduce its error.

The arithmetic runs with underflow unreported (a value below the float range rounds to a subnormal or 0,
the correctly rounded result); overflow, division by zero and invalid operations cannot occur for allowed
arguments, which tests/test_kernels_total.py checks over the whole allowed domain.

Output is a pure function of the kernels and the SymPy version: `nusym codegen --check`
regenerates and compares byte for byte.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sympy
from sympy.printing.numpy import NumPyPrinter

from . import constants as K
from . import symbols as S
from .registry import derivation_modules
from .rewriting import Rewrite, apply_rewrites, prove_homogeneous, prove_order, prove_range

__all__ = ["Arg", "Scaling", "Kernel", "collect_kernels", "generate", "write", "stale", "CONSTANTS"]

# Constant symbols a derived expression may contain, and their exact values.
CONSTANTS = {S.m_e: K.M_E.sympy(), S.alpha: K.ALPHA.sympy(), S.G_F: K.G_F.sympy()}
HBAR_C = sympy.Symbol("hbar_c", positive=True)  # eV*cm, for unit conversion factors


@dataclass(frozen=True)
class Arg:
    """One argument: its symbol, the range a caller may pass, and the measured-accuracy domain."""

    symbol: sympy.Symbol
    name: str
    unit: str
    doc: str
    allowed: tuple = (0.0, 1e100, True)        # (lo, hi, lo_open)
    domain: tuple = (1e-3, 1e7)                 # log-uniform accuracy samples
    default: str | None = None                  # python literal of the default value
    why: str = ""                               # the physical reason for a narrowed allowed range


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
        full = sympy.Piecewise(*[(v, c) for c, v in self.guards], (body * self.scale, True)) \
            if self.guards else body * self.scale
        return _exact_constants(full)


def _exact_constants(expr: sympy.Expr) -> sympy.Expr:
    return expr.subs({**CONSTANTS, HBAR_C: K.hbar_c(sympy)})


def _fold(e: sympy.Expr) -> sympy.Expr:
    """Fold every constant subexpression into one Float carrying 40 digits."""
    if e.is_Integer or e.is_Symbol or e is sympy.S.Half:
        return e
    if e.is_number:
        return sympy.Float(sympy.N(e, 40), 40)
    if isinstance(e, sympy.Pow):
        return sympy.Pow(_fold(e.base), e.exp, evaluate=False)
    if isinstance(e, sympy.Mul):
        num = sympy.Mul(*[a for a in e.args if a.is_number])
        rest = [_fold(a) for a in e.args if not a.is_number]
        head = [] if num == 1 else [num if num.is_Integer else _fold(num)]
        return sympy.Mul(*head, *rest, evaluate=False)
    if not e.args:
        return e
    return e.func(*[_fold(a) for a in e.args])


class _Printer(NumPyPrinter):
    """NumPy printer whose float literals are the shortest repr of the correctly rounded double."""

    def _print_Float(self, e):
        return repr(float(e))

    def _print_Rational(self, e):
        return str(e.p) if e.q == 1 else repr(float(e))


def _print(e: sympy.Expr) -> str:
    return _Printer({"fully_qualified_modules": True}).doprint(e)


def collect_kernels() -> list[Kernel]:
    """Every Kernel listed in a ``KERNELS`` tuple of a module of ``nusym.derivations``."""
    kernels = []
    for mod in derivation_modules():
        kernels.extend(getattr(mod, "KERNELS", ()))
    return kernels


def _scaled_expr(kernel: Kernel) -> sympy.Expr:
    """The kernel's expression times its unit factor, constants exact (a Piecewise stays one)."""
    return sympy.piecewise_fold(_exact_constants(kernel.expr * kernel.scale))


def _pieces(expr: sympy.Expr) -> list:
    """(value, condition) of each branch; one branch (expr, True) for an expression without any."""
    return list(expr.args) if isinstance(expr, sympy.Piecewise) else [(expr, sympy.true)]


def _prove(kernel: Kernel) -> list[str]:
    """Prove every order, range and scaling ``kernel`` declares; their descriptions for the docstring."""
    defs = dict(kernel.intermediates)
    names = {a.symbol: a.name for a in kernel.args}
    facts = []
    for lower, upper in kernel.orders:
        if not prove_order(defs[lower], defs[upper]):
            raise AssertionError(f"{kernel.name}: {lower} < {upper} not proven")
        gap = sympy.sstr(sympy.simplify(sympy.radsimp(sympy.together(defs[upper] - defs[lower]))))
        shown = f"{upper} - {lower} = {gap} > 0" if len(gap) <= 40 else f"{upper} - {lower} > 0"
        facts.append(f"{lower} <= {upper} ({shown}), enforced on the rounded values")
    if kernel.result_range is not None:
        lo, hi = kernel.result_range
        if not (all(lo <= sympy.sympify(v) <= hi for _, v in kernel.guards)
                and prove_range(kernel.expr, kernel.intermediates, [a.symbol for a in kernel.args], lo, hi)):
            raise AssertionError(f"{kernel.name}: result range [{lo}, {hi}] not proven")
        facts.append(f"every value lies in [{lo}, {hi}] (each branch; the middle one with its pivot between "
                     f"its bounds); a quotient is formed only where it stays <= {hi}, so rounding can neither "
                     "push it out nor overflow it")
    for sc in kernel.scalings:
        if not prove_homogeneous(dict(sc.weights), sc.degree, kernel.intermediates, _scaled_expr(kernel)):
            raise AssertionError(f"{kernel.name}: homogeneity {sc.describe(names)} not proven")
        facts.append(f"exact rescaling (homogeneity proven): {sc.describe(names)}")
    return facts


@dataclass
class _Step:
    """One statement of a generated body (``code``), or a branch (``cond`` with ``value``) that fills the
    output where it holds and drops those elements from every live array."""

    reads: set
    writes: tuple = ()
    code: str = ""
    cond: str = ""
    value: sympy.Expr | None = None


def _names(e) -> set:
    return {s.name for s in sympy.sympify(e).free_symbols}


def _value_code(kernel: Kernel, value: sympy.Expr, on: str | None, unscale: bool) -> str:
    """Code of a branch value on the elements ``on`` (a mask name, or None for all current ones)."""
    if on is not None:
        value = value.subs({s: sympy.Symbol(f"{s.name}[{on}]") for s in value.free_symbols})
    num, den = sympy.fraction(value)
    if kernel.result_range is not None and not value.is_number and den != 1:
        lo, hi = kernel.result_range
        if lo != 0:
            raise NotImplementedError(f"{kernel.name}: bounded quotients need a range starting at 0")
        code = f"_ratio_at_most({_print(num)}, {_print(den)}, {_print(sympy.sympify(hi))})"
    else:
        code = _print(value)
    if unscale and value != 0:
        code = f"numpy.ldexp({code}, _e{'' if on is None else f'[{on}]'})"
    return code


def _scaling_steps(kernel: Kernel, rename: dict) -> list[_Step]:
    """k_j per element, the arguments moved by 2**(w k), and the exponent _e that undoes it on the result."""
    steps, shifts = [], {}
    for j, sc in enumerate(kernel.scalings):
        if sc.normalize is not None:
            arg = rename[sc.normalize].name
            steps.append(_Step({arg}, (f"_k{j}",), f"_k{j} = -numpy.frexp({arg})[1]"))
        else:
            cond = _fold(sc.when.subs(rename))
            steps.append(_Step(_names(cond), (f"_k{j}",),
                               f"_k{j} = numpy.where({_print(cond)}, {sc.shift}, 0).astype(numpy.int32)"))
        for sym, w in sc.weights:
            shifts[sym] = shifts.get(sym, 0) + w * sympy.Symbol(f"_k{j}")
    moved = [a.name for a in kernel.args if a.symbol in shifts]
    code = ", ".join(f"numpy.ldexp({a.name}, {_print(shifts[a.symbol])})" for a in kernel.args if a.symbol in shifts)
    steps.append(_Step(set(moved) | {s.writes[0] for s in steps}, tuple(moved), f"{', '.join(moved)} = {code}"))
    if any(sc.degree for sc in kernel.scalings):
        exponent = -sum(sc.degree * sympy.Symbol(f"_k{j}") for j, sc in enumerate(kernel.scalings))
        steps.append(_Step(_names(exponent), ("_e",), f"_e = {_print(exponent)}"))
    return steps


@functools.lru_cache(maxsize=None)
def _lower(kernel: Kernel) -> tuple[tuple, tuple, tuple]:
    """The body lines of one generated function, the rewrites used, and the proven facts it relies on."""
    facts = _prove(kernel)
    proofs: list[Rewrite] = []
    names = [a.name for a in kernel.args]
    rename = {a.symbol: sympy.Symbol(a.name) for a in kernel.args}
    steps = [_Step(_names(cond.subs(rename)), cond=_print(cond.subs(rename)), value=_fold(sympy.sympify(value)))
             for cond, value in kernel.guards]
    if kernel.scalings:
        steps += _scaling_steps(kernel, rename)
    unscale = any(sc.degree for sc in kernel.scalings)
    for sym, definition in kernel.intermediates:
        stable, used = apply_rewrites(definition)
        proofs.extend(used)
        e = _fold(_exact_constants(stable).subs(rename))
        steps.append(_Step(_names(e), (sym.name,), f"{sym.name} = {_print(e)}"))
    for lower, upper in kernel.orders:
        steps.append(_Step({lower.name, upper.name}, (lower.name,),
                           f"{lower.name} = numpy.minimum({lower.name}, {upper.name})"))
    *branches, (final, _) = [(_fold(v.subs(rename)), c) for v, c in _pieces(_scaled_expr(kernel))]
    steps += [_Step(_names(cond), cond=_print(cond), value=value) for value, cond in branches]
    # the names each step's successors read: a branch carries only those on to the remaining elements
    need = _names(final) | ({"_e"} if unscale else set())
    later = []
    for st in reversed(steps):
        later.append(set(need))
        need |= st.reads | (_names(st.value) if st.value is not None else set())
    later.reverse()
    any_branch = any(st.cond for st in steps)
    lines = [f"({', '.join(names)},), _shape = _prepare({kernel.name!r}, "
             f"({', '.join(f'({a.name!r}, {a.name}, {a.allowed[0]!r}, {a.allowed[1]!r}, {a.allowed[2]!r})' for a in kernel.args)},))",
             f"_out = numpy.empty({names[0]}.size)"]
    if any_branch:
        lines.append(f"_at = numpy.arange({names[0]}.size)")
    lines.append("with _quiet_underflow():")
    live, scaled = list(names), False
    for st, after in zip(steps, later):
        if not st.cond:
            lines.append(f"    {st.code}")
            live += [w for w in st.writes if w not in live]
            scaled = scaled or "_e" in st.writes
            continue
        keep = ["_at"] + [n for n in live if n in after]
        lines += [f"    _hit = {st.cond}",
                  f"    _out[_at[_hit]] = {_value_code(kernel, st.value, '_hit', scaled)}",
                  f"    {', '.join(keep)} = {', '.join(f'{n}[~_hit]' for n in keep)}"]
    lines.append(f"    _out[{'_at' if any_branch else ':'}] = {_value_code(kernel, final, None, unscale)}")
    lines.append("return _finish(_out, _shape)")
    return tuple(lines), tuple(proofs), tuple(facts)


def _docstring(kernel: Kernel, proofs, facts) -> str:
    out = [kernel.doc.strip(), "", f"Derived in: {kernel.source}.", "", "Arguments:"]
    for a in kernel.args:
        lo, hi, lo_open = a.allowed
        rng = f"{'(' if lo_open else '['}{lo:g}, {hi:g}]"
        out.append(f"    {a.name}: {a.doc} [{a.unit}], allowed {rng}; accuracy measured on "
                   f"[{a.domain[0]:g}, {a.domain[1]:g}]")
        if a.why:
            out.append(f"        ({a.why})")
    inside = "" if kernel.result_range is None else \
        f", in [{kernel.result_range[0]:g}, {kernel.result_range[1]:g}]"
    out.append(f"Returns: [{kernel.result_unit}]{inside}, broadcast over the arguments; finite for every allowed input.")
    if proofs:
        out += ["", "Stable forms (each proven equal to the derived expression):"]
        out += [f"    {sympy.sstr(r.before)}  ->  {sympy.sstr(r.after)}" for r in proofs]
    if facts:
        out += ["", "Proven by the generator and used in the code:"]
        out += [f"    {f}" for f in facts]
    return "\n    ".join(out)


MODULE_DOC = """Float64 kernels generated from the derivations of nusym.

Energies, momenta and masses in eV (hbar = c = 1); cross sections in cm^2/eV per electron.

Arguments: Python ints and floats, numpy integer and floating scalars and arrays (float16 ... float64,
int8 ... uint64), and lists or tuples of them, broadcast together and converted to float64.  Rejected,
naming the argument and its value: TypeError for what is not a real number (str, bytes, None, bool and
numpy.bool_, complex, datetime64, timedelta64, object arrays; numpy masked arrays are not supported, since
the kernels would compute on the masked data: pass numpy.ma.filled(x, value) or x.compressed()); ValueError
for a real number outside the argument's allowed range (NaN, +-inf, 0 or negative where a positive value is
required, an int beyond the float range) and for shapes that do not broadcast.  A physically forbidden but
allowed input (T <= I) gives 0.

Every kernel is total over its allowed arguments: the result is finite and inside its documented range,
and no overflow, division by zero or invalid operation occurs (underflow, the correctly rounded value of a
number below the float range, is not reported).  Accuracy, <= 4 ULP x max(1, kappa), is measured on the
accuracy domains each docstring names.
"""


def _fingerprint(kernels: list[Kernel]) -> str:
    h = hashlib.sha256()
    for k in kernels:
        h.update(sympy.srepr(k.reference()).encode())
        h.update(k.name.encode())
        h.update(repr((k.args, k.orders, k.result_range, k.scalings)).encode())
    for c in K.DEFINING:
        h.update(f"{c.symbol}={c.value}".encode())
    return h.hexdigest()[:16]


def generate() -> dict[str, str]:
    """The generated files, by name, as text."""
    from . import __version__
    kernels = collect_kernels()
    header = ("# Generated by `nusym codegen` -- do not edit.\n"
              f"# Provenance: nusym {__version__}, SymPy {sympy.__version__}; kernels from "
              f"nusym.derivations ({', '.join(sorted({k.source.split(',')[0] for k in kernels}))}); "
              f"constants CODATA 2022; inputs sha256:{_fingerprint(kernels)}.\n")
    parts = [header,
             f'"""{MODULE_DOC}"""\n',
             "import numpy\n\nfrom nusym._runtime import finish as _finish, prepare as _prepare\n"
             "from nusym._runtime import quiet_underflow as _quiet_underflow, ratio_at_most as _ratio_at_most\n\n",
             f"__all__ = {[k.name for k in kernels]!r}\n"]
    for k in kernels:
        lines, proofs, facts = _lower(k)
        sig = ", ".join(a.name if a.default is None else f"{a.name}={a.default}" for a in k.args)
        parts.append(f"\n\ndef {k.name}({sig}):\n    \"\"\"{_docstring(k, proofs, facts)}\n    \"\"\"\n")
        parts.append("".join(f"    {ln}\n" for ln in lines))
    init = header + '"""Code written by `nusym codegen`; import it as `nusym.numeric`."""\n'
    return {"__init__.py": init, "numeric.py": "".join(parts)}


def default_dir() -> Path:
    """The folder the package ``nusym.generated`` is imported from."""
    import nusym.generated
    return Path(nusym.generated.__file__).parent


@contextlib.contextmanager
def replacing(path: Path, suffix: str = ""):
    """A new temporary file's name beside ``path``, moved onto ``path`` (``os.replace``) when the block
    ends without an exception and removed otherwise: an interrupted write leaves no truncated file, and a
    symbolic link at ``path`` is replaced, not followed.  The file's mode is the usual 0o666 less the
    umask.  ``suffix`` ends the temporary name (a writer that picks its format by the suffix)."""
    path = Path(path)
    for _ in range(100):
        tmp = path.parent / f".nusym-{secrets.token_hex(6)}.tmp{suffix}"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"no free temporary name in {str(path.parent)!r}")
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def write(outdir: Path | None = None) -> list[Path]:
    """Write the generated files into ``outdir`` (default: :func:`default_dir`), each atomically (see
    :func:`replacing`); the folder is made if it is missing."""
    outdir = Path(outdir) if outdir else default_dir()
    files = generate()
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = outdir / name
        with replacing(path) as tmp:
            tmp.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def stale(outdir: Path | None = None) -> list[str]:
    """Names of generated files that differ from what the derivations generate now (or are missing)."""
    outdir = Path(outdir) if outdir else default_dir()
    bad = []
    for name, text in generate().items():
        path = outdir / name
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            bad.append(name)
    return bad


def rewrites() -> dict[str, list[Rewrite]]:
    """The proven rewrites used by each kernel."""
    return {k.name: list(_lower(k)[1]) for k in collect_kernels()}
