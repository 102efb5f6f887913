"""This session's place in a class: is it the teacher's, and which class link opened a lesson.

The server's classroom parts (``classroom/``: the store, the secret that signs links, the
teacher token) are made once per process and folder. A session becomes the teacher's by
opening the teacher link ``make run`` prints: the token is compared in constant time, then
removed from the address bar at once, so it never shows on a projected screen or in a copied
link. Without the token nobody is a teacher.

A lesson opened from a class link is checked on the session's first visit, before the lesson
draws (``open_page``): a signed link joins its class with its locks; an edited one is refused
with its reason in words and the lesson opens free, at its defaults, outside any class.
``st.session_state["classroom"]`` holds a ``ClassroomState``, written here only.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from classroom import config
from classroom.access import (
    CHALLENGE_PARAM,
    CLASS_PARAM,
    LOCK_PARAM,
    MIN_TOKEN_LENGTH,
    SIG_PARAM,
    TEACHER_ENV,
    TEACHER_PARAM,
    AccessError,
    ClassLink,
    LinkError,
    is_teacher,
    server_secret,
    verify_link,
)
from classroom.store import ClassInfo, ClassStore, StoreError, open_store

SESSION_KEY = "classroom"
LINK_PARAMS = frozenset({CLASS_PARAM, LOCK_PARAM, CHALLENGE_PARAM, SIG_PARAM})
TEACHER_ONLY = (
    "This is the teacher's. Open the teacher link printed when the dashboard started "
    "(`make run`); reloading the page ends teacher mode, the link starts it again."
)


@dataclass(frozen=True)
class Server:
    """The classroom parts one server process shares between its sessions."""

    store: ClassStore
    secret: bytes
    data_dir: Path


@dataclass
class ClassroomState:
    """The session's classroom part: whether it is the teacher's, the nickname it joined
    with, the class link each lesson was opened from (lesson key -> link), the message of each
    refused link, which lessons had their address checked, the entries it submitted
    (number, what the server said) per lesson, and the address of the page being drawn."""

    teacher: bool = False
    nickname: str = ""
    links: dict[str, ClassLink] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    submitted: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    url_path: str = ""


def classroom_state() -> ClassroomState:
    state = st.session_state.get(SESSION_KEY)
    if not isinstance(state, ClassroomState):
        state = st.session_state[SESSION_KEY] = ClassroomState()
    return state


# ---- the server's parts --------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _server(data_dir: str, store_url: str | None) -> Server:
    # ``store_url`` is part of the cache key: another NN_CLASS_STORE opens its own store.
    folder = Path(data_dir)
    store = open_store(folder, {config.STORE_ENV: store_url} if store_url else {})
    return Server(store, server_secret(folder), folder)


def server() -> Server:
    """The store and secret of the class data folder (``NN_DATA_DIR``, else the default); the
    store is ``NN_CLASS_STORE``'s database when that is set. StoreError (with what to do) when
    the folder or the database cannot be used."""
    try:
        return _server(str(config.data_dir()), config.store_url())
    except (OSError, AccessError) as error:  # SecretError is an AccessError
        raise StoreError(
            f"the class data folder {config.data_dir()} cannot be used: {error}. Start the "
            "dashboard with a folder you can write to: make run DATA_DIR=/path/to/folder."
        ) from None


def _token() -> str:
    """The teacher token the launcher passed in the environment; "" (nobody is the teacher)
    when it is missing or too short to be safe."""
    token = os.environ.get(TEACHER_ENV, "")
    return token if len(token) >= MIN_TOKEN_LENGTH else ""


# ---- the teacher ---------------------------------------------------------------------------------
def claim_teacher() -> bool:
    """Read ``?teacher=`` once: remove it from the address bar and, when it is the token, make
    this session the teacher's. True when this call did; a wrong token says so."""
    given = st.query_params.get(TEACHER_PARAM)
    if given is None:
        return False
    del st.query_params[TEACHER_PARAM]
    if is_teacher(given, _token()):
        classroom_state().teacher = True
        return True
    st.error(
        "This teacher link is not valid for this server. Use the link printed when the "
        "dashboard started; the lessons work as usual.",
        icon=":material/lock:",
    )
    return False


def is_teacher_session() -> bool:
    return classroom_state().teacher


# ---- class links ---------------------------------------------------------------------------------
def open_page(key: str | None, url_path: str) -> None:
    """Before lesson ``key`` draws (None for a page that is not a lesson) at ``url_path`` (its
    address, e.g. "Rose"): on the session's first visit, check the class link in the address;
    afterwards, say if it was refused."""
    state = classroom_state()
    state.url_path = url_path
    if key is None:
        return
    if key not in state.checked:
        state.checked.add(key)
        _check_link(key, state)
    if message := state.refused.get(key):
        st.error(message, icon=":material/link_off:")


def _check_link(key: str, state: ClassroomState) -> None:
    query = {name: st.query_params[name] for name in st.query_params}
    if not LINK_PARAMS & query.keys():
        return  # a free lesson: no class, nothing to check
    try:
        secret = server().secret
        link = verify_link(secret, query)
        if link is not None:
            _class_of(link)
    except (LinkError, StoreError) as error:
        state.refused[key] = (
            f"**This class link cannot be used.** {error} This page opens as a free lesson "
            "with its usual settings; it does not count for the class or its challenge."
        )
        st.query_params.clear()  # the lesson reads its defaults, not the edited values
        return
    if link is not None:
        state.links[key] = link


def _class_of(link: ClassLink) -> ClassInfo:
    if not link.class_id.isdecimal():
        raise StoreError("the link names no class of this server")
    try:
        return server().store.get_class(int(link.class_id))
    except StoreError:
        raise StoreError(
            "its class is not on this server any more (the teacher may have started another "
            "class folder); ask your teacher for the link again."
        ) from None


def class_link(key: str) -> ClassLink | None:
    """The signed class link lesson ``key`` was opened from, if any."""
    return classroom_state().links.get(key)


def address_is_pinned(key: str) -> bool:
    """Whether lesson ``key``'s address is a class link, to be left as the teacher made it:
    a reload then opens the same signed link, and settings changed in the page stay in the
    page."""
    return key in classroom_state().links
