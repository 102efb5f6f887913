"""Flow control of the live views (ui/frame_clock.py): a playing page ends each frame by asking
for the next one, a paused page asks for none, and a click that reached the server merged
into a frame's request still redraws the buttons (ui.trainer.redraw_if_buttons_stale)."""

import json

from streamlit.testing.v1 import AppTest

from ui.trainer import FRAME_SECONDS

LINEAR = "app_pages/1_Linear_regression.py"


def asked(at: AppTest) -> list[dict]:
    """What each frame clock on the page asks the browser for."""
    return [json.loads(clock.proto.json) for clock in at.get("bidi_component")]


def test_a_playing_page_asks_for_one_next_frame_and_a_paused_page_for_none(app: AppTest) -> None:
    at = app.switch_page(LINEAR).run()
    assert asked(at) == []

    at.button(key="linear.play").click().run()
    first = asked(at)
    assert len(first) == 1
    assert 0 <= first[0]["wait_ms"] <= FRAME_SECONDS * 1000  # alone: the page's own pace
    at.run()
    second = asked(at)
    assert len(second) == 1 and second[0]["frame"] != first[0]["frame"]  # a new wait each frame

    at.button(key="linear.play").click().run()  # Pause
    assert at.button(key="linear.play").label == "Play"
    assert asked(at) == []


def _page_with_a_click_inside_a_frame() -> None:
    """A live trainer whose Pause callback, when asked, runs as if inside a fragment's run:
    after the buttons were drawn."""
    import numpy as np
    import streamlit as st

    from ui.controls import OutputSpec, Settings
    from ui.trainer import live_trainer, redraw_if_buttons_stale

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    X = np.arange(4.0).reshape(-1, 1)
    output = OutputSpec(input_dim=1, units=1, activation="linear", loss="mse")
    run = live_trainer("demo", X, 2 * X + 1, Settings(max_iterations=10_000), output)
    if st.session_state.pop("pause_inside_a_frame", False):
        run.playing = False  # what the Pause button's callback does
    redraw_if_buttons_stale("demo")


def test_a_click_merged_into_a_frame_redraws_the_buttons() -> None:
    at = AppTest.from_function(_page_with_a_click_inside_a_frame, default_timeout=30).run()
    at.button(key="demo.play").click().run()
    assert at.button(key="demo.play").label == "Pause"
    runs = at.session_state["runs"]

    at.run()  # nothing changed behind the buttons: no second run
    assert at.session_state["runs"] == runs + 1

    at.session_state["pause_inside_a_frame"] = True
    at.run()
    assert at.session_state["runs"] == runs + 3  # the run, then one full rerun
    assert at.button(key="demo.play").label == "Play"
    assert not at.exception
