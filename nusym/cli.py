"""Command line: `nusym verify`, `nusym codegen`, `nusym check`, `nusym figure` and `nusym bench`."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["main"]

USAGE = 2          # bad usage: an argument or a path that cannot be used
UNFINISHED = 3     # the command could not finish (for `check`: inconclusive, "could not evaluate")


def _usage(command: str, message: str) -> int:
    """Bad usage: the message on stderr, exit status 2."""
    print(f"nusym {command}: {message}", file=sys.stderr)
    return USAGE


def _verify(args) -> int:
    from . import verify
    if args.only is not None:                  # checked, and matched, before any result is checked
        shown = repr(args.only) if len(args.only) <= 80 else f"{args.only[:60]!r}..."
        try:
            selected = verify.select(args.only)
        except ValueError as exc:
            return _usage("verify", f"--only {shown} {exc}")
        if not selected:
            return _usage("verify", f"--only {shown} matches no result; PATTERN is shell-style globs on "
                                    f"'id paper equation' separated by commas, e.g. 'b-sum-rule*,m-spurious'")
    from . import parallel
    if args.scheduler is not None and args.jobs is not None:
        return _usage("verify", f"-j {args.jobs!r} and --scheduler {args.scheduler!r} were both given; the "
                                "scheduler's workers run the checks, give one of them")
    try:
        jobs = parallel.default_jobs() if args.jobs is None else parallel.check_jobs(args.jobs)
    except ValueError as exc:
        return _usage("verify", f"-j {exc}")
    try:                                       # connected before any result is checked
        ex = parallel.executor(jobs, args.scheduler)
    except parallel.SchedulerError as exc:
        return _usage("verify", f"--scheduler {args.scheduler!r}: {exc}")
    progress = (lambda m: None) if args.quiet else verify.main_progress
    try:
        report = verify.run(only=args.only, progress=progress, mutate=args.mutants, executor=ex)
    except BaseException:                      # interrupted, or a crash: the workers are stopped, not awaited
        ex.shutdown(wait=False, cancel_futures=True)
        raise
    ex.shutdown()
    if sys.stderr.isatty() and not args.quiet:
        sys.stderr.write("\r\033[K")
    print(verify.as_json(report) if args.json else verify.render(report))
    return 0 if report.ok else 1


def _writable_dir(path: Path, must_exist: bool, write: bool = True) -> str:
    """Why ``path`` cannot be the folder written to (read from, with ``write=False``); '' when it can.
    The file system's own refusals (a name too long, a loop, no permission) are reasons too."""
    try:
        if path.is_symlink() and not path.exists():
            return f"{str(path)!r} is a symbolic link that leads nowhere (dangling, or a loop)"
        if path.exists():
            if not path.is_dir():
                return f"{str(path)!r} exists and is not a folder"
            if write:
                return "" if os.access(path, os.W_OK | os.X_OK) else f"the folder {str(path)!r} is not writable"
            return "" if os.access(path, os.R_OK | os.X_OK) else f"the folder {str(path)!r} is not readable"
        if must_exist:
            return f"the folder {str(path)!r} does not exist"
        parent = path.parent
        if not parent.is_dir():
            return f"the folder {str(parent)!r}, where {path.name!r} would be made, does not exist"
        return "" if os.access(parent, os.W_OK | os.X_OK) else f"the folder {str(parent)!r} is not writable"
    except OSError as exc:
        return f"{str(path)!r} cannot be used: {exc.strerror or exc}"


def _codegen(args) -> int:
    if args.out == "":
        return _usage("codegen", "--out '' is empty; give a folder, or leave --out out to write the installed "
                                 "nusym.generated folder")
    out = Path(args.out) if args.out is not None else None
    if out is not None:
        why = _writable_dir(out, must_exist=args.check, write=not args.check)
        if why:
            return _usage("codegen", f"--out {args.out!r}: {why}")
    from . import codegen
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


def _figure_out(given: str) -> tuple[Path | None, str]:
    """(the file a figure is written to, '') for the --out value ``given``, or (None, why not).  A
    symbolic link is written through: the file it points to is replaced, the link stays."""
    formats = ", ".join("." + f for f in FIGURE_FORMATS)
    if not given:
        return None, f"is empty; give a file name ending in {formats}"
    out = Path(given)
    try:
        if out.is_dir():
            return None, f"is a folder; give a file name ending in {formats}"
        if given.endswith(("/", os.sep)) or os.path.basename(given) in (".", ".."):
            return None, f"does not end in a file name; give a file name ending in {formats}"
        if out.suffix.lower().lstrip(".") not in FIGURE_FORMATS:
            return None, f"the format is chosen by the suffix, one of {formats}"
        if out.is_symlink():
            if not out.exists():
                return None, "is a symbolic link that leads nowhere (dangling, or a loop)"
            out = Path(os.path.realpath(out))
    except OSError as exc:
        return None, f"cannot be used: {exc.strerror or exc}"
    why = _writable_dir(out.parent, must_exist=True)
    return (None, why) if why else (out, "")


def _figure(args) -> int:
    from .registry import figures
    table = figures()
    if args.name not in table:
        return _usage("figure", f"name={args.name!r} is not known; allowed: {', '.join(table)}")
    lo, hi = E_NU_FIGURE
    if not lo <= args.E_nu <= hi:      # False for nan as well
        return _usage("figure", f"--E-nu={args.E_nu!r} eV is outside the allowed range [{lo:g}, {hi:g}] eV")
    if not 8 <= args.points <= 400:
        return _usage("figure", f"--points={args.points} is outside the allowed range [8, 400]")
    given = f"{args.name}.png" if args.out is None else args.out
    out, why = _figure_out(given)
    if why:
        return _usage("figure", f"--out {given!r}: {why}")
    import importlib.util
    if importlib.util.find_spec("matplotlib") is None:
        return _usage("figure", "matplotlib is needed: pip install 'nusym[plot]'")
    from .codegen import replacing
    # drawn into a temporary file beside the target, then moved: an interrupted run leaves no truncated figure
    with replacing(out, suffix=Path(given).suffix) as tmp:
        table[args.name](str(tmp), E_nu=args.E_nu, points=args.points)
    print(f"wrote {out}")
    return 0


def _bench(args) -> int:
    from . import bench
    from .generated.numeric import __all__ as known
    if not 1 <= args.points <= 10**9:
        return _usage("bench", f"--points {args.points} is outside [1, 1000000000]")
    if not 1 <= args.repeats <= 1000:
        return _usage("bench", f"--repeats {args.repeats} is outside [1, 1000]")
    names = None
    if args.kernels is not None:
        names = [n.strip() for n in args.kernels.split(",")]
        bad = [n for n in names if n not in known]
        if bad:
            return _usage("bench", f"--kernels {bad[0]!r} is not a kernel; known: {', '.join(known)}")
    rows = bench.run(args.points, args.repeats, names, progress=lambda m: None)
    print(bench.render(rows, args.points))
    return 0


def main(argv=None) -> int:
    from .parallel import CONNECT_TIMEOUT
    parser = argparse.ArgumentParser(prog="nusym", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="derive and check every result of the papers; non-zero exit if a check fails",
                       epilog="exit status: 0 every check passes, 1 a check fails, 2 bad usage, 3 could not finish")
    v.add_argument("--json", action="store_true", help="machine-readable output")
    v.add_argument("--only", metavar="PATTERN",
                   help="check only the results whose 'id paper equation' one of these shell-style globs "
                        "(*, ?, [...]; separated by commas; at most 200 characters; not a regular expression) "
                        "matches in part, e.g. 'b-sum-rule*,m-spurious'; no match is bad usage")
    v.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    v.add_argument("--mutants", action="store_true",
                   help="also mutate every declared claim and paper form and report how many mutants are refuted")
    v.add_argument("-j", "--jobs", metavar="N",
                   help="run the checks and the float sweeps in N worker processes (an integer >= 1; default: every "
                        "core, os.cpu_count(); 1: one after another in this process); the output is the same")
    v.add_argument("--scheduler", metavar="ADDRESS",
                   help="run them on the workers of the dask.distributed scheduler at ADDRESS (e.g. tcp://host:8786; "
                        "needs pip install 'nusym[dask]'); an address that does not answer within "
                        f"{CONNECT_TIMEOUT:g} s is bad usage")
    v.set_defaults(func=_verify)
    c = sub.add_parser("codegen", help="write generated/ from the derivations",
                       epilog="exit status: 0 written (or up to date with --check), 1 stale (--check), 2 bad usage, "
                              "3 could not finish")
    c.add_argument("--check", action="store_true", help="fail if the generated files are stale")
    c.add_argument("--out", metavar="DIR", help="write here instead of the installed nusym.generated folder; each "
                                                  "file goes to a temporary file first and is renamed into place")
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
                                                   "(default NAME.png); a symbolic link is written through")
    fg.add_argument("--E-nu", dest="E_nu", type=float, default=1e6, help="neutrino energy in eV (default 1e6)")
    fg.add_argument("--points", type=int, default=48, help="energy points on the curves (default 48)")
    fg.set_defaults(func=_figure)
    b = sub.add_parser("bench", help="points per second of every kernel on every backend here, against "
                                     "hand-written numpy and numba baselines timed in the same run",
                       epilog="exit status: 0 measured, 2 bad usage")
    b.add_argument("--points", type=int, default=10**6, help="points per call (default 1000000)")
    b.add_argument("--repeats", type=int, default=5, help="timed calls per path; the best is kept (default 5)")
    b.add_argument("--kernels", metavar="NAMES", help="comma-separated kernel names (default: all)")
    b.set_defaults(func=_bench)
    args = parser.parse_args(argv)
    try:
        status = args.func(args)
        sys.stdout.flush()                     # here, not at exit: a reader that went away is reported below
        return status
    except KeyboardInterrupt:
        print(f"nusym {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - no traceback and no verdict's exit status for a failure
        if isinstance(exc, BrokenPipeError):   # stdout's reader is gone: what is left unwritten goes nowhere,
            try:                               # so that Python's own flush at exit does not fail again
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
        print(f"nusym {args.command}: could not finish: {type(exc).__name__}: {exc}", file=sys.stderr)
        return UNFINISHED


if __name__ == "__main__":
    sys.exit(main())
