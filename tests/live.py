"""Drive a lesson's live view from AppTest, as its browser component would.

AppTest runs no JavaScript, so a test plays the component's part: it sets the ask the
component's trigger would carry (``kit.live.view``: the callback keeps it in the lesson's
``live`` state, ``kit.session.LiveState``) and runs the app; the component's payload is read
back from its element.
"""

import itertools
import json

from streamlit.testing.v1 import AppTest

_asks = itertools.count(1)


def live_state(at: AppTest, key: str):
    """Lesson ``key``'s ``kit.session.LiveState`` in the app's session."""
    return at.session_state[key].live


def run_of(at: AppTest, key: str):
    """Lesson ``key``'s current run."""
    return live_state(at, key).run


def metric(at: AppTest, label: str) -> str:
    """The value an ``st.metric`` labelled ``label`` shows."""
    return next(m.value for m in at.metric if m.label == label)


def shown(at: AppTest, key: str) -> dict:
    """The last frame lesson ``key``'s live view got: what its counters show once played."""
    return payload(at, key)["frames"][-1]


def iteration(at: AppTest, key: str) -> int:
    return shown(at, key)["i"]


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open lesson ``key``'s tab ``label`` (only the open tab is drawn) and rerun."""
    at.session_state[f"{key}.tab"] = label
    return at.run()


def notes(at: AppTest, key: str, tone: str | None = None) -> list[str]:
    """The notes lesson ``key``'s live view shows, of one ``tone`` ("error"...) or all."""
    return [text for kind, text in payload(at, key)["notes"] if tone in (None, kind)]


def play_until_it_stops(at: AppTest, key: str, asks: int) -> dict:
    """Press Play, then ask for frames until the run stops playing (it finished or diverged)
    or ``asks`` asks went by; returns the last answer."""
    sent = ask(at, key, "play")
    for _ in range(asks):
        if not sent["playing"]:
            break
        sent = frames(at, key)
    return sent


def payload(at: AppTest, key: str) -> dict:
    """What lesson ``key``'s live view sent in the last run."""
    for element in at.get("bidi_component"):
        if element.proto.id.endswith(f"-{key}.live"):
            return json.loads(element.proto.json)
    raise AssertionError(f"no live view {key!r} on the page")


def ask(
    at: AppTest, key: str, command: str | None = None, value=None, buffered_ms: float = 0
) -> dict:
    """Run the app as the component's ask would (a ``command``: play, pause, step, reset,
    speed; None asks for frames) and return the payload it answered with."""
    have = payload(at, key)["run"] if at.get("bidi_component") else None
    live_state(at, key).ask = {
        "n": next(_asks),
        "cmd": command,
        "value": value,
        "have": have,
        "buffered_ms": buffered_ms,
        "latency_ms": 100,
    }
    at.run()
    return payload(at, key)


def frames(at: AppTest, key: str, times: int = 1) -> dict:
    """Ask for ``times`` batches of frames in a row (the browser's buffer running low)."""
    answer = {}
    for _ in range(times):
        answer = ask(at, key)
    return answer


def with_figures_open(at: AppTest, key: str) -> AppTest:
    """One Step (the run paused at iteration 1), then the teacher opens "Download figure":
    what lesson ``key``'s figures and "Record a GIF" see."""
    ask(at, key, "step")
    at.session_state[f"{key}.figures"] = True
    return at.run()
