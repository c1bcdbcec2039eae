"""Mutation testing of the declared claims (nusym.checks.mutants): every kind of mutant of a fast claim is killed,
an equivalent mutant is named as such, and `verify --mutants` reports them."""
import json

from nusym import cli
from nusym.checks import mutants
from nusym.runner import parallel


def test_mutants_of_fast_claims_are_killed():
    from nusym.derivations import free_electron, recoil
    with parallel.executor(parallel.default_jobs()) as ex:
        rep = mutants.run([free_electron.fe_mu_claim, recoil.suppression_weak],
                          verdicts={"fe-mu-claim": "holds", "recoil-suppression-weak": "holds"}, executor=ex)
    assert len(rep.mutants) >= 10
    assert not rep.survivors, rep.render()
    kinds = {m.mutation.split(" shifted")[0].split(" on the")[0] for m in rep.mutants}
    assert {"factor 2", "q_plus <-> q_minus", "m_e <-> M_a", "sign of a term", "a term dropped"} <= kinds


def test_equivalent_mutants_are_named():
    from nusym.record import Claim
    c = Claim("Integral(S(T, q)*2/q, (q, 0, oo)) == Z**2/T", "hydrogen", set=(("Z", "1"),))
    m = next(m for m in mutants.mutants_of("x", c) if m.mutation == "Z**2 -> Z")
    assert mutants._equivalent(c, m.claim)


def test_cli_mutants_json(capsys):
    assert cli.main(["verify", "--only", "fe-mu-claim", "--mutants", "--json", "--quiet"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mutants"]["total"] >= 3 and data["mutants"]["killed"] == data["mutants"]["total"]
    assert data["mutants"]["survivors"] == []
