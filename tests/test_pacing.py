"""A busy class shares the server: the live frames of all the students together keep to
CLASS_CPU of a core, so each student's frames come less often and clicks still answer."""

import math

import numpy as np
from streamlit.testing.v1 import AppTest

from ui.controls import OutputSpec, Settings
from ui.pacing import CLASS, Class
from ui.trainer import new_run


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_alone_a_frame_comes_as_asked_in_a_class_its_share_of_processor_and_frames():
    room = Class(cpu=0.5, frames=10, clock=Clock())
    assert room.interval(frame_cpu=0.05, wanted=0.2) == 0.2  # alone: 0.05 × 1 / 0.5 = 0.1
    for student in range(20):
        room.drew(f"s{student}", interval=0.2)
    assert room.players() == 20
    assert math.isclose(room.interval(frame_cpu=0.05, wanted=0.2), 0.05 * 20 / 0.5)  # 2 s
    assert math.isclose(room.interval(frame_cpu=0.001, wanted=0.2), 20 / 10)  # 10 a second
    room.drew("s0", interval=2.0)  # a second frame of the same student is still one player
    assert room.players() == 20


def test_pausing_or_closing_the_tab_leaves_the_class():
    clock = Clock()
    room = Class(cpu=0.5, frames=10, clock=clock)
    for student in ("ada", "bo", "cy"):
        room.drew(student, interval=0.2)
    room.drew("di", interval=5.0)
    room.left("ada")  # paused
    assert room.players() == 3
    clock.now += 3.0  # bo and cy are 2 frames and the grace overdue: their tabs are gone
    assert room.players() == 1  # di's next frame is not overdue yet
    clock.now += 10.0
    assert room.players() == 0


def test_a_frame_stops_training_when_its_time_is_up():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(50, 3)), rng.normal(size=(50, 1))
    output = OutputSpec(input_dim=3, units=1, activation="linear", loss="mse")
    run = new_run("t", X, Y, Settings(max_iterations=10_000), output, None)
    assert run.step(1000, seconds=0.0) == 1  # at least one step, then the clock says stop
    assert run.step(1000) == 1000 and run.iteration == 1001


def lesson_script():
    import numpy as np

    from ui.controls import OutputSpec, Settings
    from ui.trainer import live_trainer

    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    output = OutputSpec(input_dim=1, units=1, activation="linear", loss="mse")
    settings = Settings(learning_rate=0.1, iterations_per_frame=10, max_iterations=10_000)
    live_trainer("demo", X, 2 * X + 1, settings, output)


def places(at: AppTest) -> dict[str, tuple[int, ...]]:
    """Where each metric and chart sits in the page's tree (its path of child indices): the
    status messages must not move a view from one frame to the next."""
    found: dict[str, tuple[int, ...]] = {}

    def walk(node, path: tuple[int, ...]) -> None:
        kind = getattr(node, "type", "")
        if kind == "metric" or kind == "vega_lite_chart":
            found.setdefault(f"{kind} {getattr(node, 'label', len(found))}", path)
        for index, child in getattr(node, "children", {}).items():
            walk(child, (*path, index))

    walk(at.main, ())
    return found


def test_a_busy_class_spaces_the_frames_out_and_says_so():
    at = AppTest.from_function(lesson_script, default_timeout=30).run()
    at.button(key="demo.play").click().run()
    run = at.session_state["demo.run"]
    assert CLASS.players() == 1 and run.pace > 0
    assert not [c for c in at.caption if "busy class" in c.value]
    for student in range(999):  # a class far bigger than the server: frames must spread out
        CLASS.drew(f"classmate {student}", interval=60.0)
    at.run()  # no browser asks for frames in AppTest: each run() is one frame
    assert run.pace > 1.5 * 0.2 and run.iteration == 20  # whole frames, just fewer of them
    alone = places(at)
    at.run()
    (busy,) = [c.value for c in at.caption if "busy class" in c.value]
    assert "1000 students" in busy and "instead of 0.2 s" in busy
    assert places(at) == alone  # the caption took no view's place in the page
    at.button(key="demo.play").click().run()  # Pause: this student leaves the class
    assert CLASS.players() == 999 and run.pace == 0.0
    assert not at.exception
