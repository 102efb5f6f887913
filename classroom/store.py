"""The class board: classes, their challenges and the runs students submit, in SQLite or
PostgreSQL.

``ClassStore(path)`` opens a SQLite file (creating it and its folder if needed);
``ClassStore("postgresql://user:password@host:5432/dbname")`` opens a PostgreSQL database
(through psycopg 3), so that several server machines share one board. Either way the schema is
brought up to date with ``MIGRATIONS``. ``open_store(data_dir)`` is what the app opens: the
database of ``NN_CLASS_STORE`` when it is set, else the SQLite file in the class data folder.
Contract, the same on both:

- Every call opens its own connection and closes it, so one store may be used from many threads
  at once, and several processes (or machines, on PostgreSQL) may open the same database. A
  SQLite file is in WAL mode (readers never wait for a writer). A writer waits up to
  ``BUSY_TIMEOUT_S`` for another, then a ``StoreError`` says the board is busy.
- A write that checks before it writes holds a lock from the check to its commit: SQLite's
  ``BEGIN IMMEDIATE`` (the file's one write lock), PostgreSQL's ``SELECT ... FOR UPDATE`` on the
  class's row. So concurrent submissions never overshoot a full board.
- Inputs are checked before anything is written. A refused input raises ``StoreError`` (a
  ``ValueError``) that says what was given and what is allowed, and the board stays as it was.
  Weights must be a network file the engine reads (``nn.serialize``); a thumbnail a PNG.
- SQL is constant text with ``?`` parameters, written once for both databases; PostgreSQL runs
  a fixed translation of it (``_postgresql``). The only part chosen at run time, a board's
  ``ORDER BY``, is picked from ``SORTABLE``, never taken from the caller.
- A PostgreSQL URL's password is never shown: messages name the database with ``***`` in its
  place (``classroom.config.redact_url``).
- The only personal data kept is a nickname: no accounts, addresses or e-mails.
"""

import csv
import functools
import io
import json
import math
import os
import re
import sqlite3
import struct
import unicodedata
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from classroom import config
from nn.errors import NetworkError
from nn.serialize import read as read_network

MAX_ENTRIES_PER_CLASS = 500
MAX_THUMBNAIL_BYTES = 20_000
MAX_WEIGHTS_BYTES = 2_000_000
MAX_NICKNAME = 24
MAX_CLASS_NAME = 60
MAX_JSON_BYTES = 20_000
"""Settings, locks, goals, reported metrics and score details are a few hundred bytes each."""
MAX_TIME_LIMIT_S = 30 * 24 * 3600
BUSY_TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 10
"""How long a PostgreSQL connection may take before the store says it cannot reach it."""
POSTGRESQL_SCHEMES = ("postgresql", "postgres")

CSV_COLUMNS = (
    "id",
    "nickname",
    "lesson",
    "challenge_id",
    "score",
    "created",
    "settings",
    "reported",
    "detail",
)
"""The columns of ``ClassStore.export_csv``, in order."""
SORTABLE = ("id", "created", "nickname", "lesson", "score")
"""The columns a board can be sorted by; ties keep the order of submission."""

# Each step runs once, in order, inside one transaction with the row that records it. A released
# step is never edited: a change to the schema is a new step at the end. The steps are SQLite's
# text; PostgreSQL runs their translation (``_postgresql``: BIGINT identities, DOUBLE PRECISION,
# BYTEA, and TEXT that compares byte by byte as SQLite's does).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: classes and their board
        """CREATE TABLE classes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created TEXT NOT NULL
        )""",
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            nickname TEXT NOT NULL,
            lesson TEXT NOT NULL,
            settings TEXT NOT NULL,
            weights BLOB NOT NULL,
            thumbnail BLOB,
            reported TEXT NOT NULL,
            score REAL,
            score_detail TEXT NOT NULL,
            created TEXT NOT NULL
        )""",
        "CREATE INDEX entries_by_class ON entries(class_id)",
    ),
    (  # 2: challenges, and which challenge an entry answers
        """CREATE TABLE challenges (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            lesson TEXT NOT NULL,
            dataset TEXT NOT NULL,
            locks TEXT NOT NULL,
            goal TEXT NOT NULL,
            time_limit_s INTEGER,
            created TEXT NOT NULL
        )""",
        "CREATE INDEX challenges_by_class ON challenges(class_id)",
        "ALTER TABLE entries ADD COLUMN challenge_id INTEGER "
        "REFERENCES challenges(id) ON DELETE SET NULL",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_VERSIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)"
)
_ENTRY_COLUMNS = (
    "id, class_id, challenge_id, nickname, lesson, settings, reported, score, score_detail, "
    "thumbnail, created"
)
_SELECT_CURRENT_CHALLENGE = (
    "SELECT id, class_id, lesson, dataset, locks, goal, time_limit_s, created FROM challenges "
    "WHERE class_id = ? ORDER BY id DESC LIMIT 1"
)
# Unscored entries (score NULL) go last in both directions.
_SORT_EXPRESSIONS = {
    "id": "id",
    "created": "created",
    "nickname": "nickname COLLATE NOCASE",
    "lesson": "lesson",
    "score": "score IS NULL, score",
}
# Built once from the constants above: a caller's string only ever selects one of these.
_SELECT_ENTRIES = {
    (column, descending): f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE class_id = ? "
    f"ORDER BY {expression} {'DESC' if descending else 'ASC'}, id ASC"
    for column, expression in _SORT_EXPRESSIONS.items()
    for descending in (False, True)
}
# PostgreSQL's spelling of SQLite's, applied in this order to the store's constant SQL text.
_POSTGRESQL_SPELLING = (
    (re.compile(r"\bINTEGER PRIMARY KEY\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),  # SQLite's integers have 64 bits
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),  # PostgreSQL's REAL has 32
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    (re.compile(r"\bTEXT\b"), 'TEXT COLLATE "C"'),  # sorts by code point, as SQLite's BINARY
    (re.compile(r"\b(\w+) COLLATE NOCASE\b"), r"lower(\1)"),  # ASCII only in "C", as NOCASE
    (re.compile("%"), "%%"),
    (re.compile(r"\?"), "%s"),
)
_SCHEMA_LOCK = 0x6E6E_6673_0001
"""PostgreSQL advisory lock key taken while migrating, so two servers starting at once apply
each step once."""
_SHORT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.=+ -]{0,63}")  # "y=2x+1", "planar flower"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_CHALLENGE_KEYS = frozenset({"lesson", "dataset", "locks", "goal", "time_limit_s"})
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class StoreError(ValueError):
    """A class, challenge or entry the store refuses, or a database it cannot use."""


@dataclass(frozen=True)
class ClassInfo:
    """A class: its number (used in links), its name and when it was created (UTC, ISO 8601)."""

    id: int
    name: str
    created: str


@dataclass(frozen=True)
class StoredChallenge:
    """A class's task: a lesson on a dataset with locked settings, a goal and an optional time
    limit in seconds. ``locks`` and ``goal`` are the JSON dicts the console gave."""

    id: int
    class_id: int
    lesson: str
    dataset: str
    locks: dict
    goal: dict
    time_limit_s: int | None
    created: str


@dataclass(frozen=True)
class Entry:
    """One submitted run as the board shows it (its weights come from ``ClassStore.weights``).
    ``score`` is the server's own score, None if it was not scored; ``reported`` is what the
    page claimed, kept for comparison only."""

    id: int
    class_id: int
    challenge_id: int | None
    nickname: str
    lesson: str
    settings: dict
    reported: dict
    score: float | None
    detail: dict
    thumbnail: bytes | None
    created: str


class ClassStore:
    """Classes, challenges and submitted runs in one database: the SQLite file at ``where`` (a
    path), or the PostgreSQL database at ``where`` when it is a ``postgresql://`` URL.

    ``max_entries_per_class`` bounds each board; a submission beyond it is refused. ``path`` is
    the SQLite file (None on PostgreSQL); ``location`` names the database in messages, a URL
    with its password hidden.
    """

    def __init__(self, where: Path | str, *, max_entries_per_class: int = MAX_ENTRIES_PER_CLASS):
        self._database: _SQLite | _PostgreSQL = (
            _PostgreSQL(where) if isinstance(where, str) and _is_url(where) else _SQLite(where)
        )
        self.path = self._database.path
        self.location = self._database.location
        self.max_entries_per_class = max_entries_per_class
        self._migrate()

    # ---- classes --------------------------------------------------------------------------------
    def create_class(self, name: str) -> ClassInfo:
        """A new, empty class called ``name`` (1 to ``MAX_CLASS_NAME`` printable characters)."""
        name = _text(name, "class name", MAX_CLASS_NAME, example="Year 10 B")
        created = _now()
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO classes (name, created) VALUES (?, ?) RETURNING id", (name, created)
            )
            return ClassInfo(_new_id(cursor), name, created)

    def classes(self) -> list[ClassInfo]:
        """Every class, oldest first."""
        with self._connect() as db:
            rows = db.execute("SELECT id, name, created FROM classes ORDER BY id").fetchall()
        return [ClassInfo(*row) for row in rows]

    def get_class(self, class_id: int) -> ClassInfo:
        """The class numbered ``class_id``; a StoreError if there is none."""
        class_id = _id(class_id, "class")
        with self._connect() as db:
            return _class_row(db, class_id)

    def clear_class(self, class_id: int) -> int:
        """Remove the class's entries and challenges (the class itself stays, with an empty
        board); return how many entries were removed. Other classes are untouched."""
        class_id = _id(class_id, "class")
        with self._transaction(lock_class=class_id) as db:
            _class_row(db, class_id)
            removed = db.execute("DELETE FROM entries WHERE class_id = ?", (class_id,)).rowcount
            db.execute("DELETE FROM challenges WHERE class_id = ?", (class_id,))
        return removed

    # ---- challenges -----------------------------------------------------------------------------
    def set_challenge(self, class_id: int, challenge: Mapping) -> int:
        """Give the class a new current challenge and return its number.

        ``challenge`` has ``lesson`` and ``dataset`` (short names), and optionally ``locks`` and
        ``goal`` (JSON dicts, default empty) and ``time_limit_s`` (whole seconds, 1 to
        ``MAX_TIME_LIMIT_S``, or None for no limit). Earlier challenges stay, so their entries
        keep their meaning.
        """
        class_id = _id(class_id, "class")
        if not isinstance(challenge, Mapping):
            raise StoreError(
                f"a challenge is a dict with lesson, dataset, locks, goal and time_limit_s; "
                f"got {type(challenge).__name__}"
            )
        unknown = sorted(str(key) for key in challenge if key not in _CHALLENGE_KEYS)
        if unknown:
            raise StoreError(
                f"a challenge has no setting {', '.join(map(repr, unknown))[:200]}; "
                f"the settings are: {', '.join(sorted(_CHALLENGE_KEYS))}"
            )
        for required in ("lesson", "dataset"):
            if required not in challenge:
                raise StoreError(f"the challenge needs a {required}, e.g. 'rose'")
        lesson = _short_name(challenge["lesson"], "lesson")
        dataset = _short_name(challenge["dataset"], "dataset")
        locks = _json(challenge.get("locks", {}), "the challenge's locks")
        goal = _json(challenge.get("goal", {}), "the challenge's goal")
        limit = _time_limit(challenge.get("time_limit_s"))
        with self._transaction(lock_class=class_id) as db:
            _class_row(db, class_id)
            cursor = db.execute(
                "INSERT INTO challenges (class_id, lesson, dataset, locks, goal, time_limit_s, "
                "created) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (class_id, lesson, dataset, locks, goal, limit, _now()),
            )
            return _new_id(cursor)

    def current_challenge(self, class_id: int) -> StoredChallenge | None:
        """The challenge set last for the class, or None if it has none (free play)."""
        class_id = _id(class_id, "class")
        with self._connect() as db:
            _class_row(db, class_id)
            row = db.execute(_SELECT_CURRENT_CHALLENGE, (class_id,)).fetchone()
        if row is None:
            return None
        id_, class_id, lesson, dataset, locks, goal, limit, created = row
        return StoredChallenge(
            id_, class_id, lesson, dataset, json.loads(locks), json.loads(goal), limit, created
        )

    # ---- entries --------------------------------------------------------------------------------
    def add_entry(
        self,
        class_id: int,
        nickname: str,
        lesson: str,
        settings: dict,
        weights: bytes,
        thumbnail: bytes | None,
        reported: dict,
        score: float | None,
        detail: dict,
        *,
        challenge_id: int | None = None,
    ) -> int:
        """Put a run on the class's board and return its entry number.

        ``nickname``: 1 to ``MAX_NICKNAME`` printable characters, spaces around it dropped.
        ``weights``: the engine's .npz bytes (``nn.serialize``), at most ``MAX_WEIGHTS_BYTES``.
        ``thumbnail``: a PNG of at most ``MAX_THUMBNAIL_BYTES``, or None. ``settings``,
        ``reported`` and ``detail``: JSON dicts of at most ``MAX_JSON_BYTES`` each. ``score``:
        the server's finite score, or None. ``challenge_id``: one of this class's challenges.
        A full board (``max_entries_per_class``) refuses the entry.
        """
        class_id = _id(class_id, "class")
        if challenge_id is not None:
            challenge_id = _id(challenge_id, "challenge")
        values = (
            _nickname(nickname),
            _short_name(lesson, "lesson"),
            _json(settings, "the settings"),
            _weights(weights),
            _thumbnail(thumbnail),
            _json(reported, "the reported results"),
            _score(score),
            _json(detail, "the score's detail"),
        )
        with self._transaction(lock_class=class_id) as db:
            info = _class_row(db, class_id)
            if challenge_id is not None:
                owner = db.execute(
                    "SELECT class_id FROM challenges WHERE id = ?", (challenge_id,)
                ).fetchone()
                if owner is None or owner[0] != class_id:
                    raise StoreError(
                        f"class {info.name!r} has no challenge number {challenge_id}; "
                        "open the challenge from the class's current link"
                    )
            # Counted under the class's write lock, so concurrent submissions cannot overshoot.
            (count,) = db.execute(
                "SELECT COUNT(*) FROM entries WHERE class_id = ?", (class_id,)
            ).fetchone()
            if count >= self.max_entries_per_class:
                raise StoreError(
                    f"the board of class {info.name!r} is full: it holds "
                    f"{self.max_entries_per_class} entries, the most allowed. Ask the teacher "
                    "to export the board and clear it."
                )
            cursor = db.execute(
                "INSERT INTO entries (class_id, challenge_id, nickname, lesson, settings, "
                "weights, thumbnail, reported, score, score_detail, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (class_id, challenge_id, *values, _now()),
            )
            return _new_id(cursor)

    def entries(self, class_id: int, order_by: str = "id", descending: bool = False) -> list[Entry]:
        """The class's board sorted by ``order_by``, one of ``SORTABLE``; unscored entries
        come last when sorting by score, and ties keep the order of submission."""
        class_id = _id(class_id, "class")
        if not isinstance(descending, bool):
            raise StoreError(f"descending is True or False; got {descending!r}"[:200])
        query = _SELECT_ENTRIES.get((order_by, descending)) if isinstance(order_by, str) else None
        if query is None:
            raise StoreError(
                f"cannot sort the board by {order_by!r}"[:120]
                + f"; sort by one of: {', '.join(SORTABLE)}"
            )
        with self._connect() as db:
            _class_row(db, class_id)
            rows = db.execute(query, (class_id,)).fetchall()
        return [_entry(row) for row in rows]

    def weights(self, class_id: int, entry_id: int) -> bytes:
        """The .npz bytes of the class's entry ``entry_id``, to open it in its lesson."""
        class_id, entry_id = _id(class_id, "class"), _id(entry_id, "entry")
        with self._connect() as db:
            row = db.execute(
                "SELECT weights FROM entries WHERE id = ? AND class_id = ?", (entry_id, class_id)
            ).fetchone()
        if row is None:
            raise StoreError(
                f"class {class_id} has no entry number {entry_id}; it may have been cleared. "
                "Reload the board."
            )
        return bytes(row[0])

    def export_csv(self, class_id: int) -> str:
        """The class's board as CSV text: a header of ``CSV_COLUMNS``, then one row per entry in
        order of submission, with settings, reported and detail as JSON. No weights or pictures;
        a cell a spreadsheet would run as a formula gets a leading apostrophe."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for entry in self.entries(class_id):
            writer.writerow(
                [
                    entry.id,
                    _cell(entry.nickname),
                    _cell(entry.lesson),
                    "" if entry.challenge_id is None else entry.challenge_id,
                    "" if entry.score is None else repr(entry.score),
                    entry.created,
                    json.dumps(entry.settings, sort_keys=True),
                    json.dumps(entry.reported, sort_keys=True),
                    json.dumps(entry.detail, sort_keys=True),
                ]
            )
        return out.getvalue()

    # ---- the database ----------------------------------------------------------------------------
    @contextmanager
    def _connect(self) -> Iterator["_Connection"]:
        """A connection of its own for one call, in autocommit mode (transactions are explicit);
        database errors that mean "busy" or "not ours" become StoreErrors."""
        database = self._database
        raw = database.connect()
        try:
            db = _Connection(raw, database)
            database.on_connect(db)
            yield db
        except database.error as error:
            refusal = database.refusal(error)
            if refusal is None:
                raise
            raise refusal from None
        finally:
            raw.close()

    @contextmanager
    def _transaction(self, *, lock_class: int | None = None) -> Iterator["_Connection"]:
        """A write transaction; with ``lock_class``, one that holds that class's write lock from
        its start, so a check made inside it still holds at its insert, across threads,
        processes and machines. Any error rolls it all back."""
        with self._connect() as db, db.transaction():
            if lock_class is not None:
                self._database.lock_class(db, lock_class)
            yield db

    def _migrate(self) -> None:
        """Apply the steps of ``MIGRATIONS`` this database has not had yet, each with its version
        row in one transaction; refuse a database of something else or of a newer schema."""
        database = self._database
        with self._connect() as db:
            database.before_migrating(db)
            with db.transaction():
                database.lock_schema(db)
                tables = database.tables(db)
                if tables and "schema_version" not in tables:
                    raise StoreError(
                        f"{self.location} is a database of something else (it has tables "
                        f"{', '.join(sorted(tables))[:200]}), not a class database. Start the "
                        f"dashboard with {database.elsewhere}."
                    )
                db.execute(_VERSIONS_TABLE)
                (version,) = db.execute(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_version"
                ).fetchone()
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.location} was written by a newer dashboard (schema {version}; "
                        f"this one knows up to {SCHEMA_VERSION}). Update the dashboard, or use "
                        f"{database.elsewhere}."
                    )
                for number in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in MIGRATIONS[number - 1]:
                        db.execute(statement)
                    db.execute(
                        "INSERT INTO schema_version (version, applied) VALUES (?, ?)",
                        (number, _now()),
                    )


def open_store(data_dir: Path | str, env: Mapping[str, str] = os.environ) -> ClassStore:
    """The class board the app uses: the PostgreSQL database at ``NN_CLASS_STORE`` in ``env``
    (``classroom.config.store_url``) when it is set, else the SQLite file
    ``classroom.config.STORE_FILE`` in the class data folder ``data_dir``. A set value that is
    not a PostgreSQL URL, or a database that cannot be used, raises StoreError."""
    url = config.store_url(env)
    if url is None:
        return ClassStore(Path(data_dir) / config.STORE_FILE)
    if not _is_url(url):
        raise StoreError(
            f"{config.STORE_ENV} is {config.redact_url(url)[:120]!r}, which is not a database "
            "address. Give a PostgreSQL URL such as postgresql://user:password@host:5432/dbname, "
            "or leave it unset to keep the board in the class data folder."
        )
    return ClassStore(url)


# ---- the two databases: what differs between SQLite and PostgreSQL, and nothing else ------------
_BUSY = "the class board is busy with other submissions; try again in a moment"


class _Connection:
    """One open connection to either database, as the store's code uses it: ``execute`` takes
    the store's SQL (``?`` parameters, SQLite's names) and runs the database's spelling of it."""

    def __init__(self, raw: Any, database: "_SQLite | _PostgreSQL"):
        self.raw = raw
        self._database = database

    def execute(self, statement: str, parameters: Sequence[object] = ()) -> Any:
        """Run one constant ``statement`` with ``parameters``; the cursor, to fetch from."""
        return self.raw.execute(self._database.spell(statement), tuple(parameters))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction on this connection, begun as the database begins a write; an error
        rolls it back."""
        self._database.begin(self)
        try:
            yield
        except BaseException:
            # A failed statement, or a lost connection, may have ended the transaction already.
            if self._database.in_transaction(self.raw):
                self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")


class _SQLite:
    """A SQLite file: WAL, foreign keys on, and ``BEGIN IMMEDIATE`` for every write, which takes
    the file's one write lock, so a class needs no lock of its own."""

    error = sqlite3.Error
    elsewhere = "another --data-dir"

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.location = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"cannot create the class data folder {self.path.parent}: {error.strerror}. "
                "Choose a folder you can write to with --data-dir."
            ) from None

    def connect(self) -> sqlite3.Connection:
        try:
            # ``timeout`` is SQLite's busy timeout: wait for another writer instead of failing.
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(
                f"cannot open the class data {self.path}: {error}. "
                "Check that the folder exists and can be written."
            ) from None
        return db

    @staticmethod
    def spell(statement: str) -> str:
        return statement

    @staticmethod
    def on_connect(db: _Connection) -> None:
        db.execute("PRAGMA foreign_keys = ON")

    @staticmethod
    def before_migrating(db: _Connection) -> None:
        # journal_mode cannot change inside a transaction; the file remembers it.
        db.execute("PRAGMA journal_mode = WAL")

    @staticmethod
    def begin(db: _Connection) -> None:
        db.execute("BEGIN IMMEDIATE")

    @staticmethod
    def in_transaction(raw: sqlite3.Connection) -> bool:
        return raw.in_transaction

    @staticmethod
    def lock_schema(db: _Connection) -> None:
        """Nothing to do: BEGIN IMMEDIATE holds the whole file."""

    @staticmethod
    def lock_class(db: _Connection, class_id: int) -> None:
        """Nothing to do: BEGIN IMMEDIATE holds the whole file."""

    @staticmethod
    def tables(db: _Connection) -> set[str]:
        return {
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }

    def refusal(self, error: sqlite3.Error) -> StoreError | None:
        """The StoreError that says what ``error`` means for the teacher, or None to let it
        through as it is."""
        if isinstance(error, sqlite3.OperationalError):
            if "locked" in str(error) or "busy" in str(error):
                return StoreError(_BUSY)
            return None
        if isinstance(error, sqlite3.IntegrityError):
            return None
        if not isinstance(error, sqlite3.DatabaseError):
            return None
        return StoreError(
            f"{self.path} is not a class database, or it is damaged ({error}). Start the "
            "dashboard with another --data-dir, or move the file away."
        )


class _PostgreSQL:
    """A PostgreSQL database at a ``postgresql://`` URL, through psycopg 3: autocommit
    connections with explicit transactions, a writer's wait bounded by ``lock_timeout``, the
    class's row locked ``FOR UPDATE`` by a write that checks the board, and an advisory lock
    while migrating."""

    path = None
    elsewhere = f"another database in {config.STORE_ENV} (or --store)"

    def __init__(self, url: str):
        self.location = config.redact_url(url)
        scheme = url.partition("://")[0].lower()
        if scheme not in POSTGRESQL_SCHEMES:
            raise StoreError(
                f"the class board's address {self.location[:120]!r} is not a PostgreSQL URL: "
                "give postgresql://user:password@host:5432/dbname, or leave "
                f"{config.STORE_ENV} unset to keep the board in the class data folder"
            )
        try:
            import psycopg
        except ImportError:
            raise StoreError(
                "the class board on PostgreSQL needs psycopg, which is not installed for this "
                "Python. Start the dashboard with `make run`, which installs it into .venv."
            ) from None
        self._psycopg = psycopg
        self.error = psycopg.Error
        self._url = url
        self._secrets = _url_passwords(url)

    def connect(self) -> Any:
        try:
            return self._psycopg.connect(
                self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S
            )
        except self._psycopg.Error as error:
            raise StoreError(
                f"cannot open the class database {self.location}: {self._words(error)}. Check "
                "that PostgreSQL runs there and that the URL's user, password and database are "
                f"right ({config.STORE_ENV} or --store)."
            ) from None

    @staticmethod
    def spell(statement: str) -> str:
        return _postgresql(statement)

    @staticmethod
    def on_connect(db: _Connection) -> None:
        """Nothing to do: PostgreSQL always checks foreign keys."""

    @staticmethod
    def before_migrating(db: _Connection) -> None:
        """Nothing to do: PostgreSQL needs no setting per database."""

    @staticmethod
    def begin(db: _Connection) -> None:
        db.execute("BEGIN")
        # Within this transaction only: wait at most BUSY_TIMEOUT_S for another writer's lock.
        db.execute(
            "SELECT set_config('lock_timeout', ?, true)", (f"{round(BUSY_TIMEOUT_S * 1000)}ms",)
        )

    def in_transaction(self, raw: Any) -> bool:
        status = self._psycopg.pq.TransactionStatus
        return raw.info.transaction_status in (status.INTRANS, status.INERROR)

    @staticmethod
    def lock_schema(db: _Connection) -> None:
        db.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))

    @staticmethod
    def lock_class(db: _Connection, class_id: int) -> None:
        db.execute("SELECT id FROM classes WHERE id = ? FOR UPDATE", (class_id,))

    @staticmethod
    def tables(db: _Connection) -> set[str]:
        return {
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        }

    def refusal(self, error: Exception) -> StoreError | None:
        """The StoreError that says what ``error`` means for the teacher, or None to let it
        through as it is."""
        errors = self._psycopg.errors
        if isinstance(
            error,
            errors.LockNotAvailable | errors.DeadlockDetected | errors.SerializationFailure,
        ):
            return StoreError(_BUSY)
        if isinstance(error, self._psycopg.IntegrityError):
            return None
        if isinstance(error, self._psycopg.OperationalError):
            return StoreError(
                f"the class database {self.location} stopped answering ({self._words(error)}). "
                "Try again in a moment; if it goes on, check that PostgreSQL runs."
            )
        return StoreError(
            f"{self.location} cannot hold the class board ({self._words(error)}). Check that the "
            f"URL's user owns the database, or start the dashboard with {self.elsewhere}."
        )

    def _words(self, error: Exception) -> str:
        """``error``'s message on one line, with the URL's password, should it appear, hidden."""
        text = " ".join(str(error).split())
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text[:300]


@functools.cache
def _postgresql(statement: str) -> str:
    """``statement``, written for SQLite, as PostgreSQL spells it (``_POSTGRESQL_SPELLING``)."""
    for pattern, replacement in _POSTGRESQL_SPELLING:
        statement = pattern.sub(replacement, statement)
    return statement


def _is_url(where: str) -> bool:
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", where) is not None


def _url_passwords(url: str) -> list[str]:
    """The password in ``url`` (after ``user:`` or as a ``password=`` parameter), as written and
    percent-decoded, longest first; empty when it has none."""
    userinfo = url.partition("://")[2].rpartition("@")[0]
    given = [userinfo.partition(":")[2]]
    for pair in url.partition("?")[2].split("&"):
        key, _, value = pair.partition("=")
        if key == "password":
            given.append(value)
    found = {text for word in given if word for text in (word, unquote(word))}
    return sorted(found, key=len, reverse=True)


# ---- rows ----------------------------------------------------------------------------------------
def _class_row(db: _Connection, class_id: int) -> ClassInfo:
    row = db.execute("SELECT id, name, created FROM classes WHERE id = ?", (class_id,)).fetchone()
    if row is None:
        raise StoreError(
            f"there is no class number {class_id}. Check the class link, or ask the teacher "
            "for a new one."
        )
    return ClassInfo(*row)


def _entry(row: tuple) -> Entry:
    id_, class_id, challenge_id, nickname, lesson, settings, reported, score, detail = row[:9]
    thumbnail, created = row[9:]
    return Entry(
        id=id_,
        class_id=class_id,
        challenge_id=challenge_id,
        nickname=nickname,
        lesson=lesson,
        settings=json.loads(settings),
        reported=json.loads(reported),
        score=score,
        detail=json.loads(detail),
        thumbnail=None if thumbnail is None else bytes(thumbnail),
        created=created,
    )


def _new_id(cursor: Any) -> int:
    """The id an ``INSERT ... RETURNING id`` of one row gave; reading every row also ends the
    statement before its transaction commits."""
    ((new_id,),) = cursor.fetchall()
    return new_id


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


# ---- checks: each returns the value as stored, or raises StoreError -----------------------------
def _id(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise StoreError(f"a {what} number is a whole number from 1; got {value!r}"[:200])
    return value


def _text(value: object, what: str, most: int, example: str) -> str:
    if not isinstance(value, str):
        raise StoreError(f"the {what} is text, e.g. {example!r}; got {type(value).__name__}")
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise StoreError(f"the {what} is empty; type 1 to {most} characters, e.g. {example!r}")
    if len(text) > most:
        raise StoreError(
            f"the {what} {text[:most]!r}… has {len(text)} characters; the most is {most}. "
            "Try a shorter one."
        )
    if not text.isprintable():
        raise StoreError(
            f"the {what} {text!r} contains control or invisible characters; use letters, "
            "digits, spaces and punctuation"
        )
    return text


def _nickname(value: object) -> str:
    return _text(value, "nickname", MAX_NICKNAME, example="Ada")


def _short_name(value: object, what: str) -> str:
    if not isinstance(value, str) or not _SHORT_NAME.fullmatch(value):
        raise StoreError(
            f"the {what} {value!r}"[:120]
            + " is not a name the dashboard knows: use up to 64 letters, digits, spaces, '_', "
            "'.', '=', '+' or '-', starting with a letter or digit, e.g. 'rose'"
        )
    return value


def _json(value: object, what: str) -> str:
    if not isinstance(value, dict):
        raise StoreError(f"{what} are a dict of plain values; got {type(value).__name__}")
    try:
        text = json.dumps(value, sort_keys=True, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        raise StoreError(
            f"{what} hold something other than plain data: use text, finite numbers, "
            "True/False, None, lists and dicts with text keys"
        ) from None
    size = len(text.encode())
    if size > MAX_JSON_BYTES:
        raise StoreError(
            f"{what} take {size:,} bytes as JSON; the most is {MAX_JSON_BYTES:,}. "
            "Keep only the settings and numbers the board needs."
        )
    return text


def _score(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise StoreError(f"a score is a finite number, or None if unscored; got {value!r}"[:200])
    return float(value)


def _weights(value: object) -> bytes:
    if not isinstance(value, bytes | bytearray):
        raise StoreError(
            f"the weights are the bytes of a saved network (.npz); got {type(value).__name__}"
        )
    if len(value) > MAX_WEIGHTS_BYTES:
        raise StoreError(
            f"the weights take {len(value):,} bytes; the most is {MAX_WEIGHTS_BYTES:,}. "
            "Submit a smaller network (fewer units or layers)."
        )
    try:
        read_network(bytes(value))
    except NetworkError as error:
        raise StoreError(
            f"the weights are not a network saved by this dashboard ({error}); save the run "
            "again from its lesson and submit that"
        ) from None
    return bytes(value)


def _thumbnail(value: object) -> bytes | None:
    if value is None:
        return None
    if not isinstance(value, bytes | bytearray):
        raise StoreError(f"the thumbnail is the bytes of a PNG; got {type(value).__name__}")
    if len(value) > MAX_THUMBNAIL_BYTES:
        raise StoreError(
            f"the thumbnail takes {len(value):,} bytes; the most is {MAX_THUMBNAIL_BYTES:,}. "
            "Make it smaller (fewer pixels or colours)."
        )
    if not _looks_like_png(bytes(value)):
        raise StoreError(
            "the thumbnail is not a PNG picture (its header or end is missing or damaged)"
        )
    return bytes(value)


def _looks_like_png(data: bytes) -> bool:
    """PNG's signature, a first IHDR chunk of non-zero size with a correct checksum, and the
    IEND chunk at the end: the shape of a whole PNG, without decoding its pixels."""
    if len(data) < 8 + 25 + 12 or not data.startswith(_PNG_SIGNATURE):
        return False
    length, kind, width, height = struct.unpack(">I4sII", data[8:24])
    (crc,) = struct.unpack(">I", data[29:33])
    return (
        length == 13
        and kind == b"IHDR"
        and width > 0
        and height > 0
        and zlib.crc32(data[12:29]) == crc
        and data.endswith(_PNG_END)
    )


def _time_limit(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TIME_LIMIT_S:
        raise StoreError(
            f"a time limit is a whole number of seconds from 1 to {MAX_TIME_LIMIT_S:,} "
            f"(30 days), or None for no limit; got {value!r}"[:240]
        )
    return value
