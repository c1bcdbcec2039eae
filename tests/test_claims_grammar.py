"""Hostile input to the claim language: the corpus executes nothing (an audit hook watches, and the working folder
and stdout are inspected), and a grammar fuzzer with a fixed seed feeds random formulas through the parser and, for a
sample, the whole check (the long runs are marked ``slow``)."""
from __future__ import annotations

import os
import random
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nusym import ClaimError, check, cli
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
