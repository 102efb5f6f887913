"""Security hygiene, read from the source of every .py file (product, benchmarks, scripts and
tests): nothing unpickles, nothing evaluates text as code, no raw HTML (a custom component's
code is a string in the source, or read from files shipped beside its module), and nothing
phones home.

Each finding names its file:line. The scanner itself is tested on small snippets first.
"""

import ast
import tomllib
from pathlib import Path

import pytest

from kit import MAX_UPLOAD_MB

REPO_ROOT = Path(__file__).resolve().parents[1]
# Modules that turn bytes into arbitrary Python objects (running code on the way).
UNPICKLERS = {"pickle", "cPickle", "_pickle", "cloudpickle", "dill", "marshal", "shelve"}
CODE_RUNNERS = {"eval", "exec", "compile"}
# Findings allowed by (rule, file), each with why it is safe. Only tests may run code: they
# check the code the pages export. Raw HTML (unsafe_allow_html=True, st.html) would need to
# render no user text; there is none, and it should stay that way.
ALLOWED: dict[tuple[str, str], str] = {
    ("code runner", "tests/lessons/rose/test_logic.py"): "execs the Rose page's exported data code "
    "(built from the page's own choices, no user text) to check it rebuilds the arrays",
    (
        "code runner",
        "tests/lessons/titanic/test_logic.py",
    ): "execs the Titanic page's exported split code "
    "(no user text) to check it rebuilds the arrays",
    (
        "code runner",
        "tests/lessons/mustafar/test_picture_downscale.py",
    ): "execs the Mustafar page's exported data "
    "code (built from the page's own settings, no user text) to check it rebuilds the arrays",
    ("code runner", "tests/lessons/classes/test_slides.py"): "execs the Many classes page's "
    "exported data code (built from the page's own choices, no user text) to check it rebuilds "
    "the arrays",
    ("code runner", "tests/kit/test_export.py"): "compiles the exported experiment script to "
    "check its syntax (running it happens in a subprocess, from the unpacked zip)",
}


def python_files() -> list[Path]:
    """Every .py file in the repository, outside hidden folders (.venv, .git) and caches."""
    return sorted(
        path
        for path in REPO_ROOT.rglob("*.py")
        if not any(
            part.startswith(".") or part == "__pycache__"
            for part in path.relative_to(REPO_ROOT).parts
        )
    )


def numpy_loads(tree: ast.AST) -> tuple[set[str], set[str]]:
    """The names numpy goes by in this module, and the names bound to numpy.load itself."""
    modules, loads = {"numpy"}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name for alias in node.names if alias.name == "numpy"}
        elif isinstance(node, ast.ImportFrom) and node.module == "numpy":
            loads |= {alias.asname or alias.name for alias in node.names if alias.name == "load"}
    return modules, loads


def is_numpy_load(call: ast.Call, modules: set[str], loads: set[str]) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in loads
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "load"
        and isinstance(func.value, ast.Name)
        and func.value.id in modules
    )


def is_raw_html(call: ast.Call) -> bool:
    """unsafe_allow_html= anything but a literal False, or an html() call (st.html,
    components.html): both send HTML to the browser as it is."""
    for keyword in call.keywords:
        if keyword.arg == "unsafe_allow_html":
            return not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False)
    return isinstance(call.func, ast.Attribute) and call.func.attr == "html"


def string_constants(tree: ast.Module) -> set[str]:
    """Module-level names bound to a string written in the source."""
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }


def module_folders(tree: ast.Module) -> set[str]:
    """Module-level names bound to the module's own folder: ``Path(__file__).parent``
    (``.resolve()`` on the way allowed)."""
    folders = set()
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute)):
            continue
        value = node.value
        if value.attr != "parent":
            continue
        inner = value.value
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
            inner = inner.func.value if inner.func.attr == "resolve" else inner
        if (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Name)
            and inner.func.id == "Path"
            and [ast.unparse(arg) for arg in inner.args] == ["__file__"]
        ):
            folders |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return folders


def is_shipped_file(node: ast.expr, folders: set[str], names: set[str] = frozenset()) -> bool:
    """``(FOLDER / "file").read_text()``: a file shipped beside the module, named in the
    source (``names``: loop variables that only take names written in the source)."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "read_text"
    ):
        return False
    path = node.func.value
    return (
        isinstance(path, ast.BinOp)
        and isinstance(path.op, ast.Div)
        and isinstance(path.left, ast.Name)
        and path.left.id in folders
        and (
            (isinstance(path.right, ast.Constant) and isinstance(path.right.value, str))
            or (isinstance(path.right, ast.Name) and path.right.id in names)
        )
    )


def is_written_in_the_source(node: ast.expr, constants: set[str], folders: set[str]) -> bool:
    """Code for the browser that comes from the source alone: a string literal, a module-level
    string constant, a shipped file, or shipped files joined by a literal separator
    (``"\n".join((FOLDER / name).read_text() for name in ("a.js", "b.js"))``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.Name):
        return node.id in constants
    if is_shipped_file(node, folders):
        return True
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.GeneratorExp | ast.ListComp)
    ):
        return False
    (loop,) = node.args[0].generators or [None]
    return (
        loop is not None
        and not loop.ifs
        and isinstance(loop.target, ast.Name)
        and isinstance(loop.iter, ast.Tuple | ast.List)
        and all(
            isinstance(item, ast.Constant) and isinstance(item.value, str)
            for item in loop.iter.elts
        )
        and is_shipped_file(node.args[0].elt, folders, {loop.target.id})
    )


def is_built_component(
    call: ast.Call, constants: set[str], folders: set[str] = frozenset()
) -> bool:
    """A custom component (st.components.v2.component) whose html, css or js is built while
    the app runs, so it could carry user text, instead of written in the source (a string,
    or files shipped beside the module: ``is_written_in_the_source``)."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "component"):
        return False
    return any(
        keyword.arg in {"html", "css", "js"}
        and not is_written_in_the_source(keyword.value, constants, folders)
        for keyword in call.keywords
    )


def findings(source: str, where: str) -> dict[str, list[str]]:
    """What the scanner finds in one module, by rule: "where:line: what"."""
    tree = ast.parse(source)
    modules, loads = numpy_loads(tree)
    constants, folders = string_constants(tree), module_folders(tree)
    found: dict[str, list[str]] = {"unpickler": [], "code runner": [], "numpy load": []}
    found["raw html"], found["string sql"] = [], []
    for node in ast.walk(tree):
        at = f"{where}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                if name.split(".")[0] in UNPICKLERS:
                    found["unpickler"].append(f"{at}: imports {name}, which can unpickle")
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in CODE_RUNNERS:
            found["code runner"].append(f"{at}: calls {node.func.id}(), which runs text as code")
        if is_numpy_load(node, modules, loads):
            keyword = next((k for k in node.keywords if k.arg == "allow_pickle"), None)
            if not (isinstance(keyword, ast.keyword) and _is_false(keyword.value)):
                found["numpy load"].append(f"{at}: numpy load without allow_pickle=False")
        if is_raw_html(node):
            found["raw html"].append(f"{at}: sends raw HTML to the browser")
        if is_built_component(node, constants, folders):
            found["raw html"].append(f"{at}: sends page code built at run time to the browser")
        if is_string_built_sql(node):
            found["string sql"].append(f"{at}: builds SQL from strings instead of parameters")
    return found


SQL_RUNNERS = frozenset({"execute", "executemany", "executescript"})


def is_string_built_sql(call: ast.Call) -> bool:
    """A cursor or connection ``execute*`` whose SQL is built from strings at run time: an
    f-string, a ``%`` format, a ``.format()`` call or a ``+`` concatenation. SQL takes its
    values as ``?`` parameters."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr in SQL_RUNNERS and call.args):
        return False
    sql = call.args[0]
    return (
        isinstance(sql, ast.JoinedStr)
        or (isinstance(sql, ast.BinOp) and isinstance(sql.op, ast.Mod | ast.Add))
        or (
            isinstance(sql, ast.Call)
            and isinstance(sql.func, ast.Attribute)
            and sql.func.attr == "format"
        )
    )


def _is_false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


@pytest.fixture(scope="module")
def repository() -> dict[str, list[str]]:
    """The findings of every .py file, by rule."""
    total: dict[str, list[str]] = {}
    for path in python_files():
        where = str(path.relative_to(REPO_ROOT))
        for rule, lines in findings(path.read_text(encoding="utf-8"), where).items():
            total.setdefault(rule, []).extend(lines)
    return total


# ---- the scanner catches each rule -------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "rule"),
    [
        ("import pickle", "unpickler"),
        ("import os, dill as d", "unpickler"),
        ("from shelve import open", "unpickler"),
        ("from marshal import loads", "unpickler"),
        ("x = eval('1 + 1')", "code runner"),
        ("exec(text)", "code runner"),
        ("code = compile(text, 'f.py', 'exec')", "code runner"),
        ("import numpy as np\nnp.load(f)", "numpy load"),
        ("import numpy\nnumpy.load(f, allow_pickle=True)", "numpy load"),
        ("import numpy as n\nn.load(f, allow_pickle=flag)", "numpy load"),
        ("from numpy import load as read\nread(f)", "numpy load"),
        ("st.markdown(name, unsafe_allow_html=True)", "raw html"),
        ("st.caption(name, unsafe_allow_html=choice)", "raw html"),
        ("st.html(name)", "raw html"),
        ("components.html(page)", "raw html"),
        ("st.components.v2.component('clock', js=f'{name}')", "raw html"),
        ("JS = 'x'\nst.components.v2.component('clock', html=text, js=JS)", "raw html"),
        # files, but not only the module's own, named in the source
        ("st.components.v2.component('v', js=Path(name).read_text())", "raw html"),
        (
            "HERE = Path(__file__).parent\nst.components.v2.component('v', js=(HERE / name)"
            ".read_text())",
            "raw html",
        ),
        (
            "HERE = Path(__file__).parent\nst.components.v2.component('v', js=(HERE / 'v.js')"
            ".read_text() + name)",
            "raw html",
        ),
        (
            "HERE = Path(__file__).parent\nst.components.v2.component('v', js='\\n'.join("
            "(HERE / n).read_text() for n in names))",
            "raw html",
        ),
        (
            "HERE = Path(__file__).parent\nst.components.v2.component('v', js=name.join("
            "(HERE / n).read_text() for n in ('a.js',)))",
            "raw html",
        ),
        (
            "HOME = Path.home()\nst.components.v2.component('v', css=(HOME / 'v.css').read_text())",
            "raw html",
        ),
        ("db.execute(f'SELECT * FROM entries WHERE nickname = {name}')", "string sql"),
        ("db.execute('SELECT * FROM entries ORDER BY ' + column)", "string sql"),
        ("cursor.executemany('INSERT INTO t VALUES (%s)' % values, rows)", "string sql"),
        ("db.executescript('DROP TABLE {}'.format(name))", "string sql"),
    ],
)
def test_the_scanner_finds_each_kind_of_violation(source: str, rule: str) -> None:
    found = findings(source, "snippet.py")
    assert [line.split(":")[:2] for line in found[rule]] == [
        ["snippet.py", str(1 + source.count("\n"))]
    ]
    assert sum(map(len, found.values())) == 1


def test_the_scanner_lets_safe_code_through() -> None:
    safe = (
        "import numpy as np, re, json\n"
        "np.load(f, allow_pickle=False)\n"
        "pattern = re.compile('x')\n"
        "st.markdown(text, unsafe_allow_html=False)\n"
        "data = json.loads(text)\n"
        "model.eval()\n"
        "JS = 'export default function () {}'\n"
        "clock = st.components.v2.component('clock', js=JS, css='div {}')\n"
        "HERE = Path(__file__).resolve().parent\n"
        "view = st.components.v2.component('view', css=(HERE / 'view.css').read_text(),\n"
        "    js='\\n'.join((HERE / name).read_text() for name in ('a.js', 'view.js')))\n"
        "db.execute('SELECT * FROM entries WHERE nickname = ?', (name,))\n"
        "db.execute(ORDER_BY[column], (class_id,))\n"
    )
    assert not any(findings(safe, "safe.py").values())


def test_the_scan_covers_the_product_and_the_tests() -> None:
    scanned = {str(path.relative_to(REPO_ROOT)) for path in python_files()}
    for expected in (
        "dashboard.py",
        "nn/serialize.py",
        "lessons/mustafar/views.py",
        "tests/test_security.py",
    ):
        assert expected in scanned
    folders = {name.split("/")[0] for name in scanned if "/" in name}
    assert {
        "app_pages",
        "kit",
        "lessons",
        "nn",
        "datasets",
        "sweep",
        "benchmarks",
        "tests",
    } <= folders
    assert not any(name.startswith(".venv") for name in scanned)


# ---- the repository ----------------------------------------------------------------------------
def unexplained(repository: dict[str, list[str]], rule: str) -> str:
    """The findings of ``rule`` not in ALLOWED, one "file:line: what" a line."""
    lines = [line for line in repository[rule] if (rule, line.split(":")[0]) not in ALLOWED]
    return "\n".join(lines)


@pytest.mark.parametrize(
    "rule", ["unpickler", "code runner", "numpy load", "raw html", "string sql"]
)
def test_the_repository_breaks_no_rule(repository: dict[str, list[str]], rule: str) -> None:
    problems = unexplained(repository, rule)
    assert not problems, problems


def test_every_allowance_is_a_test_file_still_in_use_with_a_reason(
    repository: dict[str, list[str]],
) -> None:
    for (rule, path), reason in ALLOWED.items():
        assert path.startswith("tests/"), f"{path}: the product itself may not {rule}"
        assert any(line.startswith(f"{path}:") for line in repository[rule]), (
            f"{path} no longer needs its {rule} allowance: remove it"
        )
        assert len(reason) > 20


def test_usage_statistics_are_off_and_uploads_are_capped() -> None:
    with open(REPO_ROOT / ".streamlit" / "config.toml", "rb") as file:
        config = tomllib.load(file)
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB == 10  # MB per file, as the page
