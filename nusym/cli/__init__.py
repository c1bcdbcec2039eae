"""Command line: `nusym verify`, `nusym codegen`, `nusym check`, `nusym figure`, `nusym bench` and `nusym rates`."""
from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
from pathlib import Path

__all__ = ["main"]

USAGE = 2          # bad usage: an argument or a path that cannot be used
UNFINISHED = 3     # the command could not finish (for `check`: inconclusive, "could not evaluate")


_INTERRUPTS: list = []          # SIGINTs received while main() runs
COMMANDS = ("verify", "codegen", "check", "figure", "bench", "rates")


def stop_if_interrupted(*_) -> None:
    """Raise KeyboardInterrupt where a SIGINT arrived that a library swallowed (a progress callback calls this)."""
    if _INTERRUPTS:
        raise KeyboardInterrupt


def say(text: str, end: str = "\n") -> None:
    """``text`` on standard error; nowhere when standard error is closed (never on standard output, where
    print(file=None) would put it, in the middle of the data)."""
    if sys.stderr is None:
        return
    try:
        sys.stderr.write(text + end)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def stderr_is_terminal() -> bool:
    """Whether standard error is open and a terminal (progress lines are drawn in place there)."""
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (OSError, ValueError):
        return False


def _plain(doc: str) -> str:
    """A docstring as plain text for --help: :class:`X` and ``x`` as X and x."""
    import re
    doc = re.sub(r":[a-z]+:`~?([^`]+)`", r"\1", doc)
    return doc.replace("``", "")


def _progress_line(msg: str) -> None:
    """A progress message: redrawn in place on a terminal, one line each elsewhere."""
    say(f"\r\033[K{msg}" if stderr_is_terminal() else msg, end="" if stderr_is_terminal() else "\n")


def _usage(command: str, message: str) -> int:
    """Bad usage: the message on stderr, exit status 2."""
    say(f"nusym {command}: {message}")
    return USAGE


def _verify(args) -> int:
    from nusym.checks import verify
    if args.only is not None:                  # checked, and matched, before any result is checked
        shown = repr(args.only) if len(args.only) <= 80 else f"{args.only[:60]!r}..."
        try:
            selected = verify.select(args.only)
        except ValueError as exc:
            return _usage("verify", f"--only {shown} {exc}")
        if not selected:
            return _usage("verify", f"--only {shown} matches no result; PATTERN is shell-style globs on "
                                    f"'id paper equation' separated by commas, e.g. 'b-sum-rule*,m-spurious'")
    from nusym.runner import parallel
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
    progress = (lambda m: None) if args.quiet else _progress_line
    try:
        report = verify.run(only=args.only, progress=progress, mutate=args.mutants, executor=ex)
    except BaseException:                      # interrupted, or a crash: the workers are stopped, not awaited
        ex.shutdown(wait=False, cancel_futures=True)
        raise
    ex.shutdown()
    if stderr_is_terminal() and not args.quiet:
        say("\r\033[K", end="")
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
    from nusym.codegen import generator as codegen
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

    from nusym import claims
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
                               points=args.points, timeout=args.timeout)
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
    from nusym.registry import figures
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
        return _usage("figure", "matplotlib is needed: pip install matplotlib")
    from nusym.codegen.generator import replacing
    # drawn into a temporary file beside the target, then moved: an interrupted run leaves no truncated figure
    with replacing(out, suffix=Path(given).suffix) as tmp:
        table[args.name](str(tmp), E_nu=args.E_nu, points=args.points)
    print(f"wrote {out}")
    return 0


def _bench(args) -> int:
    from nusym.codegen import bench
    from nusym.numeric import ARGUMENTS as known
    try:
        bench.check_points(args.points)
    except ValueError as exc:
        return _usage("bench", f"--points {exc}")
    if not 1 <= args.repeats <= 1000:
        return _usage("bench", f"--repeats {args.repeats} is outside [1, 1000]")
    names = None
    if args.kernels is not None:
        names = [n.strip() for n in args.kernels.split(",")]
        bad = [n for n in names if n not in known]
        if bad:
            return _usage("bench", f"--kernels {bad[0]!r} is not a kernel; known: {', '.join(known)}")
    rows = bench.run(args.points, args.repeats, names, progress=stop_if_interrupted)
    print(bench.render(rows, args.points))
    return 0


T_UNITS = {"eV": 1, "keV": 1000, "MeV": 1000000}       # eV per unit, exact
MAX_T_VALUES = 10000


def _decimal(text: str):
    """The exact decimal value of plain decimal text ('2.7e13', '0.7'), or None (nan, inf, '1_0', hex, and numbers
    that overflow or underflow the float range are refused)."""
    import decimal
    text = text.strip()
    if not text or len(text) > 100 or any(ch not in "0123456789.eE+-" for ch in text):
        return None
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        return None
    f = float(value)
    if not math.isfinite(f) or (f == 0 and value != 0):
        return None                                            # 1e400, 1e-400: not a float
    return value


def _number(text: str) -> float | None:
    """A finite float from plain decimal text, or None (see :func:`_decimal`)."""
    value = _decimal(text)
    return None if value is None else float(value)


def _energy_eV(text: str, unit: str) -> float | None:
    """An energy given in ``unit`` as a float in eV, from the exact decimal: '700' eV and '0.7' keV are both the
    float nearest to 700, with no rounding on the way (700 * 1e-3 would be 0.7000000000000001 keV)."""
    value = _decimal(text)
    return None if value is None else float(value * T_UNITS[unit])


def _unit_of(spec: str):
    """(the text before an optional ':UNIT', the unit) of an energy spec; (None, why) for an unknown unit."""
    head, sep, last = spec.rpartition(":")
    if sep and last.strip() in T_UNITS:
        return head, last.strip()
    if sep and last.strip().isalpha() and last.strip().lower() not in ("inf", "infinity", "nan"):
        return None, f"unit {last.strip()!r} is not one of {', '.join(T_UNITS)}"
    return spec, "keV"


def _t_values(spec: str, points: int):
    """T in eV from 'LO:HI[:UNIT]' (points log-spaced) or 'A,B,C[:UNIT]' (UNIT keV by default); (values, '') or
    (None, why)."""
    import numpy

    from nusym.detectors.rates import T_RANGE
    body, unit = _unit_of(spec)
    if body is None:
        return None, unit
    parts = body.split(":")
    if len(parts) == 2:
        lo, hi = (_energy_eV(x, unit) for x in parts)
        if lo is None or hi is None:
            return None, "LO and HI must be finite plain decimal numbers"
        if not lo < hi:
            return None, f"the range is empty or inverted ({parts[0].strip()} >= {parts[1].strip()}); give LO:HI " \
                         "with LO < HI"
        if not lo > 0:
            return None, f"LO = {parts[0].strip()} must be positive (the range is log-spaced)"
        if not 2 <= points <= MAX_T_VALUES:
            return None, f"--points {points} is outside [2, {MAX_T_VALUES}]"
        values = [float(v) for v in numpy.geomspace(lo, hi, points)]
        values[0], values[-1] = lo, hi
        if len(set(values)) != len(values):
            return None, f"the range is too narrow for {points} distinct points"
    elif len(parts) == 1:
        values = [_energy_eV(x, unit) for x in parts[0].split(",")]
        if any(v is None for v in values):
            return None, "each value must be a finite plain decimal number"
        if len(values) > MAX_T_VALUES:
            return None, f"{len(values)} values, more than {MAX_T_VALUES}"
        if sorted(set(values)) != values:
            return None, "give the values increasing, each once"
    else:
        return None, "expected LO:HI[:UNIT] or A,B,C[:UNIT], e.g. 0.2:30:keV"
    lo, hi = T_RANGE
    if not all(lo <= v <= hi for v in values):
        return None, f"T must lie in [{lo / 1e3:g}, {hi / 1e3:g}] keV ({lo:g} eV to {hi / 1e6:g} MeV)"
    return values, ""


def _fractions(spec: str):
    from nusym.detectors.reactor import ISOTOPES
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
    from nusym.detectors import rates as detector, reactor
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
        flux = core.flux(power_W=power * 1e6, distance_m=distance)
    else:
        return _usage("rates", "give --flux, or --power and --distance (not both ways)")
    mu = None
    if args.mu_nu is not None:
        mu = _number(args.mu_nu)
        if mu is None or not 0 < mu <= 1:
            return _usage("rates", f"--mu-nu {args.mu_nu!r}: a magnetic moment in Bohr magnetons in (0, 1]")
    threshold = T[0]
    if args.threshold is not None:
        body, unit = _unit_of(args.threshold)
        threshold = _energy_eV(body, unit) if body is not None else None
        if threshold is None or not T[0] <= threshold < T[-1]:
            return _usage("rates", f"--threshold {args.threshold!r}: a T (keV unless ':eV' or ':MeV' follows) from "
                                   "the start of the --T range to below its end (the events above it are counted up "
                                   "to the end)")
    elif len(T) < 2:
        threshold = None
    out = None
    if args.plot is not None:
        out, why = _figure_out(args.plot)
        if why:
            return _usage("rates", f"--plot {args.plot!r}: {why}")
        import importlib.util
        if importlib.util.find_spec("matplotlib") is None:
            return _usage("rates", "--plot needs matplotlib: pip install matplotlib")
    from nusym.output import rates as report
    bar = _progress_bar("rates") if stderr_is_terminal() else None
    table = detector.rates(tgt, T, flux, mu_nu=mu, reactor=core, flavour=args.flavour, momentum=args.momentum,
                           progress=bar)
    moments = None if threshold is None else detector.equal_moments(
        tgt, threshold, T[-1], reactor=core, flavour=args.flavour, momentum=args.momentum)
    if bar:
        say("\r\033[K", end="")
    if args.json:
        print(report.as_json(table, moments))
    elif args.csv:
        print(report.render_csv(table))
    else:
        print(report.render(table, moments))
    if out is not None:                        # after the table: a figure that fails leaves the numbers printed
        from nusym.codegen.generator import replacing
        sys.stdout.flush()
        with replacing(out, suffix=Path(args.plot).suffix) as tmp:
            report.plot(table, str(tmp))
        say(f"wrote {out}")
    return 0


def _progress_bar(command: str):
    def show(done: int, total: int) -> None:
        width = 30
        full = int(width * done / max(total, 1))
        say(f"\rnusym {command}: [{'#' * full}{'.' * (width - full)}] {done}/{total}", end="")
    return show


class _Once(argparse.Action):
    """Store an option's value, refusing a second one (argparse would silently keep the last)."""

    def __call__(self, parser, namespace, values, option_string=None):
        seen = namespace.__dict__.setdefault("_given", set())
        if self.dest in seen:
            parser.error(f"argument {option_string}: given twice ({getattr(namespace, self.dest)!r} and {values!r})")
        seen.add(self.dest)
        setattr(namespace, self.dest, values)


class _Parser(argparse.ArgumentParser):
    """argparse with bad usage reported as the other checks report it: one line on stderr, exit 2; an option given
    twice is bad usage unless it is meant to repeat (action="append"); a value that starts with '-' followed by a
    digit or '.' is a value (--mu-nu -1e-11 reaches the range check, not "expected one argument")."""

    def error(self, message):
        self.exit(USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")

    def add_argument(self, *args, **kwargs):
        if kwargs.get("action") is None and args and args[0].startswith("-"):
            kwargs["action"] = _Once
        return super().add_argument(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        args = list(sys.argv[1:] if args is None else args)
        takes_value = {o for a in self._all_actions() for o in a.option_strings if a.nargs is None
                       and not isinstance(a, (argparse._StoreTrueAction, argparse._StoreFalseAction,
                                              argparse._HelpAction, argparse._VersionAction))}
        joined, i = [], 0
        while i < len(args):
            a = args[i]
            if a in takes_value and i + 1 < len(args) and len(args[i + 1]) > 1 and args[i + 1][0] == "-" \
                    and (args[i + 1][1].isdigit() or args[i + 1][1] == "."):
                joined.append(f"{a}={args[i + 1]}")
                i += 2
                continue
            joined.append(a)
            i += 1
        return super().parse_args(joined, namespace)

    def _all_actions(self):
        for action in self._actions:
            yield action
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    yield from sub._actions


def _parser() -> argparse.ArgumentParser:
    from nusym.runner.parallel import CONNECT_TIMEOUT
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
                   help="run the checks and the float sweeps in N worker processes (an integer from 1 to 4 per core; "
                        "default: one per core this process may use; 1: one after another in this process); the "
                        "output is the same")
    v.add_argument("--scheduler", metavar="ADDRESS",
                   help="run them on the workers of the dask.distributed scheduler at ADDRESS (e.g. tcp://host:8786; "
                        "needs dask.distributed: pip install 'dask[distributed]'); an address that does not "
                        f"answer, or a scheduler that has no worker, within {CONNECT_TIMEOUT:g} s is bad usage")
    v.set_defaults(func=_verify)
    c = sub.add_parser("codegen", help="write generated/ from the derivations",
                       epilog="exit status: 0 written (or up to date with --check), 1 stale (--check), 2 bad usage, "
                              "3 could not finish")
    c.add_argument("--check", action="store_true", help="fail if the generated files are stale")
    c.add_argument("--out", metavar="DIR", help="write here instead of the installed nusym.generated folder; each "
                                                  "file goes to a temporary file first and is renamed into place")
    c.set_defaults(func=_codegen)
    from nusym.claims import DEFAULT_TIMEOUT, VARIABLES, __doc__ as claims_doc
    from nusym.atoms.spectra import MODELS
    models = "\n".join(f"  {m.name}: {m.doc}\n    parameters: " + "; ".join(
        f"{p.name} ({p.doc}, " + (f"fixed: {p.fixed})" if p.fixed else f"sampled {p.lo}..{p.hi})")
        for p in m.params) + "".join(f"; {v} sampled {lo}..{hi}" for v, lo, hi in m.ranges)
        for m in MODELS.values())
    k = sub.add_parser("check", help="check a claim: exit 0 holds, 1 refuted, 3 inconclusive, 2 bad usage",
                       description=_plain(claims_doc), formatter_class=argparse.RawDescriptionHelpFormatter,
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
    k.add_argument("--points", type=int, default=40, help="random points besides the edges (default 40)")
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
    b.add_argument("--points", type=int, default=10**6, help="points per call (default 1000000, at most 100000000 "
                                                             "and what fits in memory, about 120 bytes each)")
    b.add_argument("--repeats", type=int, default=5, help="timed calls per path; the best is kept (default 5)")
    b.add_argument("--kernels", metavar="NAMES", help="comma-separated kernel names (default: all)")
    b.set_defaults(func=_bench)
    from nusym.detectors.rates import FLAVOURS, MOMENTA
    from nusym.detectors.reactor import BELOW_2MEV
    r = sub.add_parser("rates", help="reactor antineutrino event rates of a detector material: free electrons, "
                                     "stepping, stepping with recoil; weak and magnetic",
                       description="Event rates per kg per day per keV (nusym.detectors.rates): Elam's shells (xraydb), the "
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
    from nusym.detectors.reactor import DEFAULT_FRACTIONS
    r.add_argument("--fractions", metavar="U235=F,...", help="fission fractions (default " + ",".join(
        f"{k}={v:g}" for k, v in DEFAULT_FRACTIONS.items()) + ")")
    r.add_argument("--below-2mev", dest="below_2mev", choices=BELOW_2MEV, default="vogel-engel",
                   help="the spectrum below the fits' 2 MeV (default vogel-engel; see nusym.detectors.reactor)")
    r.add_argument("--momentum", choices=MOMENTA, default="virial", help="shell mean momentum in the recoil factors")
    r.add_argument("--threshold", metavar="T[:UNIT]",
                   help="detection threshold (keV unless ':eV' or ':MeV' follows; default: the first T): the mu_nu at "
                        "which the magnetic signal equals the weak one there is printed twice, differential (dR/dT "
                        "at the threshold) and threshold-integrated (the events from it to the end of --T)")
    fmt = r.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="comma-separated values, with '#' lines of provenance and "
                                                        "units above the header")
    fmt.add_argument("--json", action="store_true",
                     help="JSON: {target, units, rows: [{T_keV, weak_fe, ..., mu_stepping_recoil}], flux_cm2_s, mu_nu, "
                          "flavour, spectrum, shell_momentum, integration_error, data_version, nusym_version, "
                          "mu_nu_equal_rates: {T_keV, differential, above_threshold}}")
    r.add_argument("--plot", metavar="FILE", help="also draw the rate spectra (matplotlib; .png, .svg or .pdf)")
    r.set_defaults(func=_rates)
    return parser


def main(argv=None) -> int:
    """The command line (``nusym ...``): the exit status.  Ctrl-C ends any command with "interrupted" and status
    130, from the first import on: a SIGINT is also remembered, so that one which a library swallowed (numba's
    compiler calls back into Python from C, where an exception is printed and dropped) still ends the run, and one
    that turned an import into an ImportError is reported as what it was."""
    caught = _INTERRUPTS
    caught.clear()

    def interrupt(signum, frame):
        caught.append(signum)
        raise KeyboardInterrupt

    def unraisable(info, previous=sys.unraisablehook):
        if not isinstance(info.exc_value, KeyboardInterrupt):     # remembered in ``caught``: not printed
            previous(info)

    handler = hook = None
    if threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGINT) is signal.default_int_handler:      # not where the shell ignores it
        handler = signal.signal(signal.SIGINT, interrupt)
        hook, sys.unraisablehook = sys.unraisablehook, unraisable
    given = sys.argv[1:] if argv is None else list(argv)
    command = f" {given[0]}" if given and given[0] in COMMANDS else ""
    try:
        parser = _parser()
        args = parser.parse_args(argv)
        command = f" {args.command}"
        status = args.func(args)
        if sys.stdout is not None:
            sys.stdout.flush()                 # here, not at exit: a reader that went away is reported below
        if caught:
            raise KeyboardInterrupt
        return status
    except KeyboardInterrupt:
        say(f"nusym{command}: interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - no traceback and no verdict's exit status for a failure
        if caught:
            say(f"nusym{command}: interrupted")
            return 130
        if sys.stdout is None:                 # started with stdout closed: nothing can be printed there
            say(f"nusym{command}: could not finish: standard output is closed")
            return UNFINISHED
        if isinstance(exc, BrokenPipeError):   # stdout's reader is gone: what is left unwritten goes nowhere,
            try:                               # so that Python's own flush at exit does not fail again
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
        say(f"nusym{command}: could not finish: {type(exc).__name__}: {exc}")
        return UNFINISHED
    finally:
        if handler is not None:
            signal.signal(signal.SIGINT, handler)
            sys.unraisablehook = hook


if __name__ == "__main__":
    sys.exit(main())
