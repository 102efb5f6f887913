"""The load test's student (benchmarks/load/client.py) against a real server: it opens a
session, presses Play and receives frames with no error; it refuses any server but this
machine's; its pacing and its message cache behave as the browser's (kit/live/view.js and
Streamlit's frontend)."""

import asyncio

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.load.client import (
    MessageCache,
    NotLoopback,
    Player,
    Student,
    hold_class,
    loopback_url,
)
from benchmarks.load.server import Usage, dashboard_server


def test_two_students_play_receive_frames_and_pause_with_no_error(tmp_path) -> None:
    with dashboard_server(tmp_path / "server.log") as server:
        usage = Usage([server.pid])
        before = usage.cpu_s()
        run = asyncio.run(
            hold_class(
                server.url, 2, seconds=3, lessons=("Rose", "Linear_regression"), clicks=("pause",)
            )
        )
        assert usage.cpu_s() > before  # the server did the work, measured from /proc
    assert [report.lesson for report in run.reports] == ["Rose", "Linear_regression"]
    for report in run.reports:
        assert report.errors == [], report.errors
        assert report.load_s is not None
        assert report.frames > 0
        first, last = report.iterations
        assert last > first
        assert [ask.cmd for ask in report.asks][0] == "play"
        assert report.asks[-1].cmd == "pause"
        assert all(ask.finished is not None for ask in report.asks), report.asks
        assert len(report.latencies()) == len(report.asks) > 2
        clicks = [report.asks[0].finished, report.asks[-1].finished]  # Play, Pause
        assert report.latencies(commands=True) == clicks
    assert run.loop_lag_s and run.client_cpu_s > 0


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3:8501",
        "http://example.com",
        "https://127.0.0.1.example.com",
        "ftp://127.0.0.1:8501",
        "http://0.0.0.0:8501",
        "127.0.0.1:8501",
    ],
)
def test_a_server_that_is_not_this_machine_is_refused_before_any_connection(url: str) -> None:
    with pytest.raises(NotLoopback, match="only talk to loopback"):
        loopback_url(url)
    with pytest.raises(NotLoopback):
        Student(url, "Rose", seed=1)
    with pytest.raises(NotLoopback):
        asyncio.run(hold_class(url, 1, seconds=1))


def test_loopback_urls_become_the_websocket_base() -> None:
    assert loopback_url("http://127.0.0.1:8501/") == "ws://127.0.0.1:8501"
    assert loopback_url("http://localhost:8080") == "ws://localhost:8080"
    assert loopback_url("https://[::1]:8443/class/") == "wss://[::1]:8443/class"
    assert loopback_url("ws://127.0.0.2:9000") == "ws://127.0.0.2:9000"


def test_the_player_asks_when_view_js_would() -> None:
    player = Player()
    ask, again = player.flush(0.0)  # a view drawn anew asks for everything
    assert (ask["n"], ask["cmd"], ask["have"], again) == (1, None, None, False)
    player.receive({"run": "rose.1", "full": True, "answered": 1, "playing": False}, 0.1)
    assert player.latency_ms == pytest.approx(0.7 * 150 + 0.3 * 100)
    assert player.flush(0.1) is None  # nothing to ask for: paused, holding the run
    player.command("play")
    ask, _ = player.flush(0.2)
    assert (ask["n"], ask["cmd"], ask["have"]) == (2, "play", "rose.1")
    assert player.flush(0.25) is None  # one ask in flight at most
    frames = [{"i": i} for i in range(15)]
    batch = {"run": "rose.1", "answered": 2, "playing": True, "frame_ms": 33, "frames": frames}
    assert player.receive(batch, 0.3) == 15
    assert player.buffered_ms(0.3) == pytest.approx(15 * 33)
    assert player.flush(0.3) is None  # enough buffered
    low = player.wake_at(0.3)
    assert player.buffered_ms(low) == pytest.approx(player.low_water_ms())
    assert player.flush(low - 0.01) is None
    ask, _ = player.flush(low + 0.01)
    assert (ask["n"], ask["cmd"]) == (3, None) and ask["buffered_ms"] < player.low_water_ms()
    assert player.flush(low + 1.0) is None  # no answer yet: wait
    resent, again = player.flush(low + 0.01 + 3.0)  # ASK_TIMEOUT_MS: the same ask again
    assert again and resent == ask
    player.receive({"run": "rose.2", "answered": 3, "playing": True, "frames": frames}, 4.0)
    assert player.run is None  # frames of a run it does not hold: it asks for everything
    player.command("pause")
    assert not player.playing and player.buffered_ms(4.0) == 0
    ask, _ = player.flush(4.0)
    assert (ask["n"], ask["cmd"], ask["have"]) == (4, "pause", None)


def _element(text: str, cacheable: bool) -> ForwardMsg:
    msg = ForwardMsg(hash=f"hash-of-{text}")
    msg.delta.new_element.markdown.body = text
    msg.metadata.cacheable = cacheable
    msg.metadata.delta_path.extend([0, 1])
    return msg


def test_the_message_cache_resolves_references_and_forgets_unused_messages() -> None:
    cache = MessageCache()
    big, small = _element("big", cacheable=True), _element("small", cacheable=False)
    for msg in (big, small):
        assert cache.take(msg, msg.SerializeToString()) is msg
    assert cache.hashes() == ["hash-of-big"]
    reference = ForwardMsg(ref_hash="hash-of-big")
    reference.metadata.delta_path.extend([0, 7])
    resolved = cache.take(reference, reference.SerializeToString())
    assert resolved.delta.new_element.markdown.body == "big"
    assert list(resolved.metadata.delta_path) == [0, 7]  # where the reference puts it
    assert cache.take(ForwardMsg(ref_hash="never-sent"), b"") is None
    cache.finished_run(max_age=1, fragment_ids=[])
    cache.finished_run(max_age=1, fragment_ids=["another-fragment"])  # not this message's
    assert cache.hashes() == ["hash-of-big"]
    cache.finished_run(max_age=1, fragment_ids=[])
    assert cache.hashes() == []  # unused for more than one run
