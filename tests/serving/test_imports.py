"""serving/ runs before any Streamlit process exists: it imports the standard library and its
own modules, nothing else (no Streamlit, no NumPy, nothing of the app)."""

import ast
import sys

from tests import REPO_ROOT


def test_serving_imports_the_standard_library_only() -> None:
    allowed = set(sys.stdlib_module_names) | {"serving"}
    modules = sorted((REPO_ROOT / "serving").glob("*.py"))
    assert {path.name for path in modules} >= {"__init__.py", "nginx.py", "replicas.py"}
    for path in modules:
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add("serving" if node.level else (node.module or "").split(".")[0])
        assert not imported - allowed, (path.name, imported - allowed)
