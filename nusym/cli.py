"""Command line: `nusym verify` and `nusym codegen`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]


def _verify(args) -> int:
    from . import verify
    progress = (lambda m: None) if args.quiet else verify.main_progress
    report = verify.run(only=args.only, progress=progress)
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="nusym", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="derive and check every result of the papers; non-zero exit if a check fails")
    v.add_argument("--json", action="store_true", help="machine-readable output")
    v.add_argument("--only", metavar="PATTERN", help="regular expression on 'id paper equation'")
    v.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    v.set_defaults(func=_verify)
    c = sub.add_parser("codegen", help="write generated/ from the derivations")
    c.add_argument("--check", action="store_true", help="fail if the generated files are stale")
    c.add_argument("--out", metavar="DIR", help="write here instead of the installed nusym.generated folder")
    c.set_defaults(func=_codegen)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
