"""The commands `nusym verify`, `nusym codegen`, `nusym check`, `nusym figure` and `nusym bench`: each checks its
arguments (bad usage: exit 2, before any work), runs, and prints."""
from __future__ import annotations

from pathlib import Path

from nusym.cli.messages import progress_line, say, stderr_is_terminal, stop_if_interrupted, usage
from nusym.cli.paths import figure_out, writable_dir

__all__ = ["executor_of", "shorten", "verify_command", "codegen_command", "check_command", "figure_command", "bench_command", "E_NU_FIGURE"]

def executor_of(command: str, args):
    """The executor ``-j`` / ``--scheduler`` ask for (default: one worker per core), or the exit status of bad usage."""
    from nusym.runner import parallel
    if args.scheduler is not None and args.jobs is not None:
        return usage(command, f"-j {shorten(args.jobs)} and --scheduler {shorten(args.scheduler)} were both given; "
                              "the scheduler's workers do the work, give one of them")
    try:
        jobs = parallel.default_jobs() if args.jobs is None else parallel.check_jobs(args.jobs)
    except ValueError as exc:
        return usage(command, f"-j {shorten(exc, 300, quote=False)}")
    try:
        return parallel.executor(jobs, args.scheduler)
    except parallel.SchedulerError as exc:
        return usage(command, f"--scheduler {shorten(args.scheduler)}: {shorten(exc, 300, quote=False)}")


def shorten(text, limit: int = 80, quote: bool = True) -> str:
    """``text`` (as repr when ``quote``), cut to ``limit`` characters: a value echoed in an error message stays one
    short line."""
    shown = repr(text) if quote else str(text)
    return shown if len(shown) <= limit else f"{shown[:limit - 20]}... ({len(str(text))} characters)"


def verify_command(args) -> int:
    from nusym.checks import verify
    from nusym.output import verify as verify_report
    if args.only is not None:                  # checked, and matched, before any result is checked
        shown = repr(args.only) if len(args.only) <= 80 else f"{args.only[:60]!r}..."
        try:
            selected = verify.select(args.only)
        except ValueError as exc:
            return usage("verify", f"--only {shown} {exc}")
        if not selected:
            return usage("verify", f"--only {shown} matches no result; PATTERN is shell-style globs on "
                                    f"'id paper equation' separated by commas, e.g. 'b-sum-rule*,m-spurious'")
    ex = executor_of("verify", args)           # connected before any result is checked
    if isinstance(ex, int):
        return ex
    from nusym.runner import parallel
    progress = (lambda m: None) if args.quiet else progress_line
    with parallel.finishing(ex):               # interrupted, or a crash: the workers are stopped, not awaited
        report = verify.run(only=args.only, progress=progress, mutate=args.mutants, executor=ex)
    if stderr_is_terminal() and not args.quiet:
        say("\r\033[K", end="")
    print(verify_report.as_json(report) if args.json else verify_report.render(report))
    return 0 if report.ok else 1


def codegen_command(args) -> int:
    if args.out == "":
        return usage("codegen", "--out '' is empty; give a folder, or leave --out out to write the installed "
                                 "nusym.generated folder")
    out = Path(args.out) if args.out is not None else None
    if out is not None:
        why = writable_dir(out, must_exist=args.check, write=not args.check)
        if why:
            return usage("codegen", f"--out {args.out!r}: {why}")
    from nusym import codegen
    if args.check:
        bad = codegen.stale(out)
        if bad:
            print(f"stale generated files in {out or codegen.generated_dir()}: {', '.join(bad)}; run `nusym codegen`")
            return 1
        print(f"generated files in {out or codegen.generated_dir()} are up to date")
        return 0
    for path in codegen.write(out):
        print(f"wrote {path}")
    for name, proofs in codegen.rewrites().items():
        for r in proofs:
            print(f"  {name}: {r}")
    return 0


def check_command(args) -> int:
    import json

    from nusym import claims
    settings = {}
    for item in args.set or ():
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            return usage("check", f"--set {item!r}: expected NAME=VALUE")
        if name in settings:
            return usage("check", f"--set {name} is given twice ({settings[name]!r} and {value.strip()!r})")
        settings[name] = value.strip()
    try:
        verdict = claims.check(args.claim, model=args.model, assume=args.assume or (), set=settings, dps=args.dps,
                               points=args.points, timeout=args.timeout)
    except claims.ClaimError as exc:
        return usage("check", str(exc))
    print(json.dumps(verdict.as_json(), indent=2) if args.json else verdict)
    return verdict.exit_status


E_NU_FIGURE = (2e5, 1e8)      # the figures run T up to 100 keV, which needs E_nu > T


def figure_command(args) -> int:
    from nusym import catalogue
    table = {e.id: e.obj for e in catalogue.entries("figure")}
    if args.name not in table:
        return usage("figure", f"name={args.name!r} is not known; allowed: {', '.join(table)}")
    lo, hi = E_NU_FIGURE
    if not lo <= args.E_nu <= hi:      # False for nan as well
        return usage("figure", f"--E-nu={args.E_nu!r} eV is outside the allowed range [{lo:g}, {hi:g}] eV")
    if not 8 <= args.points <= 400:
        return usage("figure", f"--points={args.points} is outside the allowed range [8, 400]")
    given = f"{args.name}.png" if args.out is None else args.out
    out, why = figure_out(given)
    if why:
        return usage("figure", f"--out {given!r}: {why}")
    import importlib.util
    if importlib.util.find_spec("matplotlib") is None:
        return usage("figure", "matplotlib is needed: pip install matplotlib")
    from nusym.files import replacing
    # drawn into a temporary file beside the target, then moved: an interrupted run leaves no truncated figure
    with replacing(out, suffix=Path(given).suffix) as tmp:
        table[args.name](str(tmp), E_nu=args.E_nu, points=args.points)
    print(f"wrote {out}")
    return 0


def bench_command(args) -> int:
    from nusym.checks import bench
    from nusym.numeric import ARGUMENTS as known
    try:
        bench.check_points(args.points)
    except ValueError as exc:
        return usage("bench", f"--points {exc}")
    if not 1 <= args.repeats <= 1000:
        return usage("bench", f"--repeats {args.repeats} is outside [1, 1000]")
    names = None
    if args.kernels is not None:
        names = [n.strip() for n in args.kernels.split(",")]
        bad = [n for n in names if n not in known]
        if bad:
            return usage("bench", f"--kernels {bad[0]!r} is not a kernel; known: {', '.join(known)}")
    if args.atoms is not None:
        from nusym import detectors
        from nusym.checks import bench_atoms
        from nusym.runner import parallel
        if args.kernels is not None:
            return usage("bench", f"--kernels {args.kernels!r} with --atoms: the atom's rows time no kernel; give one")
        try:
            atoms = detectors.target(args.atoms).atoms          # Elam's edges are the tables' thresholds
        except (ValueError, TypeError) as exc:
            return usage("bench", f"--atoms {exc}")
        if len(atoms) != 1 or atoms[0][1] != 1:
            return usage("bench", f"--atoms {args.atoms!r}: one element's symbol, e.g. Ge")
        try:
            jobs = None if args.jobs is None else parallel.check_jobs(args.jobs)
        except ValueError as exc:
            return usage("bench", f"-j {exc}")
        rows = bench_atoms.run(atoms[0][0].symbol, jobs, args.repeats, progress=stop_if_interrupted)
        print(bench.render(rows, None))
        return 0
    if args.jobs is not None:
        return usage("bench", f"-j {shorten(args.jobs)} applies to --atoms' rate table only; the kernels are timed "
                              "in this process")
    rows = bench.run(args.points, args.repeats, names, progress=stop_if_interrupted)
    print(bench.render(rows, args.points))
    return 0
