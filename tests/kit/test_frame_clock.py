"""Flow control of the fragment-timed views (kit/frame_clock.py: the Sweep and the capacity
sweep): a running fragment ends each tick by asking for the next one, a stopped one asks for
none, and each fragment sits alone in a container of its own. (The lessons' live view paces
itself from its component instead: test_linear_page.py, test_pacing.py.)"""

import json

from streamlit.testing.v1 import AppTest


def asked(at: AppTest) -> list[dict]:
    """What each frame clock on the page asks the browser for."""
    return [json.loads(clock.proto.json) for clock in at.get("bidi_component")]


def ticking_page() -> None:
    """A fragment that counts its runs and, while ``running``, asks to run again."""
    import streamlit as st

    from kit.frame_clock import ask_again, live_fragment

    @live_fragment
    def ticker(wait: float) -> None:
        st.session_state["ticks"] = st.session_state.get("ticks", 0) + 1
        st.write(f"tick {st.session_state['ticks']}")
        if st.session_state.get("running"):
            ask_again("clock", wait)

    st.title("A ticking page")
    ticker(st.session_state.get("wait", 0.2))
    st.caption("below the fragment")


def test_a_running_fragment_asks_for_one_next_tick_and_a_stopped_one_for_none() -> None:
    at = AppTest.from_function(ticking_page, default_timeout=30).run()
    assert asked(at) == []

    at.session_state["running"] = True
    first = asked(at.run())
    assert len(first) == 1 and first[0]["wait_ms"] == 200
    second = asked(at.run())
    assert len(second) == 1 and second[0]["frame"] != first[0]["frame"]  # a new wait each tick

    at.session_state["wait"] = -3.0  # late already: ask at once
    assert asked(at.run())[0]["wait_ms"] == 0
    at.session_state["wait"] = 0.0004
    assert asked(at.run())[0]["wait_ms"] == 0

    at.session_state["running"] = False
    assert asked(at.run()) == []
    assert not at.exception


def test_a_live_fragment_sits_alone_in_its_own_container() -> None:
    at = AppTest.from_function(ticking_page, default_timeout=30)
    at.session_state["running"] = True
    at.run()
    title, box, caption = at.main.children.values()
    assert (title.type, caption.type) == ("title", "caption")
    assert box.type == "flex_container"
    (fragment,) = box.children.values()  # nothing else can slide into the fragment's place
    assert [child.type for child in fragment.children.values()] == ["markdown", "bidi_component"]
