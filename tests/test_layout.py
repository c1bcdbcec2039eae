"""The layout shows the architecture: no import cycles, the physics imported by the engine never, each package's
allowed imports kept, modules of at most 500 lines, and every public module's ``__all__`` exactly its public names
(hepunits' test_missing_all).  ``python tests/test_layout.py`` prints the package tree and the import graph."""
import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "nusym"
# what each package of the engine may import, besides the shared vocabulary at nusym's root (the README's layers)
MAY_IMPORT = {
    "atoms": {"codegen"},                 # the kernels' argument checks (codegen.runtime)
    "claims": {"atoms", "runner"},
    "codegen": {"generated"},             # only to find the folder it writes (c_library.generated_dir)
    "detectors": {"atoms", "codegen", "generated"},
    "runner": set(),
    "checks": {"atoms", "claims", "codegen", "detectors", "runner", "generated"},
    "output": {"checks", "detectors"},
    "testing": {"atoms", "checks", "codegen", "detectors"},   # verify's float-check points and references, the
                                                   # kernels' proven forms, the reactor spectra, a target's shells
    "cli": {"atoms", "checks", "claims", "codegen", "detectors", "output", "runner", "generated", "testing"},
}
ROOT_MODULES = {"symbols", "constants", "units", "variables", "record", "catalogue", "cache", "files", "quadrature",
                "numeric", "__main__", "__init__"}


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[0] == "derivations":
        parts = ["nusym", "derivations", *parts[1:]]
    if parts[0] == "generated":
        parts = ["nusym", "generated", *parts[1:]]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def sources():
    for folder in ("nusym", "derivations", "generated"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def imports(path: Path, top_level_only: bool = True) -> set:
    """The nusym modules ``path`` imports (module level only, or everywhere)."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    here = module_name(path)
    out = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = here.split(".") if path.name == "__init__.py" else here.split(".")[:-1]
                base = ".".join(pkg[:len(pkg) - node.level + 1] + ([node.module] if node.module else []))
            for a in node.names:
                full = f"{base}.{a.name}"
                out.add(full if _is_module(full) else base)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m.startswith("nusym")}


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def graph(top_level_only: bool = True) -> dict:
    return {module_name(p): imports(p, top_level_only) for p in sources()}


def test_no_import_cycles():
    g = graph()
    seen, stack, cycles = set(), [], []

    def visit(m):
        if m in stack:
            cycles.append(stack[stack.index(m):] + [m])
            return
        if m in seen:
            return
        seen.add(m)
        stack.append(m)
        for n in g.get(m, ()):
            # "from nusym.x import y" imports the package nusym.x first: its own imports count too
            visit(n)
        stack.pop()
    for m in sorted(g):
        visit(m)
    assert not cycles, cycles[:5]


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] not in ROOT_MODULES) else "root"


def test_the_engine_never_imports_the_physics():
    for path in ENGINE.rglob("*.py"):
        found = [m for m in imports(path, top_level_only=False) if m.startswith("nusym.derivations")]
        assert not found, (path, found)


def test_each_package_imports_only_what_its_docstring_allows():
    bad = []
    for path in ENGINE.rglob("*.py"):
        pkg = package_of(module_name(path))
        if pkg not in MAY_IMPORT:
            continue
        for m in imports(path, top_level_only=False):
            other = package_of(m)
            if other not in ("root", pkg) and other not in MAY_IMPORT[pkg]:
                bad.append((module_name(path), m))
    assert not bad, bad


def test_root_modules_import_only_the_root():
    for path in ENGINE.glob("*.py"):
        if path.stem in ("__init__", "__main__", "numeric"):
            continue
        found = [m for m in imports(path, top_level_only=False) if package_of(m) != "root"]
        assert not found, (path.name, found)


def test_every_package_says_what_it_holds_and_may_import():
    for init in ENGINE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text())) or ""
        assert len(doc) > 100 and "import" in doc, init


def test_no_module_exceeds_500_lines():
    long = {str(p.relative_to(ROOT)): n for p in ENGINE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 500}
    assert not long, long


def _public_definitions(path: Path) -> set:
    tree = ast.parse(path.read_text())
    out = set()
    for node in tree.body:
        targets = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            targets = [node.name]
        elif isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        out.update(t for t in targets if not t.startswith("_"))
    return out


PUBLIC = [module_name(p) for p in ENGINE.rglob("*.py") if p.name != "__main__.py"]


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_all_lists_exactly_the_public_names(name):
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    path = Path(module.__file__)
    defined = _public_definitions(path)
    missing = defined - set(module.__all__)
    unknown = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{name}: public names not in __all__: {sorted(missing)}"
    assert not unknown, f"{name}: __all__ names that do not exist: {unknown}"


def tree() -> str:
    lines = []
    for path in sorted(ENGINE.rglob("*.py")):
        rel = path.relative_to(ROOT)
        lines.append(f"{len(path.read_text().splitlines()):5d}  {rel}")
    return "\n".join(lines)


def package_graph() -> dict:
    out = {}
    for m, deps in graph(top_level_only=False).items():
        if not m.startswith("nusym."):
            continue
        src = "derivations" if m.startswith("nusym.derivations") else package_of(m)
        out.setdefault(src, set()).update(package_of(d) if not d.startswith("nusym.derivations") else "derivations"
                                          for d in deps)
    return {k: sorted(v - {k}) for k, v in sorted(out.items())}


if __name__ == "__main__":
    print(tree())
    for src, deps in package_graph().items():
        print(f"{src:12s} -> {', '.join(deps)}")
