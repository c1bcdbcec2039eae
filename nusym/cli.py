"""Command line: `nusym verify`, `nusym codegen`, `nusym check` and `nusym figure`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]


def _verify(args) -> int:
    from . import verify
    progress = (lambda m: None) if args.quiet else verify.main_progress
    report = verify.run(only=args.only, progress=progress, mutate=args.mutants)
    if sys.stderr.isatty() and not args.quiet:
        sys.stderr.write("\r\033[K")
    print(verify.as_json(report) if args.json else verify.render(report))
    if not report.entries:
        print(f"no result matches --only {args.only!r}", file=sys.stderr)
        return 2
    return 0 if report.ok else 1


def _codegen(args) -> int:
    from . import codegen
    out = Path(args.out) if args.out else None
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
        if not sep:
            print(f"nusym check: --set {item!r}: expected NAME=VALUE", file=sys.stderr)
            return 2
        settings[name.strip()] = value.strip()
    try:
        verdict = claims.check(args.claim, model=args.model, assume=args.assume or (), set=settings, dps=args.dps)
    except (claims.ClaimError, ValueError) as exc:
        print(f"nusym check: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(verdict.as_json(), indent=2) if args.json else verdict)
    return verdict.exit_status


E_NU_FIGURE = (2e5, 1e8)      # the figures run T up to 100 keV, which needs E_nu > T


def _figure(args) -> int:
    from .registry import figures
    table = figures()
    if args.name not in table:
        print(f"nusym figure: name={args.name!r} is not known; allowed: {', '.join(table)}", file=sys.stderr)
        return 2
    lo, hi = E_NU_FIGURE
    if not lo <= args.E_nu <= hi:
        print(f"nusym figure: --E-nu={args.E_nu:g} eV is outside the allowed range [{lo:g}, {hi:g}] eV", file=sys.stderr)
        return 2
    if not 8 <= args.points <= 400:
        print(f"nusym figure: --points={args.points} is outside the allowed range [8, 400]", file=sys.stderr)
        return 2
    import importlib.util
    if importlib.util.find_spec("matplotlib") is None:
        print("nusym figure needs matplotlib: pip install 'nusym[plot]'", file=sys.stderr)
        return 2
    out = args.out or f"{args.name}.png"
    table[args.name](out, E_nu=args.E_nu, points=args.points)
    print(f"wrote {out}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="nusym", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="derive and check every result of the papers; non-zero exit if a check fails")
    v.add_argument("--json", action="store_true", help="machine-readable output")
    v.add_argument("--only", metavar="PATTERN", help="regular expression on 'id paper equation'")
    v.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    v.add_argument("--mutants", action="store_true",
                   help="also mutate every declared claim and paper form and report how many mutants are refuted")
    v.set_defaults(func=_verify)
    c = sub.add_parser("codegen", help="write generated/ from the derivations")
    c.add_argument("--check", action="store_true", help="fail if the generated files are stale")
    c.add_argument("--out", metavar="DIR", help="write here instead of the installed nusym.generated folder")
    c.set_defaults(func=_codegen)
    from .claims import VARIABLES, __doc__ as claims_doc
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
                       "\n\nexit status: 0 holds, 1 refuted, 3 inconclusive, 2 bad usage or unreadable claim")
    k.add_argument("claim", help='e.g. "Integral(S(T, q)*2/q, (q, 0, oo)) == Z/T"')
    k.add_argument("--model", choices=["none", *MODELS], default="none",
                   help="atomic model that defines S(T, q), and R(T, q) for " + ", ".join(
                       m.name for m in MODELS.values() if m.transverse is not None) +
                   " (default: none, a purely symbolic claim)")
    k.add_argument("--assume", action="append", metavar="RELATION", help='restrict the domain, e.g. "T > I"')
    k.add_argument("--set", action="append", metavar="NAME=VALUE", help="fix a variable, e.g. Z=1")
    k.add_argument("--dps", type=int, default=30, help="working precision in digits (the second is dps + 15)")
    k.add_argument("--json", action="store_true", help="print the verdict as JSON")
    k.set_defaults(func=_check)
    fg = sub.add_parser("figure", help="write a figure (matplotlib): magnetic-hydrogen")
    fg.add_argument("name", help="magnetic-hydrogen: longitudinal, transverse, photon-limit and free-electron "
                                 "magnetic cross sections of H(1s) against T, threshold to 100 keV")
    fg.add_argument("--out", metavar="PATH", help="output file, format by suffix (default NAME.png)")
    fg.add_argument("--E-nu", dest="E_nu", type=float, default=1e6, help="neutrino energy in eV (default 1e6)")
    fg.add_argument("--points", type=int, default=48, help="energy points on the curves (default 48)")
    fg.set_defaults(func=_figure)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
