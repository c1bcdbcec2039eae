"""The command line: `nusym verify`, `nusym codegen`, `nusym check`, `nusym figure`, `nusym bench` and `nusym rates`
(also `python -m nusym`).

The parser and ``main`` are here; each command is in :mod:`~nusym.cli.commands` or :mod:`~nusym.cli.rates`, what
the command line says in :mod:`~nusym.cli.messages`, paths checked before work in :mod:`~nusym.cli.paths`.  The
command line may import every part of nusym; nothing imports it.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from nusym.cli.messages import COMMANDS, INTERRUPTS, UNFINISHED, USAGE, plain, say

__all__ = ["main"]

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


def _parallel_arguments(p, what: str, timeout: float) -> None:
    from nusym.runner.parallel import JOBS_PER_CORE
    p.add_argument("-j", "--jobs", metavar="N",
                   help=f"run {what} in N worker processes (an integer from 1 to {JOBS_PER_CORE} per core; default: "
                        "one per core this process may use; 1: one after another in this process); the output is the "
                        "same")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run them on the workers of the dask.distributed scheduler at ADDRESS (e.g. tcp://host:8786; "
                        "needs dask.distributed: pip install 'dask[distributed]'); an address that does not "
                        f"answer, or a scheduler that has no worker, within {timeout:g} s is bad usage")


def _parser(command: str = "") -> argparse.ArgumentParser:
    """The parser; the figures' names (which the physics declares) are read only when ``command`` is "figure"."""
    from nusym import __version__
    from nusym.cli import commands
    from nusym.cli import rates as rates_cli
    from nusym.runner.parallel import CONNECT_TIMEOUT
    parser = _Parser(prog="nusym", description=plain(__doc__.split("\n\n")[0]))
    parser.add_argument("--version", action="version", version=f"nusym {__version__}")
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
    _parallel_arguments(v, "the checks and the float sweeps", CONNECT_TIMEOUT)
    v.set_defaults(func=commands.verify_command)
    c = sub.add_parser("codegen", help="write generated/ from the derivations",
                       epilog="exit status: 0 written (or up to date with --check), 1 stale (--check), 2 bad usage, "
                              "3 could not finish")
    c.add_argument("--check", action="store_true", help="fail if the generated files are stale")
    c.add_argument("--out", metavar="DIR", help="write here instead of the installed nusym.generated folder; each "
                                                  "file goes to a temporary file first and is renamed into place")
    c.set_defaults(func=commands.codegen_command)
    from nusym.atoms.models import models as registered
    from nusym.claims import DEFAULT_TIMEOUT, VARIABLES
    from nusym.claims import __doc__ as claims_doc
    known = registered()
    models = "\n".join(f"  {m.name}: {m.doc}\n    parameters: " + "; ".join(
        f"{p.name} ({p.doc}, " + (f"fixed: {p.fixed})" if p.fixed else f"sampled {p.lo}..{p.hi})")
        for p in m.params) + "".join(f"; {v} sampled {lo}..{hi}" for v, lo, hi in m.ranges)
        for m in known.values())
    k = sub.add_parser("check", help="check a claim: exit 0 holds, 1 refuted, 3 inconclusive, 2 bad usage",
                       description=plain(claims_doc), formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="sampled ranges of free variables (eV unless said):\n  " + ", ".join(
                           f"{n} {v.sampled[0]}..{v.sampled[1]}" for n, v in VARIABLES.items()) +
                       "\n\nmodels (--model):\n" + models +
                       "\n\nexit status: 0 holds, 1 refuted, 2 bad usage or unreadable claim, 3 inconclusive (time "
                       "budget spent, or the claim could not be evaluated)")
    k.add_argument("claim", help='e.g. "Integral(S(T, q)*2/q, (q, 0, oo)) == Z/T"')
    k.add_argument("--model", choices=["none", *known], default="none",
                   help="atomic model that defines S(T, q), and R(T, q) for " + ", ".join(
                       m.name for m in known.values() if m.transverse is not None) +
                   " (default: none, a purely symbolic claim)")
    k.add_argument("--assume", action="append", metavar="RELATION", help='restrict the domain, e.g. "T > I"')
    k.add_argument("--set", action="append", metavar="NAME=VALUE", help="fix a variable, e.g. Z=1")
    k.add_argument("--dps", type=int, default=30, help="working precision in digits (the second is dps + 15)")
    k.add_argument("--points", type=int, default=40, help="random points besides the edges (default 40)")
    k.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time budget of the whole check; when it runs out the verdict is inconclusive "
                        f"(default {DEFAULT_TIMEOUT:g})")
    k.add_argument("--json", action="store_true", help="print the verdict as JSON")
    k.set_defaults(func=commands.check_command)
    fg = sub.add_parser("figure", help="write a figure of the physics (matplotlib); `nusym figure --help` lists them",
                        epilog="exit status: 0 written, 2 bad usage (checked before any work), 3 could not finish")
    if command == "figure":
        from nusym import catalogue
        shown = "; ".join(f"{e.id}: {e.hints.get('doc', '')}" for e in catalogue.entries("figure"))
    else:
        shown = "the figure's name (`nusym figure --help` lists them)"
    fg.add_argument("name", help=shown)
    fg.add_argument("--out", metavar="PATH", help="output file, format by suffix: .png, .svg or .pdf "
                                                   "(default NAME.png); a symbolic link is written through")
    fg.add_argument("--E-nu", dest="E_nu", type=float, default=1e6, help="neutrino energy in eV (default 1e6)")
    fg.add_argument("--points", type=int, default=48, help="energy points on the curves (default 48)")
    fg.set_defaults(func=commands.figure_command)
    b = sub.add_parser("bench", help="points per second of every kernel on every backend here, against "
                                     "hand-written numpy and numba baselines timed in the same run",
                       epilog="exit status: 0 measured, 2 bad usage")
    b.add_argument("--points", type=int, default=10**6, help="points per call (default 1000000, at most 100000000 "
                                                             "and what fits in memory, about 120 bytes each)")
    b.add_argument("--repeats", type=int, default=5, help="timed calls per path; the best is kept (default 5)")
    b.add_argument("--kernels", metavar="NAMES", help="comma-separated kernel names (default: all)")
    b.add_argument("--atoms", metavar="ELEMENT", nargs="?", const="Ge",
                   help="instead of the kernels, time the central-field atom of ELEMENT (default Ge): the Bessel "
                        "tables against SciPy's, the ground state, the rate table of `nusym rates --T 0.1:30` in one "
                        "process and through -j workers, the cached count against stepping (a minute or two); "
                        "--points and --kernels do not apply")
    from nusym.runner.parallel import JOBS_PER_CORE
    b.add_argument("-j", "--jobs", metavar="N", help=f"worker processes for the --atoms rate table (an integer from 1 "
                                                     f"to {JOBS_PER_CORE} per core; default: one per core this process "
                                                     "may use)")
    b.set_defaults(func=commands.bench_command)
    from nusym.detectors.targets import CENTRAL_FIELD_T, FLAVOURS, MOMENTA, OPTIONAL_APPROXIMATIONS
    from nusym.detectors.reactor import BELOW_2MEV
    r = sub.add_parser("rates", help="reactor antineutrino event rates of a detector material: free electrons, "
                                     "stepping, stepping with recoil; weak and magnetic",
                       description="Event rates per kg per day per keV (nusym.detectors): Elam's shells (xraydb), the "
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
    r.add_argument("--approximation", choices=OPTIONAL_APPROXIMATIONS, action="append",
                   help="also the columns of this approximation: central-field (the self-consistent LDA atom; "
                        f"T in {CENTRAL_FIELD_T[0] / 1e3:g}..{CENTRAL_FIELD_T[1] / 1e3:g} keV; a table per element, "
                        "seconds to a minute the first time, then from nusym's cache)")
    r.add_argument("--threshold", metavar="T[:UNIT]",
                   help="detection threshold (keV unless ':eV' or ':MeV' follows; default: the first T): the mu_nu at "
                        "which the magnetic signal equals the weak one there is printed twice, differential (dR/dT "
                        "at the threshold) and threshold-integrated (the events from it to the end of --T)")
    fmt = r.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="comma-separated values, with '#' lines of provenance and "
                                                        "units above the header")
    fmt.add_argument("--json", action="store_true",
                     help="JSON: {target, units, rows: [{T_keV, weak_fe, ..., mu_stepping_recoil; weak_central_field, "
                          "mu_central_field with --approximation central-field}], flux_cm2_s, mu_nu, "
                          "flavour, spectrum, shell_momentum, integration_error, data_version, nusym_version, "
                          "mu_nu_equal_rates: {T_keV, differential, above_threshold}}")
    r.add_argument("--plot", metavar="FILE", help="also draw the rate spectra (matplotlib; .png, .svg or .pdf)")
    _parallel_arguments(r, "the central-field tables not yet cached (a task per element and subshell)",
                        CONNECT_TIMEOUT)
    r.set_defaults(func=rates_cli.rates_command)
    from nusym.cli import compare as compare_cli
    compare_cli.add_parsers(sub)
    from nusym.cli import atom as atom_cli
    atom_cli.add_parsers(sub)
    return parser


def main(argv=None) -> int:
    """The command line (``nusym ...``): the exit status.  Ctrl-C ends any command with "interrupted" and status
    130, from the first import on: a SIGINT is also remembered, so that one which a library swallowed (numba's
    compiler calls back into Python from C, where an exception is printed and dropped) still ends the run, and one
    that turned an import into an ImportError is reported as what it was."""
    caught = INTERRUPTS
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
        parser = _parser(given[0] if given else "")
        args = parser.parse_args(argv)
        command = f" {args.command}"
        if sys.stdout is None:                 # started with stdout closed: whatever it computed would be lost
            say(f"nusym{command}: could not finish: standard output is closed")
            return UNFINISHED
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
