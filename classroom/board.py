"""The class board between a page and the store: a student's submission is checked, scored by the
server and stored; the teacher's board is ranked from the server's numbers only.

Contract:

- ``submit`` checks a ``Submission``'s shape, then either stores it as a free entry (no
  challenge) or has the server score it against the class's *current* challenge, open at that
  moment, and stores it with the server's numbers. The metrics a page reports (``reported``) are
  kept beside the entry for comparison and never used to rank it.
- Every refusal is a ``BoardError`` (a ``ValueError``) whose message is for the student; the
  scoring's and the store's refusals keep their own messages. A refused submission writes
  nothing.
- ``board`` lists a class's entries with their rank, computed from the score detail the server
  stored (its sort key) and the submission time. An entry whose detail cannot be read (a
  hand-edited database) is listed unranked, never an error.

Stored score detail of an entry that answers a challenge (``Entry.detail``)::

    {"metric": goal metric name, "metrics": {name: value}, "parameters": int,
     "meets_goal": bool, "sort_key": [int, number, number], "goal": the goal's sentence}

JSON has no infinity: a value that is not finite (the cost of a network that diverged) is stored
as null, in ``metrics`` and in ``sort_key``, and read back as +inf (the scoring never makes -inf
or NaN there). ``Entry.score`` is the goal metric's value, or None when it is not finite, so the
store's own score order puts such an entry last. A free entry's detail is ``{"parameters": n}``
and its score None.
"""

import functools
import json
import math
import numbers
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta

import numpy as np

from classroom.scoring import (
    Challenge,
    ChallengeData,
    ChallengeError,
    Score,
    SubmissionError,
    challenge_data,
    load_weights,
    score_submission,
)
from classroom.store import ClassStore, Entry, StoredChallenge, StoreError

LESSONS = {
    "linear": "Linear",
    "titanic": "Titanic",
    "rose": "Rose",
    "mustafar": "Mustafar",
    "classes": "Many classes",
}
"""The lessons a page submits from, and their names; challenges exist for some of them only
(``classroom.scoring.LESSONS``)."""
ORDERS = {
    "rank": "rank (the server's score)",
    "newest": "newest first",
    "oldest": "oldest first",
    "nickname": "nickname",
    "lesson": "lesson",
}
"""The orders ``board`` offers, and how a page names them."""
SETTINGS_KEYS = ("values", "query")
CHALLENGE_DATA_CACHE = 8
"""How many challenges' scoring data ``submit`` keeps in memory (a class has one at a time)."""

# The board orders that are one of the store's sorts: (column, descending).
_STORE_ORDERS = {
    "rank": ("id", False),
    "newest": ("created", True),
    "oldest": ("created", False),
    "nickname": ("nickname", False),
    "lesson": ("lesson", False),
}
_SORT_KEY_LENGTH = 3


class BoardError(ValueError):
    """A submission or board request refused; the message is for a student."""


@dataclass(frozen=True)
class Submission:
    """A run a student's page submits.

    ``nickname``: the name on the board (the store's rules: 1 to 24 printable characters).
    ``lesson``: a key of ``LESSONS``. ``settings``: ``{"values": {name: value}, "query":
    {name: the value as the link's text}}``, JSON-able; ``values`` is what the locks are checked
    against. ``weights``: the bytes ``nn.Network.save`` writes. ``thumbnail``: a PNG of at most
    20 KB, or None. ``reported``: the metrics the page shows, name -> number; kept for
    comparison only, never ranked on.
    """

    nickname: str
    lesson: str
    settings: dict
    weights: bytes
    thumbnail: bytes | None
    reported: dict


@dataclass(frozen=True)
class Accepted:
    """A stored submission: its entry number, and the server's score and the challenge it
    answered (both None for a free entry)."""

    entry_id: int
    score: Score | None
    challenge: Challenge | None


@dataclass(frozen=True)
class BoardRow:
    """One line of a board. ``rank``: 1, 2, … for the entries of the class's current challenge
    in ranked order, None for every other entry. ``metric``, ``parameters`` and ``meets_goal``
    come from the detail the server stored (``metric`` is +inf for a value that was not finite);
    each is None where the entry has none: a free entry has only ``parameters``, and an entry
    whose detail cannot be read has none of them."""

    rank: int | None
    entry: Entry
    metric: float | None
    parameters: int | None
    meets_goal: bool | None


# ---- challenges ----------------------------------------------------------------------------------
def challenge_of(stored: StoredChallenge) -> Challenge:
    """The scoring ``Challenge`` a stored one holds: its lesson, dataset, locks, time limit and
    goal (a dict with the keys ``Challenge.to_json`` writes: metric and threshold, optionally
    direction and tie_break). ChallengeError, saying what is wrong, if they make no challenge."""
    text = json.dumps(
        {
            "lesson": stored.lesson,
            "dataset": stored.dataset,
            "goal": stored.goal,
            "locks": stored.locks,
            "time_limit_s": stored.time_limit_s,
        },
        ensure_ascii=False,
    )
    return Challenge.from_json(text)


def closes_at(stored: StoredChallenge) -> datetime | None:
    """When the challenge closes, in UTC (time zone aware): the time it was set plus its time
    limit; None if it has no limit. ChallengeError if its stored time is not an ISO date."""
    if stored.time_limit_s is None:
        return None
    return _utc(stored.created) + timedelta(seconds=stored.time_limit_s)


def is_open(stored: StoredChallenge, now: datetime | None = None) -> bool:
    """Whether the challenge takes submissions at ``now`` (a time zone aware datetime; default:
    the current time): always without a time limit, else strictly before ``closes_at``."""
    closes = closes_at(stored)
    if closes is None:
        return True
    return _moment(now) < closes


# ---- submitting ----------------------------------------------------------------------------------
def submit(
    store: ClassStore,
    secret: bytes,
    class_id: int,
    challenge_id: int | None,
    submission: Submission,
    now: datetime | None = None,
) -> Accepted:
    """Check ``submission``, score it on the server and put it on the class's board.

    ``challenge_id`` None: a free entry. Its weights must still be a network file the server
    reads (``scoring.load_weights``); it is stored unscored.

    ``challenge_id`` given: it must be the class's current challenge, open at ``now`` (default:
    the current time), and the submission must come from its lesson. The server scores the
    weights with ``score_submission`` on ``challenge_data(challenge, secret)`` (``secret``: the
    server's secret, at least 16 bytes) and the submission's ``settings["values"]``; the entry
    is stored with the server's numbers (see the module's docstring).

    ``reported`` is stored with its numeric items only, a value that is not finite as None.
    Anything refused raises BoardError with a message for the student, and writes nothing.
    """
    settings, reported = _checked(submission, challenge_id)
    try:
        if challenge_id is None:
            network = load_weights(submission.weights)
            challenge, score, value = None, None, None
            detail: dict = {"parameters": int(network.parameter_count)}
        else:
            challenge = _current(store, class_id, challenge_id, submission.lesson, now)
            data = _challenge_data(challenge.to_json(), _secret(secret))
            score = score_submission(challenge, data, submission.weights, settings["values"])
            value = _json_number(score.metrics[challenge.goal.metric])
            detail = {
                "metric": challenge.goal.metric,
                "metrics": {name: _json_number(v) for name, v in score.metrics.items()},
                "parameters": int(score.parameters),
                "meets_goal": bool(score.meets_goal),
                "sort_key": [_json_number(part) for part in score.sort_key],
                "goal": challenge.goal.describe(),
            }
        entry_id = store.add_entry(
            class_id,
            submission.nickname,
            submission.lesson,
            settings,
            submission.weights,
            submission.thumbnail,
            reported,
            value,
            detail,
            challenge_id=challenge_id,
        )
    except (SubmissionError, ChallengeError, StoreError) as error:
        raise BoardError(str(error)) from None
    return Accepted(entry_id, score, challenge)


def _current(
    store: ClassStore, class_id: int, challenge_id: int, lesson: str, now: datetime | None
) -> Challenge:
    """The class's current challenge if it is ``challenge_id``, open at ``now`` and for
    ``lesson``; else BoardError saying why."""
    stored = store.current_challenge(class_id)
    if stored is None:
        raise BoardError(
            f"challenge {challenge_id} is over: the class has no challenge now (the teacher "
            "cleared the board). Ask the teacher for the new link, or submit without a challenge."
        )
    if stored.id != challenge_id:
        set_now = f"{LESSONS.get(stored.lesson, stored.lesson)} {stored.dataset}"
        raise BoardError(
            f"challenge {challenge_id} is not the class's challenge any more: the teacher has "
            f"set a new one ({set_now}). Ask the teacher for the new link and submit from it."
        )
    challenge = challenge_of(stored)
    if not is_open(stored, now):
        closes = closes_at(stored)
        assert closes is not None  # a challenge without a limit is always open
        raise BoardError(
            f"this challenge closed at {closes:%Y-%m-%d %H:%M:%S} UTC, "
            f"{_duration(stored.time_limit_s or 0)} after the teacher set it, so it takes no "
            "more entries. Ask the teacher for a new challenge."
        )
    if lesson != challenge.lesson:
        raise BoardError(
            f"this challenge is for the {LESSONS[challenge.lesson]} lesson "
            f"({challenge.describe()}), but the run comes from the {LESSONS[lesson]} lesson. "
            "Open the challenge's link, train there and submit that run."
        )
    return challenge


@functools.lru_cache(maxsize=CHALLENGE_DATA_CACHE)
def _challenge_data(challenge_json: str, secret: bytes) -> ChallengeData:
    """``challenge_data`` of the challenge ``Challenge.to_json`` wrote, with read-only copies of
    its arrays: one object is shared by every submission (and thread) scored on it."""
    data = challenge_data(Challenge.from_json(challenge_json), secret)
    frozen = {}
    for field in fields(data):
        value = getattr(data, field.name)
        if isinstance(value, np.ndarray):
            value = value.copy()
            value.setflags(write=False)
            frozen[field.name] = value
    return replace(data, **frozen)


# ---- the shape of a submission -------------------------------------------------------------------
def _checked(submission: object, challenge_id: object) -> tuple[dict, dict]:
    """The settings and reported metrics to store, once every field has the right kind; the
    store checks the rest (nickname length, thumbnail size and format) before it writes."""
    if not isinstance(submission, Submission):
        raise BoardError(
            f"a submission is a Submission (nickname, lesson, settings, weights, thumbnail, "
            f"reported); got {type(submission).__name__}"
        )
    if challenge_id is not None and (
        isinstance(challenge_id, bool) or not isinstance(challenge_id, int) or challenge_id < 1
    ):
        raise BoardError(
            f"a challenge number is a whole number from 1, or None for a free entry; got "
            f"{challenge_id!r:.60}. Submit from the challenge's link."
        )
    if not isinstance(submission.nickname, str):
        raise BoardError(
            f"the nickname is text, e.g. 'Ada'; got {type(submission.nickname).__name__}"
        )
    if not isinstance(submission.lesson, str) or submission.lesson not in LESSONS:
        raise BoardError(
            f"the lesson {submission.lesson!r:.60} is not one of the dashboard's: "
            f"{', '.join(LESSONS)}. Submit from a lesson's page."
        )
    if not isinstance(submission.weights, bytes | bytearray):
        raise BoardError(
            "the weights are the bytes of a saved network (.npz); got "
            f"{type(submission.weights).__name__}. Save the run from its lesson and submit that."
        )
    if submission.thumbnail is not None and not isinstance(submission.thumbnail, bytes | bytearray):
        raise BoardError(
            f"the thumbnail is the bytes of a PNG picture, or None; got "
            f"{type(submission.thumbnail).__name__}"
        )
    return _settings(submission.settings), _reported(submission.reported)


def _settings(settings: object) -> dict:
    if not isinstance(settings, dict) or set(settings) != set(SETTINGS_KEYS):
        got = (
            f"the keys {', '.join(map(repr, settings))}"[:120]
            if isinstance(settings, dict)
            else type(settings).__name__
        )
        raise BoardError(
            "the settings are a dict with exactly 'values' (each setting's value) and 'query' "
            f"(each setting as the link writes it); got {got}. Submit from the lesson's page."
        )
    values, query = settings["values"], settings["query"]
    if not isinstance(values, dict) or not all(isinstance(name, str) for name in values):
        raise BoardError(
            "the settings' 'values' are a dict from setting names (text) to their values; got "
            f"{_kind(values, 'a name that is not text')}. Submit from the lesson's page."
        )
    if not isinstance(query, dict) or not all(
        isinstance(name, str) and isinstance(text, str) for name, text in query.items()
    ):
        raise BoardError(
            "the settings' 'query' is a dict from setting names to their text in the link, both "
            f"text; got {_kind(query, 'a name or value that is not text')}. Submit from the "
            "lesson's page."
        )
    return {"values": dict(values), "query": dict(query)}


def _reported(reported: object) -> dict[str, float | None]:
    """The numeric items of ``reported`` (True/False are not numbers), a value that is not
    finite as None (JSON has no infinity); other items are dropped."""
    if not isinstance(reported, dict):
        raise BoardError(
            f"the reported results are a dict from metric names to numbers, e.g. "
            f"{{'test_accuracy': 0.93}}; got {type(reported).__name__}"
        )
    kept: dict[str, float | None] = {}
    for name, value in reported.items():
        if (
            isinstance(name, str)
            and isinstance(value, numbers.Real)
            and not isinstance(value, bool)
        ):
            kept[name] = _json_number(value)
    return kept


def _secret(secret: object) -> bytes:
    if not isinstance(secret, bytes | bytearray):
        raise BoardError(
            f"the server secret is bytes (at least 16 random ones); got {type(secret).__name__}. "
            "Restart the server with its secret file."
        )
    return bytes(secret)


# ---- the board -----------------------------------------------------------------------------------
def board(store: ClassStore, class_id: int, order: str = "rank") -> list[BoardRow]:
    """The class's entries as board rows, in ``order`` (a key of ``ORDERS``).

    "rank": the entries of the class's current challenge first, by the sort key the server
    stored, then the earlier submission; then every other entry (free, of an earlier challenge,
    or with a detail that cannot be read), newest first. The other orders are the store's sorts
    (newest and oldest by submission time, nickname ignoring case, lesson); ties keep the order
    of submission. Ranks are the same in every order. BoardError for an unknown order or class.
    """
    if not isinstance(order, str) or order not in ORDERS:
        choices = "; ".join(f"{key!r} for {words}" for key, words in ORDERS.items())
        raise BoardError(f"cannot order the board by {order!r:.60}; choose one of: {choices}")
    try:
        current = store.current_challenge(class_id)
        entries = store.entries(class_id, *_STORE_ORDERS[order])
    except StoreError as error:
        raise BoardError(str(error)) from None
    ranks = _ranks(entries, current)
    if order == "rank":
        ranked = sorted((e for e in entries if e.id in ranks), key=lambda e: ranks[e.id])
        others = sorted(
            (e for e in entries if e.id not in ranks),
            key=lambda e: (str(e.created), e.id),
            reverse=True,
        )
        entries = ranked + others
    return [_row(entry, ranks.get(entry.id)) for entry in entries]


def _ranks(entries: list[Entry], current: StoredChallenge | None) -> dict[int, int]:
    """Entry id -> rank (1, 2, …, no gaps) of the entries of ``current`` with a readable sort
    key: by that key, then the submission time, then the entry number."""
    if current is None:
        return {}
    keyed = []
    for entry in entries:
        key = _stored_sort_key(entry.detail) if entry.challenge_id == current.id else None
        if key is not None:
            keyed.append((key, str(entry.created), entry.id))
    return {entry_id: place for place, (_, _, entry_id) in enumerate(sorted(keyed), start=1)}


def _row(entry: Entry, rank: int | None) -> BoardRow:
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    parameters = detail.get("parameters")
    if isinstance(parameters, bool) or not isinstance(parameters, int) or parameters < 0:
        parameters = None
    if entry.challenge_id is None:
        return BoardRow(rank, entry, None, parameters, None)
    metrics, name = detail.get("metrics"), detail.get("metric")
    metric = None
    if isinstance(metrics, dict) and isinstance(name, str) and name in metrics:
        metric = _stored_number(metrics[name])
    meets_goal = detail.get("meets_goal")
    return BoardRow(
        rank, entry, metric, parameters, meets_goal if isinstance(meets_goal, bool) else None
    )


def _stored_sort_key(detail: object) -> tuple | None:
    """The sort key a detail holds as a tuple (null read as +inf), or None if it has none of the
    shape ``scoring.sort_key`` makes: 0 or 1, then two numbers."""
    key = detail.get("sort_key") if isinstance(detail, dict) else None
    if not isinstance(key, list) or len(key) != _SORT_KEY_LENGTH:
        return None
    if type(key[0]) is not int or key[0] not in (0, 1):
        return None
    parts = tuple(_stored_number(part) for part in key)
    return None if any(part is None for part in parts) else parts


def _stored_number(value: object) -> float | None:
    """A number as the detail stores it: null is +inf; anything not a number is None."""
    if value is None:
        return math.inf
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    return value


# ---- small helpers -------------------------------------------------------------------------------
def _json_number(value: numbers.Real) -> int | float | None:
    """``value`` as JSON keeps it: an integer as an int, any other number as a float, or None
    when it is not finite (or too large for a float)."""
    if isinstance(value, numbers.Integral):
        return int(value)
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _kind(value: object, wrong_dict: str) -> str:
    """What was given instead of a dict: its type, or ``wrong_dict`` for a dict."""
    return wrong_dict if isinstance(value, dict) else type(value).__name__


def _utc(text: str) -> datetime:
    """A stored ISO time as a UTC datetime; a time without a zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ChallengeError(
            f"the challenge's start time {text!r:.60} is not a date and time; ask the teacher "
            "to set the challenge again"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _moment(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise BoardError(
            f"the time to check a challenge at is a time zone aware datetime, e.g. "
            f"datetime.now(UTC); got {now!r:.80}"
        )
    return now


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min" if minutes and not rest else f"{seconds} s"
