"""Teacher mode and class links in the app (AppTest of dashboard.py): who is the teacher, what a
student's page shows, and every edited link refused."""

import urllib.parse
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from classroom import config
from classroom.access import server_secret, sign_link, verify_link
from classroom.store import ClassStore
from kit.class_session import TEACHER_ONLY
from tests.conftest import TEACHER_TOKEN

ROSE = "app_pages/3_Rose.py"
CONSOLE = "app_pages/teacher.py"


def store_of(folder: Path) -> ClassStore:
    return ClassStore(folder / config.STORE_FILE)


def texts(at: AppTest) -> str:
    """Every text the page shows (markdown, captions, alerts, code), in one string."""
    kinds = ("markdown", "caption", "error", "warning", "info", "success", "code", "title")
    return "\n".join(str(element.value) for kind in kinds for element in at.get(kind))


def open_with(at: AppTest, query: dict[str, str], page: str = ROSE) -> AppTest:
    for name, value in query.items():
        at.query_params[name] = value
    return at.switch_page(page).run()


def widget(at: AppTest, kind: str, key: str):
    return next(element for element in at.get(kind) if element.key == key)


@pytest.fixture
def year10(class_data: Path) -> int:
    return store_of(class_data).create_class("Year 10 B").id


@pytest.fixture
def signed(class_data: Path, year10: int) -> dict[str, str]:
    """A class link to Rose: learning rate 0.3 and depth 2, both locked, the spiral locked."""
    secret = server_secret(class_data)
    params = {"learning_rate": "0.3", "depth": "2", "data": "spiral"}
    return sign_link(secret, params, ["learning_rate", "depth", "data"], str(year10))


# ---- the teacher ---------------------------------------------------------------------------------
def test_the_teacher_link_opens_the_console_and_leaves_the_address(app: AppTest) -> None:
    app.query_params["teacher"] = TEACHER_TOKEN
    at = app.run()

    assert not at.exception
    assert at.title[0].value == "Teacher console"
    assert "teacher" not in at.query_params  # gone from the address bar at once
    assert TEACHER_TOKEN not in texts(at)
    name = next(element for element in at.text_input if element.label == "New class")
    name.input("Year 10 B")
    next(button for button in at.button if button.label == "Make the class").click()
    at.run()
    assert at.selectbox(key="console.class").value is not None
    assert "No challenge yet" in texts(at)


@pytest.mark.parametrize(
    "given", ["", "wrong", TEACHER_TOKEN[:-1], TEACHER_TOKEN + "x", TEACHER_TOKEN.upper()]
)
def test_a_wrong_token_makes_nobody_the_teacher(app: AppTest, given: str) -> None:
    app.query_params["teacher"] = given
    at = app.run()

    assert not at.exception
    assert at.title[0].value == "Neural network from scratch"  # Home, not the console
    assert "not valid" in at.error[0].value
    assert "teacher" not in at.query_params
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page(CONSOLE)  # not in this session's navigation


def test_without_a_token_on_the_server_nobody_is_the_teacher(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEACHER_TOKEN")
    app.query_params["teacher"] = ""
    at = app.run()

    assert at.title[0].value == "Neural network from scratch"
    assert "not valid" in at.error[0].value


def test_the_console_script_alone_refuses_a_student(class_data: Path, year10: int) -> None:
    at = AppTest.from_file(str(Path(__file__).parents[2] / CONSOLE), default_timeout=30).run()

    assert not at.exception
    assert at.error[0].value == TEACHER_ONLY
    assert not at.button and not at.text_input and not at.selectbox  # no teacher action
    assert "Year 10 B" not in texts(at)


def test_a_student_sees_no_lock_picker_and_no_teacher_panel(app: AppTest) -> None:
    at = app.switch_page(ROSE).run()

    assert not at.exception
    assert not [e for e in at.multiselect if "Lock" in e.label]
    assert not [e for e in at.expander if "teacher" in e.label]
    assert "Submit to the board" not in [button.label for button in at.button]


def test_the_teacher_signs_a_student_link_from_the_lesson(
    app: AppTest, class_data: Path, year10: int
) -> None:
    app.query_params["teacher"] = TEACHER_TOKEN
    at = app.run().switch_page(ROSE).run()
    widget(at, "select_slider", "rose.learning_rate").set_value(0.3).run()
    widget(at, "multiselect", "rose.teacher.locks").set_value(["learning_rate", "noise"]).run()
    next(button for button in at.button if button.key == "rose.teacher.link").click().run()

    assert not at.exception
    link = next(code.value for code in at.code if "sig=" in code.value)
    assert link.startswith("http") and "/Rose?" in link
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))
    verified = verify_link(server_secret(class_data), query)
    assert verified.class_id == str(year10)
    assert verified.locks == ("learning_rate", "noise")
    assert verified.params["learning_rate"] == "0.3"
    assert TEACHER_TOKEN not in link


# ---- students on a class link --------------------------------------------------------------------
def test_a_signed_link_locks_its_controls(app: AppTest, signed: dict[str, str]) -> None:
    at = open_with(app, signed)

    assert not at.exception
    assert not at.error
    rate = widget(at, "select_slider", "rose.learning_rate")
    assert rate.value == 0.3 and rate.disabled
    assert widget(at, "slider", "rose.depth").disabled
    assert not widget(at, "select_slider", "rose.batch_size").disabled
    assert not [e for e in at.multiselect if "Lock" in e.label]
    assert "Class Year 10 B" in texts(at)
    assert "Submit to the board" in [button.label for button in at.button]


def test_a_class_address_stays_as_the_teacher_signed_it(
    app: AppTest, signed: dict[str, str]
) -> None:
    at = open_with(app, signed)
    widget(at, "select_slider", "rose.batch_size").set_value(32).run()

    assert widget(at, "select_slider", "rose.batch_size").value == 32
    assert {name: at.query_params[name] for name in at.query_params} == signed


def edited(link: dict[str, str], **changes: str | None) -> dict[str, str]:
    out = dict(link)
    for name, value in changes.items():
        if value is None:
            out.pop(name, None)
        else:
            out[name] = value
    return out


EDITS = {
    "missing signature": {"sig": None},
    "forged signature": {"sig": "A" * 107},
    "lock added or removed": {"lock": "data,depth"},  # learning_rate's lock dropped
    "locked value changed": {"learning_rate": "10"},
    "class or challenge changed": {"class": "999"},
    "changed": {"batch_size": "32"},
}


@pytest.mark.parametrize("reason", EDITS)
def test_an_edited_link_is_refused_and_opens_a_free_lesson(
    app: AppTest, signed: dict[str, str], reason: str
) -> None:
    at = open_with(app, edited(signed, **EDITS[reason]))

    assert not at.exception
    message = at.error[0].value
    assert "This class link cannot be used" in message
    assert "does not count for the class" in message
    rate = widget(at, "select_slider", "rose.learning_rate")
    assert not rate.disabled and rate.value != 10  # the lesson's defaults, nothing locked
    assert "Submit to the board" not in [button.label for button in at.button]
    assert not list(at.query_params)


def test_a_lock_without_a_signature_is_refused(app: AppTest) -> None:
    at = open_with(app, {"learning_rate": "0.3", "lock": "learning_rate"})

    assert "not signed" in at.error[0].value or "signature" in at.error[0].value
    assert not widget(at, "select_slider", "rose.learning_rate").disabled


def test_a_plain_lesson_address_is_a_free_lesson(app: AppTest) -> None:
    at = open_with(app, {"learning_rate": "0.3", "depth": "2"})

    assert not at.exception and not at.error
    rate = widget(at, "select_slider", "rose.learning_rate")
    assert rate.value == 0.3 and not rate.disabled
