"""The house's rules, read from the imports of every module: arrows point down only.

console → lessons → kit → classroom, sweep, datasets → nn; no import circles; ``kit`` never
imports a lesson, and nothing but the console imports the console; a lesson's ``logic`` never
reaches Streamlit, even through another module; ``nn`` imports NumPy and the standard library
only, and ``serving`` the standard library only. Imports under ``if TYPE_CHECKING:`` are for
type hints, never run, and are left out.
"""

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from tests import REPO_ROOT

PACKAGES = ("nn", "datasets", "sweep", "classroom", "kit", "lessons", "console", "serving")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


@cache
def imports_of(name: str) -> frozenset[str]:
    """The modules ``name`` imports at module level or inside functions, resolved to full
    names (a ``from package import module`` counts as importing that module)."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return frozenset(found)


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` but those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def internal_imports(name: str) -> set[str]:
    """The project's own modules that ``name`` imports, and the packages they sit in."""
    known = modules()
    direct = {target for target in imports_of(name) if target in known and target != name}
    parents = set()
    for target in direct:
        parts = target.split(".")
        parents |= {".".join(parts[:k]) for k in range(1, len(parts)) if ".".join(parts[:k])}
    return (direct | parents) & known.keys() - {name}


@cache
def reaches(name: str) -> frozenset[str]:
    """Every module ``name`` imports, directly or through others (third-party ones by name)."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        for target in imports_of(current):
            if target not in seen:
                seen.add(target)
                if target in modules():
                    todo.append(target)
        for target in internal_imports(current):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return frozenset(seen)


def test_the_scan_sees_the_whole_house() -> None:
    names = modules()
    for expected in ("nn.training", "nn.spec", "kit.live.view", "kit.controls", "console.views"):
        assert expected in names
    assert any(name.startswith("lessons.") and name.endswith(".logic") for name in names)


def test_there_are_no_import_circles() -> None:
    graph = {name: internal_imports(name) for name in modules()}
    circles = []

    def visit(node: str, path: list[str], on_path: set[str], done: set[str]) -> None:
        for target in sorted(graph[node]):
            # A package's __init__ importing its own submodules is how packages export.
            if node == target.rpartition(".")[0] or target in done:
                continue
            if target in on_path:
                circles.append(path[path.index(target) :] + [target])
                continue
            visit(target, [*path, target], on_path | {target}, done)
        done.add(node)

    done: set[str] = set()
    for name in sorted(graph):
        visit(name, [name], {name}, done)
    assert circles == []


def test_kit_never_imports_a_lesson() -> None:
    for name in modules():
        if name.startswith("kit"):
            assert not {t for t in internal_imports(name) if t.startswith("lessons")}, name


def test_only_the_console_imports_the_console() -> None:
    for name in modules():
        if not name.startswith("console"):
            assert not {t for t in internal_imports(name) if t.startswith("console")}, name


@pytest.mark.parametrize(
    "lower", ["nn", "datasets", "sweep", "classroom"], ids=lambda package: f"{package} stays below"
)
def test_the_lower_packages_import_nothing_above_them(lower: str) -> None:
    above = {"kit", "lessons", "console", "streamlit"}
    for name in modules():
        if name == lower or name.startswith(f"{lower}."):
            reached = {target.split(".")[0] for target in reaches(name)}
            assert not reached & above, (name, reached & above)


def test_nn_imports_numpy_and_the_standard_library_only() -> None:
    allowed = set(sys.stdlib_module_names) | {"numpy", "nn"}
    for name in modules():
        if name == "nn" or name.startswith("nn."):
            outside = {target.split(".")[0] for target in imports_of(name)} - allowed - {""}
            assert not outside, (name, outside)


def test_serving_imports_the_standard_library_only() -> None:
    """serving/ runs before any Streamlit process exists (nginx, the replicas' supervision)."""
    allowed = set(sys.stdlib_module_names) | {"serving"}
    for name in modules():
        if name == "serving" or name.startswith("serving."):
            outside = {target.split(".")[0] for target in imports_of(name)} - allowed - {""}
            assert not outside, (name, outside)


def test_no_lesson_logic_reaches_streamlit() -> None:
    logics = [name for name in modules() if name.endswith(".logic")]
    assert len(logics) >= 4
    for name in logics:
        assert "streamlit" not in {target.split(".")[0] for target in reaches(name)}, name


# The unit tests of logic (the engine, the data, each lesson's logic and slides, and kit's plain
# modules) run without Streamlit: importing them must not load it, even through a helper.
STREAMLIT_FREE_TESTS = (
    "tests/nn/test_*.py",
    "tests/datasets/test_*.py",
    "tests/lessons/*/test_logic.py",
    "tests/lessons/*/test_slides.py",
    "tests/lessons/*/test_hand.py",
    "tests/kit/test_weight_edits.py",
    "tests/kit/test_histograms.py",
    "tests/kit/test_gif.py",
    "tests/kit/test_export.py",
)


def test_the_unit_tests_of_logic_import_no_streamlit() -> None:
    paths = sorted({path for pattern in STREAMLIT_FREE_TESTS for path in REPO_ROOT.glob(pattern)})
    names = [module_name(path) for path in paths]
    assert len(names) >= 20
    check = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'streamlit' in sys.modules:\n"
        "        sys.exit(name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"loads Streamlit: {done.stderr.strip().splitlines()[-1:]}"
