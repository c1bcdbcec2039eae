"""Mutation testing of the declared claims: does the verdict flip when the statement is perturbed?

Every :class:`nusym.record.Claim` that holds is mutated on its syntax tree (Python's ``ast``; nothing
is evaluated): a factor 2, Z <-> Z**2, the sign of a term, q_plus <-> q_minus, m_e <-> M_a, a dropped
term, an assumption's edge shifted outwards (the domain enlarged).  Each mutant is checked by the
claim checker; it is killed when refuted.  A mutant that equals the original once the claim's fixed
settings and the model's fixed parameters are substituted is *equivalent* (it cannot be killed) and is
named as such; any other survivor is listed with the verdict it got.

Claims whose paper form is false (refuted) are not mutated: a perturbed false statement is mostly
false too; their correction, declared as its own claim, is.
"""
from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field

import sympy

from nusym.record import Claim
from nusym import claims
from nusym.atoms import models
from nusym.claims.setup import model_fixed
from nusym.runner.parallel import Tasks
from nusym.runner.parallel import exclusive

__all__ = ["Mutant", "MutationReport", "mutants_of", "run", "SWAPS", "judge_mutant"]

SWAPS = {"q_plus": "q_minus", "q_minus": "q_plus", "m_e": "M_a", "M_a": "m_e"}


@dataclass
class Mutant:
    id: str
    mutation: str
    claim: Claim
    verdict: str = ""
    reason: str = ""

    @property
    def killed(self) -> bool:
        return self.verdict == "refuted"


@dataclass
class MutationReport:
    mutants: list = field(default_factory=list)
    skipped: list = field(default_factory=list)           # (id, why the claim was not mutated)

    @property
    def killed(self) -> int:
        return sum(m.killed for m in self.mutants)

    @property
    def survivors(self) -> list:
        return [m for m in self.mutants if not m.killed]

    def as_json(self) -> dict:
        return {"total": len(self.mutants), "killed": self.killed,
                "score": round(self.killed / len(self.mutants), 4) if self.mutants else None,
                "survivors": [{"id": m.id, "mutation": m.mutation, "reason": m.reason} for m in self.survivors],
                "not_mutated": [{"id": i, "reason": r} for i, r in self.skipped]}

    def render(self) -> str:
        lines = [f"Mutants: {self.killed}/{len(self.mutants)} killed (refuted)"]
        lines += [f"  survivor {m.id} [{m.mutation}]: {m.reason}" for m in self.survivors]
        lines += [f"  not mutated {i}: {r}" for i, r in self.skipped]
        return "\n".join(lines)


def _relation(text: str) -> ast.Compare:
    node = ast.parse(text.strip(), mode="eval").body
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        raise ValueError(f"not one relation: {text!r}")
    return node


def _swap_names(tree, old: str, new: str) -> bool:
    hit = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == old:
            node.id, hit = new, True
    return hit


def _first_binop(tree, kinds):
    return next((n for n in ast.walk(tree) if isinstance(n, ast.BinOp) and isinstance(n.op, kinds)), None)


def _side_mutations(rel: ast.Compare):
    """(description, new relation) for the perturbations of the right side and of names on both sides."""
    out = []
    r = copy.deepcopy(rel)
    r.comparators[0] = ast.BinOp(ast.Constant(2), ast.Mult(), r.comparators[0])
    out.append(("factor 2 on the right side", r))
    for old, new in (("q_plus", "q_minus"), ("m_e", "M_a")):
        r = copy.deepcopy(rel)
        a = _swap_names(r, old, "\0")
        b = _swap_names(r, new, old)
        _swap_names(r, "\0", new)
        if a or b:
            out.append((f"{old} <-> {new}", r))
    r = copy.deepcopy(rel)
    power = next((n for n in ast.walk(r) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow)
                  and isinstance(n.left, ast.Name) and n.left.id == "Z"), None)
    if power is not None:
        power.right = ast.Constant(1)
        out.append(("Z**2 -> Z", r))
    elif any(isinstance(n, ast.Name) and n.id == "Z" for n in ast.walk(rel)):
        r = copy.deepcopy(rel)
        for node in ast.walk(r):
            for name, child in ast.iter_fields(node):
                if isinstance(child, ast.Name) and child.id == "Z":
                    setattr(node, name, ast.BinOp(ast.Name("Z"), ast.Pow(), ast.Constant(2)))
                elif isinstance(child, list):
                    child[:] = [ast.BinOp(ast.Name("Z"), ast.Pow(), ast.Constant(2))
                                if isinstance(c, ast.Name) and c.id == "Z" else c for c in child]
        out.append(("Z -> Z**2", r))
    for side in ("right", "left"):
        r = copy.deepcopy(rel)
        tree = r.comparators[0] if side == "right" else r.left
        op = _first_binop(tree, (ast.Add, ast.Sub))
        if op is not None:
            op.op = ast.Sub() if isinstance(op.op, ast.Add) else ast.Add()
            out.append((f"sign of a term on the {side} side", r))
            r = copy.deepcopy(rel)
            tree = r.comparators[0] if side == "right" else r.left
            op = _first_binop(tree, (ast.Add, ast.Sub))
            op.op, op.right = ast.Mult(), ast.Constant(1)
            out.append((f"a term dropped on the {side} side", r))
            break
    else:
        r = copy.deepcopy(rel)
        r.comparators[0] = ast.UnaryOp(ast.USub(), r.comparators[0])
        out.append(("sign of the right side", r))
    return out


def _edge_mutations(assume: tuple):
    """An assumption's boundary moved outwards by a factor 2 (the admitted domain grows, if positive)."""
    out = []
    for i, text in enumerate(assume):
        rel = _relation(text)
        grow = isinstance(rel.ops[0], (ast.Lt, ast.LtE))
        rel.comparators[0] = ast.BinOp(rel.comparators[0], ast.Mult() if grow else ast.Div(), ast.Constant(2))
        out.append((f"edge of '{text}' shifted to '{ast.unparse(rel)}'",
                    assume[:i] + (ast.unparse(rel),) + assume[i + 1:]))
    return out


def mutants_of(result_id: str, claim: Claim) -> list:
    rel = _relation(claim.text)
    out = []
    for what, r in _side_mutations(rel):
        text = ast.unparse(r)
        if text != ast.unparse(rel):
            out.append(Mutant(result_id, what, Claim(text, claim.model, claim.assume, claim.set, claim.points)))
    for what, assume in _edge_mutations(claim.assume):
        out.append(Mutant(result_id, what, Claim(claim.text, claim.model, assume, claim.set, claim.points)))
    return out


def _equivalent(original: Claim, mutant: Claim) -> bool:
    """Same relation and assumptions once the fixed settings and the model's fixed parameters are substituted."""
    if original.assume != mutant.assume:
        return False
    mdl = models.get(original.model) if original.model else None
    _, fixed = model_fixed(mdl)
    fixed.update({claims.VARIABLES[k].symbol: sympy.Rational(v) for k, v in original.set})
    fixed.update({claims.VARIABLES[p.name].symbol: 1 for p in (mdl.params if mdl else ()) if p.fixed == "1"})
    (a, ra, b), (c, rc, d) = claims.parse_relation(original.text), claims.parse_relation(mutant.text)
    if ra != rc:
        return False
    try:
        return sympy.simplify(((a - b) - (c - d)).subs(fixed).doit()) == 0
    except Exception:  # noqa: BLE001 - SymPy failing to decide is "not shown equivalent"
        return False


def judge_mutant(original: Claim, mutant: Claim) -> tuple:
    """(verdict, reason) of one mutant of ``original``: "equivalent" when it cannot differ, else the claim
    checker's verdict, stopping at its first resolved violation."""
    if _equivalent(original, mutant):
        return "equivalent", "equivalent mutant: identical once the fixed parameters are set"
    try:
        v = claims.check(mutant.text, model=mutant.model, assume=mutant.assume, set=dict(mutant.set),
                         points=mutant.points, symbolic_seconds=2.0, stop_at_violation=True)
        return v.verdict, f"{v.verdict}: {v.reason or v.method}"
    except claims.ClaimError as exc:
        return "unreadable", f"the mutant cannot be read: {exc}"


def _judge_task(original: Claim, mutant: Claim) -> tuple:
    try:
        return exclusive(judge_mutant, original, mutant)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - a crash is the mutant's verdict-less outcome, not a kill
        return "crashed", f"the check raised {type(exc).__name__}: {exc}"


def run(results, progress=lambda msg: None, verdicts=None, executor=None) -> MutationReport:
    """Mutate every claim among ``results`` (Result objects) whose verdict (``verdicts``: id -> verdict, computed
    here when missing) is holds, and check each mutant, stopping at its first resolved violation.  With an
    ``executor`` (:mod:`nusym.runner.parallel`) the mutants are checked on its workers; the report is the same."""
    report = MutationReport()
    verdicts = dict(verdicts or {})
    pending = []
    for r in results:
        if r.claim is None:
            continue
        c = r.claim
        if r.id not in verdicts:
            verdicts[r.id] = claims.check(c.text, model=c.model, assume=c.assume, set=dict(c.set),
                                          points=c.points).verdict
        if verdicts[r.id] != "holds":
            report.skipped.append((r.id, f"the claim is {verdicts[r.id]}: its correction is mutated instead"))
            continue
        pending += [(c, m) for m in mutants_of(r.id, c)]
    if executor is None:
        for c, m in pending:
            progress(f"mutant {m.id} [{m.mutation}]")
            m.verdict, m.reason = _judge_task(c, m.claim)
    else:
        tasks = Tasks(executor)
        for i, (c, m) in enumerate(pending):
            tasks.submit(i, _judge_task, c, m.claim)
        for i, value, exc in tasks.finished():
            m = pending[i][1]
            progress(f"mutant {m.id} [{m.mutation}]")
            m.verdict, m.reason = value if exc is None else ("crashed", f"the check raised {type(exc).__name__}: {exc}")
    report.mutants = [m for _, m in pending]
    return report
