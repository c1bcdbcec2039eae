"""`nusym rates`: event rates of a detector material in a reactor's flux, with its energies read as exact decimals."""
from __future__ import annotations

import math
import sys
from pathlib import Path

from nusym import variables as V
from nusym.cli.messages import progress_bar, say, stderr_is_terminal, usage
from nusym.cli.paths import figure_out

__all__ = ["rates_command", "t_values", "number", "energy_eV", "unit_of", "T_UNITS", "MAX_T_VALUES",
           "decimal_of", "parse_fractions"]

T_UNITS = {"eV": 1, "keV": 1000, "MeV": 1000000}       # eV per unit, exact
MAX_T_VALUES = 10000


def decimal_of(text: str):
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


def number(text: str) -> float | None:
    """A finite float from plain decimal text, or None (see :func:`decimal_of`)."""
    value = decimal_of(text)
    return None if value is None else float(value)


def energy_eV(text: str, unit: str) -> float | None:
    """An energy given in ``unit`` as a float in eV, from the exact decimal: '700' eV and '0.7' keV are both the
    float nearest to 700, with no rounding on the way (700 * 1e-3 would be 0.7000000000000001 keV)."""
    value = decimal_of(text)
    return None if value is None else float(value * T_UNITS[unit])


def unit_of(spec: str):
    """(the text before an optional ':UNIT', the unit) of an energy spec; (None, why) for an unknown unit."""
    head, sep, last = spec.rpartition(":")
    if sep and last.strip() in T_UNITS:
        return head, last.strip()
    if sep and last.strip().isalpha() and last.strip().lower() not in ("inf", "infinity", "nan"):
        return None, f"unit {last.strip()!r} is not one of {', '.join(T_UNITS)}"
    return spec, "keV"


def t_values(spec: str, points: int):
    """T in eV from 'LO:HI[:UNIT]' (points log-spaced) or 'A,B,C[:UNIT]' (UNIT keV by default); (values, '') or
    (None, why)."""
    import numpy

    from nusym.detectors.events import T_RANGE
    body, unit = unit_of(spec)
    if body is None:
        return None, unit
    parts = body.split(":")
    if len(parts) == 2:
        lo, hi = (energy_eV(x, unit) for x in parts)
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
        values = [energy_eV(x, unit) for x in parts[0].split(",")]
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


def parse_fractions(spec: str):
    from nusym.detectors.reactor import ISOTOPES
    out = {}
    for item in spec.split(","):
        name, sep, value = item.partition("=")
        name = name.strip()
        v = number(value) if sep else None
        if name not in ISOTOPES or v is None:
            return None, f"expected ISOTOPE=FRACTION,... with isotopes {', '.join(ISOTOPES)}, e.g. U235=0.58,U238=0.07,Pu239=0.3,Pu241=0.05"
        if name in out:
            return None, f"{name} is given twice"
        out[name] = v
    return out, ""


def rates_command(args) -> int:
    from nusym import detectors as detector
    from nusym.detectors import reactor
    try:
        tgt = detector.target(args.target)
    except (ValueError, TypeError) as exc:
        return usage("rates", f"--target: {exc}")
    T, why = t_values(args.T, args.points)
    if why:
        return usage("rates", f"--T {args.T!r}: {why}")
    fractions = dict(reactor.DEFAULT_FRACTIONS)
    if args.fractions is not None:
        fractions, why = parse_fractions(args.fractions)
        if why:
            return usage("rates", f"--fractions {args.fractions!r}: {why}")
    try:
        core = reactor.Reactor(fractions=fractions, below=args.below_2mev)
    except ValueError as exc:
        return usage("rates", f"--fractions: {exc}")
    given = [n for n in ("flux", "power", "distance") if getattr(args, n) is not None]
    if given == ["flux"]:
        flux, (lo, hi) = number(args.flux), detector.FLUX_RANGE
        if flux is None or not lo <= flux <= hi:
            return usage("rates", f"--flux {args.flux!r}: antineutrinos per cm^2 per s, a number in [{lo:g}, {hi:g}]")
    elif sorted(given) == ["distance", "power"]:
        power, distance = number(args.power), number(args.distance)
        (plo, phi), (dlo, dhi) = reactor.POWER_RANGE, reactor.DISTANCE_RANGE
        if power is None or not plo <= power * 1e6 <= phi:
            return usage("rates", f"--power {args.power!r}: a thermal power in [{plo / 1e6:g}, {phi / 1e6:g}] MW")
        if distance is None or not dlo <= distance <= dhi:
            return usage("rates", f"--distance {args.distance!r}: a distance in [{dlo:g}, {dhi:g}] m")
        flux = core.flux(power_W=power * 1e6, distance_m=distance)
    else:
        return usage("rates", "give --flux, or --power and --distance (not both ways)")
    mu = None
    if args.mu_nu is not None:
        mu = number(args.mu_nu)
        lo, hi, _ = V.kappa.allowed
        if mu is None or not lo < mu <= hi:
            return usage("rates", f"--mu-nu {args.mu_nu!r}: a magnetic moment in Bohr magnetons in ({lo:g}, {hi:g}]")
    threshold = T[0]
    if args.threshold is not None:
        body, unit = unit_of(args.threshold)
        threshold = energy_eV(body, unit) if body is not None else None
        if threshold is None or not T[0] <= threshold < T[-1]:
            return usage("rates", f"--threshold {args.threshold!r}: a T (keV unless ':eV' or ':MeV' follows) from "
                                   "the start of the --T range to below its end (the events above it are counted up "
                                   "to the end)")
    elif len(T) < 2:
        threshold = None
    extra = tuple(dict.fromkeys(args.approximation or ()))
    if extra:
        lo, hi = detector.CENTRAL_FIELD_T
        if not (lo <= T[0] and T[-1] <= hi):
            return usage("rates", f"--approximation central-field: --T {args.T!r} must lie in {lo / 1e3:g}..{hi / 1e3:g} "
                                  "keV, where the central-field model is checked")
        try:
            detector.check_central_field_size(tgt, len(T))
        except ValueError as exc:
            return usage("rates", f"--approximation central-field: {exc}")
    elif args.jobs is not None or args.scheduler is not None:
        from nusym.cli.commands import shorten
        given = f"-j {shorten(args.jobs)}" if args.jobs is not None else f"--scheduler {shorten(args.scheduler)}"
        return usage("rates", f"{given} applies to --approximation central-field's tables only")
    out = None
    if args.plot is not None:
        out, why = figure_out(args.plot)
        if why:
            return usage("rates", f"--plot {args.plot!r}: {why}")
        import importlib.util
        if importlib.util.find_spec("matplotlib") is None:
            return usage("rates", "--plot needs matplotlib: pip install matplotlib")
    if extra:                                  # the tables first, through -j / --scheduler's workers
        from nusym.atoms import structure_tables
        from nusym.cli.commands import executor_of
        ex = executor_of("rates", args)
        if isinstance(ex, int):
            return ex
        from nusym.runner import parallel
        with parallel.finishing(ex):
            structure_tables.rate_tables([a.symbol for a, _ in tgt.atoms], T, ex)
    from nusym.output import rates as report
    bar = progress_bar("rates") if stderr_is_terminal() else None
    table = detector.rates(tgt, T, flux, mu_nu=mu, reactor=core, flavour=args.flavour, momentum=args.momentum,
                           progress=bar, approximations=detector.APPROXIMATIONS + extra)
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
        from nusym.files import replacing
        sys.stdout.flush()
        with replacing(out, suffix=Path(args.plot).suffix) as tmp:
            report.plot(table, str(tmp))
        say(f"wrote {out}")
    return 0
