"""Hostile and careless input to the claim checker and the command line.

Every reproducer of the hostile-input report gets a clear message and the documented exit status
(0 holds, 1 refuted, 2 bad usage, 3 inconclusive or could not finish), never a traceback; the hostile
corpus executes nothing (an audit hook watches, and the working folder and stdout are inspected); a
grammar fuzzer with a fixed seed feeds random formulas through the parser and, for a sample, the whole
check.  The long fuzz runs are marked ``slow``.
"""
from __future__ import annotations

import os
import random
import signal
import sys
import threading
import time

import pytest
from conftest import replace_figure
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nusym import ClaimError, check, cli
from nusym import numeric
from nusym.claims import parse_relation

# ---------------------------------------------------------------- the corpus: each must execute nothing
EXECUTING = [
    "eval('__import__(\"os\").system(\"touch PWNED\")') == 0",
    "exec('open(\"PWNED\", \"w\")') == 0",
    "__import__('os').system('touch PWNED') == 0",
    "T == next(open('PWNED'))",
    "T == print('PWNED')",
    "T == open('PWNED', 'w').write('x')",
    "eval(chr(95)*2 + 'import' + chr(95)*2 + '(\"os\")') == 0",
    "T == (lambda: __import__('os').system('touch PWNED'))()",
    "T.__class__.__mro__[1].__subclasses__() == 0",
    "sqrt.__globals__['__builtins__']['eval']('1') == 1",
    "T == getattr(T, 'func')",
    "T == [x for x in (1, 2)][0]",
    "T == (y := 1)",
    "T == f'{__import__(\"os\").system(\"touch PWNED\")}'",
    "T == 'PWNED'",
    "T == b'PWNED'",
    "T == globals()",
    "T == breakpoint()",
    "T == input()",
    "T == exit()",
    "T == S.__init__",
    "Integral.__new__(T) == 1",
    "T == __builtins__",
    "T == sympy.sympify('1')",
    "\uff45\uff56\uff41\uff4c('1') == 1",          # fullwidth letters: NFKC would make them 'eval'
    "T == 1 if __import__('os').system('touch PWNED') else 0",
    "T == {1: 2}[1]",
    "T == Rational('1/2')",
    "T == sqrt(x=1)",
    "T == sqrt(*(1,))",
    "T > 0; __import__('os').system('touch PWNED')",
    "T > 0\n__import__('os').system('touch PWNED')",
    "T == 1 and __import__('os').system('touch PWNED')",
    "T == not 1",
    "T == 5 % 2",
    "T == 5 // 2",
    "T == 1j",
    "T == ...",
    "T == None",
]
SETTINGS = ['T=__import__("os").system("touch PWNED") + 1', "T=open('PWNED','w')", "T=eval('1')", "T=print(1)",
            "T=1e999999", "T=10**10**10", "T='1'", "Z=True"]
ASSUMPTIONS = ["__import__('os').system('touch PWNED') > 0", "T > print('PWNED')", "T > eval('0')"]


class _Audit:
    """Records code execution and process creation while ``active`` (an audit hook cannot be removed,
    so one is installed once and switched)."""

    active = False
    events: list = []
    WATCHED = ("os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.remove",
               "shutil", "socket", "ctypes", "builtins.input")

    @classmethod
    def hook(cls, event, args):
        if not cls.active:
            return
        if event.startswith(cls.WATCHED):
            cls.events.append(event)
        elif event == "exec" and args and not getattr(args[0], "co_filename", "").endswith(".py"):
            cls.events.append(f"exec of {getattr(args[0], 'co_filename', '?')}")     # eval/exec of typed text
        elif event == "open" and len(args) > 1 and isinstance(args[1], str) and set(args[1]) & set("wax+"):
            cls.events.append(f"open {args[0]!r} for writing")


sys.addaudithook(_Audit.hook)


@pytest.fixture
def audited():
    parse_relation("T > 0")                        # imports done before watching
    _Audit.events, _Audit.active = [], True
    yield _Audit.events
    _Audit.active = False


@pytest.mark.parametrize("claim", EXECUTING)
def test_the_parser_executes_nothing(claim, audited):
    for build in (False, True):
        with pytest.raises(ClaimError):
            parse_relation(claim, build=build)
    assert audited == []


def test_the_command_line_executes_and_prints_nothing(tmp_path, monkeypatch, capsys):
    """The whole corpus through `nusym check` in an empty folder: exit 2, nothing on stdout, one line on
    stderr, no file written."""
    monkeypatch.chdir(tmp_path)
    runs = [["check", c] for c in EXECUTING] + [["check", "T > 0", "--set", s] for s in SETTINGS] \
        + [["check", "T > 0", "--assume", a] for a in ASSUMPTIONS] \
        + [["check", c, "--json"] for c in EXECUTING[:6]]
    for argv in runs:
        assert cli.main(argv) == 2, argv
        out, err = capsys.readouterr()
        assert out == "", argv
        assert err.startswith("nusym check: ") and err.count("\n") == 1 and "Traceback" not in err, (argv, err)
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- the report's reproducers
@pytest.mark.parametrize("argv, status, message", [
    (["check", "10**10**10 == 1"], 2, "exponent 1e\\+10 is larger than 1000"),
    (["check", "T == 1", "--set", "T=10**10**10"], 2, "exponent"),
    (["check", "expand((T+q+p+I+Z)**60) > 0"], 2, "unknown function 'expand'"),
    (["check", "2**2**2**2**2 > T"], 2, "exponent 65536"),
    (["check", "Limit(T, T, zoo) == 1"], 2, "unknown name 'zoo'"),
    (["check", "(10*T)**1000 > 0"], 2, "more than 1000 digits"),
    (["check", "T > 0", "--set", "T=1", "--set", "T=2"], 2, "--set T is given twice"),
    (["check", "T > 0", "--set", "T"], 2, "expected NAME=VALUE"),
    (["check", "T > 0", "--dps", "500"], 2, "dps=500 is outside the allowed range"),
    (["check", "T > 0", "--timeout", "0"], 2, "timeout=0.0 is outside the allowed range"),
    (["check", "T > 0", "--timeout", "nan"], 2, "timeout=nan is outside the allowed range"),
    (["check", "x" * 3000 + " > 0"], 2, "at most 2000 are read"),
    (["check", "(" * 100 + "T" + ")" * 100 + " > 0"], 0, ""),      # parentheses alone nest nothing
    (["check", "(" * 250 + "T" + ")" * 250 + " > 0"], 2, "too many nested parentheses"),
    (["check", "sqrt(" * 50 + "T" + ")" * 50 + " > 0"], 2, "nesting deeper than 40"),
    (["check", "-" * 500 + "T > 0"], 2, "nesting deeper than 40"),
    (["check", "T \u2264 2\u00d7T"], 0, ""),                     # typography from a PDF: <= and *
    (["check", "T > 0\r\n"], 0, ""),                             # CRLF
    (["check", " + ".join(["T"] * 300) + " == 300*T"], 0, ""),   # long, not deep
    (["check", "log(T, 0) == 0"], 2, "log takes 1 argument"),            # SymPy: log(T, 0) is 0
    (["check", "2**Abs(10**300) > 0"], 2, "a constant exponent"),          # limits not bypassed through calls
    (["check", "2**sqrt(10**600) > 0"], 2, "a constant exponent"),
    (["check", "(E**0*10)**(E**0*10**300) > 0"], 2, "a constant exponent"),
    (["check", "Derivative(sin(T)*T**20, T, 100000) > 0"], 2, "order of a derivative"),
    (["check", "T > 0", "--set", "T=2**Abs(10**300)"], 2, "a constant exponent"),
    (["check", "T > 0", "--assume", "T > 2**Abs(10**300)"], 2, "a constant exponent"),
    (["check", "(" * 9 + "+".join(f"1/{p}" for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59,
                                                      61, 67, 71, 73, 79, 83, 89, 97)) + ")" * 9 + "**300 > T"],
     2, "more than 1000 digits"),                                       # a sum of fractions has the digits of bd
    (["check", "1 < 0 #\r\x0bholds: 1 < 0"], 2, "a formula has no comments"),
    (["codegen", "--check", "--out", "/nonexistent/x"], 2, "does not exist"),
])
def test_reproducers_get_their_status_and_message(argv, status, message, capsys):
    assert cli.main(argv + (["--timeout", "20"] if argv[0] == "check" and "--timeout" not in argv else [])) == status
    out, err = capsys.readouterr()
    if status == 2:
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert __import__("re").search(message, err), err


@pytest.mark.parametrize("argv", [
    ["check", "q_minus(sin(Integral(1, (q, 0, oo))), p) < p"],      # SymPy evaluates the integral while building
    ["check", "Abs(sin(q))**(pi**m_e) <= 1"],                       # mpmath's power of a huge exponent
    ["check", "Integral(T*S(T, q), (T, 0, oo)) == q**2/(2*m_e)", "--model", "hydrogen", "--dps", "120"],
])
def test_a_check_that_runs_long_is_stopped_by_its_budget(argv, capsys):
    t0 = time.monotonic()
    assert cli.main(argv + ["--timeout", "1.5"]) == 3
    assert time.monotonic() - t0 < 1.5 + 5                          # the budget, plus starting the worker
    assert "time budget of 1.5 s ran out" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["check", "Integral(1/T, (T, 0, 1)) < 10**10"],                  # divergent: mpmath.quad gives 79 at 30 digits
    ["check", "Integral(1/T, (T, 0, 1)) > 10**10"],
    ["check", "Integral(1/q, (q, 1, oo)) < 10**10"],
    ["check", "Integral(1/(T*(2+sin(T))), (T, 0, 1)) < 10**8*Z"],
    ["check", "Limit(besselj(T, 1/T), T, 0) == 0"],                  # SymPy: NotImplementedError
    ["check", "besselj(m_e, m_e) < 1"],                              # mpmath: NoConvergence
    ["check", "T > 0", "--assume", "T > I + I*sqrt(-1)"],            # an assumption that is not real
    ["check", "S(T, q) > 0", "--model", "semiclassical", "--assume", "S(T, q) < I"],
])
def test_what_cannot_be_evaluated_is_inconclusive(argv, capsys):
    assert cli.main(argv + ["--timeout", "6"]) == 3          # SymPy's attempt at argv3 takes all of its 2 s
    out = capsys.readouterr().out
    assert out.startswith("inconclusive: ") and "Traceback" not in out


def test_an_assumption_with_complex_sides_is_a_verdict_not_a_crash(capsys):
    status = cli.main(["check", "T > 0", "--assume", "q_a(T, I, M_a) > q_plus(T, p)", "--timeout", "20"])
    assert status in (0, 3)
    assert capsys.readouterr().out.split(":")[0] in ("holds", "inconclusive")


# ---------------------------------------------------------------- the API
@pytest.mark.parametrize("kwargs, message", [
    ({"claim": 123}, "claim must be a string"),
    ({"claim": b"T > 0"}, "claim must be a string"),
    ({"claim": "T > 0", "model": "bogus"}, "model='bogus' is not known"),
    ({"claim": "T > 0", "points": -5}, "points=-5 is outside the allowed range"),
    ({"claim": "T > 0", "points": 2.5}, "points=2.5 must be an integer"),
    ({"claim": "T > 0", "dps": True}, "dps=True must be an integer"),
    ({"claim": "T > 0", "timeout": -1}, "timeout=-1 is outside"),
    ({"claim": "T > 0", "assume": "T > 1"}, "must be a list"),
    ({"claim": "T > 0", "set": [("T", 1)]}, "must be a dict"),
    ({"claim": "T > 0", "set": {"T": None}}, "not NoneType"),
    ({"claim": "T > 0", "set": {"T": float("nan")}}, "positive finite number"),
    ({"claim": "T > 0", "set": {"Z": True}}, "not bool"),
    ({"claim": "T > 0", "set": {"x": 1}}, "unknown name"),
    ({"claim": "T > 0", "stop_at_violation": "yes"}, "must be True or False"),
])
def test_api_rejects_bad_arguments_by_name(kwargs, message):
    with pytest.raises(ClaimError, match=message):
        check(**kwargs)


def test_check_leaves_the_callers_timer_alone():
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 100.0)
    try:
        assert check("q_minus(T, p)*q_plus(T, p) == 2*m_e*T", points=4).verdict == "holds"
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 90 < left <= 100 and fired == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_the_budget_holds_off_the_main_thread():
    out = {}

    def run():
        t0 = time.monotonic()
        out["verdict"] = check("q_minus(sin(Integral(1, (q, 0, oo))), p) < p", timeout=2)
        out["seconds"] = time.monotonic() - t0
    t = threading.Thread(target=run)
    t.start()
    t.join(30)
    assert out["verdict"].verdict == "inconclusive" and "time budget of 2 s" in out["verdict"].reason
    assert out["seconds"] < 2 + 5


class _Text(str):
    """A str subclass the worker could not unpickle (defined in a test module)."""


def test_str_subclasses_and_symbolic_seconds_zero():
    assert check(_Text("T > 0"), assume=[_Text("T > 1")], set={"q": _Text("2")}, points=2).verdict == "holds"
    v = check("(T + q + p + I + omega + Z)**28 >= 0", symbolic_seconds=0, points=2, timeout=30)
    assert v.verdict == "holds" and not v.method.startswith("symbolic")          # 0 s: no proof attempted


def test_long_reasons_are_cut():
    v = check("Derivative(exp(exp(exp(T*q)))*S(T, q), T, 3) > 0", model="free", timeout=30)
    assert v.verdict == "inconclusive" and len(v.reason) <= 1010


def test_worker_from_a_script_without_a_main_guard_from_a_pool_and_from_a_fork(tmp_path):
    """The worker runs nothing of the caller: a script without the __main__ guard is not run twice; check()
    works inside a daemonic multiprocessing.Pool worker and in a forked child."""
    import subprocess
    script = tmp_path / "s.py"
    script.write_text("import multiprocessing, os\n"
                      "from nusym import check\n"
                      "print('side effect', flush=True)\n"
                      "print(check('T > 0', points=2).verdict, flush=True)\n"
                      "def one(c):\n    return str(check(c, points=2).verdict)\n"
                      "if __name__ == '__main__':\n"
                      "    with multiprocessing.get_context('fork').Pool(1) as pool:\n"
                      "        print(pool.map(one, ['1 < 0']), flush=True)\n"
                      "    pid = os.fork()\n"
                      "    if pid == 0:\n"
                      "        print('child', one('T > 0'), flush=True)\n"
                      "        os._exit(0)\n"
                      "    os.waitpid(pid, 0)\n")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.stdout.splitlines() == ["side effect", "holds", "['refuted']", "child holds"], run
    assert run.stderr == ""


def test_q_a_is_zero_below_threshold_in_the_checker_as_in_the_numeric_api():
    assert numeric.q_a(1.0, 2.0, 1e9) == 0
    assert check("q_a(T, I, M_a) == 0", assume=("T < I",), points=8).verdict == "holds"
    assert check("q_a(T, I, M_a) > 0", assume=("T < I",), points=8).verdict == "refuted"


# ---------------------------------------------------------------- figures
@pytest.mark.parametrize("name, message", [
    ("noext", "the format is chosen by the suffix"),
    ("x.gif", "the format is chosen by the suffix"),
    ("missing/x.png", "does not exist"),
    (".", "is a folder"),
])
def test_figure_paths_are_checked_before_any_work(tmp_path, monkeypatch, capsys, name, message):
    monkeypatch.chdir(tmp_path)
    drawn = []
    replace_figure(monkeypatch, lambda *a, **k: drawn.append(a))
    assert cli.main(["figure", "magnetic-hydrogen", "--out", name]) == 2
    assert message in capsys.readouterr().err
    assert drawn == [] and os.listdir(tmp_path) == []


def test_codegen_out_that_is_a_file_is_bad_usage(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    assert cli.main(["codegen", "--out", str(f)]) == 2
    assert "exists and is not a folder" in capsys.readouterr().err
    assert f.read_text() == "x"


@pytest.mark.parametrize("suffix", ["svg", "pdf"])
def test_figure_in_every_promised_format(tmp_path, capsys, suffix):
    path = tmp_path / f"fig.{suffix}"
    assert cli.main(["figure", "magnetic-hydrogen", "--out", str(path), "--points", "8"]) == 0
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") if suffix == "pdf" else b"<svg" in data[:2000]
    assert capsys.readouterr().out.strip() == f"wrote {path}"
    assert sorted(os.listdir(tmp_path)) == [path.name]                      # no temporary left behind


# ---------------------------------------------------------------- fuzzing
_ATOMS = ["T", "q", "p", "I", "Z", "E_nu", "M_a", "omega", "mu_nu", "s2w", "m_e", "alpha", "G_F", "E_h", "pi", "E",
          "oo", "0", "1", "2", "0.5", "1e-3", "1e300", "1e-300", "10**400", "x", "zoo", "nan", "os", "__import__",
          "'s'", "True", "None", "1j", "..."]
_FUNCS = {"sqrt": 1, "exp": 1, "log": 2, "sin": 1, "Abs": 1, "Heaviside": 1, "besselj": 2, "Min": 2, "q_plus": 2,
          "q_minus": 2, "q_a": 3, "dsigma_mu_FE": 1, "S": 2, "R": 2, "Rational": 2, "eval": 1, "open": 1,
          "getattr": 2, "expand": 1, "factorial": 1}
_OPS = ["+", "-", "*", "/", "**", "%", "//", "@", "&", " and ", " or ", "."]
_RELS = ["==", "<", "<=", ">", ">=", "!=", "=", " is "]


def _formula(rng, depth):
    r = rng.random()
    if depth <= 0 or r < 0.3:
        return rng.choice(_ATOMS)
    if r < 0.55:
        return f"{_formula(rng, depth - 1)}{rng.choice(_OPS[:5] if rng.random() < 0.8 else _OPS)}{_formula(rng, depth - 1)}"
    if r < 0.65:
        return f"-({_formula(rng, depth - 1)})"
    if r < 0.72:
        return f"Integral({_formula(rng, depth - 1)}, ({rng.choice(['q', 'T', 'x', '1'])}, 0, {rng.choice(['oo', 'T', '1'])}))"
    name = rng.choice(list(_FUNCS))
    n = _FUNCS[name] + (rng.choice([-1, 1]) if rng.random() < 0.1 else 0)
    return f"{name}({', '.join(_formula(rng, depth - 1) for _ in range(max(n, 0)))})"


def _claims(seed, n):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        k = 1 if rng.random() < 0.9 else rng.choice([0, 2])
        parts = [_formula(rng, rng.randint(0, 5)) for _ in range(k + 1)]
        out.append("".join(p + (rng.choice(_RELS[:5] if rng.random() < 0.9 else _RELS) if i < k else "")
                           for i, p in enumerate(parts)))
    return out


def _fuzz_parser(claims, audited):
    outcomes = {"read": 0, "refused": 0}
    for c in claims:
        t0 = time.monotonic()
        try:
            parse_relation(c, build=False)
            outcomes["read"] += 1
        except ClaimError:
            outcomes["refused"] += 1
        assert time.monotonic() - t0 < 1.0, c           # the grammar check needs no SymPy: bounded time
    assert audited == []
    return outcomes


def _fuzz_checks(claims, timeout):
    """The whole check: a verdict (exit 0, 1 or 3) or bad usage (ClaimError), nothing else, within the budget."""
    outcomes = {}
    for c in claims:
        t0 = time.monotonic()
        try:
            kind = check(c, model=random.Random(c).choice([None, "free", "oscillator", "hydrogen"]), points=4,
                         dps=20, timeout=timeout).verdict
        except ClaimError:
            kind = "bad usage"
        assert time.monotonic() - t0 < timeout + 5, c
        outcomes[kind] = outcomes.get(kind, 0) + 1
    return outcomes


def test_fuzzed_formulas_are_read_or_refused(audited):
    outcomes = _fuzz_parser(_claims(20261124, 400), audited)
    assert outcomes["read"] > 20 and outcomes["refused"] > 20           # the fuzzer reaches both


def test_fuzzed_claims_get_a_verdict_or_bad_usage():
    readable = [c for c in _claims(7, 400) if _readable(c)][:6]
    assert len(readable) == 6
    _fuzz_checks(readable, timeout=3)


def _readable(c):
    try:
        parse_relation(c, build=False)
        return True
    except ClaimError:
        return False


@pytest.mark.slow
def test_fuzzed_formulas_slow(audited):
    print(_fuzz_parser(_claims(1, 20000), audited))


@pytest.mark.slow
def test_fuzzed_claims_slow():
    readable = [c for c in _claims(2, 5000) if _readable(c)][:500]
    print(_fuzz_checks(readable, timeout=5))


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_any_text_is_read_or_refused(text):
    try:
        parse_relation(text, build=False)
    except ClaimError:
        pass


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet="Tqp0123456789.e+-*/()<=> ,sqrtIntegral_", max_size=60))
def test_formula_like_text_is_read_or_refused(text):
    try:
        lhs, rel, rhs = parse_relation(text, build=False)
    except ClaimError:
        return
    assert lhs is None and rhs is None and rel in ("==", "<", "<=", ">", ">=")


def test_the_documented_vocabulary_is_the_vocabulary():
    """Every name and function the grammar accepts is in the help text of `nusym check`, and the other way
    round for the SymPy functions it lists."""
    from nusym import claims
    from nusym.claims.vocabulary import VOCABULARY
    doc = claims.__doc__
    vocab = VOCABULARY
    for name in [*vocab.names, *vocab.functions]:
        assert __import__("re").search(rf"(?<![\w]){name}(?![\w])", doc), name
    import re
    listed = re.sub(r"\([^()]*(\([^()]*\))?[^()]*\)", "", doc[doc.index("and from SymPy:") + 15:doc.index("Integrals over")])
    for name in re.findall(r"[A-Za-z_]\w*", listed):
        assert name in vocab.functions, name


# ---------------------------------------------------------------- second round of attack
@pytest.mark.parametrize("claim, verdict", [
    # a peak at T = 1000 on [0, oo) that quadrature stepped over (the S term keeps SymPy from deciding)
    ("Integral(exp(-T) + exp(-(T-1000)**2), (T, 0, oo)) < 2 + Integral(S(T, q), (q, 0, 1))/10**40", "refuted"),
    # a divergent integral against a huge constant: its change with precision is small beside 10**100
    ("Integral(1, (T, 0, oo)) < 10**100 + Integral(S(T, q), (q, 0, 1))/10**40", "inconclusive"),
])
def test_integrals_that_fooled_the_checker(claim, verdict):
    v = check(claim, model="free", points=4, timeout=60)
    assert v.verdict == verdict, str(v)


def test_the_proof_gets_its_share_of_the_budget_not_all_of_it():
    v = check("Integral(1/(T*log(T)**(1.0001)), (T, 3, oo)) < 100", timeout=9, points=4)
    assert v.verdict == "inconclusive" and "during the symbolic proof" not in v.reason, v.reason
    assert "did not converge" in v.reason


def _budget_servers():
    out = set()
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"nusym.runner.budget" in f.read():
                    out.add(int(pid))
        except (OSError, ValueError):
            pass
    return out


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to list processes")
def test_a_caller_killed_mid_check_leaves_no_worker(tmp_path):
    import subprocess
    script = tmp_path / "slow.py"
    script.write_text("from nusym import check\nprint('start', flush=True)\n"
                      "check('Abs(sin(q))**(pi**m_e) <= 1', timeout=120)\n")
    with subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout.readline() == "start\n"
        deadline = time.monotonic() + 30                   # the server is up and its child is computing
        while len(started := _budget_servers() & _descendants(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)                                # (its own: other test processes may run checks)
        time.sleep(0.5)
        assert started, "no worker server was started"
        proc.terminate()
        proc.wait(10)
    deadline = time.monotonic() + 20
    while _budget_servers() & started and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _budget_servers() & started


def _descendants(root):
    """pids of the processes below ``root`` (through /proc's parent links)."""
    parent = {}
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/stat") as f:
                parent[int(pid)] = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            pass
    out, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, ppid in parent.items() if ppid in frontier} - out
        out |= frontier
    return out


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to list processes")
def test_helpers_die_with_the_worker_when_the_budget_runs_out():
    """The points are judged by helper processes forked by the worker: when the budget kills the worker, the
    kernel kills them (PR_SET_PDEATHSIG); nothing is left but the idle server."""
    import threading

    from nusym.runner import budget
    seen, done = set(), threading.Event()

    def watch():
        while not done.is_set():
            seen.update(_descendants(os.getpid()) & _budget_servers())     # servers, workers and helpers
            time.sleep(0.05)
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        v = check("Abs(sin(q))**(pi**m_e) <= 1", timeout=2.5, workers=2)
    finally:
        done.set()
        watcher.join()
    assert v.verdict == "inconclusive" and "numerics at point" in v.reason, v.reason
    assert len(seen) >= 3                                   # the server, its worker and at least one helper
    left = seen - {s.proc.pid for s in budget._idle}
    deadline = time.monotonic() + 5
    while left and time.monotonic() < deadline:
        left = {pid for pid in left if _alive(pid)}
        time.sleep(0.1)
    assert not left


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"          # a zombie has stopped computing
    except OSError:
        return False
