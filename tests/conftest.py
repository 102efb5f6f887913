"""Shared test setup: markers by path, quiet Streamlit logs, and an AppTest of the whole app.

pytest runs from the repo root (``make test``); the ``app`` fixture also changes into it, because
AppTest reads ``.streamlit/config.toml`` only from the current working directory.

Markers (registered in pyproject.toml) are given here by path, so test files need no decorators:
``browser`` for everything under tests/e2e, ``cluster`` for the Dask cluster tests, ``slow`` for
the tests listed in ``SLOW``. ``make check`` runs ``-m "not browser and not cluster"``.
"""

import warnings
from pathlib import Path

import pytest
import streamlit.logger
from streamlit.testing.v1 import AppTest

from classroom.access import TEACHER_ENV
from classroom.config import DATA_DIR_ENV, STORE_ENV, STORE_FILE

REPO_ROOT = Path(__file__).resolve().parents[1]
ENTRY_POINT = "dashboard.py"

BROWSER_DIR = "tests/e2e/"
CLUSTER_FILES = frozenset({"tests/sweep/test_cluster.py"})
# Non-browser tests that took 3 s or more on a 2-core machine (pytest --durations=50
# --ignore=tests/e2e). A node id without "[...]" covers all of its parameters.
SLOW = frozenset(
    {
        "tests/benchmarks/test_load_client.py::test_two_students_play_receive_frames_and_pause_with_no_error",
        "tests/kit/live/test_extreme_settings.py::test_a_full_batch_too_big_for_a_shared_server_is_refused_with_a_way_out",
        "tests/kit/live/test_extreme_settings.py::test_mustafar_renders_the_deepest_network_as_large_as_its_budget_allows",
        "tests/kit/live/test_extreme_settings.py::test_the_sweep_runs_its_most_extreme_grid",
        "tests/lessons/linear/test_page.py::test_forged_asks_neither_raise_nor_train",
        "tests/lessons/mustafar/test_page.py::test_a_large_view_shows_a_preview_then_the_full_picture_in_its_place",
        "tests/lessons/mustafar/test_page.py::test_comparison_scores_each_method_on_unseen_pixels",
        "tests/lessons/mustafar/test_page.py::test_enhance_renders_at_several_sizes",
        "tests/lessons/mustafar/test_page.py::test_figure_9_stays_rendered_while_the_viewer_changes_size",
        "tests/lessons/mustafar/test_page.py::test_rgb_sunset_trains_three_outputs",
        "tests/lessons/mustafar/test_page.py::test_tutorial_preset_at_seed_1_shows_the_dead_network",
        "tests/lessons/mustafar/test_picture_downscale.py::test_a_large_upload_is_kept_at_the_bound_and_the_lesson_still_works",
        "tests/nn/test_presets.py::test_the_fast_preset_learns_a_picture_well_below_0_09_within_its_budget",
        "tests/serving/test_serve_replicas.py::test_two_replicas_share_the_class_and_one_killed_comes_back",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each collected test ``browser``, ``cluster`` or ``slow`` by where it lives."""
    modules: dict[str, object] = {}  # test file -> its module, to check SLOW's names
    for item in items:
        file = item.nodeid.split("::", 1)[0]
        if isinstance(item, pytest.Function):
            modules[file] = item.module
        if file.startswith(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)
        if file in CLUSTER_FILES:
            item.add_marker(pytest.mark.cluster)
        if item.nodeid in SLOW or item.nodeid.split("[", 1)[0] in SLOW:
            item.add_marker(pytest.mark.slow)
    # A test renamed in its file would silently lose its mark: say so whenever that file is loaded.
    stale = sorted(
        node_id
        for node_id in SLOW
        if (file := node_id.split("::", 1)[0]) in modules
        and not _defines(modules[file], node_id.split("[", 1)[0].split("::")[1:])
    )
    if stale:
        warnings.warn(
            pytest.PytestConfigWarning(
                f"tests/conftest.py: SLOW names no test in its file: {stale}"
            ),
            stacklevel=1,
        )


def _defines(module: object, names: list[str]) -> bool:
    for name in names:
        module = getattr(module, name, None)
    return module is not None


# AppTest runs scripts outside a server, which makes Streamlit warn "missing ScriptRunContext".
streamlit.logger.set_log_level("error")


TEACHER_TOKEN = "a-teacher-token-for-the-tests-0123456789"


@pytest.fixture
def class_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's class data folder (``NN_DATA_DIR``) in a fresh temporary folder, and the
    teacher token ``TEACHER_TOKEN`` set as ``make run`` sets it."""
    folder = tmp_path / "class-data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    monkeypatch.delenv(STORE_ENV, raising=False)  # the SQLite file in the folder
    monkeypatch.setenv(TEACHER_ENV, TEACHER_TOKEN)
    return folder


@pytest.fixture
def class_link(class_data: Path):
    """Sign class links as the teacher's console does, for a class made here:
    ``class_link({"learning_rate": "0.05"}, ["learning_rate"])`` -> the link's query."""
    from classroom.access import server_secret, sign_link
    from classroom.store import ClassStore

    class_id = ClassStore(class_data / STORE_FILE).create_class("Test class").id
    secret = server_secret(class_data)
    return lambda params, locks: sign_link(secret, params, locks, str(class_id))


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, class_data: Path) -> AppTest:
    """An AppTest of ``dashboard.py``, not yet run; pages: ``switch_page("app_pages/x.py")``.
    Its class data folder is ``class_data``."""
    monkeypatch.chdir(REPO_ROOT)
    return AppTest.from_file(str(REPO_ROOT / ENTRY_POINT), default_timeout=30)


@pytest.fixture(autouse=True)
def empty_class():
    """AppTest sessions share the server's class (kit.live.pacing.CLASS) within this process: start
    each test with no other student training."""
    from kit.live.pacing import CLASS

    CLASS.clear()
    yield
    CLASS.clear()
