"""Command line: `nusym verify`, `nusym codegen`, `nusym check` and `nusym figure`."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

__all__ = ["main"]

USAGE = 2          # bad usage: an argument or a path that cannot be used
UNFINISHED = 3     # the command could not finish (for `check`: inconclusive, "could not evaluate")


def _usage(command: str, message: str) -> int:
    """Bad usage: the message on stderr, exit status 2."""
    print(f"nusym {command}: {message}", file=sys.stderr)
    return USAGE


def _verify(args) -> int:
    import re

    from . import verify
    if args.only is not None:
        try:
            re.compile(args.only)
        except re.error as exc:
            return _usage("verify", f"--only {args.only!r} is not a regular expression: {exc}")
    progress = (lambda m: None) if args.quiet else verify.main_progress
    report = verify.run(only=args.only, progress=progress, mutate=args.mutants)
    if sys.stderr.isatty() and not args.quiet:
        sys.stderr.write("\r\033[K")
    print(verify.as_json(report) if args.json else verify.render(report))
    if not report.entries:
        print(f"no result matches --only {args.only!r}", file=sys.stderr)
        return 2
    return 0 if report.ok else 1


def _writable_dir(path: Path, must_exist: bool) -> str:
    """Why ``path`` cannot be the folder written to ('' when it can)."""
    if path.exists():
        if not path.is_dir():
            return f"{str(path)!r} exists and is not a folder"
        return "" if os.access(path, os.W_OK | os.X_OK) else f"the folder {str(path)!r} is not writable"
    if must_exist:
        return f"the folder {str(path)!r} does not exist"
    parent = path.parent
    if not parent.is_dir():
        return f"the folder {str(parent)!r}, where {path.name!r} would be made, does not exist"
    return "" if os.access(parent, os.W_OK | os.X_OK) else f"the folder {str(parent)!r} is not writable"


def _codegen(args) -> int:
    from . import codegen
    out = Path(args.out) if args.out else None
    if out is not None:
        why = _writable_dir(out, must_exist=args.check)
        if why and not (args.check and out.is_dir()):
            return _usage("codegen", f"--out {args.out!r}: {why}")
    if args.check:
        bad = codegen.stale(out)
        if bad:
            print(f"stale generated files in {out or codegen.default_dir()}: {', '.join(bad)}; run `nusym codegen`")
            return 1
        print(f"generated files in {out or codegen.default_dir()} are up to date")
        return 0
    for path in codegen.write(out):
        print(f"wrote {path}")
    for name, proofs in codegen.rewrites().items():
        for r in proofs:
            print(f"  {name}: {r}")
    return 0


def _check(args) -> int:
    import json

    from . import claims
    settings = {}
    for item in args.set or ():
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            return _usage("check", f"--set {item!r}: expected NAME=VALUE")
        if name in settings:
            return _usage("check", f"--set {name} is given twice ({settings[name]!r} and {value.strip()!r})")
        settings[name] = value.strip()
    try:
        verdict = claims.check(args.claim, model=args.model, assume=args.assume or (), set=settings, dps=args.dps,
                               timeout=args.timeout)
    except claims.ClaimError as exc:
        return _usage("check", str(exc))
    print(json.dumps(verdict.as_json(), indent=2) if args.json else verdict)
    return verdict.exit_status


E_NU_FIGURE = (2e5, 1e8)      # the figures run T up to 100 keV, which needs E_nu > T


FIGURE_FORMATS = ("png", "svg", "pdf")


def _figure(args) -> int:
    from .registry import figures
    table = figures()
    if args.name not in table:
        return _usage("figure", f"name={args.name!r} is not known; allowed: {', '.join(table)}")
    lo, hi = E_NU_FIGURE
    if not lo <= args.E_nu <= hi:      # False for nan as well
        return _usage("figure", f"--E-nu={args.E_nu:g} eV is outside the allowed range [{lo:g}, {hi:g}] eV")
    if not 8 <= args.points <= 400:
        return _usage("figure", f"--points={args.points} is outside the allowed range [8, 400]")
    out = Path(args.out or f"{args.name}.png")
    suffix = out.suffix.lower().lstrip(".")
    if out.is_dir():
        return _usage("figure", f"--out {str(out)!r} is a folder; give a file name ending in "
                                f"{', '.join('.' + f for f in FIGURE_FORMATS)}")
    if suffix not in FIGURE_FORMATS:
        return _usage("figure", f"--out {str(out)!r}: the format is chosen by the suffix, one of "
                                f"{', '.join('.' + f for f in FIGURE_FORMATS)}")
    why = _writable_dir(out.parent, must_exist=True)
    if why:
        return _usage("figure", f"--out {str(out)!r}: {why}")
    import importlib.util
    if importlib.util.find_spec("matplotlib") is None:
        return _usage("figure", "matplotlib is needed: pip install 'nusym[plot]'")
    # drawn into a temporary file beside the target, then moved: an interrupted run leaves no truncated figure
    try:
        fd, tmp = tempfile.mkstemp(suffix=out.suffix, prefix=f".{out.stem}.", dir=out.parent)
    except OSError as exc:
        return _usage("figure", f"--out {str(out)!r}: cannot write in {str(out.parent)!r}: {exc.strerror}")
    os.close(fd)
    try:
        table[args.name](tmp, E_nu=args.E_nu, points=args.points)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)                   # mkstemp made it private; a figure is not
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    print(f"wrote {out}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="nusym", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="derive and check every result of the papers; non-zero exit if a check fails",
                       epilog="exit status: 0 every check passes, 1 a check fails, 2 bad usage, 3 could not finish")
    v.add_argument("--json", action="store_true", help="machine-readable output")
    v.add_argument("--only", metavar="PATTERN", help="regular expression on 'id paper equation'")
    v.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    v.add_argument("--mutants", action="store_true",
                   help="also mutate every declared claim and paper form and report how many mutants are refuted")
    v.set_defaults(func=_verify)
    c = sub.add_parser("codegen", help="write generated/ from the derivations",
                       epilog="exit status: 0 written (or up to date with --check), 1 stale (--check), 2 bad usage, "
                              "3 could not finish")
    c.add_argument("--check", action="store_true", help="fail if the generated files are stale")
    c.add_argument("--out", metavar="DIR", help="write here instead of the installed nusym.generated folder")
    c.set_defaults(func=_codegen)
    from .claims import DEFAULT_TIMEOUT, VARIABLES, __doc__ as claims_doc
    from .spectra import MODELS
    models = "\n".join(f"  {m.name}: {m.doc}\n    parameters: " + "; ".join(
        f"{p.name} ({p.doc}, " + (f"fixed: {p.fixed})" if p.fixed else f"sampled {p.lo}..{p.hi})")
        for p in m.params) + "".join(f"; {v} sampled {lo}..{hi}" for v, lo, hi in m.ranges)
        for m in MODELS.values())
    k = sub.add_parser("check", help="check a claim: exit 0 holds, 1 refuted, 3 inconclusive, 2 bad usage",
                       description=claims_doc, formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="sampled ranges of free variables (eV unless said):\n  " + ", ".join(
                           f"{n} {lo}..{hi}" for n, (_, lo, hi, _, _) in VARIABLES.items()) +
                       "\n\nmodels (--model):\n" + models +
                       "\n\nexit status: 0 holds, 1 refuted, 2 bad usage or unreadable claim, 3 inconclusive (time "
                       "budget spent, or the claim could not be evaluated)")
    k.add_argument("claim", help='e.g. "Integral(S(T, q)*2/q, (q, 0, oo)) == Z/T"')
    k.add_argument("--model", choices=["none", *MODELS], default="none",
                   help="atomic model that defines S(T, q), and R(T, q) for " + ", ".join(
                       m.name for m in MODELS.values() if m.transverse is not None) +
                   " (default: none, a purely symbolic claim)")
    k.add_argument("--assume", action="append", metavar="RELATION", help='restrict the domain, e.g. "T > I"')
    k.add_argument("--set", action="append", metavar="NAME=VALUE", help="fix a variable, e.g. Z=1")
    k.add_argument("--dps", type=int, default=30, help="working precision in digits (the second is dps + 15)")
    k.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time budget of the whole check; when it runs out the verdict is inconclusive "
                        f"(default {DEFAULT_TIMEOUT:g})")
    k.add_argument("--json", action="store_true", help="print the verdict as JSON")
    k.set_defaults(func=_check)
    fg = sub.add_parser("figure", help="write a figure (matplotlib): magnetic-hydrogen",
                        epilog="exit status: 0 written, 2 bad usage (checked before any work), 3 could not finish")
    fg.add_argument("name", help="magnetic-hydrogen: longitudinal, transverse, photon-limit and free-electron "
                                 "magnetic cross sections of H(1s) against T, threshold to 100 keV")
    fg.add_argument("--out", metavar="PATH", help="output file, format by suffix: .png, .svg or .pdf "
                                                   "(default NAME.png)")
    fg.add_argument("--E-nu", dest="E_nu", type=float, default=1e6, help="neutrino energy in eV (default 1e6)")
    fg.add_argument("--points", type=int, default=48, help="energy points on the curves (default 48)")
    fg.set_defaults(func=_figure)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"nusym {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - no traceback and no verdict's exit status for a failure
        print(f"nusym {args.command}: could not finish: {type(exc).__name__}: {exc}", file=sys.stderr)
        return UNFINISHED


if __name__ == "__main__":
    sys.exit(main())
