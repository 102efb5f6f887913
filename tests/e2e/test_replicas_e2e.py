"""A class served by ``serve.py --replicas 2`` (``make class``) in real browsers: two Streamlit
replicas behind the real nginx, one address.

Which replica served a browser is in every response's ``X-Replica`` header and in nginx's
access log (``replica=<k> route=<the browser's cookie>``). A browser context is put on replica
k by giving it the cookie nginx would have set (``nnroute=k``), as a returning browser has it.
The tests share one server and run in this order; the last one kills a replica.
"""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

from classroom import config
from classroom.access import TEACHER_ENV
from serving.nginx import REPLICA_HEADER, ROUTE_COOKIE
from tests.e2e.metrics import read_metric, wait_for_metric
from tests.e2e.server import CHROMIUM, REPO_ROOT, free_port, is_healthy
from tests.e2e.test_teacher_e2e import (
    DEPTH,
    board_rows,
    make_class,
    navigate,
    no_exception,
    on_server,
    open_as_teacher,
    open_lesson,
    set_challenge,
    submit,
    train,
)

TOKEN = "replicas-e2e-teacher-token-5Hq8"
LOAD = 30_000  # ms
START_TIMEOUT_S = 90.0
LOG = REPO_ROOT / "tests" / "artifacts" / "replicas-serve.log"
STREAM = "/_stcore/stream"
ACCESS_LINE = re.compile(r'"GET (?P<path>\S+) [^"]*" (?P<status>\d+) .* replica=(?P<replica>\S*) '
                         r"route=(?P<route>\S+)")  # fmt: skip


@dataclass
class ClassServer:
    """The running ``serve.py --replicas 2``: nginx's URL, replica k's port (``ports[k]``),
    serve.py's process and nginx's access log."""

    url: str
    ports: dict[int, int]
    process: subprocess.Popen
    access_log: Path

    def replica_pid(self, number: int) -> int:
        """The process id of replica ``number`` (a child of serve.py)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split():
            words = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
            if "--server.port" in words and words[words.index("--server.port") + 1] == str(
                self.ports[number]
            ):
                return int(pid)
        raise AssertionError(f"replica {number} is not running:\n{LOG.read_text()}")


@pytest.fixture(scope="module")
def class_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClassServer]:
    """``serve.py --replicas 2`` on a free loopback port, with a new class data folder and
    ``TOKEN``; stopped (SIGTERM) after the module's tests."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (or run `make test`)")
    port, data = free_port(), tmp_path_factory.mktemp("replicas-class")
    launcher = {TEACHER_ENV, config.DATA_DIR_ENV, config.CLASS_URL_ENV, config.STORE_ENV}
    env = {name: value for name, value in os.environ.items() if name not in launcher}
    command = [sys.executable, "serve.py", "--replicas", "2", "--port", str(port),
               "--data-dir", str(data), "--server.headless", "true"]  # fmt: skip
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with open(LOG, "wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env={**env, TEACHER_ENV: TOKEN}, stdout=log, stderr=log
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while "Ready: 2 replicas" not in LOG.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve.py --replicas 2 did not start:\n{LOG.read_text()}")
            time.sleep(0.2)
        text = LOG.read_text()
        ports = re.search(r"ports (\d+), (\d+),", text)
        runtime = re.search(r"nginx files:\s+(\S+)", text)
        assert ports and runtime, text
        yield ClassServer(
            url=f"http://127.0.0.1:{port}",
            ports={1: int(ports[1]), 2: int(ports[2])},
            process=process,
            access_log=Path(runtime[1]) / "logs" / "access.log",
        )
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def open_context(
    browser: Browser, class_server: ClassServer
) -> Iterator[Callable[[int | None], BrowserContext]]:
    """``open_context(k)``: a new browser (context) on replica k, or None for a first visit
    nginx places itself; closed after the test."""
    opened: list[BrowserContext] = []

    def new(replica: int | None = None) -> BrowserContext:
        context = browser.new_context(
            base_url=class_server.url, viewport={"width": 1280, "height": 1100}
        )
        if replica is not None:
            context.add_cookies([{"name": ROUTE_COOKIE, "value": str(replica),
                                  "url": class_server.url}])  # fmt: skip
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()


def replicas_seen(page: Page) -> list[str]:
    """Starts recording the ``X-Replica`` of every HTTP response ``page`` receives (not the
    ``blob:`` addresses the page makes itself)."""
    seen: list[str] = []

    def record(response: Response) -> None:
        if response.url.startswith("http"):
            seen.append(response.headers.get("x-replica", ""))

    page.on("response", record)
    return seen


def route_cookie(context: BrowserContext) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == ROUTE_COOKIE), None)


def access_lines(server: ClassServer) -> list[re.Match]:
    lines = server.access_log.read_text().splitlines()
    return [match for line in lines if (match := ACCESS_LINE.search(line))]


def streams_logged(server: ClassServer) -> set[str]:
    """The cookies of the browsers whose websocket nginx has logged (at its close)."""
    return {line["route"] for line in access_lines(server) if line["path"] == STREAM}


def open_rose(page: Page, seed: int) -> None:
    page.goto(f"/Rose?seed={seed}")
    expect(page.get_by_role("heading", name="3 · Rose")).to_be_visible(timeout=LOAD)
    expect(page.get_by_role("button", name="Play")).to_be_enabled(timeout=LOAD)
    wait_for_metric(page, "Iteration", "== 0", timeout=LOAD)
    expect(page.get_by_label("Seed", exact=True)).to_have_value(str(seed))


# ---- the tests -----------------------------------------------------------------------------------
def test_new_browsers_spread_over_the_replicas_and_each_stays_on_its_own(
    class_server: ClassServer, open_context
) -> None:
    found: dict[str, BrowserContext] = {}
    for _ in range(6):  # a first visit goes round-robin: two in a row differ, unless a third
        context = open_context(None)  # request slipped between them
        answer = context.request.get("/_stcore/health")
        assert answer.ok
        found.setdefault(answer.headers[REPLICA_HEADER.lower()], context)
        assert route_cookie(context) == answer.headers[REPLICA_HEADER.lower()]
        if len(found) == 2:
            break
    assert set(found) == {"1", "2"}

    for replica, context in found.items():
        page = context.new_page()
        seen = replicas_seen(page)
        page.goto("/")
        expect(page.get_by_role("heading", name="Neural network from scratch")).to_be_visible(
            timeout=LOAD
        )
        for _ in range(2):
            page.reload()
            expect(page.get_by_role("heading", name="Neural network from scratch")).to_be_visible(
                timeout=LOAD
            )
        assert len(seen) > 10  # the page, its scripts, styles, host config, health
        assert set(seen) == {replica}
        assert route_cookie(context) == replica
        page.close()  # its websocket closes, and nginx logs it

    # Every request that carried a browser's cookie reached that replica, websockets included
    # (nginx logs a websocket when it closes).
    deadline = time.monotonic() + 10
    while streams_logged(class_server) != {"1", "2"}:
        assert time.monotonic() < deadline, class_server.access_log.read_text()
        time.sleep(0.1)
    routed = [line for line in access_lines(class_server) if line["route"] != "-"]
    assert all(line["route"] == line["replica"] for line in routed)
    assert all(line["status"] == "101" for line in routed if line["path"] == STREAM)


def test_rose_loads_and_trains_through_nginx(open_context) -> None:
    page = open_context(2).new_page()
    seen = replicas_seen(page)
    open_rose(page, seed=3)

    page.get_by_role("button", name="Play").click()
    wait_for_metric(page, "Iteration", ">= 50", timeout=LOAD)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("paused", exact=True)).to_be_visible(timeout=LOAD)
    assert read_metric(page, "Iteration") >= 50
    no_exception(page)
    assert set(seen) == {"2"}


def test_a_class_made_on_one_replica_takes_submissions_from_the_other(
    open_context, class_server: ClassServer, fresh
) -> None:
    teacher = open_context(1).new_page()
    teacher_seen = replicas_seen(teacher)
    open_as_teacher(teacher, class_server.url, TOKEN)
    make_class(teacher, "Two replicas")
    navigate(teacher, "Rose")
    expect(teacher.get_by_role("heading", name="3 · Rose")).to_be_visible(timeout=LOAD)
    link = set_challenge(teacher, DEPTH, 0.5)  # signed on replica 1

    student = open_context(2).new_page()
    student_seen = replicas_seen(student)
    open_lesson(student, on_server(link, class_server.url))
    expect(student.get_by_text("Class Two replicas")).to_be_visible()  # accepted on replica 2
    expect(student.get_by_role("slider", name=DEPTH)).to_be_disabled()
    expect(student.get_by_text("This class link cannot be used")).to_have_count(0)
    train(student, 30)
    submit(student, fresh, "Noor")

    navigate(teacher, "Teacher console")
    rows = board_rows(teacher, 1)  # the board on replica 1 shows replica 2's submission
    expect(rows).to_contain_text("Noor")
    no_exception(teacher)
    no_exception(student)
    assert set(teacher_seen) == {"1"} and set(student_seen) == {"2"}


def test_a_killed_replica_s_students_reconnect_to_the_other_and_its_students_see_nothing(
    open_context, class_server: ClassServer
) -> None:
    moved_context, staying_context = open_context(1), open_context(2)
    moved, staying = moved_context.new_page(), staying_context.new_page()
    sockets = {moved: 0, staying: 0}
    for page in (moved, staying):
        page.on("websocket", lambda _, page=page: sockets.__setitem__(page, sockets[page] + 1))
        open_rose(page, seed=7 if page is moved else 11)
        page.get_by_role("button", name="Play").click()
        wait_for_metric(page, "Iteration", ">= 20", timeout=LOAD)
    assert list(sockets.values()) == [1, 1]

    os.kill(class_server.replica_pid(1), signal.SIGKILL)  # mid-class: both are training

    # The moved student's page reconnects by itself, through nginx, to replica 2: a new
    # session there runs the lesson again, at iteration 0, with the settings of its address.
    deadline = time.monotonic() + LOAD / 1000
    while sockets[moved] < 2:
        assert time.monotonic() < deadline, "the page did not reconnect after its replica died"
        moved.wait_for_timeout(100)
    wait_for_metric(moved, "Iteration", "== 0", timeout=LOAD)
    expect(moved.get_by_label("Seed", exact=True)).to_have_value("7", timeout=LOAD)
    expect(moved.get_by_role("button", name="Play")).to_be_enabled(timeout=LOAD)
    assert route_cookie(moved_context) == "2"
    assert moved.url.endswith("/Rose?seed=7")
    moved.get_by_role("button", name="Step").click()
    wait_for_metric(moved, "Iteration", "== 1", timeout=LOAD)
    no_exception(moved)

    # The other replica's student trained on throughout, on the same connection.
    before = read_metric(staying, "Iteration")
    wait_for_metric(staying, "Iteration", f"> {before}", timeout=LOAD)
    assert sockets[staying] == 1
    expect(staying.get_by_role("button", name="Pause")).to_be_visible()
    expect(staying.get_by_label("Seed", exact=True)).to_have_value("11")
    no_exception(staying)

    # serve.py said so and started replica 1 again on its port.
    deadline = time.monotonic() + START_TIMEOUT_S
    while not is_healthy(f"http://127.0.0.1:{class_server.ports[1]}"):
        assert time.monotonic() < deadline, LOG.read_text()
        time.sleep(0.2)
    said = LOG.read_text()
    assert f"replica 1 (127.0.0.1:{class_server.ports[1]}) stopped (killed by signal 9" in said
    assert "restart 1 of at most 5" in said
    passed_over = [line for line in access_lines(class_server) if line["route"] == "1"]
    assert any(line["replica"] == "2" for line in passed_over)  # nginx moved that browser
    assert TOKEN not in class_server.access_log.read_text()
