"""Who is the teacher, and class links a student cannot edit unnoticed.

**Teacher token.** ``make run`` prints a teacher link carrying a random token, as Jupyter does;
``TEACHER_TOKEN`` in the environment sets it instead. Whoever shows the token is the teacher;
without it nobody is. Tokens are compared in constant time, and ``redact`` keeps them out of logs.

**Server secret.** 32 random bytes in ``<data dir>/secret.key`` (mode 0o600), made once and
kept: every class link is signed with it, so deleting it voids every link made so far.

**Signed class links.** A class link is a lesson URL whose query holds the lesson's settings, a
``lock`` list, a ``class`` id, maybe a ``challenge`` id, and a ``sig``. The signature is three
HMAC-SHA256 tags under the server secret, each over a JSON encoding (never a concatenation, so
no two different links encode alike) that starts with its own label, so no tag can stand in for
another:

==========  ======  =====================================================================
tag         bytes   covers
==========  ======  =====================================================================
link        32      every (name, value) pair of the link but ``sig``, sorted by name
lock names  16      the sorted lock names
locked      16      each locked name with its value in the link (absent is ``null``)
class       16      the ``class`` and ``challenge`` values
==========  ======  =====================================================================

``sig`` is the base64url of the four tags in that order (80 bytes, 107 characters). Only the
full link tag decides whether a link is accepted: it covers every parameter, so a changed
*unlocked* setting is refused too (students change settings in the page, not in the URL). The
three short tags never accept anything; when the link tag fails they only choose the message:
a lock added or removed, a locked value changed, the class or challenge changed, or another
change. When all of them fail too, the signature was made with another secret, or is made up.

A lock may name a setting that is not in the link: that setting is locked at the lesson's
default, and a student who adds it has changed a locked value.

Browsers and Streamlit add parameters of their own: the names in ``IGNORED_PARAMS`` (Streamlit's
``embed`` and ``embed_options``) only change how the page is framed, so they are left out of
the signature and of ``ClassLink.params``. Any other name added to a class link is a change and
is refused. A URL with none of ``class``, ``lock``, ``challenge``, ``sig`` is a free lesson.

>>> secret = bytes(range(32))
>>> query = sign_link(secret, {"depth": "3"}, ["depth"], "7b")
>>> sorted(query)
['class', 'depth', 'lock', 'sig']
>>> verify_link(secret, query).locks
('depth',)
>>> verify_link(secret, {"depth": "3"}) is None
True
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

TEACHER_ENV = "TEACHER_TOKEN"
TEACHER_PARAM = "teacher"
MIN_TOKEN_LENGTH = 16
REDACTED = "…"

SECRET_FILE = "secret.key"
SECRET_BYTES = 32

LOCK_PARAM = "lock"  # the same name kit.url_state reads locks from
CLASS_PARAM = "class"
CHALLENGE_PARAM = "challenge"
SIG_PARAM = "sig"
# Streamlit's own framing options: harmless, so a link still opens when a page is embedded.
IGNORED_PARAMS = frozenset({"embed", "embed_options"})
# Names a setting may not take: they mean something else in a link.
RESERVED_PARAMS = frozenset(
    {LOCK_PARAM, CLASS_PARAM, CHALLENGE_PARAM, SIG_PARAM, TEACHER_PARAM} | IGNORED_PARAMS
)
MAX_CLASS_ID_LENGTH = 200

_LINK_TAG_BYTES = 32
_SHORT_TAG_BYTES = 16
_SIG_BYTES = _LINK_TAG_BYTES + 3 * _SHORT_TAG_BYTES

ASK_AGAIN = (
    "Ask your teacher for the link again, or open the lesson from the home page to explore "
    "it freely."
)


class AccessError(ValueError):
    """A teacher token, server secret or class link that cannot be used."""


class TokenError(AccessError):
    """A ``TEACHER_TOKEN`` too short to keep students out."""


class SecretError(AccessError):
    """A server secret file that is not 32 bytes."""


class LinkError(AccessError):
    """A class link that was edited, cut short or not made by this server.

    ``reason`` is one of ``REASONS``; the message says the same in a student's words.
    """

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(message)


MISSING_SIGNATURE = "missing signature"
FORGED_SIGNATURE = "forged signature"
LOCKS_CHANGED = "lock added or removed"
LOCKED_VALUE_CHANGED = "locked value changed"
CLASS_CHANGED = "class or challenge changed"
CHANGED = "changed"
REASONS = (
    MISSING_SIGNATURE,
    FORGED_SIGNATURE,
    LOCKS_CHANGED,
    LOCKED_VALUE_CHANGED,
    CLASS_CHANGED,
    CHANGED,
)

_EDITED = "This class link was changed after your teacher made it: "
_MESSAGES = {
    MISSING_SIGNATURE: "This class link has lost its signature (the 'sig' part at its end), "
    "so nobody can tell whether it is the one your teacher made. It was probably cut short "
    "when it was copied. " + ASK_AGAIN,
    FORGED_SIGNATURE: "This class link's signature is not one this server made: the link "
    "comes from another server, or its signature was damaged or made up. " + ASK_AGAIN,
    LOCKS_CHANGED: _EDITED + "a lock was added or removed. " + ASK_AGAIN,
    LOCKED_VALUE_CHANGED: _EDITED + "a locked setting has another value. " + ASK_AGAIN,
    CLASS_CHANGED: _EDITED + "its class or challenge is another one. " + ASK_AGAIN,
    CHANGED: _EDITED + "a setting in it was changed, added or removed (the whole link is "
    "signed, not only its locked settings; change settings in the page instead). " + ASK_AGAIN,
}


# --- Teacher token ----------------------------------------------------------------------------


def teacher_token(env: Mapping[str, str] = os.environ) -> str:
    """``TEACHER_TOKEN`` from ``env`` if it is set, else a new random token (43 URL-safe
    characters, 256 bits). A set token shorter than ``MIN_TOKEN_LENGTH`` raises ``TokenError``
    (a short one could be guessed); the message gives its length, never the token."""
    given = env.get(TEACHER_ENV)
    if given is None:
        return secrets.token_urlsafe(32)
    if len(given) < MIN_TOKEN_LENGTH:
        raise TokenError(
            f"{TEACHER_ENV} is {len(given)} characters long; a teacher token needs at least "
            f"{MIN_TOKEN_LENGTH}, so that students cannot guess it. Set a longer one (e.g. "
            f"the output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`), "
            f"or unset {TEACHER_ENV} to get a random token printed at start."
        )
    return given


def is_teacher(given: str | None, token: str) -> bool:
    """Whether ``given`` is the teacher ``token``, compared in constant time (for tokens of
    equal length). None, empty or non-text ``given`` is never the teacher, nor is anyone when
    ``token`` is empty."""
    if not isinstance(given, str) or not given or not token:
        return False
    return hmac.compare_digest(given.encode(), token.encode())


def teacher_link(base_url: str, token: str) -> str:
    """``base_url`` with ``?teacher=<token>`` added (URL-encoded), e.g.
    ``teacher_link("http://host:8501", t) == "http://host:8501/?teacher=" + t`` for a URL-safe
    ``t``. A query already in ``base_url`` is kept."""
    if not token:
        raise TokenError(
            "the teacher token is empty, so the link would let nobody in. Make one with "
            "teacher_token()."
        )
    parts = urllib.parse.urlsplit(base_url)
    added = urllib.parse.urlencode({TEACHER_PARAM: token})
    query = f"{parts.query}&{added}" if parts.query else added
    return urllib.parse.urlunsplit(parts._replace(path=parts.path or "/", query=query))


def redact(text: str, token: str) -> str:
    """``text`` with every occurrence of ``token`` (plain or URL-encoded) replaced by "…", for
    log lines. An empty ``token`` leaves ``text`` as it is."""
    if not token:
        return text
    # Longest first: the plain token may sit inside its own encoded form.
    forms = {token, urllib.parse.quote(token, safe=""), urllib.parse.quote_plus(token)}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, REDACTED)
    return text


# --- Server secret ----------------------------------------------------------------------------


def server_secret(data_dir: Path) -> bytes:
    """The 32-byte secret in ``data_dir/secret.key``, made on first use.

    A new secret is written to a temporary file (mode 0o600) in ``data_dir``, flushed to disk,
    then published under its name by a hard link, which fails if the name exists: when several
    processes start at once exactly one publishes, and every one of them returns the bytes of
    the file that stays. (Where hard links are not supported, ``os.replace`` publishes instead
    and the file is read back; a race there can still leave two processes with different
    secrets, so start one first on such a disk.) A file of another length raises
    ``SecretError``.
    """
    data_dir = Path(data_dir)
    path = data_dir / SECRET_FILE
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".secret-", suffix=".tmp", dir=data_dir)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(secrets.token_bytes(SECRET_BYTES))
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process published first: its secret is the one
        except OSError:
            os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    secret = path.read_bytes()
    if len(secret) != SECRET_BYTES:
        raise SecretError(
            f"the server secret {path} holds {len(secret)} bytes; it should hold exactly "
            f"{SECRET_BYTES}. The file was damaged or replaced. Restore it from a backup, or "
            f"delete it to make a new one (every class link made so far then stops working "
            f"and the teacher makes new ones)."
        )
    return secret


# --- Signed class links -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClassLink:
    """A verified class link: its class, challenge (None for none), sorted lock names and
    settings (name -> URL text, without ``lock``, ``class``, ``challenge``, ``sig`` or the
    ignored names)."""

    class_id: str
    challenge: int | None
    locks: tuple[str, ...]
    params: Mapping[str, str] = field(default_factory=dict)


def sign_link(
    secret: bytes,
    params: Mapping[str, str],
    locks: Iterable[str],
    class_id: str,
    challenge: int | None = None,
) -> dict[str, str]:
    """The query parameters of a class link: ``params``, ``lock`` (the sorted lock names, comma
    separated; left out when there are none), ``class``, ``challenge`` (when given) and ``sig``
    (see the module docstring). Names and values that cannot travel unambiguously raise
    ``AccessError``."""
    _check_secret(secret)
    for name, value in params.items():
        _check_name(name, "setting")
        if not isinstance(value, str):
            raise AccessError(
                f"setting {name!r} has the value {value!r} of type {type(value).__name__}; a "
                f"link carries text. Format it first (e.g. with kit.url_state.query_values)."
            )
    lock_names = sorted(set(locks))
    for name in lock_names:
        _check_name(name, "lock")
    if not isinstance(class_id, str) or not 0 < len(class_id) <= MAX_CLASS_ID_LENGTH:
        raise AccessError(
            f"class id {class_id!r} is not usable: it should be text of 1 to "
            f"{MAX_CLASS_ID_LENGTH} characters. Use the id the class store gave the class."
        )
    if challenge is not None and (
        isinstance(challenge, bool) or not isinstance(challenge, int) or challenge < 0
    ):
        raise AccessError(
            f"challenge {challenge!r} is not usable: it should be a whole number >= 0 or None."
        )
    query = dict(sorted(params.items()))
    if lock_names:
        query[LOCK_PARAM] = ",".join(lock_names)
    query[CLASS_PARAM] = class_id
    if challenge is not None:
        query[CHALLENGE_PARAM] = str(challenge)
    query[SIG_PARAM] = _b64encode(b"".join(_tags(secret, query)))
    return query


def verify_link(secret: bytes, query: Mapping[str, str]) -> ClassLink | None:
    """The class link in ``query`` (a URL's parameters), or None for a free lesson (none of
    ``class``, ``lock``, ``challenge``, ``sig``). A link that is not exactly as ``sign_link``
    made it raises ``LinkError`` whose ``reason`` says what is wrong. Names in
    ``IGNORED_PARAMS`` are left out; any other added name is a change."""
    _check_secret(secret)
    signed = {name: value for name, value in query.items() if name not in IGNORED_PARAMS}
    if not {LOCK_PARAM, CLASS_PARAM, CHALLENGE_PARAM, SIG_PARAM} & signed.keys():
        return None
    if SIG_PARAM not in signed:
        raise LinkError(MISSING_SIGNATURE, _MESSAGES[MISSING_SIGNATURE])
    given = _b64decode(signed.pop(SIG_PARAM))
    if given is None or len(given) != _SIG_BYTES:
        raise LinkError(FORGED_SIGNATURE, _MESSAGES[FORGED_SIGNATURE])
    expected = _tags(secret, signed)
    cuts = _cut(given)
    # Every tag is compared (no early exit), so the time taken says nothing about which failed.
    matches = [hmac.compare_digest(a, b) for a, b in zip(cuts, expected, strict=True)]
    if not matches[0]:
        raise _diagnose(matches[1:])
    class_id = signed.pop(CLASS_PARAM, None)
    challenge = signed.pop(CHALLENGE_PARAM, None)
    lock_text = signed.pop(LOCK_PARAM, "")
    if not isinstance(class_id, str) or not (challenge is None or challenge.isdecimal()):
        # Signed but not shaped as sign_link makes links: not one of ours.
        raise LinkError(FORGED_SIGNATURE, _MESSAGES[FORGED_SIGNATURE])
    return ClassLink(
        class_id=class_id,
        challenge=None if challenge is None else int(challenge),
        locks=tuple(sorted(name for name in lock_text.split(",") if name)),
        params=dict(sorted(signed.items())),
    )


def _diagnose(short_matches: list[bool]) -> LinkError:
    names, values, context = short_matches
    if not (names or values or context):
        reason = FORGED_SIGNATURE
    elif not names:
        reason = LOCKS_CHANGED
    elif not values:
        reason = LOCKED_VALUE_CHANGED
    elif not context:
        reason = CLASS_CHANGED
    else:
        reason = CHANGED
    return LinkError(reason, _MESSAGES[reason])


def _tags(secret: bytes, signed: Mapping[str, str]) -> list[bytes]:
    """The four tags of a link's parameters (``sig`` already removed)."""
    lock_text = signed.get(LOCK_PARAM, "")
    lock_names = sorted(
        {name for name in lock_text.split(",") if name} if isinstance(lock_text, str) else ()
    )
    return [
        _mac(secret, "link", sorted([name, value] for name, value in signed.items())),
        _mac(secret, "lock names", lock_names)[:_SHORT_TAG_BYTES],
        _mac(secret, "locked", [[name, signed.get(name)] for name in lock_names])[
            :_SHORT_TAG_BYTES
        ],
        _mac(secret, "class", [signed.get(CLASS_PARAM), signed.get(CHALLENGE_PARAM)])[
            :_SHORT_TAG_BYTES
        ],
    ]


def _mac(secret: bytes, label: str, content: object) -> bytes:
    # The label first: the same content under two labels gives unrelated tags.
    message = json.dumps(
        ["nn-classroom class link v1", label, content], ensure_ascii=True, separators=(",", ":")
    )
    return hmac.new(secret, message.encode(), hashlib.sha256).digest()


def _cut(sig: bytes) -> list[bytes]:
    short = [
        sig[start : start + _SHORT_TAG_BYTES]
        for start in range(_LINK_TAG_BYTES, _SIG_BYTES, _SHORT_TAG_BYTES)
    ]
    return [sig[:_LINK_TAG_BYTES], *short]


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: object) -> bytes | None:
    """The bytes of unpadded base64url ``text``, or None when it is not exactly that (other
    characters, padding, or a spelling the encoder would not write)."""
    if not isinstance(text, str) or not text.isascii() or len(text) > 4 * _SIG_BYTES:
        return None
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:  # binascii.Error is a ValueError
        return None
    return data if _b64encode(data) == text else None


def _check_secret(secret: bytes) -> None:
    if not isinstance(secret, bytes) or len(secret) < SECRET_BYTES:
        given = f"{len(secret)} bytes" if isinstance(secret, bytes) else type(secret).__name__
        raise SecretError(
            f"the server secret given is {given}; signing links needs bytes, at least "
            f"{SECRET_BYTES} of them. Pass server_secret(data_dir)."
        )


def _check_name(name: object, kind: str) -> None:
    if not isinstance(name, str) or not name or "," in name or name in RESERVED_PARAMS:
        reserved = ", ".join(sorted(RESERVED_PARAMS))
        raise AccessError(
            f"{kind} name {name!r} cannot go into a class link: a name is non-empty text "
            f"without commas, and not one of the link's own names ({reserved}). Rename the "
            f"setting or leave it out."
        )
