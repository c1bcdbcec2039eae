"""`nusym compare` (an implementation against a kernel's references) and `nusym references` (the references,
for a suite in another language)."""
from __future__ import annotations

import ctypes
import importlib
import importlib.util
import os
import sys
from pathlib import Path

from nusym.cli.messages import UNFINISHED, say, usage

__all__ = ["add_parsers", "compare_command", "references_command", "load_python", "load_c", "parse_pairs",
           "RUNS_CODE", "FLUX_POINTS"]

FLUX_POINTS = 200                 # a flux average's reference is a quadrature: about a second a point
RUNS_CODE = ("MODULE is imported and so RUNS ITS CODE, as `python -c 'import MODULE'` would: name only your own "
             "code (unlike a claim for `nusym check`, which is read and never run)")


def add_parsers(sub) -> None:
    c = sub.add_parser("compare", help="your own implementation of a kernel against nusym's references: the worst "
                                       "points and what is wrong with it",
                       description="Call an implementation at `nusym verify`'s float-check points (log-uniform "
                                   "over the kernel's accuracy domain, then its stress points) and compare it with "
                                   "the derived expression in mpmath, in ULPs relative to max(1, kappa). " + RUNS_CODE
                                   + ". A C function is loaded from a shared library with ctypes, and runs too.",
                       epilog="exit status: 0 within the bar, 1 beyond it, 2 bad usage (also a module that cannot "
                              "be imported or a missing symbol), 3 could not finish")
    c.add_argument("target", nargs="?", metavar="MODULE:FUNC",
                   help="a Python callable: MODULE a dotted name importable from here, or a path to a .py file")
    c.add_argument("--c", dest="c_target", metavar="LIBRARY:SYMBOL",
                   help="instead, a C function double SYMBOL(double, ...) in the shared library at the path LIBRARY")
    c.add_argument("--kernel", required=True, help="the kernel of nusym.numeric (`nusym compare --kernel x` lists "
                                                   "them)")
    c.add_argument("--units", metavar="NAME=UNIT,...", help="the implementation's units where not the kernel's, "
                                                           "e.g. T=keV,result=cm2/keV (names of nusym.units)")
    c.add_argument("--fixed", metavar="NAME=VALUE,...", help="arguments held fixed and not passed, e.g. "
                                                             "sin2_theta_w=0.23868")
    c.add_argument("--ulps", type=float, help="the bar, ULP x max(1, kappa) (default 4; a flux average needs its "
                                               "quadrature's tolerance, e.g. 4.5e6 for 1e-9 relative)")
    c.add_argument("--points", type=int, default=300, help="log-uniform points, and as many stress points "
                                                           "(default 300)")
    c.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS", help="budget of the whole "
                                                                                    "comparison (default 300)")
    c.set_defaults(func=compare_command)
    r = sub.add_parser("references", help="a kernel's sample points and references as CSV or JSON, for a test "
                                          "suite in another language",
                       epilog="exit status: 0 written, 2 bad usage, 3 could not finish")
    r.add_argument("--kernel", help="the kernel of nusym.numeric (or a reactor spectrum or flux average)")
    r.add_argument("--rates", metavar="TARGET", help="instead, the reactor rate table of TARGET (free electrons "
                                                      "and stepping, weak and magnetic) to 25 digits")
    r.add_argument("--points", type=int, help="log-uniform points, and as many stress points (default 300; at most "
                                              f"{FLUX_POINTS} for a flux average, about a second each)")
    r.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS", help="budget (default 300)")
    r.add_argument("--format", choices=("csv", "json"), default="csv")
    r.set_defaults(func=references_command)


def parse_pairs(option: str, text: str | None, number: bool) -> dict:
    out = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, eq, value = part.partition("=")
        if not eq or not name.strip() or not value.strip():
            raise ValueError(f"{option} {part.strip()!r:.60}: NAME=VALUE pairs separated by commas")
        if name.strip() in out:
            raise ValueError(f"{option}: {name.strip()!r:.40} is given twice")
        if number:
            try:
                if "_" in value:
                    raise ValueError
                value = float(value)
            except ValueError:
                raise ValueError(f"{option} {part.strip()!r:.60}: {value.strip()!r:.40} is not a number") from None
        out[name.strip()] = value.strip() if isinstance(value, str) else value
    return out


def load_python(target: str):
    """The callable MODULE:FUNC (MODULE a dotted name importable from the working folder, or a .py path)."""
    module_name, colon, func_name = target.rpartition(":")
    if not colon or not module_name or not func_name:
        raise LookupError(f"{target!r:.200} is not MODULE:FUNC")
    try:
        folder = str(Path(module_name).resolve().parent) if module_name.endswith(".py") else os.getcwd()
        sys.path.insert(0, folder)                     # its own folder: a module that imports its neighbours
        try:
            if module_name.endswith(".py"):
                spec = importlib.util.spec_from_file_location(Path(module_name).stem, module_name)
                if spec is None or not Path(module_name).is_file():
                    raise LookupError(f"no file {module_name!r:.200}")
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            else:
                module = importlib.import_module(module_name)
        finally:
            if folder in sys.path:
                sys.path.remove(folder)
    except LookupError:
        raise
    except BaseException as exc:       # the user's module: whatever it raises (SystemExit too) is bad usage
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise LookupError(f"importing {module_name!r:.200} raised {type(exc).__name__}: {str(exc)[:300]}") from None
    func = getattr(module, func_name, None)
    if not callable(func):
        raise LookupError(f"{module_name!r:.200} has no callable {func_name!r:.100}")
    return func


def load_c(target: str, n_args: int):
    """A Python function calling the C function LIBRARY:SYMBOL with ``n_args`` doubles."""
    path, colon, symbol = target.rpartition(":")
    if not colon or not path or not symbol:
        raise LookupError(f"{target!r:.200} is not LIBRARY:SYMBOL")
    if not Path(path).is_file():
        raise LookupError(f"no shared library at {path!r:.200} (give its path)")
    try:
        lib = ctypes.CDLL(str(Path(path).resolve()))
        fn = getattr(lib, symbol)
    except (OSError, AttributeError) as exc:
        raise LookupError(f"{target!r:.200}: {str(exc)[:300]}") from None
    fn.restype = ctypes.c_double
    fn.argtypes = [ctypes.c_double] * n_args

    def call(*args):
        return fn(*args)
    call.__qualname__ = f"{Path(path).name}:{symbol}"
    return call


def compare_command(args) -> int:
    from nusym.testing import comparison
    if args.kernel not in comparison.kernel_names():
        return usage("compare", f"--kernel {args.kernel!r} is not a kernel; known: "
                                f"{', '.join(comparison.kernel_names())}")
    if (args.target is None) == (args.c_target is None):
        return usage("compare", "give one implementation: MODULE:FUNC or --c LIBRARY:SYMBOL")
    try:
        units = parse_pairs("--units", args.units, number=False)
        fixed = parse_pairs("--fixed", args.fixed, number=True)
        options = dict(ulps=args.ulps, units=units, fixed=fixed, points=args.points, timeout_s=args.timeout)
        checked = comparison.check_options(args.kernel, **options)            # every option, before any work
        n_args = len([a for a in checked.kernel.args if a.name not in fixed])
        func = load_python(args.target) if args.target else load_c(args.c_target, n_args)
    except (ValueError, LookupError) as exc:
        return usage("compare", _option_names(str(exc)))
    if sys.stdout is None:
        return _closed("compare")
    try:
        result = comparison.compare(func, args.kernel, **options)
    except TimeoutError as exc:
        say(f"nusym compare: could not finish: {exc}")
        return UNFINISHED
    print(result)
    return 0 if result.passed else 1


def _option_names(message: str) -> str:
    """The API's keyword names in a message as the command line's options."""
    for api, cli in (("ulps=", "--ulps "), ("points=", "--points "), ("timeout_s=", "--timeout "),
                     ("fixed[", "--fixed ["), ("units[", "--units ["), ("units:", "--units:"), ("fixed:", "--fixed:")):
        if message.startswith(api):
            return cli + message[len(api):]
    return message


def _closed(command: str) -> int:
    say(f"nusym {command}: could not finish: standard output is closed")
    return UNFINISHED


def references_command(args) -> int:
    from nusym.testing import comparison, references
    from nusym.testing.flux import flux_kernels
    if (args.kernel is None) == (args.rates is None):
        return usage("references", "give one of --kernel NAME or --rates TARGET")
    if sys.stdout is None:
        return _closed("references")
    if args.rates is not None:
        from nusym.atoms.shells import atom
        if args.points is not None:
            return usage("references", "--points applies to --kernel, not to --rates")
        try:
            atom(args.rates)
        except (ValueError, TypeError) as exc:
            return usage("references", f"--rates: {str(exc)[:300]} (an element)")
        table = references.rate_references(args.rates)
        print(references.rates_as_csv(table) if args.format == "csv" else references.as_json(table), end="")
        return 0
    if args.kernel not in comparison.kernel_names():
        return usage("references", f"--kernel {args.kernel!r} is not a kernel; known: "
                                   f"{', '.join(comparison.kernel_names())}")
    points = 300 if args.points is None else args.points
    if args.kernel in flux_kernels() and not 1 <= points <= FLUX_POINTS:
        return usage("references", f"--points {points}: a flux average takes 1 to {FLUX_POINTS} points")
    if not (args.timeout > 0 and args.timeout <= 86400):
        return usage("references", f"--timeout {args.timeout!r}: seconds, more than 0 and at most 86400")
    try:
        table = references.kernel_references(args.kernel, points, timeout_s=args.timeout)
    except ValueError as exc:
        return usage("references", _option_names(str(exc)))
    except TimeoutError as exc:
        say(f"nusym references: could not finish: {exc}")
        return UNFINISHED
    print(references.as_csv(table) if args.format == "csv" else references.as_json(table), end="")
    return 0



