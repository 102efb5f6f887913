"""classroom.access: the teacher token, the server secret and signed class links.

Every edit a student could make to a class link is refused, each with its own reason; a plain
lesson URL stays a free lesson.
"""

import base64
import multiprocessing
import os
import stat
import urllib.parse
from pathlib import Path

import pytest

from classroom import access
from classroom.access import (
    CHANGED,
    CLASS_CHANGED,
    FORGED_SIGNATURE,
    LOCKED_VALUE_CHANGED,
    LOCKS_CHANGED,
    MISSING_SIGNATURE,
    REASONS,
    AccessError,
    ClassLink,
    LinkError,
    SecretError,
    TokenError,
    is_teacher,
    redact,
    server_secret,
    sign_link,
    teacher_link,
    teacher_token,
    verify_link,
)

SECRET = bytes(range(32))
OTHER_SECRET = bytes(range(1, 33))
SETTINGS = {"depth": "3", "learning_rate": "0.1", "activation": "tanh", "seed": "1"}
LOCKS = ["depth", "activation"]


# --- Teacher token ----------------------------------------------------------------------------


def test_the_token_comes_from_the_environment_when_set() -> None:
    assert teacher_token({"TEACHER_TOKEN": "a-long-enough-token"}) == "a-long-enough-token"


def test_without_the_environment_each_start_gets_a_new_random_url_safe_token() -> None:
    first, second = teacher_token({}), teacher_token({})
    assert first != second
    assert len(first) >= 43  # 32 random bytes
    assert urllib.parse.quote(first, safe="") == first


@pytest.mark.parametrize("short", ["", "x", "fifteen-chars15"])
def test_a_short_token_is_refused_without_showing_it(short: str) -> None:
    with pytest.raises(TokenError, match=f"is {len(short)} characters long") as raised:
        teacher_token({"TEACHER_TOKEN": short})
    assert isinstance(raised.value, ValueError)
    if short:
        assert short not in str(raised.value)
    assert "unset TEACHER_TOKEN" in str(raised.value)


def test_sixteen_characters_are_enough() -> None:
    assert teacher_token({"TEACHER_TOKEN": "sixteen-chars-16"}) == "sixteen-chars-16"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("the-teacher-token-0123", True),
        ("the-teacher-token-0124", False),  # same length, one character off
        ("the-teacher-token", False),  # a prefix
        ("the-teacher-token-0123-and-more", False),  # longer
        ("", False),
        (None, False),
    ],
)
def test_is_teacher(given: str | None, expected: bool) -> None:
    assert is_teacher(given, "the-teacher-token-0123") is expected


def test_nobody_is_teacher_when_the_token_is_empty() -> None:
    assert not is_teacher("", "")
    assert not is_teacher("anything", "")


def test_is_teacher_takes_non_ascii_text() -> None:
    assert is_teacher("ünïcødé-token-1234", "ünïcødé-token-1234")
    assert not is_teacher("ünïcødé-token-1235", "ünïcødé-token-1234")


@pytest.mark.parametrize(
    "base", ["http://host:8501", "http://host:8501/", "http://192.168.1.5:8501"]
)
def test_the_teacher_link_carries_the_token(base: str) -> None:
    token = teacher_token({})
    link = teacher_link(base, token)
    assert link == base.rstrip("/") + "/?teacher=" + token
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query) == {"teacher": [token]}
    assert access.TEACHER_PARAM == "teacher"


def test_the_teacher_link_encodes_a_token_with_url_characters_and_keeps_a_query() -> None:
    token = "a&b=c d/ü-long-enough"
    link = teacher_link("http://host:8501/?embed=true", token)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert query == {"embed": ["true"], "teacher": [token]}


def test_a_teacher_link_needs_a_token() -> None:
    with pytest.raises(TokenError, match="empty"):
        teacher_link("http://host:8501", "")


def test_redact_hides_the_token_plain_and_url_encoded() -> None:
    token = "a&b=c d/ü-long-enough"
    encoded = urllib.parse.quote(token, safe="")
    line = f"GET /?teacher={encoded} from {token} again {token}"
    hidden = redact(line, token)
    assert token not in hidden and encoded not in hidden
    assert hidden == "GET /?teacher=… from … again …"


def test_redact_leaves_lines_without_the_token_and_ignores_an_empty_token() -> None:
    assert redact("nothing secret here", "the-teacher-token-0123") == "nothing secret here"
    assert redact("nothing secret here", "") == "nothing secret here"


# --- Server secret ----------------------------------------------------------------------------


def test_the_secret_is_made_once_private_and_kept(tmp_path: Path) -> None:
    data_dir = tmp_path / "class-data"  # not there yet: made on first use
    first = server_secret(data_dir)
    path = data_dir / "secret.key"
    assert len(first) == 32
    assert path.read_bytes() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert server_secret(data_dir) == first
    assert sorted(p.name for p in data_dir.iterdir()) == ["secret.key"]  # no temporary left


def test_two_folders_get_different_secrets(tmp_path: Path) -> None:
    assert server_secret(tmp_path / "a") != server_secret(tmp_path / "b")


@pytest.mark.parametrize("size", [0, 31, 33, 64])
def test_a_secret_file_of_the_wrong_length_is_refused(tmp_path: Path, size: int) -> None:
    (tmp_path / "secret.key").write_bytes(b"x" * size)
    with pytest.raises(SecretError, match=f"holds {size} bytes; it should hold exactly 32"):
        server_secret(tmp_path)
    assert (tmp_path / "secret.key").read_bytes() == b"x" * size  # never overwritten


def test_losing_the_race_returns_the_winners_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process publishes between our first look and our own publishing."""
    winner = os.urandom(32)
    real_link = os.link

    def link_after_the_winner(source: str, target: Path) -> None:
        Path(target).write_bytes(winner)
        real_link(source, target)

    monkeypatch.setattr(access.os, "link", link_after_the_winner)
    assert server_secret(tmp_path) == winner
    assert (tmp_path / "secret.key").read_bytes() == winner
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.key"]


def _race(data_dir: str, barrier, results) -> None:
    barrier.wait()
    results.put(server_secret(Path(data_dir)).hex())


def test_processes_racing_for_a_new_secret_all_end_with_the_same_one(tmp_path: Path) -> None:
    context = multiprocessing.get_context()
    racers = 4
    for round_ in range(3):
        data_dir = tmp_path / f"round-{round_}"
        barrier, results = context.Barrier(racers), context.Queue()
        processes = [
            context.Process(target=_race, args=(str(data_dir), barrier, results))
            for _ in range(racers)
        ]
        for process in processes:
            process.start()
        secrets_seen = {results.get(timeout=60) for _ in processes}
        for process in processes:
            process.join(timeout=60)
            assert process.exitcode == 0
        assert secrets_seen == {(data_dir / "secret.key").read_bytes().hex()}
        assert sorted(p.name for p in data_dir.iterdir()) == ["secret.key"]


# --- Signed class links -----------------------------------------------------------------------


def _signed(challenge: int | None = 4) -> dict[str, str]:
    return sign_link(SECRET, SETTINGS, LOCKS, "class-7b", challenge)


def _reason(query: dict[str, str]) -> str:
    with pytest.raises(LinkError) as raised:
        verify_link(SECRET, query)
    assert raised.value.reason in REASONS
    assert "Ask your teacher for the link again" in str(raised.value)
    return raised.value.reason


def test_a_signed_link_carries_settings_locks_class_challenge_and_sig() -> None:
    query = _signed()
    assert query["lock"] == "activation,depth"  # sorted
    assert query["class"] == "class-7b"
    assert query["challenge"] == "4"
    assert {name: query[name] for name in SETTINGS} == SETTINGS
    assert len(base64.urlsafe_b64decode(query["sig"] + "=")) == 80


def test_a_signed_link_verifies_to_what_was_signed() -> None:
    link = verify_link(SECRET, _signed())
    assert link == ClassLink("class-7b", 4, ("activation", "depth"), SETTINGS)
    assert verify_link(SECRET, _signed(challenge=None)) == ClassLink(
        "class-7b", None, ("activation", "depth"), SETTINGS
    )


def test_a_link_without_locks_has_no_lock_parameter_and_still_verifies() -> None:
    query = sign_link(SECRET, {"seed": "2"}, [], "c")
    assert "lock" not in query
    assert verify_link(SECRET, query) == ClassLink("c", None, (), {"seed": "2"})


def test_the_signature_survives_a_trip_through_a_real_url() -> None:
    settings = {"note": "a & b = c/d ü", "units": "4,4,2"}
    query = sign_link(SECRET, settings, ["units"], "Mme Curie's class", 0)
    url = "http://host:8501/rose?" + urllib.parse.urlencode(query)
    back = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert verify_link(SECRET, back) == ClassLink("Mme Curie's class", 0, ("units",), settings)


def test_signing_is_deterministic_and_depends_on_the_secret() -> None:
    assert _signed()["sig"] == _signed()["sig"]
    other = sign_link(OTHER_SECRET, SETTINGS, LOCKS, "class-7b", 4)
    assert other["sig"] != _signed()["sig"]


def test_a_plain_lesson_url_is_a_free_lesson() -> None:
    assert verify_link(SECRET, {}) is None
    assert verify_link(SECRET, SETTINGS) is None
    assert verify_link(SECRET, {**SETTINGS, "embed": "true"}) is None


def test_streamlits_embed_parameters_are_ignored() -> None:
    query = {**_signed(), "embed": "true", "embed_options": "light_theme"}
    link = verify_link(SECRET, query)
    assert link is not None
    assert "embed" not in link.params and "embed_options" not in link.params


def test_an_unknown_added_parameter_is_refused() -> None:
    assert _reason({**_signed(), "utm_source": "mail"}) == CHANGED
    assert _reason({**_signed(), "teacher": "guess-guess-guess"}) == CHANGED


def test_a_changed_locked_value_is_refused() -> None:
    assert _reason({**_signed(), "depth": "6"}) == LOCKED_VALUE_CHANGED


def test_a_removed_locked_setting_is_a_changed_locked_value() -> None:
    query = _signed()
    del query["depth"]
    assert _reason(query) == LOCKED_VALUE_CHANGED


def test_a_lock_on_a_setting_left_at_its_default_keeps_it_at_the_default() -> None:
    query = sign_link(SECRET, {"seed": "1"}, ["depth"], "c")
    assert verify_link(SECRET, query) == ClassLink("c", None, ("depth",), {"seed": "1"})
    assert _reason({**query, "depth": "6"}) == LOCKED_VALUE_CHANGED


def test_an_added_lock_is_refused() -> None:
    query = _signed()
    assert _reason({**query, "lock": query["lock"] + ",seed"}) == LOCKS_CHANGED


def test_a_removed_lock_is_refused() -> None:
    assert _reason({**_signed(), "lock": "activation"}) == LOCKS_CHANGED
    query = _signed()
    del query["lock"]
    assert _reason(query) == LOCKS_CHANGED


def test_a_changed_unlocked_value_is_refused_because_the_whole_link_is_signed() -> None:
    assert _reason({**_signed(), "learning_rate": "3"}) == CHANGED
    query = _signed()
    del query["seed"]
    assert _reason(query) == CHANGED
    assert _reason({**_signed(), "units": "8"}) == CHANGED


def test_reordered_locks_are_refused_as_a_change() -> None:
    assert _reason({**_signed(), "lock": "depth,activation"}) == CHANGED


def test_a_changed_class_is_refused() -> None:
    assert _reason({**_signed(), "class": "class-8a"}) == CLASS_CHANGED


def test_a_changed_added_or_removed_challenge_is_refused() -> None:
    assert _reason({**_signed(), "challenge": "5"}) == CLASS_CHANGED
    assert _reason({**_signed(challenge=None), "challenge": "4"}) == CLASS_CHANGED
    query = _signed()
    del query["challenge"]
    assert _reason(query) == CLASS_CHANGED


def test_a_link_without_its_signature_is_refused() -> None:
    query = _signed()
    del query["sig"]
    assert _reason(query) == MISSING_SIGNATURE
    assert _reason({**SETTINGS, "lock": "depth"}) == MISSING_SIGNATURE
    assert _reason({**SETTINGS, "class": "class-7b"}) == MISSING_SIGNATURE
    assert _reason({**SETTINGS, "challenge": "4"}) == MISSING_SIGNATURE


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "not base64!",
        "abc",  # decodes to too few bytes
        "A" * 107 + "=",  # padding is never written
        "A" * 200,  # too long
        "A" * 106 + "B",  # right length, non-canonical last character
        "é" * 107,
    ],
)
def test_a_garbage_signature_is_refused_as_forged(garbage: str) -> None:
    assert _reason({**_signed(), "sig": garbage}) == FORGED_SIGNATURE


def test_a_signature_made_up_with_the_right_length_is_refused_as_forged() -> None:
    made_up = base64.urlsafe_b64encode(bytes(80)).rstrip(b"=").decode()
    assert _reason({**_signed(), "sig": made_up}) == FORGED_SIGNATURE


def test_a_link_signed_with_another_secret_is_refused_as_forged() -> None:
    assert _reason(sign_link(OTHER_SECRET, SETTINGS, LOCKS, "class-7b", 4)) == FORGED_SIGNATURE


def test_a_signature_copied_onto_another_link_is_refused() -> None:
    copied = {**_signed(), "sig": sign_link(SECRET, SETTINGS, LOCKS, "class-8a", 4)["sig"]}
    assert _reason(copied) == CLASS_CHANGED


def test_every_reason_has_its_own_message() -> None:
    messages = {}
    for reason in REASONS:
        error = LinkError(reason, access._MESSAGES[reason])
        assert isinstance(error, ValueError)
        messages[reason] = str(error)
    assert len(set(messages.values())) == len(REASONS)
    assert "changed after your teacher made it" in messages[LOCKED_VALUE_CHANGED]


def test_the_signature_reveals_neither_the_secret_nor_the_token() -> None:
    token = teacher_token({})
    secret = os.urandom(32)
    query = sign_link(secret, {**SETTINGS, "note": token[:10]}, LOCKS, "c")
    sig = query["sig"]
    raw = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
    assert token not in sig and token not in "".join(query.values())
    for form in (secret, secret[:8], secret[-8:]):
        assert form not in raw
    encodings = (base64.urlsafe_b64encode(secret).decode(), secret.hex())
    for encoded in encodings:
        assert encoded[:11] not in sig


@pytest.mark.parametrize(
    ("params", "locks", "class_id", "challenge", "match"),
    [
        ({"sig": "x"}, [], "c", None, "setting name 'sig'"),
        ({"class": "x"}, [], "c", None, "setting name 'class'"),
        ({"embed": "true"}, [], "c", None, "setting name 'embed'"),
        ({"": "x"}, [], "c", None, "setting name ''"),
        ({"depth": 3}, [], "c", None, "of type int"),
        ({}, ["a,b"], "c", None, "lock name 'a,b'"),
        ({}, ["lock"], "c", None, "lock name 'lock'"),
        ({}, [], "", None, "class id ''"),
        ({}, [], "c" * 201, None, "1 to 200 characters"),
        ({}, [], "c", -1, "challenge -1"),
        ({}, [], "c", True, "challenge True"),
    ],
)
def test_sign_link_refuses_what_cannot_travel_in_a_link(
    params: dict, locks: list, class_id: str, challenge: int | None, match: str
) -> None:
    with pytest.raises(AccessError, match=match):
        sign_link(SECRET, params, locks, class_id, challenge)


@pytest.mark.parametrize("secret", [b"", b"short", "a text secret of 32 characters!!"])
def test_a_short_or_text_secret_is_refused(secret: object) -> None:
    with pytest.raises(SecretError, match="at least 32"):
        sign_link(secret, {}, [], "c")  # type: ignore[arg-type]
    with pytest.raises(SecretError, match="at least 32"):
        verify_link(secret, {"class": "c", "sig": "x"})  # type: ignore[arg-type]
