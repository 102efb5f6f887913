"""classroom.board on a real ClassStore and real trained networks: the server's score ranks the
board (never the page's), submissions refused in words leave the board as it was, stale, closed
and wrong-lesson challenges, free entries, many threads at once, a restart, and every order."""

import io
import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import nn
from classroom import board as board_module
from classroom.board import (
    ORDERS,
    Accepted,
    BoardError,
    Submission,
    board,
    challenge_of,
    closes_at,
    is_open,
    submit,
)
from classroom.scoring import Challenge, ChallengeError, Goal, challenge_data
from classroom.store import ClassStore, StoredChallenge

SECRET = b"a server secret of 32 bytes!!!!!"
CIRCLE = Challenge("rose", "circle", Goal("test_accuracy", 0.95))
COST = Challenge("rose", "circle", Goal("test_cost", 0.3, "at_most"))
SETTINGS = {"values": {"units": 6, "learning_rate": 0.05}, "query": {"units": "6", "lr": "0.05"}}


# ---- helpers -------------------------------------------------------------------------------------
def saved(network: nn.Network) -> bytes:
    buffer = io.BytesIO()
    network.save(buffer)
    return buffer.getvalue()


def trained(X: np.ndarray, Y: np.ndarray, units: int, iterations: int) -> bytes:
    spec = nn.RunSpec(
        hidden=((units, "tanh"),), learning_rate=0.05, optimizer="adam", iterations=iterations
    )
    trainer = spec.trainer(X, Y)
    for _ in spec.run(trainer, every=iterations):
        pass
    return saved(trainer.network)


def png(size: int = 8, noise: bool = False) -> bytes:
    pixels = np.random.default_rng(0).integers(0, 256, (size, size, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels if noise else np.zeros_like(pixels)).save(buffer, format="PNG")
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A small .npz that unpacks to 13 MB, more than any challenge's network."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, W0=np.zeros((4096, 400)))
    return buffer.getvalue()


def as_stored(challenge: Challenge) -> dict:
    """The challenge as the teacher's console gives it to ``ClassStore.set_challenge``."""
    return json.loads(challenge.to_json())


THUMBNAIL = png()
UNTRAINED = saved(nn.RunSpec(hidden=((6, "tanh"),)).network(2))


@pytest.fixture(scope="module")
def networks() -> dict[str, bytes]:
    """honest: 6 units, meets the goal; small: 3 units, meets it with fewer parameters;
    untrained: misses it."""
    data = challenge_data(CIRCLE, SECRET)
    return {
        "honest": trained(data.X_train, data.Y_train, units=6, iterations=300),
        "small": trained(data.X_train, data.Y_train, units=3, iterations=400),
        "untrained": UNTRAINED,
    }


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "classroom.sqlite3"


@pytest.fixture
def store(path: Path) -> ClassStore:
    return ClassStore(path)


@pytest.fixture
def class_id(store: ClassStore) -> int:
    return store.create_class("Year 10 B").id


@pytest.fixture
def challenge_id(store: ClassStore, class_id: int) -> int:
    return store.set_challenge(class_id, as_stored(CIRCLE))


def entry(who: str, network: bytes, **changes) -> Submission:
    """A submission from the Rose lesson; ``changes`` replace any of its fields."""
    fields = {
        "nickname": who,
        "lesson": "rose",
        "settings": SETTINGS,
        "weights": network,
        "thumbnail": THUMBNAIL,
        "reported": {"test_accuracy": 0.9},
    }
    return Submission(**(fields | changes))


def ranks(rows) -> dict[str, int | None]:
    return {row.entry.nickname: row.rank for row in rows}


# ---- the server's score, never the page's --------------------------------------------------------
def test_a_forged_submission_ranks_below_an_honest_one_with_the_servers_score(
    store: ClassStore, class_id: int, challenge_id: int, networks
) -> None:
    forged = submit(
        store,
        SECRET,
        class_id,
        challenge_id,
        entry("Mallory", networks["untrained"], reported={"test_accuracy": 1.0}),
    )
    honest = submit(store, SECRET, class_id, challenge_id, entry("Ada", networks["honest"]))

    rows = board(store, class_id)
    assert [(row.rank, row.entry.nickname) for row in rows] == [(1, "Ada"), (2, "Mallory")]
    ada, mallory = rows
    assert mallory.entry.reported == {"test_accuracy": 1.0}  # kept, for comparison only
    assert mallory.entry.score != 1.0 and mallory.entry.score < 0.8
    assert forged.score is not None and mallory.entry.score == forged.score.metrics["test_accuracy"]
    assert (mallory.metric, mallory.meets_goal) == (mallory.entry.score, False)
    assert ada.meets_goal and ada.entry.score >= 0.95 and ada.parameters == 3 * 6 + 7
    assert honest.challenge == CIRCLE and honest.entry_id == ada.entry.id
    assert ada.entry.detail == {
        "metric": "test_accuracy",
        "metrics": honest.score.metrics,
        "parameters": 25,
        "meets_goal": True,
        "sort_key": list(honest.score.sort_key),
        "goal": "≥ 95 % test accuracy with the fewest parameters",
    }


def test_fewest_parameters_past_the_bar_ranks_first(
    store: ClassStore, class_id: int, challenge_id: int, networks
) -> None:
    for nickname in ("honest", "untrained", "small"):
        submit(store, SECRET, class_id, challenge_id, entry(nickname, networks[nickname]))
    rows = board(store, class_id)
    assert [row.entry.nickname for row in rows] == ["small", "honest", "untrained"]
    assert [row.parameters for row in rows] == [3 * 3 + 4, 25, 25]
    assert [row.meets_goal for row in rows] == [True, True, False]


def test_a_diverged_cost_is_stored_as_unscored_and_ranked_last(
    store: ClassStore, class_id: int, networks
) -> None:
    cost = store.set_challenge(class_id, as_stored(COST))
    diverged = nn.RunSpec(hidden=((6, "tanh"),)).network(2)
    diverged.layers[-1].weights[:] = 0.0
    diverged.layers[-1].weights[0, 0] = 1e308  # finite, but its summed cost overflows to inf
    first = submit(store, SECRET, class_id, cost, entry("diverged", saved(diverged)))
    assert first.score is not None and first.score.metrics["test_cost"] == float("inf")
    submit(store, SECRET, class_id, cost, entry("honest", networks["honest"]))

    honest, huge = board(store, class_id)
    assert (honest.rank, honest.entry.nickname, honest.meets_goal) == (1, "honest", True)
    assert honest.metric == honest.entry.score and honest.metric < 0.3
    assert (huge.rank, huge.entry.nickname, huge.metric) == (2, "diverged", float("inf"))
    assert huge.entry.score is None and huge.meets_goal is False
    assert huge.entry.detail["metrics"]["test_cost"] is None  # JSON has no infinity
    assert huge.entry.detail["sort_key"] == [1, None, 25]


# ---- many students at once, and a restart --------------------------------------------------------
def test_twenty_threads_submitting_at_once_lose_nothing_and_rank_without_gaps(
    store: ClassStore, class_id: int, challenge_id: int, networks
) -> None:
    kinds = ["honest", "small", "untrained"]
    start = threading.Barrier(20)

    def student(i: int) -> Accepted:
        submission = entry(f"student {i}", networks[kinds[i % 3]])
        start.wait()
        return submit(store, SECRET, class_id, challenge_id, submission)

    with ThreadPoolExecutor(max_workers=20) as pool:
        accepted = list(pool.map(student, range(20)))

    rows = board(store, class_id)
    assert len(rows) == 20
    assert len({a.entry_id for a in accepted}) == 20
    assert {row.entry.id for row in rows} == {a.entry_id for a in accepted}
    assert {row.entry.nickname for row in rows} == {f"student {i}" for i in range(20)}
    assert [row.rank for row in rows] == list(range(1, 21))
    keys = [tuple(row.entry.detail["sort_key"]) for row in rows]
    assert keys == sorted(keys)
    assert [row.parameters for row in rows] == [13] * 7 + [25] * 13  # small, honest, untrained
    assert [row.meets_goal for row in rows] == [True] * 14 + [False] * 6


def test_a_restart_keeps_the_board_and_its_ranks(
    store: ClassStore, path: Path, class_id: int, challenge_id: int, networks
) -> None:
    for nickname in ("untrained", "honest"):
        submit(store, SECRET, class_id, challenge_id, entry(nickname, networks[nickname]))
    submit(store, SECRET, class_id, None, entry("free", networks["small"]))
    before = board(store, class_id)

    again = ClassStore(path)
    after = board(again, class_id)
    assert after == before
    assert ranks(after) == {"honest": 1, "untrained": 2, "free": None}
    assert again.current_challenge(class_id).id == challenge_id


# ---- refused submissions -------------------------------------------------------------------------
@pytest.mark.parametrize("free", [False, True], ids=["challenge", "free"])
@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"weights": b"not a zip at all"}, "not a network saved by this dashboard"),
        ({"weights": UNTRAINED[:300]}, "not a network saved by this dashboard"),
        ({"weights": zip_bomb()}, "unpacks to 13.1 MB"),
        ({"thumbnail": png(100, noise=True)}, r"thumbnail takes [\d,]+ bytes; the most is 20,000"),
        ({"thumbnail": b"GIF89a not a png"}, "the thumbnail is not a PNG"),
        ({"nickname": "x" * 25}, "has 25 characters; the most is 24"),
        ({"nickname": "   "}, "nickname is empty"),
        ({"nickname": 7}, "the nickname is text"),
        ({"lesson": "chess"}, "not one of the dashboard's: linear, titanic, rose, mustafar"),
        ({"weights": "weights.npz"}, "the weights are the bytes of a saved network"),
        ({"settings": {"values": {}}}, "exactly 'values' .* and 'query'"),
        ({"settings": {"values": [], "query": {}}}, "'values' are a dict .* got list"),
        ({"settings": {"values": {}, "query": {"units": 6}}}, "'query' is a dict .* not text"),
        ({"settings": {"values": {"x": {1, 2}}, "query": {}}}, "something other than plain"),
        ({"reported": [0.9]}, "reported results are a dict .* got list"),
    ],
    ids=[
        "corrupt",
        "truncated",
        "zip bomb",
        "big thumbnail",
        "not a png",
        "long nickname",
        "blank nickname",
        "nickname kind",
        "lesson",
        "weights kind",
        "no query",
        "values kind",
        "query text",
        "values not json",
        "reported kind",
    ],
)
def test_a_refused_submission_says_why_and_leaves_the_board_unchanged(
    store: ClassStore, class_id: int, challenge_id: int, networks, changes, words, free
) -> None:
    submit(store, SECRET, class_id, challenge_id, entry("Ada", networks["honest"]))
    before = board(store, class_id)
    bad = entry("Bob", networks["honest"], **changes)
    with pytest.raises(BoardError, match=words):
        submit(store, SECRET, class_id, None if free else challenge_id, bad)
    assert board(store, class_id) == before
    assert issubclass(BoardError, ValueError)


def test_a_stale_challenge_is_refused_with_the_way_to_the_new_one(
    store: ClassStore, class_id: int, challenge_id: int, networks
) -> None:
    newer = store.set_challenge(class_id, as_stored(replace(CIRCLE, dataset="moons")))
    with pytest.raises(BoardError, match=r"teacher has set a new one \(Rose moons\).*new link"):
        submit(store, SECRET, class_id, challenge_id, entry("Ada", networks["honest"]))
    with pytest.raises(BoardError, match="not the class's challenge any more"):
        submit(store, SECRET, class_id, newer + 1, entry("Ada", networks["honest"]))
    assert board(store, class_id) == []

    store.clear_class(class_id)
    with pytest.raises(BoardError, match="no challenge now .* Ask the teacher for the new link"):
        submit(store, SECRET, class_id, newer, entry("Ada", networks["honest"]))
    assert board(store, class_id) == []


def test_a_run_from_another_lesson_is_refused(
    store: ClassStore, class_id: int, challenge_id: int
) -> None:
    line = saved(nn.Network(loss="mse").add(1, "linear", input_dim=1))
    with pytest.raises(BoardError, match="for the Rose lesson .* from the Linear lesson"):
        submit(store, SECRET, class_id, challenge_id, entry("Ada", line, lesson="linear"))
    assert board(store, class_id) == []


def test_a_closed_challenge_is_refused_saying_when_it_closed(
    store: ClassStore, class_id: int, networks
) -> None:
    timed = store.set_challenge(class_id, as_stored(replace(CIRCLE, time_limit_s=600)))
    stored = store.current_challenge(class_id)
    set_at = datetime.fromisoformat(stored.created)
    closes = closes_at(stored)
    assert closes == set_at + timedelta(minutes=10) and closes.tzinfo is not None
    assert is_open(stored, set_at + timedelta(seconds=599))
    assert not is_open(stored, closes)

    late = closes + timedelta(seconds=1)
    with pytest.raises(BoardError, match=f"closed at {closes:%Y-%m-%d %H:%M:%S} UTC, 10 min after"):
        submit(store, SECRET, class_id, timed, entry("Late", networks["honest"]), now=late)
    assert board(store, class_id) == []
    in_time = closes - timedelta(seconds=1)
    submit(store, SECRET, class_id, timed, entry("On time", networks["honest"]), now=in_time)
    assert ranks(board(store, class_id)) == {"On time": 1}
    with pytest.raises(BoardError, match="time zone aware"):
        is_open(stored, datetime(2030, 1, 1))


def test_free_entries_are_stored_unscored_and_listed_after_the_ranked_ones(
    store: ClassStore, class_id: int, challenge_id: int, networks
) -> None:
    free = submit(
        store, SECRET, class_id, None, entry("Free", networks["small"], lesson="mustafar")
    )
    assert (free.score, free.challenge) == (None, None)
    submit(store, SECRET, class_id, challenge_id, entry("Ranked", networks["untrained"]))

    ranked, unranked = board(store, class_id)
    assert (ranked.rank, ranked.entry.nickname) == (1, "Ranked")
    assert unranked.entry.id == free.entry_id
    assert (unranked.rank, unranked.metric, unranked.meets_goal) == (None, None, None)
    assert unranked.parameters == 13
    assert unranked.entry.detail == {"parameters": 13}
    assert (unranked.entry.score, unranked.entry.challenge_id) == (None, None)


def test_reported_metrics_keep_only_numbers(
    store: ClassStore, class_id: int, challenge_id: int, networks
) -> None:
    reported = {
        "test_accuracy": 1,
        "train_cost": float("inf"),
        "test_cost": np.float32(0.5),
        "ok": True,
        "note": "great",
        "curve": [1.0],
        3: 0.5,
    }
    submission = entry("Ada", networks["honest"], reported=reported)
    submit(store, SECRET, class_id, challenge_id, submission)
    (row,) = board(store, class_id)
    assert row.entry.reported == {"test_accuracy": 1, "train_cost": None, "test_cost": 0.5}
    assert row.entry.settings == SETTINGS


def test_a_broken_stored_challenge_is_refused_in_words(
    store: ClassStore, class_id: int, networks
) -> None:
    broken = store.set_challenge(
        class_id, {"lesson": "rose", "dataset": "circle", "goal": {"metric": "speed"}}
    )
    stored = store.current_challenge(class_id)
    with pytest.raises(ChallengeError, match="metric and threshold"):
        challenge_of(stored)
    with pytest.raises(BoardError, match="metric and threshold"):
        submit(store, SECRET, class_id, broken, entry("Ada", networks["honest"]))
    assert board(store, class_id) == []


def test_challenge_of_reads_back_the_consoles_challenge() -> None:
    timed = replace(CIRCLE, locks={"depth": 1, "units": [6]}, time_limit_s=900)
    stored = StoredChallenge(
        1, 1, "rose", "circle", {"depth": 1, "units": [6]}, as_stored(timed)["goal"], 900, "x"
    )
    assert challenge_of(stored) == timed
    with pytest.raises(ChallengeError, match="start time 'x' is not a date"):
        closes_at(stored)
    assert closes_at(replace(stored, time_limit_s=None)) is None
    assert is_open(replace(stored, time_limit_s=None), datetime(2000, 1, 1, tzinfo=UTC))


def test_the_scoring_data_is_cached_read_only() -> None:
    first = board_module._challenge_data(CIRCLE.to_json(), SECRET)
    assert board_module._challenge_data(CIRCLE.to_json(), SECRET) is first
    for array in (first.X_train, first.Y_train, first.X_hidden, first.Y_hidden):
        assert not array.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        first.X_hidden[0, 0] = 9.0
    fresh = challenge_data(CIRCLE, SECRET)
    np.testing.assert_array_equal(first.X_hidden, fresh.X_hidden)
    assert fresh.X_hidden.flags.writeable  # the scoring module's own arrays are left alone


# ---- the board's orders --------------------------------------------------------------------------
@pytest.fixture
def busy(store: ClassStore, class_id: int, challenge_id: int, networks) -> ClassStore:
    """A board of bob (rose, untrained), Cy (free, linear), ada (rose, small)."""
    submit(store, SECRET, class_id, challenge_id, entry("bob", networks["untrained"]))
    line = saved(nn.Network(loss="mse").add(1, "linear", input_dim=1))
    submit(store, SECRET, class_id, None, entry("Cy", line, lesson="linear"))
    submit(store, SECRET, class_id, challenge_id, entry("ada", networks["small"]))
    return store


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("rank", ["ada", "bob", "Cy"]),
        ("newest", ["ada", "Cy", "bob"]),
        ("oldest", ["bob", "Cy", "ada"]),
        ("nickname", ["ada", "bob", "Cy"]),
        ("lesson", ["Cy", "bob", "ada"]),
    ],
)
def test_each_order_lists_the_board_and_keeps_the_ranks(
    busy: ClassStore, class_id: int, order: str, expected: list[str]
) -> None:
    rows = board(busy, class_id, order)
    assert [row.entry.nickname for row in rows] == expected
    assert ranks(rows) == {"ada": 1, "bob": 2, "Cy": None}


def test_the_orders_tested_are_all_the_orders() -> None:
    assert list(ORDERS) == ["rank", "newest", "oldest", "nickname", "lesson"]


@pytest.mark.parametrize("order", ["score", "created; DROP TABLE entries", None, "RANK"])
def test_an_unknown_order_is_refused_listing_the_orders(
    busy: ClassStore, class_id: int, order
) -> None:
    before = board(busy, class_id)
    with pytest.raises(
        BoardError,
        match=r"choose one of: 'rank' for rank \(the server's score\); 'newest' for newest first",
    ):
        board(busy, class_id, order)
    assert board(busy, class_id) == before


def test_an_unknown_class_is_refused(store: ClassStore) -> None:
    with pytest.raises(BoardError, match="no class number 42"):
        board(store, 42)
    with pytest.raises(BoardError, match="no class number 42"):
        submit(store, SECRET, 42, None, entry("Ada", UNTRAINED))


@pytest.mark.parametrize(
    "detail",
    ['"oops"', "[1, 2]", "{}", '{"sort_key": "first"}', '{"sort_key": [2, 0, 0]}',
     '{"sort_key": [0, "x", 1]}', '{"sort_key": [0, 1], "metrics": 3, "parameters": -1}',
     '{"sort_key": [true, 1, 1], "metric": "test_accuracy", "metrics": {}, "meets_goal": 1}'],
)  # fmt: skip
def test_an_entry_with_a_hand_edited_detail_is_listed_unranked(
    busy: ClassStore, path: Path, class_id: int, detail: str
) -> None:
    ada = next(row for row in board(busy, class_id) if row.entry.nickname == "ada")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE entries SET score_detail = ? WHERE id = ?", (detail, ada.entry.id))
    db.close()

    rows = board(busy, class_id)
    assert ranks(rows) == {"bob": 1, "ada": None, "Cy": None}
    edited = next(row for row in rows if row.entry.nickname == "ada")
    assert (edited.metric, edited.parameters, edited.meets_goal) == (None, None, None)
    for order in ORDERS:
        assert len(board(busy, class_id, order)) == 3
