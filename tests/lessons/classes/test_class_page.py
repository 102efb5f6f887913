"""Lesson 6 in a class (AppTest of dashboard.py): a signed link greys out the locked data
controls and an edited one is refused; a student's Submit puts the server's score on the board,
to classify and to regress; the teacher's sidebar sets a lesson-6 challenge; the console opens
an entry in lesson 6 with its settings and weights."""

import urllib.parse
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from classroom import config
from classroom.access import server_secret, sign_link, verify_link
from classroom.board import board
from classroom.scoring import dataset_query
from classroom.store import ClassStore
from kit.url_state import text_of
from tests.conftest import TEACHER_TOKEN
from tests.kit.test_class_session import open_with, texts, widget
from tests.live import ask, frames, run_of

PAGE = "app_pages/6_Many_classes.py"
KEY = "classes"
SIGNED = {"mode": "classify", "data": "blobs", "classes": "4", "noise": "0.3", "depth": "2"}
LOCKED = ["mode", "data", "classes", "noise", "depth"]


def store_of(folder: Path) -> ClassStore:
    return ClassStore(folder / config.STORE_FILE)


def challenge_query(class_data: Path, class_id: int, challenge: dict) -> dict[str, str]:
    """The signed link of a stored challenge, as ``kit.class_panel.challenge_link`` makes it."""
    store = store_of(class_data)
    number = store.set_challenge(class_id, challenge)
    params = {name: text_of(value) for name, value in challenge["locks"].items()}
    params |= dataset_query("classes", challenge["dataset"])
    return sign_link(server_secret(class_data), params, list(params), str(class_id), number)


def trained(at: AppTest, batches: int = 3) -> AppTest:
    ask(at, KEY, "play")
    frames(at, KEY, batches)
    ask(at, KEY, "pause")
    return at


def submit_as(at: AppTest, nickname: str) -> AppTest:
    widget(at, "text_input", f"{KEY}.nickname").input(nickname).run()
    next(button for button in at.button if button.key == f"{KEY}.submit").click()
    return at.run()


def data_controls(at: AppTest) -> dict:
    return {
        "mode": widget(at, "radio", f"{KEY}.mode"),
        "data": widget(at, "selectbox", f"{KEY}.data"),
        "classes": widget(at, "slider", f"{KEY}.classes"),
        "noise": widget(at, "slider", f"{KEY}.noise"),
        "data_seed": widget(at, "slider", f"{KEY}.data_seed"),
        "test_share": widget(at, "slider", f"{KEY}.test_share"),
    }


# ---- students on a class link --------------------------------------------------------------------
def test_a_signed_link_greys_out_its_locked_controls(app: AppTest, class_link) -> None:
    at = open_with(app, class_link(SIGNED, LOCKED), PAGE)  # greyed from the first draw

    assert not at.exception and not at.error
    controls = data_controls(at)
    values = {name: control.value for name, control in controls.items()}
    assert values | {"data_seed": 0, "test_share": 0.2} == {
        "mode": "classify", "data": "blobs", "classes": 4, "noise": 0.3,
        "data_seed": 0, "test_share": 0.2,
    }  # fmt: skip
    greyed = {name for name, control in controls.items() if control.disabled}
    assert greyed == {"mode", "data", "classes", "noise"}
    assert widget(at, "slider", f"{KEY}.depth").disabled
    assert run_of(at, KEY).network.layers[-1].units == 4  # four classes, as the link says
    assert "Class Test class" in texts(at)
    assert "Submit to the board" in [button.label for button in at.button]


def test_a_regress_link_locks_its_surface(app: AppTest, class_link) -> None:
    params = {"mode": "regress", "surface": "bump", "data_seed": "7"}
    at = open_with(app, class_link(params, list(params)), PAGE)

    assert not at.exception and not at.error
    surface = widget(at, "selectbox", f"{KEY}.surface")
    assert (surface.value, surface.disabled) == ("bump", True)
    assert widget(at, "radio", f"{KEY}.mode").disabled
    seed = widget(at, "slider", f"{KEY}.data_seed")
    assert (seed.value, seed.disabled) == (7, True)
    assert not widget(at, "slider", f"{KEY}.noise").disabled
    assert run_of(at, KEY).network.layers[-1].activation.name == "linear"


@pytest.mark.parametrize(
    "changes",
    [{"classes": "5"}, {"data": "spiral"}, {"mode": "regress"}, {"lock": "mode,data,depth"}],
    ids=["classes", "dataset", "mode", "a lock dropped"],
)
def test_an_edited_link_is_refused_and_opens_a_free_lesson(
    app: AppTest, class_link, changes: dict
) -> None:
    at = open_with(app, class_link(SIGNED, LOCKED) | changes, PAGE).run()  # as above

    assert not at.exception
    assert "This class link cannot be used" in at.error[0].value
    controls = data_controls(at)
    assert not any(control.disabled for control in controls.values())
    assert (controls["data"].value, controls["classes"].value) == ("spiral", 3)  # the defaults
    assert "Submit to the board" not in [button.label for button in at.button]


@pytest.mark.parametrize(
    ("challenge", "metric"),
    [
        ({"lesson": "classes", "dataset": "blobs", "locks": {"classes": 4, "noise": 0.3},
          "goal": {"metric": "test_accuracy", "threshold": 0.5}}, "test accuracy"),
        ({"lesson": "classes", "dataset": "bump", "locks": {"data_seed": 7},
          "goal": {"metric": "test_cost", "threshold": 1.0}}, "test cost"),
    ],
    ids=["classify", "regress"],
)  # fmt: skip
def test_submit_puts_the_servers_score_on_the_board(
    app: AppTest, class_data: Path, challenge: dict, metric: str
) -> None:
    class_id = store_of(class_data).create_class("Year 10 B").id
    at = open_with(app, challenge_query(class_data, class_id, challenge), PAGE)
    assert "Challenge:" in texts(at) and f"Many classes {challenge['dataset']}" in texts(at)
    at = submit_as(trained(at), "Ada")

    assert not at.exception
    message = at.success[0].value
    assert "Submitted as entry #1: the server measured" in message and metric in message
    (row,) = board(store_of(class_data), class_id)
    assert row.rank == 1 and row.meets_goal and row.entry.lesson == KEY
    assert row.parameters == run_of(at, KEY).network.parameter_count
    assert row.entry.thumbnail is not None
    values = row.entry.settings["values"]
    assert values["mode"] == dataset_query(KEY, challenge["dataset"])["mode"]
    assert {name: values[name] for name in challenge["locks"]} == challenge["locks"]


# ---- the teacher ---------------------------------------------------------------------------------
def as_teacher(app: AppTest) -> AppTest:
    app.query_params["teacher"] = TEACHER_TOKEN
    return app.run()


def test_the_teacher_sets_a_lesson_6_challenge_from_the_sidebar(
    app: AppTest, class_data: Path
) -> None:
    class_id = store_of(class_data).create_class("Year 10 B").id
    at = as_teacher(app).switch_page(PAGE).run()
    widget(at, "radio", f"{KEY}.mode").set_value("regress").run()
    assert widget(at, "selectbox", f"{KEY}.goal.metric").options == ["test cost", "training cost"]
    widget(at, "radio", f"{KEY}.mode").set_value("classify").run()
    widget(at, "selectbox", f"{KEY}.data").set_value("rose").run()
    widget(at, "slider", f"{KEY}.classes").set_value(4).run()
    # The teacher leaves "classes" unpicked: a challenge to classify locks it all the same.
    widget(at, "multiselect", f"{KEY}.teacher.locks").set_value(["depth", "data"]).run()
    widget(at, "selectbox", f"{KEY}.goal.metric").set_value("test_accuracy")
    widget(at, "number_input", f"{KEY}.goal.threshold").set_value(0.8)
    next(b for b in at.button if "challenge" in b.label).click().run()

    assert not at.exception
    stored = store_of(class_data).current_challenge(class_id)
    assert (stored.lesson, stored.dataset) == ("classes", "rose")
    assert stored.locks == {"depth": 1, "classes": 4}  # the dataset travels in the challenge
    assert stored.goal["metric"] == "test_accuracy" and stored.goal["threshold"] == 0.8
    assert "Many classes rose: ≥ 80 % test accuracy" in texts(at)
    link = next(code.value for code in at.code if "sig=" in code.value)
    assert "/Many_classes?" in link
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))
    verified = verify_link(server_secret(class_data), query)
    assert verified.challenge == stored.id
    assert verified.params == {"depth": "1", "classes": "4", "mode": "classify", "data": "rose"}
    assert set(verified.locks) == {"depth", "classes", "mode", "data"}


def test_the_console_opens_a_lesson_6_entry_with_its_settings_and_weights(
    app: AppTest, class_data: Path
) -> None:
    class_id = store_of(class_data).create_class("Year 10 B").id
    challenge = {"lesson": "classes", "dataset": "spiral", "locks": {"classes": 5},
                 "goal": {"metric": "test_accuracy", "threshold": 0.2}}  # fmt: skip
    student = AppTest.from_file(app._script_path, default_timeout=30)
    student = open_with(student, challenge_query(class_data, class_id, challenge), PAGE)
    submit_as(trained(student, batches=4), "Ada")
    network = run_of(student, KEY).network

    at = as_teacher(app)
    assert "Many classes spiral" in texts(at) and "**Ada**" in texts(at)
    link = next(code.value for code in at.code if "sig=" in code.value)
    assert "/Many_classes?" in link  # the challenge's link, on the lesson's page
    next(b for b in at.button if b.label == "Open").click().run()

    assert not at.exception
    assert at.title[0].value == "6 · Many classes"
    opened = run_of(at, KEY)
    assert opened.iteration == run_of(student, KEY).iteration > 0
    assert widget(at, "slider", f"{KEY}.classes").value == 5
    for mine, theirs in zip(opened.network.layers, network.layers, strict=True):
        assert (mine.weights == theirs.weights).all() and (mine.bias == theirs.bias).all()
