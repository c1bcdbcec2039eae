"""The files `nusym codegen` writes into ``nusym.generated``: one module per backend (numpy, numba, array API) and
the C99 pair, each from the same :func:`~nusym.codegen.lowering.program` of each kernel, each starting with a "do not
edit" line and a provenance line with a hash of its inputs.

Output is a pure function of the kernels and the SymPy version: `nusym codegen --check` regenerates and compares
byte for byte.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import sympy

from nusym import constants as K
from nusym.codegen import emit
from nusym.codegen import exact as _exact
from nusym.codegen.emit import Program
from nusym.codegen.kernels import Kernel
from nusym.codegen.kernels import all_kernels
from nusym.codegen.lowering import lowered, program
from nusym.codegen.c_library import generated_dir
from nusym.files import replacing

__all__ = ["generate", "write", "stale", "generated_dir", "C_DOC", "JIT_DOC", "MODULE_DOC", "XP_DOC"]


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

Every kernel is total over its allowed arguments: the result is finite and inside its documented range.
The code is branch-free and runs in chunks that stay in cache: every branch is computed on every element,
with floating-point warnings off, and numpy.where picks each element's branch, so no warning reaches the
caller.  The scalar backends (nusym.generated.numba_backend, the C kernels) run the same program with early returns,
return the same bits, and raise no floating-point exception but underflow (tested).  Accuracy, <= 4 ULP x
max(1, kappa), is measured on the accuracy domains each docstring names.
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


def _specs(prog: Program) -> str:
    return "(" + " ".join(f"({n!r}, {n}, {lo!r}, {hi!r}, {lo_open!r})," for n, lo, hi, lo_open in prog.args) + ")"


def _signature(kernel: Kernel) -> str:
    return ", ".join(a.name if a.default is None else f"{a.name}={a.default}" for a in kernel.args)


def _indent(lines, by: str = "    ") -> str:
    return "".join(f"{by}{ln}\n" if ln else "\n" for ln in lines)


def _numpy_module(header: str, kernels: list) -> str:
    parts = [header, f'"""{MODULE_DOC}"""\n',
             "import numpy\n\nfrom nusym.codegen.exact import sign_array as _exact_sign\nfrom nusym.codegen.runtime import run as _run\n\n",
             f"__all__ = {[k.name for k in kernels]!r}\n\n"
             "# (name, lo, hi, lo_open) of each argument of each kernel: the allowed range, open at lo when lo_open\n"
             "ARGUMENTS = {\n" + "".join(f"    {k.name!r}: {program(k).args!r},\n" for k in kernels) + "}\n"]
    for k in kernels:
        prog, proofs, facts = lowered(k)
        parts.append(f"\n\ndef {k.name}({_signature(k)}):\n    \"\"\"{_docstring(k, proofs, facts)}\n    \"\"\"\n"
                     f"    return _run({k.name!r}, _{k.name}, {_specs(prog)})\n")
        parts.append(f"\n\ndef _{k.name}({', '.join(prog.names)}):\n" + _indent(emit.numpy_body(prog)))
    return "".join(parts)


JIT_DOC = """The kernels of nusym.numeric compiled by numba: one parallel loop per kernel over the elements.

Same arguments, results and errors as nusym.numeric (see its docstrings); each element runs the scalar
function generated from the same program, with early returns, so no branch is evaluated outside the
elements where it holds.  The allowed-range test runs inside the loop; where an element fails it the
whole call raises the same error as nusym.numeric.  Needs numba (``pip install numba``);
compiled on first use and cached beside this file.
"""


def _jit_module(header: str, kernels: list) -> str:
    parts = [header, f'"""{JIT_DOC}"""\n',
             "import math\n\nimport numpy\n\ntry:\n    import numba\nexcept ImportError as _exc:  # pragma: no cover\n"
             "    raise ImportError(\"nusym.generated.numba_backend needs numba: pip install numba\") from _exc\n\n"
             "from nusym.codegen.exact import sign_scalar as _sign_scalar\n"
             "from nusym.codegen.runtime import finish as _finish, flat as _flat, validate as _validate\n\n"
             "_scalar = numba.njit(cache=True, error_model='numpy')\n"
             "_loop = numba.njit(cache=True, error_model='numpy', parallel=True)\n"
             "_exact_sign = _scalar(_sign_scalar)\n\n"
             f"__all__ = {[k.name for k in kernels]!r}\n"]
    for k in kernels:
        prog = program(k)
        names = prog.names
        local = [f"a_{n}" for n in names]
        strided = ", ".join(f"{n}, s_{n}" for n in names)
        parts.append(f"\n\n@_scalar\ndef _{k.name}({', '.join(names)}):\n" + _indent(emit.scalar_python(prog)))
        loop = ["bad = 0", "for i in numba.prange(n):"]
        loop += [f"    {loc} = {n}[i*s_{n}]" for loc, n in zip(local, names)]
        loop += [f"    if {emit.py_range_test(prog, local)}:",
                 f"        out[i] = _{k.name}({', '.join(local)})", "    else:", "        out[i] = math.nan",
                 "        bad += 1", "return bad"]
        parts.append(f"\n\n@_loop\ndef _{k.name}_loop(n, {strided}, out):\n" + _indent(loop))
        parts.append(f"\n\ndef {k.name}({_signature(k)}):\n"
                     f"    \"\"\"nusym.numeric.{k.name}, compiled by numba (a parallel loop).\"\"\"\n"
                     f"    specs = {_specs(prog)}\n"
                     f"    ({strided},), shape, n = _flat({k.name!r}, specs)\n"
                     "    out = numpy.empty(n)\n"
                     f"    if _{k.name}_loop(n, {strided}, out):\n"
                     f"        _validate({k.name!r}, specs)  # raises the error naming the argument\n"
                     f"        raise AssertionError('{k.name}: the range test failed in the loop but not in validate')\n"
                     "    return _finish(out, shape)\n")
    return "".join(parts)


XP_DOC = """The kernels of nusym.numeric on the caller's array library (array API), for GPU arrays too.

Each function takes float64 arrays of one library and returns an array of that library on the same
device: numpy arrays (and Python numbers) go to nusym.numeric; a CuPy array runs one CuPy
ElementwiseKernel built from the C99 scalar function; a JAX array runs one ``jax.jit``-compiled function
(JAX must run with ``jax_enable_x64``); any other array-API library (PyTorch, ...) runs the branch-free
body on its namespace.  Arguments outside their allowed range raise ValueError, as in nusym.numeric.
"""


def _xp_module(header: str, kernels: list) -> str:
    parts = [header, f'"""{XP_DOC}"""\n',
             "from nusym.codegen.exact import sign_xp as _exact_sign\n"
             "from nusym.codegen.array_api import exponent as _exponent, ldexp as _ldexp, needed as _needed, run as _run\n\n",
             f"__all__ = {[k.name for k in kernels]!r}\n"]
    for k in kernels:
        prog = program(k)
        body = emit.xp_body(prog)
        parts.append(f"\n\ndef {k.name}({_signature(k)}):\n"
                     f"    \"\"\"nusym.numeric.{k.name} on the arrays' own library and device.\"\"\"\n"
                     f"    return _run({k.name!r}, _{k.name}, _C_{k.name}, {_specs(prog)})\n")
        parts.append(f"\n\ndef _{k.name}(xp, {', '.join(prog.names)}):\n" + _indent(body))
        c_body = "\n".join(emit.scalar_c(prog))
        parts.append(f"\n\n_C_{k.name} = r\"\"\"\n{c_body}\n\"\"\"\n")
    return "".join(parts)


C_DOC = """Generated by `nusym codegen` -- do not edit.
{provenance}
C99 kernels of nusym (see nusym.numeric for each function's physics and accuracy domain).
Energies, momenta and masses in eV (hbar = c = 1); mu_nu in Bohr magnetons; cross sections in cm^2/eV.

double nusym_NAME(args...): the kernel at one point; an argument outside its allowed range (NaN
included) sets errno to EDOM and returns NaN.  size_t nusym_NAME_array(n, x, x_step, ..., out): the
kernel at n points, argument i of point j read at x[j*x_step] (a step of 0 repeats one value); returns
how many points had an argument outside its range (their out is NaN).

Compile as C99 without contraction of a*b+c into fused multiply-adds, which changes roundings:
    cc -std=c99 -O2 -ffp-contract=off -c nusym_kernels.c
Built so, every function returns bit for bit what nusym.numeric returns (tested).
"""


def _c_files(provenance: str, kernels: list) -> dict[str, str]:
    first, *rest = C_DOC.format(provenance=provenance).splitlines()
    doc = f"/* {first}\n" + "".join(f" * {ln}".rstrip() + "\n" for ln in rest) + " */\n"
    h = [doc, "#ifndef NUSYM_KERNELS_H\n#define NUSYM_KERNELS_H\n\n#include <stddef.h>\n\n"
              "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"]
    c = [doc, '#include "nusym_kernels.h"\n\n#include <errno.h>\n#include <math.h>\n\n' + _exact.C_SOURCE]
    for k in kernels:
        prog = program(k)
        params = ", ".join(f"double {n}" for n in prog.names)
        arrays = ", ".join(f"const double *{n}, size_t {n}_step" for n in prog.names)
        h.append(f"/* {k.doc.strip()} */\ndouble nusym_{k.name}({params});\n"
                 f"size_t nusym_{k.name}_array(size_t n, {arrays}, double *out);\n\n")
        c.append(f"\nstatic double {k.name}_body({params})\n{{\n" + _indent(emit.scalar_c(prog)) + "}\n")
        c.append(f"\ndouble nusym_{k.name}({params})\n{{\n    if (!({emit.c_range_test(prog)})) {{\n"
                 f"        errno = EDOM;\n        return NAN;\n    }}\n    return {k.name}_body({', '.join(prog.names)});\n}}\n")
        local = [f"double a_{n} = {n}[i*{n}_step];" for n in prog.names]
        test = emit.c_range_test(Program(prog.name, tuple((f"a_{a[0]}", *a[1:]) for a in prog.args), ()))
        c.append(f"\nsize_t nusym_{k.name}_array(size_t n, {arrays}, double *out)\n{{\n    size_t bad = 0;\n"
                 "    for (size_t i = 0; i < n; ++i) {\n" + _indent(local, "        ")
                 + f"        if ({test}) {{\n            out[i] = {k.name}_body({', '.join(f'a_{n}' for n in prog.names)});\n"
                 "        } else {\n            out[i] = NAN;\n            ++bad;\n        }\n    }\n    return bad;\n}\n")
    h.append("#ifdef __cplusplus\n}\n#endif\n\n#endif\n")
    return {"nusym_kernels.h": "".join(h), "nusym_kernels.c": "".join(c)}


def generate() -> dict[str, str]:
    """The generated files, by name, as text."""
    from nusym import __version__
    kernels = all_kernels()
    provenance = (f"Provenance: nusym {__version__}, SymPy {sympy.__version__}; kernels from "
                  f"nusym.derivations ({', '.join(sorted({k.source.split(',')[0] for k in kernels}))}); "
                  f"constants CODATA 2022; inputs sha256:{_fingerprint(kernels)}.")
    header = f"# Generated by `nusym codegen` -- do not edit.\n# {provenance}\n"
    init = header + ('"""Code written by `nusym codegen`, one file per backend: numpy_backend.py (import it as '
                     '`nusym.numeric`), numba_backend.py, array_api_backend.py (CuPy, JAX, PyTorch), nusym_kernels.h '
                     'and nusym_kernels.c (C99)."""\n')
    return {"__init__.py": init, "numpy_backend.py": _numpy_module(header, kernels),
            "numba_backend.py": _jit_module(header, kernels), "array_api_backend.py": _xp_module(header, kernels),
            **_c_files(provenance, kernels)}


def write(outdir: Path | None = None) -> list[Path]:
    """Write the generated files into ``outdir`` (default: :func:`generated_dir`), each atomically (see
    :func:`replacing`); the folder is made if it is missing."""
    outdir = Path(outdir) if outdir else generated_dir()
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
    outdir = Path(outdir) if outdir else generated_dir()
    bad = []
    for name, text in generate().items():
        path = outdir / name
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            bad.append(name)
    return bad
