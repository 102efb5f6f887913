"""The teacher and a class in real browsers, on a server started through serve.py as
``make run`` starts it: the teacher link, a challenge, students submitting, the live board,
an entry opened, the board after a restart, and what students and edited links cannot do.

Every browser context is a Streamlit session of its own: the teacher's, or one student's. The
teacher moves between pages in the same tab, by the sidebar navigation: a reload would start a
new session and end teacher mode.
"""

import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from classroom.access import server_secret, sign_link
from classroom.config import STORE_FILE
from classroom.store import ClassStore
from serve import BANNER_END
from tests.e2e.metrics import read_metric, wait_for_metric
from tests.e2e.server import REPO_ROOT, free_port, is_healthy, streamlit_server

NewPage = Callable[[], Page]
LOAD = 60_000  # ms: a page's first run builds its lesson; a shared machine may be busy
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
NAVIGATION = '[data-testid="stSidebarNav"] a'
BOARD_ROWS = '[class*="st-key-console-entry-"]'  # one bordered row per entry (console/views.py)
DEPTH = "Hidden layers (depth)"
NICKNAME = "Your nickname on the board"
REFUSED = "This class link cannot be used"
# Each student trains to their own iteration, so an opened entry shows whose network it is.
STUDENTS = {"Ada": 150, "Bob": 300, "Cy": 450}
# All rows drawn, with an image each that has loaded (the board's fragment redraws every 2 s).
THUMBNAILS_LOADED_JS = f"""count => {{
  const rows = [...document.querySelectorAll('{BOARD_ROWS}')];
  const images = rows.map(row => row.querySelector('img'));
  return rows.length === count
    && images.every(img => img && img.complete && img.naturalWidth > 0);
}}"""
# A Rose challenge as in tests/kit/test_class_panel.py: the circle, >= 50 % test accuracy.
CHALLENGE = {
    "lesson": "rose",
    "dataset": "circle",
    "locks": {"depth": 1},
    "goal": {"metric": "test_accuracy", "threshold": 0.5},
}


# ---- helpers -------------------------------------------------------------------------------------
def assert_token_absent(page: Page, token: str) -> None:
    """Neither the address bar nor the page's HTML shows the teacher token."""
    assert token not in page.url
    assert token not in page.content()


def open_as_teacher(page: Page, url: str, token: str) -> None:
    """Open the teacher link: the console shows and the token leaves the address at once."""
    page.goto(f"{url}/?teacher={token}")
    expect(page.get_by_role("heading", name="Teacher console")).to_be_visible(timeout=LOAD)
    expect(page).to_have_url(re.compile(r"/teacher$"))
    assert_token_absent(page, token)


def navigate(page: Page, title: str) -> None:
    """Click ``title`` in the sidebar navigation (the same tab, so the same session)."""
    page.locator(NAVIGATION, has_text=title).click()


def make_class(page: Page, name: str) -> None:
    page.get_by_role("textbox", name="New class").fill(name)
    page.get_by_role("button", name="Make the class").click()
    expect(page.get_by_text("No challenge yet")).to_be_visible(timeout=LOAD)
    expect(page.get_by_role("combobox", name="Class")).to_have_value(name)


def set_challenge(page: Page, lock: str, threshold: float) -> str:
    """On a lesson page: lock ``lock`` in the sidebar's teacher panel, set a test-accuracy
    challenge of ``threshold``; return the students' link the panel shows."""
    page.wait_for_selector(IDLE)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Class link · teacher").click()
    locks = sidebar.get_by_role("combobox", name="Lock these for students")
    picked = sidebar.locator('[data-testid="stMultiSelect"]', has_text="Lock these for students")
    tags = picked.locator('[data-testid="stMultiSelectTagsContainer"]')
    for _ in range(3):  # a rerun may redraw the open list under the pointer: pick again
        page.wait_for_selector(IDLE)
        locks.click()
        locks.press("ArrowDown")  # opens the list
        try:
            page.get_by_role("listbox").get_by_role("option", name=lock, exact=True).click(
                timeout=10_000
            )
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            continue
        page.keyboard.press("Escape")
        break
    expect(tags).to_contain_text(lock)
    page.wait_for_selector(IDLE)
    expect(sidebar.get_by_role("combobox", name="Goal")).to_have_value("test accuracy")
    sidebar.get_by_label("At least (accuracy, 0–1) or at most (cost)").fill(str(threshold))
    sidebar.get_by_role("button", name="Set as the class's challenge").click()
    expect(sidebar.get_by_text("Challenge set for")).to_be_visible(timeout=LOAD)
    link = sidebar.locator('[data-testid="stCode"]', has_text="sig=")
    expect(link).to_contain_text("challenge=")
    return link.inner_text().strip()


def on_server(link: str, url: str) -> str:
    """``link`` (on localhost or 127.0.0.1) with the host and port of ``url``."""
    parts = urllib.parse.urlsplit(link)
    return f"{url}{parts.path}?{parts.query}"


def query_of(link: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))


def open_lesson(page: Page, link: str) -> None:
    """Open a Rose link and wait until its fresh network is on the page."""
    page.goto(link)
    expect(page.get_by_role("heading", name="3 · Rose")).to_be_visible(timeout=LOAD)
    expect(page.get_by_role("button", name="Play")).to_be_enabled(timeout=LOAD)
    wait_for_metric(page, "Iteration", "== 0", timeout=LOAD)


def train(page: Page, iterations: int) -> float:
    """Play until the Iteration counter reaches ``iterations``, Pause; the iteration shown."""
    page.get_by_role("button", name="Play").click()
    wait_for_metric(page, "Iteration", f">= {iterations}", timeout=LOAD)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=LOAD)
    expect(page.get_by_text("paused", exact=True)).to_be_visible(timeout=LOAD)
    return read_metric(page, "Iteration")


def submit(page: Page, fresh, nickname: str) -> None:
    box = page.get_by_role("textbox", name=NICKNAME)
    box.fill(nickname)
    box.press("Enter")  # a text input sends its value on Enter
    button = page.get_by_role("button", name="Submit to the board")
    expect(button).to_be_enabled(timeout=LOAD)
    button.click()
    expect(fresh(page, "Submitted as entry #")).to_be_visible(timeout=LOAD)


def board_rows(page: Page, count: int) -> Locator:
    """The console's board once it shows ``count`` rows, every thumbnail loaded."""
    expect(page.get_by_text(f"{count} entr")).to_be_visible(timeout=LOAD)
    page.wait_for_function(THUMBNAILS_LOADED_JS, arg=count, timeout=LOAD)
    return page.locator(BOARD_ROWS)


def no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


# ---- the tests -----------------------------------------------------------------------------------
def test_a_teacher_and_three_students(
    new_page: NewPage, base_url: str, teacher_token: str, fresh, screenshot
) -> None:
    teacher = new_page()
    open_as_teacher(teacher, base_url, teacher_token)
    make_class(teacher, "Year 10 B")
    assert_token_absent(teacher, teacher_token)

    navigate(teacher, "Rose")
    expect(teacher.get_by_role("heading", name="3 · Rose")).to_be_visible(timeout=LOAD)
    teacher.get_by_role("button", name="Circle", exact=True).click()
    expect(teacher).to_have_url(re.compile(r"/Rose\?data=circle$"))
    link = set_challenge(teacher, DEPTH, 0.5)
    query = query_of(link)
    assert urllib.parse.urlsplit(link).path == "/Rose"
    assert set(query["lock"].split(",")) == {"data", "depth"}
    assert query["data"] == "circle" and query["depth"] == "1" and "sig" in query
    assert_token_absent(teacher, teacher_token)

    students = {nickname: new_page() for nickname in STUDENTS}
    for student in students.values():
        open_lesson(student, on_server(link, base_url))
        expect(student.get_by_text("Class Year 10 B")).to_be_visible()
        expect(student.get_by_text("≥ 50 % test accuracy")).to_be_visible()
        expect(student.get_by_role("slider", name=DEPTH)).to_be_disabled()
    shown = {}
    for nickname, student in students.items():
        shown[nickname] = train(student, STUDENTS[nickname])
        submit(student, fresh, nickname)
        no_exception(student)
        assert_token_absent(student, teacher_token)
    assert all(iteration >= STUDENTS[name] for name, iteration in shown.items())

    navigate(teacher, "Teacher console")
    expect(teacher.get_by_role("heading", name="Teacher console")).to_be_visible(timeout=LOAD)
    expect(teacher.locator('[data-testid="stCode"]', has_text="sig=")).to_have_text(link)
    rows = board_rows(teacher, len(STUDENTS))
    expect(rows.locator("h3")).to_have_text(["1", "2", "3"])
    expect(rows.locator("img")).to_have_count(len(STUDENTS))
    assert sorted(rows.locator("strong").all_inner_texts()) == sorted(STUDENTS)  # nicknames
    no_exception(teacher)
    assert_token_absent(teacher, teacher_token)
    screenshot(teacher, "teacher_board")

    bob = rows.filter(has=teacher.locator("strong", has_text=re.compile(r"^Bob$")))
    expect(bob).to_have_count(1)
    bob.get_by_role("button", name="Open").click()
    expect(teacher.get_by_role("heading", name="3 · Rose")).to_be_visible(timeout=LOAD)
    wait_for_metric(teacher, "Iteration", f"== {shown['Bob']}", timeout=LOAD)
    assert read_metric(teacher, "Iteration") > 0
    no_exception(teacher)


def test_the_board_survives_a_restart(new_page: NewPage, tmp_path: Path, fresh) -> None:
    data, port, token = tmp_path / "class-data", free_port(), "restart-teacher-token-0123456789"
    logs = [REPO_ROOT / "tests" / "artifacts" / f"board-restart-{n}.log" for n in (1, 2)]
    with streamlit_server(logs[0], port=port, data_dir=data, token=token) as url:
        store = ClassStore(data / STORE_FILE)  # serve.py made the board and the secret
        class_id = store.create_class("Restart class").id
        number = store.set_challenge(class_id, CHALLENGE)
        query = sign_link(
            server_secret(data), {"depth": "1", "data": "circle"}, ["depth", "data"],
            str(class_id), number,
        )  # fmt: skip
        student = new_page()
        open_lesson(student, f"{url}/Rose?{urllib.parse.urlencode(query)}")
        train(student, 50)
        submit(student, fresh, "Dee")
    assert not is_healthy(url)  # stopped

    with streamlit_server(logs[1], port=port, data_dir=data, token=token) as restarted:
        teacher = new_page()
        open_as_teacher(teacher, restarted, token)
        rows = board_rows(teacher, 1)
        expect(rows.locator("h3")).to_have_text(["1"])
        expect(rows).to_contain_text("Dee")
        no_exception(teacher)
    assert all("Traceback" not in log.read_text() for log in logs)


def test_a_student_cannot_reach_the_console(new_page: NewPage, teacher_token: str) -> None:
    student = new_page()
    student.goto("/teacher")
    expect(student.get_by_role("heading", name="Neural network from scratch")).to_be_visible(
        timeout=LOAD
    )
    student.wait_for_selector(IDLE)
    expect(student.locator(NAVIGATION, has_text="Rose")).to_have_count(1)  # the navigation is on
    expect(student.locator(NAVIGATION, has_text="Teacher console")).to_have_count(0)
    expect(student.get_by_role("heading", name="Teacher console")).to_have_count(0)
    expect(student.get_by_role("textbox", name="New class")).to_have_count(0)
    expect(student.get_by_role("button", name="Make the class")).to_have_count(0)

    wrong = new_page()
    wrong.goto("/?teacher=wrong-token-of-sixteen-chars")
    expect(wrong.get_by_text("not valid")).to_be_visible(timeout=LOAD)
    expect(wrong).not_to_have_url(re.compile("teacher="))
    expect(wrong.get_by_role("heading", name="Neural network from scratch")).to_be_visible()
    wrong.wait_for_selector(IDLE)
    expect(wrong.get_by_role("heading", name="Teacher console")).to_have_count(0)
    expect(wrong.locator(NAVIGATION, has_text="Teacher console")).to_have_count(0)
    assert_token_absent(wrong, teacher_token)


def test_an_edited_class_link_is_refused_in_the_browser(
    new_page: NewPage, base_url: str, class_data_dir: Path
) -> None:
    class_id = ClassStore(class_data_dir / STORE_FILE).create_class("Edited link class").id
    query = sign_link(
        server_secret(class_data_dir),
        {"depth": "2", "data": "spiral"},
        ["depth", "data"],
        str(class_id),
    )
    signed = new_page()  # the link as the teacher made it: locked, with the class panel
    open_lesson(signed, f"{base_url}/Rose?{urllib.parse.urlencode(query)}")
    expect(signed.get_by_text("Class Edited link class")).to_be_visible()
    expect(signed.get_by_role("slider", name=DEPTH)).to_be_disabled()
    expect(signed.get_by_role("slider", name=DEPTH)).to_have_value("2")
    expect(signed.get_by_role("button", name="Submit to the board")).to_have_count(1)
    expect(signed.get_by_text(REFUSED)).to_have_count(0)

    edited = new_page()
    open_lesson(edited, f"{base_url}/Rose?{urllib.parse.urlencode({**query, 'depth': '3'})}")
    expect(edited.get_by_text(REFUSED)).to_be_visible()
    expect(edited.get_by_text("a locked setting has another value")).to_be_visible()
    expect(edited.get_by_role("slider", name=DEPTH)).to_be_enabled()
    expect(edited.get_by_role("slider", name=DEPTH)).to_have_value("1")
    expect(edited.get_by_role("button", name="Submit to the board")).to_have_count(0)
    expect(edited.get_by_text("Class Edited link class")).to_have_count(0)
    no_exception(edited)


def test_the_token_stays_out_of_the_log_and_the_pages(
    new_page: NewPage, base_url: str, teacher_token: str, server_log: Path
) -> None:
    teacher = new_page()
    open_as_teacher(teacher, base_url, teacher_token)
    for title in ("Rose", "Teacher console", "Home"):
        navigate(teacher, title)
        teacher.wait_for_selector(IDLE)
        assert_token_absent(teacher, teacher_token)

    lines = server_log.read_text().splitlines()
    end = next(n for n, line in enumerate(lines) if line.startswith(BANNER_END))
    banner, after = lines[: end + 1], lines[end + 1 :]
    assert any(f"?teacher={teacher_token}" in line for line in banner)  # the one place
    assert after, "the server has logged nothing after its banner"
    assert not [line for line in after if teacher_token in line]


def test_a_student_submits_from_many_classes(
    new_page: NewPage, base_url: str, class_data_dir: Path, fresh
) -> None:
    store = ClassStore(class_data_dir / STORE_FILE)
    class_id = store.create_class("Many classes class").id
    number = store.set_challenge(
        class_id,
        {"lesson": "classes", "dataset": "blobs", "locks": {"classes": 4},
         "goal": {"metric": "test_accuracy", "threshold": 0.5}},
    )  # fmt: skip
    params = {"classes": "4", "mode": "classify", "data": "blobs"}
    query = sign_link(server_secret(class_data_dir), params, list(params), str(class_id), number)
    student = new_page()
    student.goto(f"{base_url}/Many_classes?{urllib.parse.urlencode(query)}")
    expect(student.get_by_role("heading", name="6 · Many classes")).to_be_visible(timeout=LOAD)
    expect(student.get_by_role("button", name="Play")).to_be_enabled(timeout=LOAD)
    expect(student.get_by_text("Many classes blobs: ≥ 50 % test accuracy")).to_be_visible()
    expect(student.get_by_role("slider", name="Classes")).to_have_value("4")
    train(student, 100)
    submit(student, fresh, "Eve")
    measured = re.compile(r"Submitted as entry #\d+: the server measured")  # ids span classes
    expect(fresh(student, measured)).to_be_visible()
    no_exception(student)

    (entry,) = store.entries(class_id)
    assert (entry.lesson, entry.nickname, entry.challenge_id) == ("classes", "Eve", number)
    assert entry.detail["meets_goal"] and entry.detail["parameters"] > 0
