"""Command line: `nusym verify`, `nusym codegen`, `nusym check`, `nusym figure`, `nusym bench` and `nusym rates`."""
from __future__ import annotations

import argparse
import math
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


T_UNITS = {"eV": 1e-3, "keV": 1.0, "MeV": 1e3}
T_RANGE_KEV = (1e-3, 1e4)     # 1 eV to 10 MeV: above the reactor spectrum's end (10 MeV) every rate is 0
MAX_T_VALUES = 10000


def _number(text: str) -> float | None:
    """A finite float from plain decimal text ('2.7e13', '30'), or None (nan, inf, '1_0', hex, and numbers that
    overflow or underflow the float range are refused)."""
    text = text.strip()
    if not text or any(ch not in "0123456789.eE+-" for ch in text):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    mantissa = text.lower().split("e")[0]
    if value == 0 and any(d in mantissa for d in "123456789"):
        return None                                            # 1e-400: not zero, not a float
    return value if math.isfinite(value) else None


def _t_values(spec: str, points: int):
    """T in keV from 'LO:HI[:UNIT]' (points log-spaced) or 'A,B,C[:UNIT]'; (values, '') or (None, why)."""
    parts = spec.split(":")
    unit = "keV"
    last = parts[-1].strip()
    if last in T_UNITS:
        unit = parts.pop().strip()
    elif last.isalpha() and last.lower() not in ("inf", "infinity", "nan"):
        return None, f"unit {last!r} is not one of {', '.join(T_UNITS)}"
    if len(parts) == 2:
        lo, hi = (_number(x) for x in parts)
        if lo is None or hi is None:
            return None, "LO and HI must be finite plain decimal numbers"
        if not lo < hi:
            return None, f"the range is empty or inverted ({lo:g} >= {hi:g}); give LO:HI with LO < HI"
        if not lo > 0:
            return None, f"LO = {lo:g} must be positive (the range is log-spaced)"
        if not 2 <= points <= MAX_T_VALUES:
            return None, f"--points {points} is outside [2, {MAX_T_VALUES}]"
        import numpy
        values = [float(v) for v in numpy.geomspace(lo, hi, points)]
        if len(set(values)) != len(values):
            return None, f"the range is too narrow for {points} distinct points"
    elif len(parts) == 1:
        values = [_number(x) for x in parts[0].split(",")]
        if any(v is None for v in values):
            return None, "each value must be a finite plain decimal number"
        if len(values) > MAX_T_VALUES:
            return None, f"{len(values)} values, more than {MAX_T_VALUES}"
        if sorted(set(values)) != values:
            return None, "give the values increasing, each once"
    else:
        return None, "expected LO:HI[:UNIT] or A,B,C[:UNIT], e.g. 0.2:30:keV"
    kev = [v * T_UNITS[unit] for v in values]
    lo, hi = T_RANGE_KEV
    if not all(lo <= v <= hi for v in kev):
        return None, f"T must lie in [{lo:g}, {hi:g}] keV (1 eV to 10 MeV)"
    return kev, ""


def _fractions(spec: str):
    from .reactor import ISOTOPES
    out = {}
    for item in spec.split(","):
        name, sep, value = item.partition("=")
        name = name.strip()
        v = _number(value) if sep else None
        if name not in ISOTOPES or v is None:
            return None, f"expected ISOTOPE=FRACTION,... with isotopes {', '.join(ISOTOPES)}, e.g. U235=0.58,U238=0.07,Pu239=0.3,Pu241=0.05"
        if name in out:
            return None, f"{name} is given twice"
        out[name] = v
    return out, ""


def _rates(args) -> int:
    from . import detector, reactor
    try:
        tgt = detector.target(args.target)
    except (ValueError, TypeError) as exc:
        return _usage("rates", f"--target: {exc}")
    T, why = _t_values(args.T, args.points)
    if why:
        return _usage("rates", f"--T {args.T!r}: {why}")
    fractions = dict(reactor.DEFAULT_FRACTIONS)
    if args.fractions is not None:
        fractions, why = _fractions(args.fractions)
        if why:
            return _usage("rates", f"--fractions {args.fractions!r}: {why}")
    try:
        core = reactor.Reactor(fractions=fractions, below=args.below_2mev)
    except ValueError as exc:
        return _usage("rates", f"--fractions: {exc}")
    given = [n for n in ("flux", "power", "distance") if getattr(args, n) is not None]
    if given == ["flux"]:
        flux, (lo, hi) = _number(args.flux), detector.FLUX_RANGE
        if flux is None or not lo <= flux <= hi:
            return _usage("rates", f"--flux {args.flux!r}: antineutrinos per cm^2 per s, a number in [{lo:g}, {hi:g}]")
    elif sorted(given) == ["distance", "power"]:
        power, distance = _number(args.power), _number(args.distance)
        (plo, phi), (dlo, dhi) = reactor.POWER_RANGE, reactor.DISTANCE_RANGE
        if power is None or not plo <= power * 1e6 <= phi:
            return _usage("rates", f"--power {args.power!r}: a thermal power in [{plo / 1e6:g}, {phi / 1e6:g}] MW")
        if distance is None or not dlo <= distance <= dhi:
            return _usage("rates", f"--distance {args.distance!r}: a distance in [{dlo:g}, {dhi:g}] m")
        flux = core.flux(power * 1e6, distance)
    else:
        return _usage("rates", "give --flux, or --power and --distance (not both ways)")
    mu = None
    if args.mu_nu is not None:
        mu = _number(args.mu_nu)
        if mu is None or not 0 < mu <= 1:
            return _usage("rates", f"--mu-nu {args.mu_nu!r}: a magnetic moment in Bohr magnetons in (0, 1]")
    threshold = None
    if args.threshold is not None:
        threshold = _number(args.threshold)
        if threshold is None or not T[0] <= threshold <= T[-1]:
            return _usage("rates", f"--threshold {args.threshold!r}: a T in keV inside the --T range")
    out = None
    if args.plot is not None:
        out, why = _figure_out(args.plot)
        if why:
            return _usage("rates", f"--plot {args.plot!r}: {why}")
        import importlib.util
        if importlib.util.find_spec("matplotlib") is None:
            return _usage("rates", "--plot needs matplotlib: pip install 'nusym[plot]'")
    bar = _progress_bar("rates") if sys.stderr.isatty() else None
    table = detector.rates(tgt, T, flux, mu_nu=mu, reactor=core, flavour=args.flavour, momentum=args.momentum,
                           progress=bar)
    if bar:
        sys.stderr.write("\r\033[K")
    if out is not None:
        from .codegen import replacing
        with replacing(out, suffix=Path(args.plot).suffix) as tmp:
            detector.plot(table, str(tmp))
    if args.json:
        print(detector.as_json(table, threshold))
    elif args.csv:
        print(detector.render_csv(table))
    else:
        print(detector.render(table, threshold))
    if out is not None:
        print(f"wrote {out}", file=sys.stderr)
    return 0


def _progress_bar(command: str):
    def show(done: int, total: int) -> None:
        width = 30
        full = int(width * done / max(total, 1))
        sys.stderr.write(f"\rnusym {command}: [{'#' * full}{'.' * (width - full)}] {done}/{total}")
        sys.stderr.flush()
    return show


class _Parser(argparse.ArgumentParser):
    """argparse with bad usage reported as the other checks report it: one line on stderr, exit 2."""

    def error(self, message):
        self.exit(USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def main(argv=None) -> int:
    from .parallel import CONNECT_TIMEOUT
    parser = _Parser(prog="nusym", description=__doc__)
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
    from .detector import FLAVOURS, MOMENTA
    from .reactor import BELOW_2MEV
    r = sub.add_parser("rates", help="reactor antineutrino event rates of a detector material: free electrons, "
                                     "stepping, stepping with recoil; weak and magnetic",
                       description="Event rates per kg per day per keV (nusym.detector): Elam's shells (xraydb), the "
                                   "Vogel-Engel free-electron cross sections at each E_nu, the Huber/Mueller spectra.",
                       epilog="exit status: 0 computed, 2 bad usage (checked before any work), 3 could not finish")
    r.add_argument("--target", required=True, help="chemical formula: Ge, Si, Xe, Ar, NaI, CsI, ...")
    r.add_argument("--T", required=True, metavar="LO:HI[:UNIT] | A,B,C[:UNIT]",
                   help="energy transfers: a log-spaced range (--points of them) or a list; UNIT eV, keV (default), MeV")
    r.add_argument("--points", type=int, default=30, help="T values in a LO:HI range (default 30)")
    r.add_argument("--flux", metavar="PER_CM2_S", help="antineutrino flux at the detector, cm^-2 s^-1")
    r.add_argument("--power", metavar="MW", help="thermal power of the core, MW (with --distance)")
    r.add_argument("--distance", metavar="M", help="distance from the core, m (with --power)")
    r.add_argument("--mu-nu", dest="mu_nu", metavar="MU_B", help="neutrino magnetic moment in Bohr magnetons "
                                                                 "(without it the magnetic columns are 0)")
    r.add_argument("--flavour", choices=FLAVOURS, default="nuebar", help="default nuebar (a reactor)")
    r.add_argument("--fractions", metavar="U235=F,...", help="fission fractions (default U235=0.58,U238=0.07,"
                                                             "Pu239=0.3,Pu241=0.05)")
    r.add_argument("--below-2mev", dest="below_2mev", choices=BELOW_2MEV, default="vogel-engel",
                   help="the spectrum below the fits' 2 MeV (default vogel-engel; see nusym.reactor)")
    r.add_argument("--momentum", choices=MOMENTA, default="virial", help="shell mean momentum in the recoil factors")
    r.add_argument("--threshold", metavar="T_KEV", help="T at which the equal-rate mu_nu is printed (default: the "
                                                         "first T)")
    fmt = r.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="comma-separated values")
    fmt.add_argument("--json", action="store_true", help="JSON: {target, rows: [{T_keV, weak_fe, ...}], ...}")
    r.add_argument("--plot", metavar="FILE", help="also draw the rate spectra (matplotlib; .png, .svg or .pdf)")
    r.set_defaults(func=_rates)
    args = parser.parse_args(argv)
    try:
        status = args.func(args)
        sys.stdout.flush()                     # here, not at exit: a reader that went away is reported below
        return status
    except KeyboardInterrupt:
        print(f"nusym {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - no traceback and no verdict's exit status for a failure
        if sys.stdout is None:                 # started with stdout closed: nothing can be printed there
            print(f"nusym {args.command}: could not finish: standard output is closed", file=sys.stderr)
            return UNFINISHED
        if isinstance(exc, BrokenPipeError):   # stdout's reader is gone: what is left unwritten goes nowhere,
            try:                               # so that Python's own flush at exit does not fail again
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
        print(f"nusym {args.command}: could not finish: {type(exc).__name__}: {exc}", file=sys.stderr)
        return UNFINISHED


if __name__ == "__main__":
    sys.exit(main())
