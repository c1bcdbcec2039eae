"""From derived SymPy expressions to float64 numpy code, deterministically.

A :class:`Kernel` names a derived expression, its arguments (with the range a caller may
pass and the range over which accuracy is measured), and the intermediate quantities the
code should compute first (q_-, q_+, q_a, ...).  Generation:

1. every intermediate goes through :mod:`nusym.rewriting` (each rewrite proven equal);
2. constants are substituted exactly and every constant subexpression is folded into one
   correctly rounded float literal (G_F**2 m_e/(2 pi) (hbar c)**2 is one number);
3. leading guard branches (T <= I -> 0) are evaluated on the arguments, the rest of the
   expression only where no guard fired, so no branch sees an argument outside its domain.

Output is a pure function of the kernels and the SymPy version: `nusym codegen --check`
regenerates and compares byte for byte.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sympy
from sympy.printing.numpy import NumPyPrinter

from . import constants as K
from . import symbols as S
from .registry import derivation_modules
from .rewriting import Rewrite, apply_rewrites

__all__ = ["Arg", "Kernel", "collect_kernels", "generate", "write", "stale", "CONSTANTS"]

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


def _lower(kernel: Kernel) -> tuple[list[str], list[Rewrite]]:
    """The body lines of one generated function, and the rewrites used."""
    proofs: list[Rewrite] = []
    lines = []
    specs = ", ".join(f"({a.name!r}, {a.name}, {a.allowed[0]!r}, {a.allowed[1]!r}, {a.allowed[2]!r})"
                      for a in kernel.args)
    names = [a.name for a in kernel.args]
    rename = {a.symbol: sympy.Symbol(a.name) for a in kernel.args}
    lines.append(f"({', '.join(names)},), _shape = _prepare({kernel.name!r}, ({specs},))")
    lines.append("_out = numpy.empty(_shape)")
    lines.append("_live = numpy.ones(_shape, dtype=bool)")
    for cond, value in kernel.guards:
        lines.append(f"_hit = _live & ({_print(cond.subs(rename))})")
        lines.append(f"_out[_hit] = {_print(_fold(sympy.sympify(value)))}")
        lines.append("_live &= ~_hit")
    lines.append(f"{', '.join(names)} = {', '.join(f'{n}[_live]' for n in names)}")
    for sym, definition in kernel.intermediates:
        stable, used = apply_rewrites(definition)
        proofs.extend(used)
        lines.append(f"{sym.name} = {_print(_fold(_exact_constants(stable).subs(rename)))}")
    body = _fold(_exact_constants(kernel.expr * kernel.scale).subs(rename))
    lines.append(f"_out[_live] = {_print(body)}")
    lines.append("return _finish(_out)")
    return lines, proofs


def _docstring(kernel: Kernel, proofs: list[Rewrite]) -> str:
    out = [kernel.doc.strip(), "", f"Derived in: {kernel.source}.", "", "Arguments:"]
    for a in kernel.args:
        lo, hi, lo_open = a.allowed
        rng = f"{'(' if lo_open else '['}{lo:g}, {hi:g}]"
        out.append(f"    {a.name}: {a.doc} [{a.unit}], allowed {rng}; accuracy measured on "
                   f"[{a.domain[0]:g}, {a.domain[1]:g}]")
    out.append(f"Returns: [{kernel.result_unit}], broadcast over the arguments.")
    if proofs:
        out += ["", "Stable forms (each proven equal to the derived expression):"]
        out += [f"    {sympy.sstr(r.before)}  ->  {sympy.sstr(r.after)}" for r in proofs]
    return "\n    ".join(out)


def _fingerprint(kernels: list[Kernel]) -> str:
    h = hashlib.sha256()
    for k in kernels:
        h.update(sympy.srepr(k.reference()).encode())
        h.update(k.name.encode())
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
             '"""Float64 kernels generated from the derivations of nusym.\n\n'
             'Energies, momenta and masses in eV (hbar = c = 1); cross sections in cm^2/eV per electron.\n"""\n',
             "import numpy\n\nfrom nusym._runtime import finish as _finish, prepare as _prepare\n\n",
             f"__all__ = {[k.name for k in kernels]!r}\n"]
    for k in kernels:
        lines, proofs = _lower(k)
        sig = ", ".join(a.name if a.default is None else f"{a.name}={a.default}" for a in k.args)
        parts.append(f"\n\ndef {k.name}({sig}):\n    \"\"\"{_docstring(k, proofs)}\n    \"\"\"\n")
        parts.append("".join(f"    {ln}\n" for ln in lines))
    init = header + '"""Code written by `nusym codegen`; import it as `nusym.numeric`."""\n'
    return {"__init__.py": init, "numeric.py": "".join(parts)}


def default_dir() -> Path:
    """The folder the package ``nusym.generated`` is imported from."""
    import nusym.generated
    return Path(nusym.generated.__file__).parent


def write(outdir: Path | None = None) -> list[Path]:
    outdir = Path(outdir) if outdir else default_dir()
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate().items():
        path = outdir / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def stale(outdir: Path | None = None) -> list[str]:
    """Names of generated files that differ from what the derivations generate now."""
    outdir = Path(outdir) if outdir else default_dir()
    bad = []
    for name, text in generate().items():
        path = outdir / name
        if not path.exists() or path.read_bytes() != text.encode("utf-8"):
            bad.append(name)
    return bad


def rewrites() -> dict[str, list[Rewrite]]:
    """The proven rewrites used by each kernel."""
    return {k.name: _lower(k)[1] for k in collect_kernels()}
