"""One catalogue: a second id of a kind is refused at declaration, and every registered result, kernel, figure and
model is reachable from the command line (`verify --only`, `bench --kernels` and the generated files, `figure`,
`check --model`)."""
import pytest

from nusym import catalogue
from nusym.checks import verify
from nusym.cli import _parser
from nusym.codegen import generate

catalogue.load()


@pytest.mark.parametrize("kind", catalogue.KINDS)
def test_every_kind_has_entries_with_one_id_each(kind):
    ids = catalogue.ids(kind)
    assert ids and len(ids) == len(set(ids))
    assert all(catalogue.entry(kind, i).module for i in ids), kind


@pytest.mark.parametrize("kind", catalogue.KINDS)
def test_a_second_definition_of_an_id_is_refused(kind):
    taken = catalogue.ids(kind)[0]
    before = catalogue.get(kind, taken)
    with pytest.raises(catalogue.DuplicateId, match=f"{kind} '{taken}' is defined twice"):
        catalogue.register(kind, taken, object(), "tests")
    assert catalogue.get(kind, taken) is before             # the first stays


def test_a_module_that_redeclares_a_result_fails_to_import(tmp_path, monkeypatch):
    (tmp_path / "nusym_dup_result.py").write_text(
        "from nusym.record import result\n"
        "@result(id='q2-limits', paper='recoil', equation='1', statement='again')\n"
        "def again():\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(catalogue.DuplicateId, match="q2-limits"):
        __import__("nusym_dup_result")


def test_an_unknown_id_is_a_lookup_error_naming_it():
    with pytest.raises(catalogue.UnknownId, match="no-such-result"):
        catalogue.get("result", "no-such-result")


# the physics' results (other test files declare results of their own, which verify does not run)
@pytest.mark.parametrize("rid", [e.id for e in catalogue.entries("result") if e.module.startswith(verify.PHYSICS + ".")])
def test_every_result_is_selected_by_verify_only_its_id(rid):
    args = _parser("verify").parse_args(["verify", "--only", rid])
    assert rid in [r.id for r in verify.select(args.only)]


def test_every_kernel_is_accepted_by_bench_and_written_on_every_backend():
    from nusym.numeric import ARGUMENTS
    files = generate()
    for name in catalogue.ids("kernel"):
        assert name in ARGUMENTS, name
        for file, text in files.items():
            if file != "__init__.py":
                assert f"{name}(" in text, (name, file)


def test_every_figure_is_listed_by_figure_help(capsys):
    with pytest.raises(SystemExit):
        _parser("figure").parse_args(["figure", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for fid in catalogue.ids("figure"):
        assert f"{fid}:" in shown, fid


def test_every_model_is_a_choice_of_check_model():
    check = _parser("check")
    for mid in catalogue.ids("model"):
        assert check.parse_args(["check", "S(T, q) > 0", "--model", mid]).model == mid
