"""The class panel and the console in the app (AppTest): students submit, the server scores,
the teacher sets a challenge, watches the board, opens an entry, exports and clears."""

import ast
import csv
import io
import sqlite3
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from classroom import config
from classroom.access import server_secret, sign_link, verify_link
from classroom.board import board
from classroom.store import MAX_THUMBNAIL_BYTES, ClassStore
from tests.conftest import TEACHER_TOKEN
from tests.kit.test_class_session import ROSE, open_with, texts, widget
from tests.live import ask, frames, run_of

LOCKS = {"depth": 1, "units": [4], "activations": ["tanh"], "optimizer": "adam"}
PARAMS = {"depth": "1", "units": "4", "activations": "tanh", "optimizer": "adam"}
CHALLENGE = {
    "lesson": "rose",
    "dataset": "circle",
    "locks": LOCKS,
    "goal": {"metric": "test_accuracy", "threshold": 0.5},
}


def store_of(folder: Path) -> ClassStore:
    return ClassStore(folder / config.STORE_FILE)


@pytest.fixture
def challenge(class_data: Path) -> tuple[int, int]:
    """Class "Year 10 B" with a challenge: Rose circle, >= 50 % test accuracy, fewest
    parameters, one hidden layer of 4 tanh units and Adam locked."""
    store = store_of(class_data)
    class_id = store.create_class("Year 10 B").id
    number = store.set_challenge(class_id, CHALLENGE)
    return class_id, number


def challenge_query(class_data: Path, challenge: tuple[int, int]) -> dict[str, str]:
    class_id, number = challenge
    params = {**PARAMS, "data": "circle"}
    secret = server_secret(class_data)
    return sign_link(secret, params, [*LOCKS, "data"], str(class_id), number)


def trained(at: AppTest, batches: int = 3) -> AppTest:
    ask(at, "rose", "play")
    frames(at, "rose", batches)
    ask(at, "rose", "pause")
    return at


def submit_as(at: AppTest, nickname: str) -> AppTest:
    widget(at, "text_input", "rose.nickname").input(nickname).run()
    next(button for button in at.button if button.key == "rose.submit").click()
    return at.run()


def test_a_student_submits_and_the_server_scores_it(
    app: AppTest, class_data: Path, challenge: tuple[int, int]
) -> None:
    at = open_with(app, challenge_query(class_data, challenge))
    assert "Challenge:" in texts(at) and "Rose circle" in texts(at)
    next(b for b in at.button if b.key == "rose.submit").click().run()
    assert "Pick a nickname first" in at.warning[0].value
    at = submit_as(at, "Ada")
    assert "Train first" in at.warning[0].value
    assert board(store_of(class_data), challenge[0]) == []
    at = submit_as(trained(at), "Ada")

    assert not at.exception
    assert "Submitted as entry #1" in at.success[0].value
    assert "the server measured" in at.success[0].value
    (row,) = board(store_of(class_data), challenge[0])
    assert row.rank == 1
    assert row.entry.nickname == "Ada"
    assert row.entry.challenge_id == challenge[1]
    assert row.parameters == 17  # (2 + 1) × 4 + (4 + 1) × 1
    thumbnail = row.entry.thumbnail
    assert thumbnail is not None and len(thumbnail) <= MAX_THUMBNAIL_BYTES
    assert Image.open(io.BytesIO(thumbnail)).format == "PNG"
    # The page's own numbers are kept beside the server's, never used for the rank.
    assert set(row.entry.reported) >= {"train accuracy", "test accuracy"}
    assert row.entry.settings["values"]["units"] == [4]
    assert row.entry.settings["query"]["data"] == "circle"


def test_a_stale_challenge_link_cannot_submit_to_the_new_challenge(
    app: AppTest, class_data: Path, challenge: tuple[int, int]
) -> None:
    at = trained(open_with(app, challenge_query(class_data, challenge)))
    store_of(class_data).set_challenge(challenge[0], {**CHALLENGE, "dataset": "spiral"})
    at = submit_as(at, "Ada")

    assert not at.exception
    assert "Not submitted" in at.error[0].value
    assert "set a new one" in at.error[0].value
    assert board(store_of(class_data), challenge[0]) == []


def test_a_closed_challenge_says_when_it_closed(
    app: AppTest, class_data: Path, challenge: tuple[int, int]
) -> None:
    store = store_of(class_data)
    class_id = challenge[0]
    number = store.set_challenge(class_id, {**CHALLENGE, "time_limit_s": 60})
    with sqlite3.connect(class_data / config.STORE_FILE) as db:  # set an hour ago
        db.execute(
            "UPDATE challenges SET created = ? WHERE id = ?",
            ((datetime.now(UTC) - timedelta(hours=1)).isoformat(), number),
        )
    at = trained(open_with(app, challenge_query(class_data, (class_id, number))))
    at = submit_as(at, "Ada")

    assert "Not submitted" in at.error[0].value
    assert "closed" in at.error[0].value
    assert board(store, class_id) == []


# ---- the teacher ---------------------------------------------------------------------------------
def as_teacher(app: AppTest) -> AppTest:
    app.query_params["teacher"] = TEACHER_TOKEN
    return app.run()


def test_the_teacher_sets_a_challenge_from_the_lesson(app: AppTest, class_data: Path) -> None:
    class_id = store_of(class_data).create_class("Year 10 B").id
    at = as_teacher(app).switch_page(ROSE).run()
    widget(at, "multiselect", "rose.teacher.locks").set_value(["depth", "data"]).run()
    widget(at, "selectbox", "rose.goal.metric").set_value("test_accuracy")
    widget(at, "number_input", "rose.goal.threshold").set_value(0.9)
    widget(at, "number_input", "rose.goal.minutes").set_value(20)
    next(b for b in at.button if "challenge" in b.label).click().run()

    assert not at.exception
    stored = store_of(class_data).current_challenge(class_id)
    assert stored.lesson == "rose" and stored.dataset == "rose"
    assert stored.locks == {"depth": 1}  # the dataset travels in the challenge itself
    assert stored.goal["threshold"] == 0.9
    assert stored.time_limit_s == 1200
    link = next(code.value for code in at.code if "sig=" in code.value)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))
    verified = verify_link(server_secret(class_data), query)
    assert verified.challenge == stored.id
    assert set(verified.locks) == {"depth", "data"}
    assert verified.params == {"depth": "1", "data": "rose"}


def test_the_console_shows_the_ranked_board_and_opens_an_entry(
    app: AppTest, class_data: Path, challenge: tuple[int, int]
) -> None:
    student = AppTest.from_file(app._script_path, default_timeout=30)
    student = trained(open_with(student, challenge_query(class_data, challenge)), batches=4)
    submit_as(student, "Ada")
    iteration = run_of(student, "rose").iteration

    at = as_teacher(app)
    assert not at.exception
    page = texts(at)
    assert "Rose circle: ≥ 50 % test accuracy with the fewest parameters" in page
    assert "**Ada**" in page and "17 parameters" in page
    assert len(at.get("image")) == 1  # the thumbnail
    link = next(code.value for code in at.code if "sig=" in code.value)
    assert "/Rose?" in link
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))
    assert verify_link(server_secret(class_data), query).challenge == challenge[1]

    next(b for b in at.button if b.label == "Open").click().run()
    assert not at.exception
    assert at.title[0].value == "3 · Rose"
    assert run_of(at, "rose").iteration == iteration
    assert widget(at, "slider", "rose.depth").value == 1


def test_the_console_exports_and_clears_a_class(
    app: AppTest, class_data: Path, challenge: tuple[int, int]
) -> None:
    student = AppTest.from_file(app._script_path, default_timeout=30)
    submit_as(trained(open_with(student, challenge_query(class_data, challenge))), "Ada")

    at = as_teacher(app)
    exported = store_of(class_data).export_csv(challenge[0])
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [row["nickname"] for row in rows] == ["Ada"]
    next(b for b in at.button if b.key == "console.clear").click().run()

    assert not at.exception
    assert board(store_of(class_data), challenge[0]) == []
    assert "No entries yet" in texts(at)


def test_twenty_sessions_submitting_at_once_lose_nothing(
    app: AppTest, class_data: Path, challenge: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each AppTest run parses its scripts anew (a server parses each once, under a lock), and
    # CPython 3.11's ast.parse is not safe on several threads at once: it can fail with
    # "AST constructor recursion depth mismatch" (python/cpython#106905). One parse at a time;
    # the submissions themselves still run at once.
    parse, parsing = ast.parse, threading.Lock()

    def one_parse_at_a_time(*args, **kwargs):
        with parsing:
            return parse(*args, **kwargs)

    monkeypatch.setattr(ast, "parse", one_parse_at_a_time)
    query = challenge_query(class_data, challenge)
    students = []
    for n in range(20):
        student = AppTest.from_file(app._script_path, default_timeout=60)
        student = trained(open_with(student, query), batches=1)
        widget(student, "text_input", "rose.nickname").input(f"student {n}").run()
        students.append(student)

    def press_submit(student: AppTest) -> AppTest:
        next(b for b in student.button if b.key == "rose.submit").click()
        return student.run()

    with ThreadPoolExecutor(max_workers=20) as pool:
        done = list(pool.map(press_submit, students))

    assert all("Submitted as entry #" in at.success[0].value for at in done)
    rows = board(store_of(class_data), challenge[0])
    assert sorted(row.entry.nickname for row in rows) == sorted(f"student {n}" for n in range(20))
    assert sorted(row.rank for row in rows) == list(range(1, 21))


@pytest.mark.parametrize(
    ("page", "key", "challenge", "params"),
    [
        (
            "app_pages/1_Linear_regression.py",
            "linear",
            {"lesson": "linear", "dataset": "y=2x+1", "locks": {"depth": 0, "noise": 0.0},
             "goal": {"metric": "test_cost", "threshold": 100.0}},
            {"depth": "0", "noise": "0"},
        ),
        (
            "app_pages/2_Titanic.py",
            "titanic",
            {"lesson": "titanic", "dataset": "tutorial", "locks": {"depth": 0},
             "goal": {"metric": "test_accuracy", "threshold": 0.5}},
            {"depth": "0", "split": "tutorial"},
        ),
    ],
    ids=["linear", "titanic"],
)  # fmt: skip
def test_linear_and_titanic_take_challenges_too(
    app: AppTest, class_data: Path, page: str, key: str, challenge: dict, params: dict
) -> None:
    store = store_of(class_data)
    class_id = store.create_class("Year 10 B").id
    number = store.set_challenge(class_id, challenge)
    locks = [*challenge["locks"], *(["split"] if key == "titanic" else [])]
    query = sign_link(server_secret(class_data), params, locks, str(class_id), number)
    at = open_with(app, query, page)
    assert not at.exception and not at.error
    ask(at, key, "play")
    frames(at, key, 2)
    ask(at, key, "pause")
    widget(at, "text_input", f"{key}.nickname").input("Ada").run()
    next(b for b in at.button if b.key == f"{key}.submit").click().run()

    assert not at.exception
    assert "Submitted as entry #1" in at.success[0].value
    (row,) = board(store, class_id)
    assert row.rank == 1 and row.metric is not None
    assert row.entry.thumbnail is not None
