"""The class store on both of its databases, each real: a SQLite file, and a PostgreSQL server
the tests start (tests/classroom/conftest.py). Every test that takes ``where`` or ``store``
runs on both: round trip, restart, migrations, many threads, two processes and two stores at
once, every bound, refused input that leaves the database unchanged, sorting, CSV export and
clearing a class. SQLite's own (WAL, a file that is not a database) run on SQLite only; then
the choice of database: ``NN_CLASS_STORE``, ``open_store`` and ``serve.py --store``, with the
URL's password never shown."""

import csv
import io
import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest
from PIL import Image

from classroom import config
from classroom import store as store_module
from classroom.store import (
    CSV_COLUMNS,
    MAX_NICKNAME,
    MAX_THUMBNAIL_BYTES,
    MAX_WEIGHTS_BYTES,
    MIGRATIONS,
    SCHEMA_VERSION,
    SORTABLE,
    ClassStore,
    StoreError,
    open_store,
)
from nn import Network
from tests import REPO_ROOT
from tests.classroom.conftest import PASSWORD, PostgreSQL


# ---- helpers ------------------------------------------------------------------------------------
def saved_network(units: int = 3, seed: int = 1) -> bytes:
    """The .npz bytes the engine writes for a small 2 → units → 1 network."""
    network = Network(seed=seed)
    network.add(units, activation="tanh", input_dim=2).add(1, activation="sigmoid")
    buffer = io.BytesIO()
    network.save(buffer, settings={"units": units})
    return buffer.getvalue()


def png(size: int = 8, noise: bool = False) -> bytes:
    pixels = np.random.default_rng(0).integers(0, 256, (size, size, 3), dtype=np.uint8)
    picture = Image.fromarray(pixels if noise else np.zeros_like(pixels))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


WEIGHTS = saved_network()
THUMBNAIL = png()


def submit(store: ClassStore, class_id: int, nickname: str = "Ada", **changes) -> int:
    """One valid submission; ``changes`` replace any of its arguments."""
    arguments = {
        "lesson": "rose",
        "settings": {"units": 3, "learning_rate": 0.5},
        "weights": WEIGHTS,
        "thumbnail": THUMBNAIL,
        "reported": {"accuracy": 0.97},
        "score": 0.95,
        "detail": {"test_accuracy": 0.95, "parameters": 13},
    }
    arguments.update(changes)
    return store.add_entry(class_id, nickname, **arguments)


# The whole of a PostgreSQL schema: columns, indexes, constraints, identity counters and every
# row of every table, read by the server itself (query_to_xml).
_POSTGRESQL_EVERYTHING = (
    "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity "
    "FROM information_schema.columns WHERE table_schema = current_schema() "
    "ORDER BY table_name, ordinal_position",
    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1",
    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE connamespace = current_schema()::regnamespace ORDER BY 1",
    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() "
    "ORDER BY 1",
    "SELECT tablename, query_to_xml(format('SELECT * FROM %I ORDER BY 1', tablename), true, "
    "false, '') FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
)


def everything(where: Path | str) -> list:
    """The whole database, schema and rows, read straight from it: to show that nothing was
    written. A SQLite file as SQL text; a PostgreSQL database as its catalogue and rows."""
    if isinstance(where, Path):
        db = sqlite3.connect(where)
        try:
            return list(db.iterdump())
        finally:
            db.close()
    import psycopg

    with psycopg.connect(where, autocommit=True) as db:
        return [db.execute(query).fetchall() for query in _POSTGRESQL_EVERYTHING]


def run_sql(where: Path | str, statement: str, parameters: tuple = ()) -> list[tuple]:
    """Run one statement written as the store writes them (``?`` parameters, SQLite's type
    names) straight on the database, outside any ClassStore, and commit it; its rows."""
    if isinstance(where, Path):
        db = sqlite3.connect(where)
        try:
            with db:
                return db.execute(statement, parameters).fetchall()
        finally:
            db.close()
    import psycopg

    with psycopg.connect(where, autocommit=True) as db:
        cursor = db.execute(store_module._postgresql(statement), parameters)
        return cursor.fetchall() if cursor.description else []


def tables(where: Path | str) -> set[str]:
    if isinstance(where, Path):
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return {name for (name,) in run_sql(where, query)}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A SQLite file's place, for the tests of SQLite alone."""
    return tmp_path / "data" / "classroom.sqlite"


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, path: Path) -> Path | str:
    """Where a new store lives: a SQLite file that does not exist yet, or the URL of an empty
    PostgreSQL database (the session's server, started on first use)."""
    if request.param == "sqlite":
        return path
    server: PostgreSQL = request.getfixturevalue("postgresql")
    return server.empty()


@pytest.fixture
def store(where: Path | str) -> ClassStore:
    return ClassStore(where)


@pytest.fixture
def class_id(store: ClassStore) -> int:
    return store.create_class("Year 10 B").id


# ---- round trip, restart, migrations ------------------------------------------------------------
def test_a_submission_comes_back_as_it_was_given(store: ClassStore, class_id: int) -> None:
    challenge = store.set_challenge(
        class_id,
        {
            "lesson": "rose",
            "dataset": "rose",
            "locks": {"activation": "tanh"},
            "goal": {"metric": "test_accuracy", "at_least": 0.95, "then": "fewest_parameters"},
            "time_limit_s": 1200,
        },
    )
    entry_id = submit(store, class_id, "  Ada Lovelace ", challenge_id=challenge)

    (entry,) = store.entries(class_id)
    assert entry.id == entry_id
    assert (entry.class_id, entry.challenge_id) == (class_id, challenge)
    assert entry.nickname == "Ada Lovelace"  # spaces around it dropped
    assert entry.lesson == "rose"
    assert entry.settings == {"units": 3, "learning_rate": 0.5}
    assert entry.reported == {"accuracy": 0.97}
    assert entry.score == 0.95
    assert entry.detail == {"test_accuracy": 0.95, "parameters": 13}
    assert entry.thumbnail == THUMBNAIL
    assert store.weights(class_id, entry_id) == WEIGHTS
    current = store.current_challenge(class_id)
    assert current is not None and current.id == challenge
    assert current.locks == {"activation": "tanh"} and current.time_limit_s == 1200
    assert current.goal["at_least"] == 0.95
    assert store.get_class(class_id).name == "Year 10 B"


def test_a_sqlite_board_is_in_wal_mode(path: Path) -> None:
    ClassStore(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_the_database_has_the_whole_schema(store: ClassStore, where: Path | str) -> None:
    versions = [v for (v,) in run_sql(where, "SELECT version FROM schema_version ORDER BY 1")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 2
    assert tables(where) >= {"schema_version", "classes", "entries", "challenges"}


def test_the_board_survives_a_restart(where: Path | str) -> None:
    first = ClassStore(where)
    class_id = first.create_class("Year 10 B").id
    other = first.create_class("Year 11").id
    challenge = first.set_challenge(class_id, {"lesson": "rose", "dataset": "rose"})
    ids = [submit(first, class_id, f"student {i}", score=i / 10) for i in range(3)]
    before = first.entries(class_id)
    del first

    again = ClassStore(where)
    assert [c.id for c in again.classes()] == [class_id, other]
    assert again.entries(class_id) == before
    assert [entry.id for entry in again.entries(class_id)] == ids
    assert again.current_challenge(class_id).id == challenge
    assert again.current_challenge(other) is None
    # Reopening applied no step twice.
    assert run_sql(where, "SELECT COUNT(*) FROM schema_version") == [(SCHEMA_VERSION,)]


def test_a_database_of_the_first_schema_is_upgraded_and_keeps_its_board(
    where: Path | str,
) -> None:
    if isinstance(where, Path):
        where.parent.mkdir(parents=True)
    for statement in (store_module._VERSIONS_TABLE, *MIGRATIONS[0]):
        run_sql(where, statement)
    run_sql(where, "INSERT INTO schema_version VALUES (1, '2024-01-01T00:00:00+00:00')")
    run_sql(where, "INSERT INTO classes VALUES (7, 'Old class', '2024-01-01T00:00:00+00:00')")
    run_sql(
        where,
        "INSERT INTO entries (class_id, nickname, lesson, settings, weights, thumbnail, "
        "reported, score, score_detail, created) VALUES (7, 'Grace', 'rose', '{\"units\": 4}', "
        "?, NULL, '{}', 0.9, '{}', '2024-01-01T00:00:01+00:00')",
        (WEIGHTS,),
    )
    assert "challenges" not in tables(where)

    store = ClassStore(where)

    versions = [v for (v,) in run_sql(where, "SELECT version FROM schema_version ORDER BY 1")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    (entry,) = store.entries(7)
    assert (entry.nickname, entry.settings, entry.score, entry.challenge_id) == (
        "Grace",
        {"units": 4},
        0.9,
        None,
    )
    assert store.weights(7, entry.id) == WEIGHTS
    challenge = store.set_challenge(7, {"lesson": "rose", "dataset": "rose"})  # step 2 works
    new = submit(store, 7, challenge_id=challenge)
    assert [(e.id, e.challenge_id) for e in store.entries(7)] == [
        (entry.id, None),
        (new, challenge),
    ]


def test_a_newer_schema_is_refused_and_left_alone(where: Path | str) -> None:
    ClassStore(where)
    run_sql(where, "INSERT INTO schema_version VALUES (?, 'later')", (SCHEMA_VERSION + 1,))
    before = everything(where)
    with pytest.raises(StoreError, match="newer dashboard.*Update the dashboard, or use another"):
        ClassStore(where)
    assert everything(where) == before


def test_a_database_of_something_else_is_refused_and_left_alone(where: Path | str) -> None:
    if isinstance(where, Path):
        where.parent.mkdir(parents=True)
    run_sql(where, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    run_sql(where, "INSERT INTO invoices VALUES (1, 9.5)")
    before = everything(where)
    with pytest.raises(StoreError, match="something else.*invoices.*not a class database"):
        ClassStore(where)
    assert everything(where) == before
    assert tables(where) == {"invoices"}
    assert run_sql(where, "SELECT id, total FROM invoices") == [(1, 9.5)]


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"these are somebody's notes, not a database" * 100)
    with pytest.raises(StoreError, match="not a class database"):
        ClassStore(path)
    assert path.read_bytes() == b"these are somebody's notes, not a database" * 100


# ---- many writers at once -----------------------------------------------------------------------
def test_twenty_threads_submitting_at_once_lose_nothing(store: ClassStore, class_id: int) -> None:
    start = threading.Barrier(20)
    ids: list[int] = []
    errors: list[BaseException] = []

    def student(i: int) -> None:
        start.wait()
        try:
            ids.append(submit(store, class_id, f"thread {i}", settings={"i": i}, score=i / 100))
        except BaseException as error:  # reported below, so a failure names its cause
            errors.append(error)

    threads = [threading.Thread(target=student, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(ids)) == 20
    board = store.entries(class_id)
    assert sorted(entry.id for entry in board) == sorted(ids)
    assert {(e.nickname, e.settings["i"], e.score) for e in board} == {
        (f"thread {i}", i, i / 100) for i in range(20)
    }
    assert all(store.weights(class_id, entry_id) == WEIGHTS for entry_id in ids)


def twenty_at_once(submit_one) -> list[str]:
    """Twenty threads call ``submit_one(i)`` at the same moment; what each met: "stored",
    "full" (the board's bound) or the message of another StoreError."""
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def student(i: int) -> None:
        start.wait()
        try:
            submit_one(i)
            outcomes.append("stored")
        except StoreError as error:
            outcomes.append("full" if "is full" in str(error) else str(error))

    threads = [threading.Thread(target=student, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_a_full_board_is_never_overshot_by_concurrent_submissions(where: Path | str) -> None:
    store = ClassStore(where, max_entries_per_class=5)
    class_id = store.create_class("Busy class").id
    outcomes = twenty_at_once(lambda i: submit(store, class_id, f"thread {i}"))
    assert sorted(outcomes) == ["full"] * 15 + ["stored"] * 5
    assert len(store.entries(class_id)) == 5


def _submit_from_a_process(where: str, class_id: int, prefix: str, count: int) -> None:
    """A second server process: its own ClassStore on the same file or database."""
    store = ClassStore(where)
    for i in range(count):
        submit(store, class_id, f"{prefix} {i}", settings={"who": prefix, "i": i})


def test_two_processes_submitting_to_one_database_lose_nothing(where: Path | str) -> None:
    class_id = ClassStore(where).create_class("Shared").id
    spawn = multiprocessing.get_context("spawn")
    workers = [
        spawn.Process(target=_submit_from_a_process, args=(str(where), class_id, name, 15))
        for name in ("left", "right")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]

    board = ClassStore(where).entries(class_id)
    assert len(board) == 30
    assert {(e.nickname, e.settings["who"], e.settings["i"]) for e in board} == {
        (f"{name} {i}", name, i) for name in ("left", "right") for i in range(15)
    }


def test_two_stores_on_one_database_see_each_other_and_share_the_bound(
    where: Path | str,
) -> None:
    """Two ClassStore objects are two server processes (or machines) on one database."""
    first, second = (ClassStore(where, max_entries_per_class=6) for _ in range(2))
    class_id = first.create_class("Shared").id
    assert second.get_class(class_id).name == "Shared"
    challenge = second.set_challenge(class_id, {"lesson": "rose", "dataset": "rose"})
    assert first.current_challenge(class_id).id == challenge
    written = submit(first, class_id, "on the first", challenge_id=challenge)
    assert [e.id for e in second.entries(class_id)] == [written]
    assert second.weights(class_id, written) == WEIGHTS

    outcomes = twenty_at_once(lambda i: submit((first, second)[i % 2], class_id, f"thread {i}"))
    assert sorted(outcomes) == ["full"] * 15 + ["stored"] * 5
    assert first.entries(class_id) == second.entries(class_id)
    assert len(first.entries(class_id)) == 6
    assert second.clear_class(class_id) == 6
    assert first.entries(class_id) == [] and first.current_challenge(class_id) is None


# ---- bounds and refused input: a clear error, and nothing written -------------------------------
def npz_not_ours() -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, anything=np.zeros(3))
    return buffer.getvalue()


REFUSED = {
    "nickname too long": ({"nickname": "x" * (MAX_NICKNAME + 1)}, f"the most is {MAX_NICKNAME}"),
    "nickname empty": ({"nickname": "   "}, "empty"),
    "nickname with a newline": ({"nickname": "Ada\nDROP"}, "control or invisible"),
    "nickname with a zero-width space": ({"nickname": "Ad\u200ba"}, "control or invisible"),
    "nickname not text": ({"nickname": 42}, "is text"),
    "lesson hostile": ({"lesson": "rose'; DROP TABLE entries; --"}, "not a name"),
    "thumbnail too big": ({"thumbnail": png(120, noise=True)}, f"{MAX_THUMBNAIL_BYTES:,}"),
    "thumbnail a jpeg": ({"thumbnail": b"\xff\xd8\xff\xe0" + bytes(100)}, "not a PNG"),
    "thumbnail truncated": ({"thumbnail": THUMBNAIL[:-12]}, "not a PNG"),
    "thumbnail header damaged": (
        {"thumbnail": THUMBNAIL[:20] + b"\xff" + THUMBNAIL[21:]},
        "not a PNG",
    ),
    "thumbnail text": ({"thumbnail": "picture.png"}, "bytes of a PNG"),
    "weights too big": ({"weights": b"PK" + bytes(MAX_WEIGHTS_BYTES)}, f"{MAX_WEIGHTS_BYTES:,}"),
    "weights random bytes": ({"weights": bytes(range(256)) * 4}, "not a network"),
    "weights truncated": ({"weights": WEIGHTS[: len(WEIGHTS) // 2]}, "not a network"),
    "weights an npz not ours": ({"weights": npz_not_ours()}, "not a network"),
    "weights a path": ({"weights": "model.npz"}, "bytes of a saved network"),
    "settings not a dict": ({"settings": [1, 2]}, "a dict"),
    "settings with NaN": ({"settings": {"learning_rate": float("nan")}}, "plain data"),
    "settings with an object": ({"settings": {"network": object()}}, "plain data"),
    "settings too large": ({"settings": {"notes": "x" * 30_000}}, "the most is 20,000"),
    "reported too large": ({"reported": {"costs": list(range(10_000))}}, "the most is"),
    "detail not a dict": ({"detail": "great"}, "a dict"),
    "score NaN": ({"score": float("nan")}, "finite number"),
    "score infinite": ({"score": float("inf")}, "finite number"),
    "score text": ({"score": "0.99"}, "finite number"),
    "score a bool": ({"score": True}, "finite number"),
    "challenge unknown": ({"challenge_id": 999}, "no challenge number 999"),
    "challenge not a number": ({"challenge_id": "1 OR 1=1"}, "whole number"),
}


@pytest.mark.parametrize("change, message", REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_submission_says_why_and_leaves_the_board_unchanged(
    store: ClassStore, class_id: int, where: Path | str, change: dict, message: str
) -> None:
    submit(store, class_id, "Already there")
    before = everything(where)
    arguments = {"nickname": "Ada", **change}
    with pytest.raises(StoreError, match=message):
        submit(store, class_id, **arguments)
    assert everything(where) == before


def test_a_challenge_of_another_class_is_refused(store: ClassStore, class_id: int) -> None:
    other = store.create_class("Other")
    foreign = store.set_challenge(other.id, {"lesson": "rose", "dataset": "rose"})
    with pytest.raises(StoreError, match="no challenge number"):
        submit(store, class_id, challenge_id=foreign)
    assert store.entries(class_id) == []


def test_a_full_board_refuses_the_next_entry_and_says_what_to_do(where: Path | str) -> None:
    store = ClassStore(where, max_entries_per_class=3)
    class_id, other = store.create_class("Small").id, store.create_class("Other").id
    for i in range(3):
        submit(store, class_id, f"student {i}")
    before = everything(where)
    with pytest.raises(StoreError, match="is full.*3 entries.*export.*clear"):
        submit(store, class_id, "one too many")
    assert everything(where) == before
    submit(store, other, "another class has room")  # the bound is per class
    assert store.max_entries_per_class == 3
    assert ClassStore(where).max_entries_per_class == store_module.MAX_ENTRIES_PER_CLASS == 500


def test_the_limits_are_the_ones_the_issue_asks_for() -> None:
    assert MAX_THUMBNAIL_BYTES == 20_000
    assert len(png(120, noise=True)) > MAX_THUMBNAIL_BYTES >= len(THUMBNAIL)


def test_a_nickname_of_exactly_the_limit_and_with_accents_is_kept(
    store: ClassStore, class_id: int
) -> None:
    submit(store, class_id, "é" * MAX_NICKNAME)
    submit(store, class_id, "Zoë 🌹", thumbnail=None)
    assert [e.nickname for e in store.entries(class_id)] == ["é" * MAX_NICKNAME, "Zoë 🌹"]
    assert store.entries(class_id)[1].thumbnail is None


@pytest.mark.parametrize("class_id", [999, 0, -1, "1", 1.0, True, None])
def test_an_unknown_or_malformed_class_is_refused(store: ClassStore, class_id: object) -> None:
    store.create_class("Real")
    with pytest.raises(StoreError, match="class"):
        store.entries(class_id)
    with pytest.raises(StoreError, match="class"):
        submit(store, class_id)
    with pytest.raises(StoreError, match="class"):
        store.set_challenge(class_id, {"lesson": "rose", "dataset": "rose"})


@pytest.mark.parametrize(
    "challenge, message",
    [
        ({"lesson": "rose"}, "needs a dataset"),
        ({"lesson": "rose", "dataset": "rose", "deadline": "friday"}, "no setting 'deadline'"),
        ({"lesson": "rose", "dataset": "../../etc/passwd"}, "not a name"),
        ({"lesson": "rose", "dataset": "rose", "locks": ["units"]}, "a dict"),
        ({"lesson": "rose", "dataset": "rose", "time_limit_s": 0}, "1 to"),
        ({"lesson": "rose", "dataset": "rose", "time_limit_s": 10**9}, "1 to"),
        ({"lesson": "rose", "dataset": "rose", "time_limit_s": 60.5}, "whole number"),
        ({"lesson": "rose", "dataset": "rose", "time_limit_s": True}, "whole number"),
        ("rose", "is a dict"),
    ],
)
def test_a_refused_challenge_says_why_and_writes_nothing(
    store: ClassStore, class_id: int, where: Path | str, challenge: object, message: str
) -> None:
    before = everything(where)
    with pytest.raises(StoreError, match=message):
        store.set_challenge(class_id, challenge)
    assert everything(where) == before


@pytest.mark.parametrize("name", ["", "  ", "x" * 61, "Class\x00B", 7])
def test_a_refused_class_name_writes_nothing(
    store: ClassStore, where: Path | str, name: object
) -> None:
    before = everything(where)
    with pytest.raises(StoreError, match="class name"):
        store.create_class(name)
    assert everything(where) == before


# ---- sorting ------------------------------------------------------------------------------------
BOARD = [  # nickname, lesson, score
    ("carol", "rose", 0.91),
    ("Alice", "titanic", 0.80),
    ("bob", "rose", None),
    ("dave", "mustafar", 0.91),
    ("Eve", "linear", 0.99),
]


def expected_order(entries: list, column: str, descending: bool) -> list[int]:
    """The board's order by Python: unscored last either way, ties in order of submission
    (Python's sort is stable, with ``reverse`` too)."""
    present = sorted((e for e in entries if getattr(e, column) is not None), key=lambda e: e.id)
    missing = [e for e in entries if getattr(e, column) is None]
    key = (lambda e: e.nickname.lower()) if column == "nickname" else (lambda e: getattr(e, column))
    present.sort(key=key, reverse=descending)
    return [e.id for e in present + missing]


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("column", SORTABLE)
def test_the_board_sorts_by_each_allowed_column(
    store: ClassStore, class_id: int, column: str, descending: bool
) -> None:
    for nickname, lesson, score in BOARD:
        submit(store, class_id, nickname, lesson=lesson, score=score)
    entries = store.entries(class_id)
    got = [e.id for e in store.entries(class_id, order_by=column, descending=descending)]
    assert got == expected_order(entries, column, descending)
    assert sorted(got) == sorted(e.id for e in entries)


def test_sorting_by_score_puts_the_best_first_and_the_unscored_last(
    store: ClassStore, class_id: int
) -> None:
    for nickname, lesson, score in BOARD:
        submit(store, class_id, nickname, lesson=lesson, score=score)
    board = store.entries(class_id, order_by="score", descending=True)
    assert [e.nickname for e in board] == ["Eve", "carol", "dave", "Alice", "bob"]


def test_text_sorts_by_code_point_with_ascii_case_folded_on_both_databases(
    store: ClassStore, class_id: int
) -> None:
    """SQLite's NOCASE folds A-Z only, and its text compares by code point; PostgreSQL gives
    the same order whatever its server's locale."""
    names = ["Zoë", "zoe", "Émile", "émile", "adam", "Bob", "_x", "Ω", "a b", "ab"]
    lessons = ["rose", "Rose", "a.b", "a b", "a-b", "a_b", "9x", "Titanic", "linear", "A"]
    for name, lesson in zip(names, lessons, strict=True):
        submit(store, class_id, name, lesson=lesson)
    ascii_lower = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
    by_nickname = [e.nickname for e in store.entries(class_id, order_by="nickname")]
    assert by_nickname == sorted(names, key=lambda name: name.translate(ascii_lower))
    assert by_nickname[-3:] == ["Émile", "émile", "Ω"]  # beyond ASCII: by code point, unfolded
    by_lesson = [e.lesson for e in store.entries(class_id, order_by="lesson", descending=True)]
    assert by_lesson == sorted(lessons, reverse=True)  # case counts: "rose" before "Rose"


@pytest.mark.parametrize(
    "order_by",
    [
        "score; DROP TABLE entries",
        "score DESC",
        "(SELECT weights FROM entries)",
        "weights",
        "SCORE",
        "",
        None,
        1,
    ],
)
def test_a_hostile_sort_is_refused_and_harms_nothing(
    store: ClassStore, class_id: int, where: Path | str, order_by: object
) -> None:
    submit(store, class_id)
    before = everything(where)
    with pytest.raises(StoreError, match="sort by one of: id, created, nickname, lesson, score"):
        store.entries(class_id, order_by=order_by)
    with pytest.raises(StoreError, match="True or False"):
        store.entries(class_id, descending="DESC; DROP TABLE entries")
    assert everything(where) == before


# ---- CSV export and clearing a class ------------------------------------------------------------
def test_the_csv_export_has_one_row_per_entry_and_no_binary_data(
    store: ClassStore, class_id: int
) -> None:
    challenge = store.set_challenge(class_id, {"lesson": "rose", "dataset": "rose"})
    ids = [
        submit(store, class_id, 'Ada, "the first"', challenge_id=challenge),
        submit(store, class_id, "=HYPERLINK(1)", score=None, settings={"note": "a\nb"}),
        submit(store, class_id, "Zoë", score=0.5),
    ]
    text = store.export_csv(class_id)

    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(csv.reader(io.StringIO(text)))[0] == list(CSV_COLUMNS)
    assert [int(row["id"]) for row in rows] == ids
    assert [row["nickname"] for row in rows] == ['Ada, "the first"', "'=HYPERLINK(1)", "Zoë"]
    assert [row["score"] for row in rows] == ["0.95", "", "0.5"]
    assert [row["challenge_id"] for row in rows] == [str(challenge), "", ""]
    assert json.loads(rows[1]["settings"]) == {"note": "a\nb"}
    assert json.loads(rows[0]["detail"]) == {"test_accuracy": 0.95, "parameters": 13}
    assert all(None not in row and len(row) == len(CSV_COLUMNS) for row in rows)
    assert "PNG" not in text and "IHDR" not in text and "PK" not in text
    assert len(text) < 2_000  # three rows of text, no weights or pictures


def test_an_empty_board_exports_only_the_header(store: ClassStore, class_id: int) -> None:
    assert list(csv.reader(io.StringIO(store.export_csv(class_id)))) == [list(CSV_COLUMNS)]


def test_clearing_a_class_removes_its_entries_and_challenges_only(store: ClassStore) -> None:
    mine, other = store.create_class("Mine").id, store.create_class("Other").id
    for class_id in (mine, other):
        challenge = store.set_challenge(class_id, {"lesson": "rose", "dataset": "rose"})
        for i in range(3):
            submit(store, class_id, f"student {i}", challenge_id=challenge)
    others_before = store.entries(other)
    others_challenge = store.current_challenge(other)

    assert store.clear_class(mine) == 3

    assert store.entries(mine) == []
    assert store.current_challenge(mine) is None
    assert store.get_class(mine).name == "Mine"  # the class stays, with an empty board
    assert store.entries(other) == others_before
    assert store.current_challenge(other) == others_challenge
    submit(store, mine, "after the clear")
    assert [e.nickname for e in store.entries(mine)] == ["after the clear"]


def test_clearing_an_unknown_class_is_refused(store: ClassStore, class_id: int) -> None:
    submit(store, class_id)
    with pytest.raises(StoreError, match="no class number 99"):
        store.clear_class(99)
    assert len(store.entries(class_id)) == 1


def test_every_challenge_dataset_name_is_storable(store: ClassStore) -> None:
    """The store takes each dataset a challenge can name (Linear's is "y=2x+1")."""
    from classroom.scoring import DATASETS

    class_id = store.create_class("Year 10 B").id
    for lesson, names in DATASETS.items():
        for name in names:
            store.set_challenge(class_id, {"lesson": lesson, "dataset": name})
            assert store.current_challenge(class_id).dataset == name


# ---- which database: NN_CLASS_STORE, open_store and serve.py --store ----------------------------
ESCAPED = quote(PASSWORD, safe="")


def shows_no_password(text: str) -> bool:
    return PASSWORD not in text and ESCAPED not in text


def serve(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``serve.py --dry-run`` as the teacher runs it, without the launcher's variables but
    ``env``."""
    launcher = {"TEACHER_TOKEN", config.DATA_DIR_ENV, config.STORE_ENV}
    environment = {k: v for k, v in os.environ.items() if k not in launcher} | env
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "serve.py"), "--dry-run", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_unset_nn_class_store_keeps_the_board_in_the_data_folder(tmp_path: Path) -> None:
    assert config.STORE_ENV == "NN_CLASS_STORE"
    assert config.store_url({}) is None
    assert config.store_url({"NN_CLASS_STORE": "  "}) is None
    assert config.store_url({"NN_CLASS_STORE": " postgresql://u@h/db "}) == "postgresql://u@h/db"
    store = open_store(tmp_path / "data", {})
    assert store.path == tmp_path / "data" / config.STORE_FILE
    assert store.path.is_file()
    assert store.location == str(store.path)


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql://nn:pw@db.school:5432/board", "postgresql://nn:***@db.school:5432/board"),
        ("postgresql://nn@db.school/board", "postgresql://nn@db.school/board"),
        ("postgresql://db/board?user=nn&password=pw&sslmode=require",
         "postgresql://db/board?user=nn&password=***&sslmode=require"),
        ("postgresql://nn:p/w@d@db/board", "postgresql://nn:***@db/board"),  # unescaped / and @
        (f"postgresql://nn:{ESCAPED}@127.0.0.1/board", "postgresql://nn:***@127.0.0.1/board"),
        ("/srv/class/board.sqlite3", "/srv/class/board.sqlite3"),
    ],
)  # fmt: skip
def test_a_printed_store_url_shows_no_password(url: str, shown: str) -> None:
    assert config.redact_url(url) == shown


def test_nn_class_store_opens_the_postgresql_database(
    postgresql: PostgreSQL, tmp_path: Path
) -> None:
    url = postgresql.empty()
    store = open_store(tmp_path / "data", {"NN_CLASS_STORE": url})
    assert store.path is None
    assert not (tmp_path / "data").exists()  # no SQLite file was made
    class_id = store.create_class("On PostgreSQL").id
    assert ClassStore(url).get_class(class_id).name == "On PostgreSQL"
    assert store.location == url.replace(ESCAPED, "***")


@pytest.mark.parametrize(
    "value, message",
    [
        ("mysql://nn:pw@db/board", "not a PostgreSQL URL"),
        ("/srv/class/board.sqlite3", "not a database address"),
    ],
)
def test_a_store_setting_that_is_not_a_postgresql_url_is_refused(
    tmp_path: Path, value: str, message: str
) -> None:
    with pytest.raises(StoreError, match=message) as refused:
        open_store(tmp_path, {"NN_CLASS_STORE": value})
    assert ":pw@" not in str(refused.value)
    assert "postgresql://user:password@host:5432/dbname" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_a_database_that_refuses_the_login_says_why_without_the_password(
    postgresql: PostgreSQL,
) -> None:
    wrong = postgresql.url.replace(ESCAPED, "not-the-password")
    with pytest.raises(StoreError, match="password authentication failed") as refused:
        ClassStore(wrong)
    assert "not-the-password" not in str(refused.value)
    assert "postgresql://nnfs_teacher:***@127.0.0.1" in str(refused.value)

    closed = postgresql.url.replace(f":{postgresql.port}/", ":1/")
    with pytest.raises(StoreError, match="cannot open the class database.*refused") as refused:
        ClassStore(closed)
    assert shows_no_password(str(refused.value))


def test_serve_checks_the_postgresql_board_and_never_prints_its_password(
    postgresql: PostgreSQL, tmp_path: Path
) -> None:
    url = postgresql.empty()
    data = tmp_path / "data"
    for args, env in ((["--store", url], {}), ([], {"NN_CLASS_STORE": url})):
        done = serve("--data-dir", str(data), *args, **env)
        assert done.returncode == 0, done.stderr
        assert f"  Class board:     {url.replace(ESCAPED, '***')} (PostgreSQL)" in done.stdout
        assert shows_no_password(done.stdout + done.stderr)
    assert tables(url) >= {"schema_version", "classes", "entries", "challenges"}
    assert not (data / config.STORE_FILE).exists()  # the secret is here, the board is not
    assert (data / "secret.key").is_file()

    done = serve("--data-dir", str(data), "--store", url.replace(ESCAPED, "wrong-password"))
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "password authentication failed" in line and "***" in line
    assert "wrong-password" not in line and done.stdout == ""
