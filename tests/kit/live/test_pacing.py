"""A busy class shares the server (kit/live/pacing.py): the batches of all the students together
keep to CLASS_CPU of a core and CLASS_RERUNS script runs a second, so in a big class each batch
covers more animation and trains less of it; the animation and the clicks stay quick."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import kit.live.view
from kit.live.pacing import BATCH_SECONDS, CLASS, DUTY, GRACE_SECONDS, Class
from kit.live.run import new_run
from kit.live.view import MAX_BATCH_SECONDS
from kit.settings import OutputSpec, Settings
from tests.live import ask


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_session_is_one_player_from_its_batch_until_the_next_is_overdue():
    clock = Clock()
    room = Class(clock=clock)
    assert room.players() == 0
    room.trained("ada", 0.4)
    room.trained("ada", 0.4)  # a second batch of the same student is still one player
    room.trained("bo", 2.0)
    assert room.players() == 2
    clock.now += 2 * 0.4 + GRACE_SECONDS - 0.01
    assert room.players() == 2
    clock.now += 0.02  # ada's next batch is overdue (twice its animation, and the grace)
    assert room.players() == 1  # a closed tab drops out by itself
    clock.now += 2 * 2.0
    assert room.players() == 0


def test_pausing_leaves_the_class_at_once():
    room = Class(clock=Clock())
    for student in ("ada", "bo", "cy"):
        room.trained(student, 0.4)
    room.left("ada")  # paused
    room.left("nobody")  # a session that never played: nothing to do
    assert room.players() == 2
    room.clear()
    assert room.players() == 0


def test_a_batch_covers_more_animation_as_the_class_grows():
    room = Class(cpu=1.0, reruns=8.0, clock=Clock())
    assert room.batch_seconds() == BATCH_SECONDS  # alone
    for student in range(3):
        room.trained(f"s{student}", 0.4)
    assert room.batch_seconds() == BATCH_SECONDS  # 3 / 8 a second: short batches still fit
    for student in range(3, 40):
        room.trained(f"s{student}", 0.4)
    assert room.players() == 40
    assert room.batch_seconds() == pytest.approx(40 / 8.0)  # all together: 8 batches a second
    assert Class(reruns=2.0, clock=Clock()).batch_seconds() == BATCH_SECONDS


def test_a_batch_trains_its_share_of_the_processor():
    room = Class(cpu=2.0, reruns=8.0, clock=Clock())
    assert room.training_seconds(0.4) == pytest.approx(DUTY * 0.4)  # alone: DUTY of it
    room.trained("ada", 0.4)
    room.trained("bo", 0.4)
    assert room.training_seconds(0.4) == pytest.approx(DUTY * 0.4)  # a core each: no more
    for student in range(18):
        room.trained(f"s{student}", 0.4)
    assert room.players() == 20
    seconds = room.batch_seconds()
    assert seconds == pytest.approx(20 / 8.0)
    assert room.training_seconds(seconds) == pytest.approx(DUTY * seconds * 2.0 / 20)
    # Each player sends a batch every ``seconds``: all together 8 batches a second, which
    # train DUTY of the class's two cores.
    batches_a_second = room.players() / seconds
    assert batches_a_second == pytest.approx(8.0)
    assert batches_a_second * room.training_seconds(seconds) == pytest.approx(DUTY * 2.0)
    assert Class(cpu=0.5, clock=Clock()).training_seconds(0.4) == pytest.approx(DUTY * 0.2)


def test_a_run_stops_training_when_its_time_is_up():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(50, 3)), rng.normal(size=(50, 1))
    output = OutputSpec(input_dim=3, units=1, activation="linear", loss="mse")
    run = new_run("t", X, Y, Settings(max_iterations=10_000), output, None)
    assert run.step(1000, seconds=0.0) == 1  # at least one step, then the clock says stop
    assert run.step(1000) == 1000 and run.iteration == 1001


# ---- a student in a busy class (AppTest) -----------------------------------------------------
SPEED = 100  # 3 steps a snapshot, 30 snapshots a second: a batch's length is its snapshots


def lesson_script():
    import numpy as np

    from kit.live import live_view
    from kit.settings import OutputSpec, Settings

    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    output = OutputSpec(input_dim=1, units=1, activation="linear", loss="mse")
    settings = Settings(learning_rate=0.1, speed=100, max_iterations=200_000)

    def scene(run):
        return {"layout": [["cost"]], "panels": {"cost": {"kind": "curves", "series": ["cost"]}}}

    def views(run):
        return {"read": {}, "v": {}}

    live_view("demo", X, 2 * X + 1, settings, output, scene, views)


def busy_notes(sent: dict) -> list[str]:
    return [text for tone, text in sent["notes"] if "busy class" in text]


def skeleton(at: AppTest) -> list[str]:
    """The page's elements, in order: a note must not move a view from one batch to the next."""
    kinds = []

    def walk(node) -> None:
        kinds.append(getattr(node, "type", ""))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return kinds


def test_a_busy_class_covers_more_animation_per_batch_and_says_so():
    at = AppTest.from_function(lesson_script, default_timeout=30).run()
    ask(at, "demo", "play")
    assert CLASS.players() == 1
    alone = ask(at, "demo", buffered_ms=1000)  # the browser has frames queued: a whole batch
    assert not busy_notes(alone)
    assert len(alone["frames"]) == round(BATCH_SECONDS * 30)  # 0.4 s of animation
    assert alone["frame_ms"] == round(1000 / 30)
    page = skeleton(at)

    for student in range(999):  # a class far bigger than the server: batches must spread out
        CLASS.trained(f"classmate {student}", 60.0)
    busy = ask(at, "demo", buffered_ms=1000)
    assert not at.exception
    (note,) = busy_notes(busy)
    assert "1000 students are training on this server" in note
    assert busy["playing"] and busy["frames"]
    # Its share of the class's core: 1.8 ms of work for 2 s of animation (and a step at most).
    assert busy["training_ms"] <= 1000 * DUTY * MAX_BATCH_SECONDS * CLASS.cpu / 1000 + 20
    # Fewer iterations a second, but the animation goes on: the batch's snapshots cover (at
    # least) its seconds, each shown longer than alone if there are fewer of them.
    covered = len(busy["frames"]) * busy["frame_ms"]
    assert covered >= 1000 * MAX_BATCH_SECONDS - len(busy["frames"])  # rounding of frame_ms
    assert covered > 3 * len(alone["frames"]) * alone["frame_ms"]
    assert skeleton(at) == page  # the note is the live view's: it took no view's place

    paused = ask(at, "demo", "pause")  # Pause: this student leaves the class
    assert CLASS.players() == 999
    assert not busy_notes(paused) and not paused["playing"]
    assert not at.exception


def long_batches_alone(monkeypatch) -> Class:
    """A server whose budget makes even a lone player's batches long: one rerun a second."""
    room = Class(reruns=1.0)
    monkeypatch.setattr(kit.live.view, "CLASS", room)
    return room


def test_a_lone_student_never_reads_of_a_busy_class(monkeypatch) -> None:
    """One student is no busy class, however long the batches (it used to say "1 students")."""
    room = long_batches_alone(monkeypatch)
    at = AppTest.from_function(lesson_script, default_timeout=30).run()
    sent = [ask(at, "demo", "play"), *(ask(at, "demo", buffered_ms=1000) for _ in range(2))]
    assert room.players() == 1 and room.batch_seconds() > BATCH_SECONDS
    for answer in sent:
        assert answer["playing"] and answer["frames"] and not busy_notes(answer)
    assert len(sent[-1]["frames"]) == round(30 * room.batch_seconds())  # a long batch, alone
    assert not [c for c in at.caption if "busy class" in c.value]
    assert not at.exception


def test_two_students_on_that_server_read_of_a_busy_class(monkeypatch) -> None:
    room = long_batches_alone(monkeypatch)
    at = AppTest.from_function(lesson_script, default_timeout=30).run()
    room.trained("classmate", 60.0)
    ask(at, "demo", "play")
    (note,) = busy_notes(ask(at, "demo", buffered_ms=1000))
    assert room.players() == 2 and "2 students are training" in note
