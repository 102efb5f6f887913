"""Flow control for the views that poll a background job (the Sweep page, Rose's capacity
sweep): the browser asks for the next look once it has drawn the last. (The lessons' live views
play batches of frames in their own component instead: ``kit.live``.)

A fragment with ``run_every`` reruns on a timer in the browser, whether or not the browser has
drawn the frames it already has. A slow browser (a weak laptop, or a class's pages sharing the
server's cores: benchmarks/classroom.py) then falls behind, frames queue up in its
connection, and a click's answer waits behind them. Instead, a live fragment ends with
``ask_again(key, seconds)``: a tiny component (no HTML, a few lines of our own JavaScript, no
user text) that waits ``seconds`` after the frame reached the page, lets it paint, then sets
a trigger that reruns the fragment. One frame is in flight per view, however slow the browser,
and the wait is spent in the browser instead of holding the server's script thread.

Such a fragment is a ``live_fragment``: an ``st.fragment`` alone in a container of its own. A
clock can fire while a click's full run is on its way; its fragment run then starts the moment
the full run ends, and Streamlit drops the full run's drawing of that fragment if the server has
not sent it yet. The browser then removes the fragment as stale at the end of the full run, and
the fragment's next frame lands on whatever slid into its place: a sibling vanishes, or the page
goes blank ("'setIn' cannot be called on an ElementNode"; tests/e2e/test_live_fragment_e2e.py).
Alone in its container, the fragment leaves nothing to slide.
"""

import functools
import itertools
from collections.abc import Callable

import streamlit as st

_CLOCK_JS = """
export default function ({ data, setTriggerValue }) {
  let waiting = true;
  const timer = setTimeout(() => requestAnimationFrame(() => setTimeout(() => {
    if (waiting) setTriggerValue("drawn", data.frame);
  }, 0)), data.wait_ms);
  return () => { waiting = false; clearTimeout(timer); };
}
"""
_clock = st.components.v2.component("nnfs.frame_clock", js=_CLOCK_JS)
_frames = itertools.count()  # every request differs, so the page always starts a new wait


def live_fragment(draw: Callable[..., None]) -> Callable[..., None]:
    """``st.fragment(draw)``, drawn inside a container of its own (see above)."""
    fragment = st.fragment(draw)

    @functools.wraps(draw)
    def in_own_container(*args, **kwargs) -> None:
        with st.container():
            fragment(*args, **kwargs)

    return in_own_container


def ask_again(key: str, seconds: float) -> None:
    """Rerun the enclosing fragment ``seconds`` after this frame is drawn in the browser (not
    at all if the page draws something else meanwhile, e.g. after Pause)."""
    wait_ms = max(0, round(seconds * 1000))
    _clock(key=key, data={"frame": next(_frames), "wait_ms": wait_ms}, on_drawn_change=_nothing)


def _nothing() -> None:
    """The trigger only reruns the fragment; there is nothing to do on the way."""
