"""One student of a class, speaking Streamlit's websocket protocol as the browser does, with
no browser: a load test whose client costs little next to the server it measures.

A ``Student`` opens its own session on a lesson page (``/Rose?seed=N&max_iterations=...``:
its own URL settings), waits for the page's first ``script_finished``, finds the live view
(the components-v2 element ``nnfs.live_view``, its widget id and its fragment) in the deltas,
presses Play, and then asks for frames exactly when ``kit/live/view.js`` would: its pacing
(``Player``) is view.js's without the drawing (one ask in flight, an ask when less is buffered
than two round trips, the same ask sent again after ``ASK_TIMEOUT_MS`` without an answer).
After the timed play it clicks Pause / Play twice and Pause, as ``tests/e2e/classroom.py``'s
students do. For every ask it records the time from sending it to its answer (the payload
that says ``answered >= n``) and to the end of the run that answered it (``script_finished``);
frames and iterations received while playing; and errors: an exception element, a page not
found, a disconnect, a cached message it does not hold, an ask with no answer in
``ANSWER_TIMEOUT_S``, a page that does not load in ``LOAD_TIMEOUT_S``.

The protocol, as the browser speaks it (streamlit/proto, streamlit/web/server/starlette):

- the websocket ``/_stcore/stream``, subprotocol ``streamlit`` (its second and third entries,
  an XSRF token and a session to resume, stay empty: a new session), permessage-deflate on as
  in browsers; every message a binary protobuf: ``BackMsg`` up, ``ForwardMsg`` down;
- the first ``BackMsg`` is a ``rerun_script`` ``ClientState``: the query string, the page's
  name (its URL path), empty widget states, the browser's context; later reruns name the page
  by the ``page_script_hash`` of the ``navigation`` message (``new_session`` holds the main
  script's, not the page's: a fragment rerun sent with it fails in the callback);
- an ask is the component's trigger: a ``WidgetState`` with id
  ``$$STREAMLIT_INTERNAL_KEY_<element id>__events`` and ``json_trigger_value``
  ``[{"event": "ask", "value": {...}}]``, in a ``rerun_script`` that names the live view's
  ``fragment_id`` (from its delta), so that only the fragment runs;
- cached messages: every rerun declares the hashes this client holds
  (``cached_message_hashes``); the server then sends a ``ref_hash`` in place of a message it
  would repeat. ``MessageCache`` keeps them as the frontend's ForwardMsgCache does.

What a browser sends and this client does not: the values of the page's other widgets with
each rerun (the server keeps widget values it is not sent, so the page is the same; it only
skips comparing ~25 unchanged values per ask), heartbeats, and the requests for the page's
static files and images (a class's browsers fetch them once, from their cache after that).

Traffic goes to loopback only (``loopback_url``): this is a load test, never aimed at someone
else's server. Every wait has a timeout and every loop a bound in time and in count.

Why not Locust: Locust's users are gevent greenlets on monkey-patched blocking sockets; this
protocol client is asyncio (``websockets``, already installed with Streamlit), and running it
in greenlets needs an asyncio-in-gevent bridge per user or a second, blocking client of the
same protocol. Locust is not in the test tools either (it would be the bench extra only), so
the test suite could not check the client the benchmark uses. Locust's per-request statistics
would not give the table's per-session frames a second or the server's CPU either. So: plain
asyncio, one event loop for the whole class, its own CPU and lag measured (``ClassRun``).
"""

import asyncio
import contextlib
import ipaddress
import json
import math
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import websockets
from streamlit.components.v2.bidi_component.constants import EVENT_DELIM
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX

LESSONS = ("Linear_regression", "Titanic", "Rose", "Mustafar")
"""The lessons with a live view, by URL path."""
COMPONENT = "nnfs.live_view"
"""The live view's component name (``kit/live/view.py``)."""
MAX_ITERATIONS = 200_000  # no run may end (and stop asking) while a class is timed
STREAM_PATH = "/_stcore/stream"
SUBPROTOCOL = "streamlit"
MAX_MESSAGE_BYTES = 64 * 2**20  # the largest ForwardMsg accepted; a live-view batch is < 10 MB
LOAD_TIMEOUT_S = 120.0  # for a page's first run: 80 students arriving on 2 cores are slow
ANSWER_TIMEOUT_S = 60.0  # an ask unanswered this long is an error, and that student stops
ARRIVING = 4  # students who open their lesson at the same moment (tests/e2e/classroom.py)
CLICKS = ("pause", "play", "pause", "play", "pause")  # after the timed play
MAX_WAKEUPS_PER_S = 2000  # a student's loop never turns faster than this (it waits between)
# view.js's pacing constants.
ASK_TIMEOUT_MS = 3000.0  # at least, before an ask with no answer is sent again
FIRST_LATENCY_MS = 150.0
LOW_WATER_MS = 120.0
PAUSING = ("pause", "step", "reset")
FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
LOOPBACK_NAMES = frozenset({"localhost"})


class NotLoopback(ValueError):
    """A URL this load test refuses: it only ever talks to a server on this machine."""


def loopback_url(url: str) -> str:
    """``url`` (http, https, ws or wss; a path prefix is kept) as the websocket base URL of a
    server on this machine, ``ws://127.0.0.1:8501`` for ``http://127.0.0.1:8501``. Raises
    ``NotLoopback`` for any other host."""
    parts = urlsplit(url)
    schemes = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}
    host = parts.hostname or ""
    try:
        loopback = host in LOOPBACK_NAMES or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme not in schemes or not loopback:
        raise NotLoopback(
            f"{url!r} is not a server on this machine. A load test may only talk to loopback "
            "(127.0.0.1, ::1 or localhost), over http(s) or ws(s): start the dashboard here "
            "(make run) and give its address, e.g. http://127.0.0.1:8501."
        )
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return f"{schemes[parts.scheme]}://{netloc}{parts.path.rstrip('/')}"


# ---- the browser's side of the protocol ------------------------------------------------------
@dataclass
class _Cached:
    data: bytes  # the message as it came, metadata included
    run: int  # the run count when it was last stored or used
    fragment_id: str


class MessageCache:
    """The browser's cache of large messages (the frontend's ForwardMsgCache): a message the
    server marks ``cacheable`` is kept by its hash; a ``ref_hash`` message is replaced by the
    message it names, with the reference's metadata; after each run that finishes, messages
    unused for more than ``max_age`` runs are dropped (during a fragment run, only those of
    the fragments that ran)."""

    def __init__(self) -> None:
        self._entries: dict[str, _Cached] = {}
        self._runs = 0

    def hashes(self) -> list[str]:
        """What to declare in a rerun's ``cached_message_hashes``."""
        return list(self._entries)

    def take(self, msg: ForwardMsg, data: bytes) -> ForwardMsg | None:
        """``msg`` as the page must see it (kept if cacheable), or None when it refers to a
        message this cache does not hold."""
        if msg.WhichOneof("type") == "ref_hash":
            entry = self._entries.get(msg.ref_hash)
            if entry is None:
                return None
            entry.run = self._runs
            full = ForwardMsg.FromString(entry.data)
            full.metadata.CopyFrom(msg.metadata)
            return full
        if msg.metadata.cacheable and msg.hash:
            entry = self._entries.get(msg.hash)
            if entry is None:
                fragment = msg.delta.fragment_id if msg.HasField("delta") else ""
                self._entries[msg.hash] = _Cached(data, self._runs, fragment)
            else:
                entry.run = self._runs
        return msg

    def finished_run(self, max_age: int, fragment_ids: Sequence[str]) -> None:
        self._runs += 1
        for key, entry in list(self._entries.items()):
            if fragment_ids and entry.fragment_id not in fragment_ids:
                continue  # a fragment run says nothing about the rest of the page
            if self._runs - entry.run > max_age:
                del self._entries[key]


@dataclass
class _InFlight:
    n: int
    ask: dict
    at: float  # when it was last sent


class Player:
    """view.js's player and asker without the drawing: what it holds, when it asks and what.

    Times are seconds on one monotonic clock (``now``). ``receive(payload, now)`` takes the
    live view's payload; ``command(name)`` is a click; ``flush(now)`` returns the ask to send
    now (``(ask, sent_again)``) or None; ``wake_at(now)`` is when ``flush`` may next have
    something to send if nothing arrives before."""

    def __init__(self) -> None:
        self.run: str | None = None
        self.playing = self.finished = self.stale_page = False
        self.asked = self.answered = 0
        self.in_flight: _InFlight | None = None
        self.commands: list[tuple[str, object]] = []
        self.latency_ms = FIRST_LATENCY_MS
        self.play_until = 0.0  # when the frames held are all shown

    def buffered_ms(self, now: float) -> float:
        return max(0.0, self.play_until - now) * 1000

    def low_water_ms(self) -> float:
        return max(LOW_WATER_MS, 2 * self.latency_ms)

    def receive(self, data: dict, now: float) -> int:
        """Take a payload; returns how many frames it added to the queue."""
        self.answered = max(self.answered, _int(data.get("answered")))
        self.asked = max(self.asked, self.answered)  # a view drawn anew numbers on from there
        if self.in_flight is not None and self.answered >= self.in_flight.n:
            self.latency_ms = 0.7 * self.latency_ms + 0.3 * (now - self.in_flight.at) * 1000
            self.in_flight = None
        self.finished = bool(data.get("finished"))
        self.stale_page = bool(data.get("stale_page"))
        added = 0
        if data.get("full"):
            self.run, self.play_until = data.get("run"), now  # shown at once
        elif data.get("run") != self.run:
            self.run = None  # frames for a run this view does not hold: ask for everything
        else:
            frames = data.get("frames") or []
            frame_s = _int(data.get("frame_ms")) / 1000
            self.play_until = max(self.play_until, now) + len(frames) * frame_s
            added = len(frames)
        if self.in_flight is None and not self.commands:
            self.playing = bool(data.get("playing"))
        return added

    def command(self, name: str, value: object = None) -> None:
        if name == "play":
            self.playing = True
        if name in PAUSING:
            self.playing, self.play_until = False, 0.0
        # A later play/pause replaces one still waiting: the server only needs the last word.
        toggles = ("play", "pause")
        if self.commands and name in toggles and self.commands[-1][0] in toggles:
            self.commands.pop()
        self.commands.append((name, value))

    def flush(self, now: float) -> tuple[dict, bool] | None:
        if self.in_flight is not None:
            if now - self.in_flight.at < self._resend_after_s():
                return None
            self.in_flight.at = now
            return self.in_flight.ask, True
        command = self.commands.pop(0) if self.commands else None
        buffered = self.buffered_ms(now)
        wants_frames = self.playing and not self.finished and buffered < self.low_water_ms()
        page_stale = (
            command is None and not self.playing and self.stale_page and self.play_until <= now
        )
        wants_all = self.run is None
        if command is None and not (wants_frames or page_stale or wants_all):
            return None
        self.asked += 1
        if page_stale:
            self.stale_page = False
        name = command[0] if command else "refresh" if page_stale else None
        ask = {
            "n": self.asked,
            "cmd": name,
            "value": command[1] if command else None,
            "have": self.run,
            "buffered_ms": round(buffered),
            "latency_ms": round(self.latency_ms),
        }
        self.in_flight = _InFlight(self.asked, ask, now)
        return ask, False

    def wake_at(self, now: float) -> float:
        if self.in_flight is not None:
            return self.in_flight.at + self._resend_after_s()
        if self.commands or self.run is None:
            return now
        if self.stale_page and not self.playing:
            return max(now, self.play_until)
        if self.playing and not self.finished:
            return self.play_until - self.low_water_ms() / 1000
        return math.inf

    def _resend_after_s(self) -> float:
        return max(ASK_TIMEOUT_MS, 4 * self.latency_ms) / 1000


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# ---- one student ---------------------------------------------------------------------------
@dataclass
class Ask:
    """One ask and when it was answered (seconds after it was first sent)."""

    n: int
    cmd: str | None
    sent: float
    resent: int = 0
    answered: float | None = None  # the payload that says answered >= n
    finished: float | None = None  # the end (script_finished) of the run that answered it


@dataclass
class Report:
    """What one student saw."""

    lesson: str
    seed: int
    load_s: float | None = None  # from opening the socket to the page's first script_finished
    asks: list[Ask] = field(default_factory=list)
    frames: int = 0  # received during the timed play
    iterations: tuple[int, int] | None = None  # first and last iteration received in it
    play_s: float = 0.0  # its length
    bytes_received: int = 0
    errors: list[str] = field(default_factory=list)

    def latencies(self, commands: bool = False) -> list[float]:
        """Seconds from each ask to the end of the run that answered it (only the clicks:
        Play, Pause..., with ``commands``)."""
        return [
            ask.finished
            for ask in self.asks
            if ask.finished is not None and (ask.cmd is not None or not commands)
        ]

    @property
    def frames_per_second(self) -> float:
        return self.frames / self.play_s if self.play_s else 0.0

    @property
    def iterations_per_second(self) -> float:
        if not self.iterations or not self.play_s:
            return 0.0
        return (self.iterations[1] - self.iterations[0]) / self.play_s


class StudentError(Exception):
    """Ends a student's lesson early; its message is the report's error."""


class Student:
    """One student's session on ``lesson`` of the server at ``url`` (loopback only), with
    ``seed`` and ``settings`` in its URL. ``await arrive()`` opens the page; ``await
    attend(seconds)`` plays; ``await leave()`` closes the socket. Errors end up in
    ``report.errors``, never raised (but ``NotLoopback`` at construction)."""

    def __init__(self, url: str, lesson: str, seed: int, settings: dict | None = None):
        self.base = loopback_url(url)
        self.lesson, self.seed = lesson, seed
        query = {"seed": seed, "max_iterations": MAX_ITERATIONS, **(settings or {})}
        self.query_string = urlencode(query)
        http = self.base.replace("ws", "http", 1)
        self.page_url = f"{http}/{lesson}?{self.query_string}"
        self.report = Report(lesson, seed)
        self.player = Player()
        self.cache = MessageCache()
        self.events: asyncio.Queue = asyncio.Queue()
        self.page_script_hash = ""
        self.max_age = 2
        self.component_id = self.fragment_id = ""
        self._socket = None
        self._reader: asyncio.Task | None = None
        self._closing = False
        self._asks: dict[int, Ask] = {}
        self._unfinished: list[Ask] = []
        self._timing = False  # counting frames: the timed play

    # -- the session ---------------------------------------------------------------------
    async def arrive(self) -> bool:
        """Open the page and wait for its first run to finish; True when it shows the live
        view."""
        start = time.monotonic()
        try:
            async with asyncio.timeout(LOAD_TIMEOUT_S):
                origin = self.base.replace("ws", "http", 1).split("/", 3)
                self._socket = await websockets.connect(
                    f"{self.base}{STREAM_PATH}",
                    subprotocols=[SUBPROTOCOL],
                    origin="/".join(origin[:3]),
                    max_size=MAX_MESSAGE_BYTES,
                    ping_interval=None,  # browsers send no pings; the server's are answered
                )
                self._reader = asyncio.create_task(self._read())
                await self._rerun(page_name=self.lesson)
                while (event := await self.events.get())[0] != "finished" or event[2] == (
                    FINISHED_EARLY_FOR_RERUN
                ):
                    self._handle(event)
        except TimeoutError:
            self.report.errors.append(f"the page did not load in {LOAD_TIMEOUT_S:.0f} s")
            return False
        except (OSError, websockets.WebSocketException) as error:
            self.report.errors.append(f"could not open the session: {error}")
            return False
        except StudentError as error:
            self.report.errors.append(str(error))
            return False
        self.report.load_s = time.monotonic() - start
        if not self.component_id:
            self.report.errors.append(f"no live view ({COMPONENT}) on {self.page_url}")
            return False
        return True

    async def attend(self, seconds: float, clicks: Sequence[str] = CLICKS) -> None:
        """Press Play, keep the live view fed for ``seconds``, then click ``clicks`` one after
        the other, each once the previous one is answered."""
        try:
            self.player.command("play")
            begin = time.monotonic()
            self._timing = True
            await self._run_until(lambda: False, begin + seconds)
            self._timing = False
            self.report.play_s = time.monotonic() - begin
            for name in clicks:
                self.player.command(name)
                asked = self.player.asked + 1  # the number the click's ask gets
                deadline = time.monotonic() + ANSWER_TIMEOUT_S
                if not await self._run_until(lambda n=asked: self._finished(n), deadline):
                    raise StudentError(f"{name} clicked, no answer in {ANSWER_TIMEOUT_S:.0f} s")
        except StudentError as error:
            self.report.errors.append(str(error))
        finally:
            self._timing = False

    def _finished(self, n: int) -> bool:
        return n in self._asks and self._asks[n].finished is not None

    async def leave(self) -> None:
        self._closing = True
        if self._socket is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(5):
                    await self._socket.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # -- the loop: view.js's requestAnimationFrame, woken only when there is something to do --
    async def _run_until(self, done, deadline: float) -> bool:
        """Feed the live view until ``done()`` (True) or ``deadline`` (False)."""
        budget = int(MAX_WAKEUPS_PER_S * max(1.0, deadline - time.monotonic())) + 100
        for _ in range(budget):
            now = time.monotonic()
            if done():
                return True
            if now >= deadline:
                return False
            self._check_answers(now)
            if (sent := self.player.flush(now)) is not None:
                await self._send_ask(*sent, now)
            wake = min(deadline, self.player.wake_at(time.monotonic()))
            try:
                async with asyncio.timeout(max(0.001, wake - time.monotonic())):
                    self._handle(await self.events.get())
            except TimeoutError:
                continue
            while not self.events.empty():
                self._handle(self.events.get_nowait())
        raise StudentError(f"the client's loop turned more than {budget} times: a bug in it")

    def _check_answers(self, now: float) -> None:
        waiting = self.player.in_flight
        if waiting is not None and now - self._asks[waiting.n].sent > ANSWER_TIMEOUT_S:
            cmd = waiting.ask["cmd"] or "frames"
            raise StudentError(f"ask {waiting.n} ({cmd}) had no answer in {ANSWER_TIMEOUT_S:.0f} s")

    async def _send_ask(self, ask: dict, again: bool, now: float) -> None:
        if again:
            self._asks[ask["n"]].resent += 1
        else:
            self._asks[ask["n"]] = record = Ask(ask["n"], ask["cmd"], now)
            self.report.asks.append(record)
        trigger = WidgetState(
            id=f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{self.component_id}{EVENT_DELIM}events",
            json_trigger_value=json.dumps([{"event": "ask", "value": ask}], separators=(",", ":")),
        )
        await self._rerun(widgets=[trigger], fragment_id=self.fragment_id)

    async def _rerun(
        self, page_name: str = "", widgets: Sequence[WidgetState] = (), fragment_id: str = ""
    ) -> None:
        back = BackMsg()
        state = back.rerun_script
        state.query_string = self.query_string
        if self.page_script_hash:
            state.page_script_hash = self.page_script_hash
        else:
            state.page_name = page_name
        state.widget_states.SetInParent()
        state.widget_states.widgets.extend(widgets)
        if fragment_id:
            state.fragment_id = fragment_id
        state.cached_message_hashes.extend(self.cache.hashes())
        context = state.context_info
        context.timezone, context.timezone_offset, context.locale = "UTC", 0, "en-US"
        context.url, context.is_embedded, context.color_scheme = self.page_url, False, "light"
        try:
            await self._socket.send(back.SerializeToString())
        except websockets.ConnectionClosed as error:
            raise StudentError(f"disconnected: {error}") from error

    # -- what comes back --------------------------------------------------------------------
    async def _read(self) -> None:
        """Read every ForwardMsg; what the student needs goes to ``events`` as (kind, time,
        value): ("payload", t, dict), ("finished", t, status), ("error", t, text)."""
        reason = "the server closed the session"
        try:
            async for data in self._socket:
                now = time.monotonic()
                self.report.bytes_received += len(data)
                msg = self.cache.take(ForwardMsg.FromString(data), data)
                if msg is None:
                    self.events.put_nowait(("error", now, "a cached message it never got"))
                    continue
                self._dispatch(msg, now)
        except websockets.ConnectionClosed as error:
            reason = f"disconnected: {error}"
        except Exception as error:  # a message this client cannot read: the student stops
            reason = f"{type(error).__name__} reading a message: {error}"
        if not self._closing:
            self.events.put_nowait(("closed", time.monotonic(), reason))

    def _dispatch(self, msg: ForwardMsg, now: float) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.max_age = msg.new_session.config.max_cached_message_age
        elif kind == "navigation":
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            self.events.put_nowait(("error", now, f"page not found: {self.lesson}"))
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            error = msg.session_event.script_compilation_exception
            self.events.put_nowait(("error", now, f"the script does not compile: {error.message}"))
        elif kind == "script_finished":
            if msg.script_finished != FINISHED_EARLY_FOR_RERUN and msg.metadata.HasField("run"):
                self.cache.finished_run(self.max_age, msg.metadata.run.fragment_ids)
            self.events.put_nowait(("finished", now, msg.script_finished))
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                text = f"an exception on the page: {element.exception.type}"
                self.events.put_nowait(("error", now, text))
            elif which == "bidi_component" and element.bidi_component.component_name == COMPONENT:
                self.component_id = element.bidi_component.id
                self.fragment_id = msg.delta.fragment_id
                self.events.put_nowait(("payload", now, json.loads(element.bidi_component.json)))

    def _handle(self, event: tuple) -> None:
        kind, at, value = event
        if kind == "payload":
            added = self.player.receive(value, at)
            answered = _int(value.get("answered"))
            for n in range(answered, 0, -1):
                ask = self._asks.get(n)
                if ask is None or ask.answered is not None:
                    break
                ask.answered = at - ask.sent
                self._unfinished.append(ask)
            if self._timing and added:
                self.report.frames += added
                first, last = value["frames"][0].get("i"), value["frames"][-1].get("i")
                if isinstance(first, int) and isinstance(last, int):
                    start = self.report.iterations[0] if self.report.iterations else first
                    self.report.iterations = (start, last)
        elif kind == "finished":
            for ask in self._unfinished:
                ask.finished = at - ask.sent
            self._unfinished.clear()
        elif kind == "error":
            self.report.errors.append(value)
        elif kind == "closed":
            raise StudentError(value)


# ---- a class ---------------------------------------------------------------------------------
@dataclass
class ClassRun:
    """A class's reports, and what the client itself cost: its CPU seconds and how late its
    event loop woke (seconds late, sampled every ``LAG_PERIOD_S``)."""

    reports: list[Report]
    wall_s: float
    client_cpu_s: float
    loop_lag_s: list[float]

    @property
    def client_cores(self) -> float:
        return self.client_cpu_s / self.wall_s if self.wall_s else 0.0


LAG_PERIOD_S = 0.05


def students_of(url: str, count: int, lessons: Sequence[str] = LESSONS) -> list[Student]:
    """``count`` students spread over ``lessons`` in turn, seeds 100, 101, ..."""
    return [Student(url, lessons[i % len(lessons)], seed=100 + i) for i in range(count)]


async def hold_class(
    url: str, count: int, seconds: float, lessons: Sequence[str] = LESSONS, clicks=CLICKS
) -> ClassRun:
    """``count`` students arrive ``ARRIVING`` at a time, then all press Play at once and play
    for ``seconds``, then click ``clicks``; returns what they saw."""
    students = students_of(url, count, lessons)
    start, cpu = time.monotonic(), time.process_time()
    lags: list[float] = []
    stop = asyncio.Event()
    watcher = asyncio.create_task(_watch_lag(lags, stop))
    # The slowest student may wait for each group to load, play, then wait out every click.
    bound = LOAD_TIMEOUT_S * (count / ARRIVING + 1) + seconds + ANSWER_TIMEOUT_S * (len(clicks) + 2)
    try:
        async with asyncio.timeout(bound):
            present = []
            for first in range(0, count, ARRIVING):
                group = students[first : first + ARRIVING]
                loaded = await asyncio.gather(*(student.arrive() for student in group))
                present += [s for s, ok in zip(group, loaded, strict=True) if ok]
            await asyncio.gather(*(student.attend(seconds, clicks) for student in present))
    except TimeoutError:
        for student in students:
            student.report.errors.append(f"the class did not end within {bound:.0f} s")
    finally:
        stop.set()
        await asyncio.gather(*(student.leave() for student in students), watcher)
    return ClassRun(
        [student.report for student in students],
        wall_s=time.monotonic() - start,
        client_cpu_s=time.process_time() - cpu,
        loop_lag_s=lags,
    )


async def _watch_lag(lags: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        before = time.monotonic()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(LAG_PERIOD_S):
                await stop.wait()
        if not stop.is_set():
            lags.append(max(0.0, time.monotonic() - before - LAG_PERIOD_S))


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank; NaN when empty)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan
