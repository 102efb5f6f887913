"""The teacher's console: make a class, see its challenge and link, watch the board live.

Only the teacher's session reaches it (the navigation lists it for that session alone, and the
page checks again). The board refreshes every ``BOARD_REFRESH_S`` seconds, ranks entries by the
server's own score, sorts on demand, and opens any entry in its lesson, weights and all.
"""

from datetime import UTC, datetime

import streamlit as st

from classroom.board import ORDERS, BoardError, BoardRow, board, challenge_of, closes_at
from classroom.scoring import LESSONS, METRICS
from classroom.store import MAX_CLASS_NAME, ClassInfo, ClassStore, StoreError
from kit.class_panel import challenge_link, lesson_address
from kit.class_session import TEACHER_ONLY, is_teacher_session, server
from kit.live.saved import open_saved
from kit.session import forget_lesson
from lessons import lesson_of

KEY = "console"
BOARD_REFRESH_S = 2.0
SHOWN = 60  # entries drawn on the board; the CSV holds every one


def page() -> None:
    st.title("Teacher console")
    if not is_teacher_session():
        st.error(TEACHER_ONLY, icon=":material/lock:")
        st.stop()
    try:
        store = server().store
    except StoreError as error:
        st.error(f"The class board cannot be opened: {error}")
        st.stop()
    chosen = _class_picker(store)
    if chosen is None:
        return
    _challenge(store, chosen)
    st.subheader("The board")
    _board(store, chosen.id)
    _export_and_clear(store, chosen)


def _class_picker(store: ClassStore) -> ClassInfo | None:
    classes = store.classes()
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    with right.form(f"{KEY}.new", border=False, clear_on_submit=True):
        name = st.text_input("New class", max_chars=MAX_CLASS_NAME, placeholder="e.g. Year 10 B")
        if st.form_submit_button("Make the class", icon=":material/add:") and name.strip():
            try:
                made = store.create_class(name)
            except StoreError as error:
                st.error(str(error))
            else:
                st.session_state[f"{KEY}.class"] = made.id
                st.rerun()
    if not classes:
        left.info("Make a class to start: students join it from the links you give them.")
        return None
    ids = [info.id for info in classes]
    if st.session_state.get(f"{KEY}.class") not in ids:
        st.session_state[f"{KEY}.class"] = ids[-1]
    by_id = {info.id: info for info in classes}
    chosen = left.selectbox(
        "Class", ids, format_func=lambda number: by_id[number].name, key=f"{KEY}.class"
    )
    return by_id[chosen]


def _challenge(store: ClassStore, info: ClassInfo) -> None:
    stored = store.current_challenge(info.id)
    with st.container(border=True):
        if stored is None:
            st.markdown("**No challenge yet**: the class plays freely.")
        else:
            st.markdown(f"**Challenge:** {challenge_of(stored).describe()}")
            closes = closes_at(stored)
            if closes is not None:
                state = "closed" if closes <= datetime.now(UTC) else "closes"
                st.caption(f"It {state} at {closes:%H:%M} UTC.")
            path = _url_path(stored.lesson)
            st.caption("The students' link (signed: an edited copy is refused):")
            st.code(lesson_address(challenge_link(stored), page=path), None, wrap_lines=True)
        st.caption(
            "To set a challenge or make a class link, open a lesson, set it up as the students "
            "should start, and use **Class link · teacher** in its sidebar."
        )
        for column, key in zip(st.columns(len(LESSONS)), LESSONS, strict=True):
            lesson = lesson_of(key)
            column.page_link(lesson.page, label=lesson.title, icon=lesson.icon)


def _url_path(key: str) -> str:
    return st.Page(lesson_of(key).page).url_path


@st.fragment(run_every=BOARD_REFRESH_S)
def _board(store: ClassStore, class_id: int) -> None:
    order = st.segmented_control(
        "Sort by", tuple(ORDERS), format_func=ORDERS.get, default="rank", key=f"{KEY}.order"
    )
    try:
        rows = board(store, class_id, order or "rank")
    except (BoardError, StoreError) as error:
        st.error(f"The board cannot be read: {error}")
        return
    st.caption(
        f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'} · refreshed "
        f"{datetime.now(UTC):%H:%M:%S} UTC every {BOARD_REFRESH_S:g} s"
    )
    if not rows:
        st.info("No entries yet: students submit from their lesson page.")
    for row in rows[:SHOWN]:
        _row(store, class_id, row)
    if len(rows) > SHOWN:
        st.caption(f"… and {len(rows) - SHOWN} more in the CSV export.")


def _row(store: ClassStore, class_id: int, row: BoardRow) -> None:
    entry = row.entry
    with st.container(border=True, key=f"{KEY}.entry.{entry.id}"):
        rank, picture, about, action = st.columns([1, 3, 12, 2], vertical_alignment="center")
        rank.markdown(f"### {row.rank or '–'}")
        if entry.thumbnail:
            picture.image(entry.thumbnail, width="stretch")
        about.markdown(" · ".join(_about(row)))
        lesson = lesson_of(entry.lesson)
        if action.button(
            "Open", key=f"{KEY}.open.{entry.id}", icon=":material/open_in_new:",
            help=f"Open this network in {lesson.title}, with its settings and weights",
            width="stretch",
        ):  # fmt: skip
            _open(store, class_id, row)


def _about(row: BoardRow) -> list[str]:
    """The entry in words: who, where, the server's numbers, what the page claimed, when."""
    entry = row.entry
    about = [f"**{entry.nickname}**", lesson_of(entry.lesson).title]
    metric = entry.detail.get("metric")
    if row.metric is not None and metric in METRICS:
        about.append(f"server: {_shown(metric, row.metric)} {METRICS[metric]}")
    if row.parameters is not None:
        about.append(f"{row.parameters:,} parameters")
    if row.meets_goal is not None:
        about.append("goal met ✓" if row.meets_goal else "goal not met")
    claimed = entry.reported.get(METRICS.get(metric, ""))  # the page's own units, as it said
    if isinstance(claimed, int | float):
        about.append(f"the page said {claimed:.4g}")
    about.append(f"#{entry.id} · {entry.created[11:19]} UTC")
    return about


def _shown(metric: str, value: float) -> str:
    return f"{value * 100:.1f} %" if metric.endswith("accuracy") else f"{value:.4g}"


def _open(store: ClassStore, class_id: int, row: BoardRow) -> None:
    entry = row.entry
    try:
        weights = store.weights(class_id, entry.id)
    except StoreError as error:
        st.error(str(error))
        return
    query = entry.settings.get("query") if isinstance(entry.settings, dict) else None
    forget_lesson(entry.lesson)  # the lesson reads the entry's settings from the address
    open_saved(entry.lesson, weights)
    st.switch_page(lesson_of(entry.lesson).page, query_params=query or {})


def _export_and_clear(store: ClassStore, info: ClassInfo) -> None:
    left, right = st.columns(2)
    left.download_button(
        "Export the board (CSV)",
        data=lambda: store.export_csv(info.id),
        file_name=f"class-{info.id}-board.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=f"{KEY}.csv",
    )
    with right.popover("Clear this class", icon=":material/delete:"):
        st.warning(f"Removes every entry and challenge of **{info.name}**. Export first.")
        if st.button("Yes, clear it", key=f"{KEY}.clear", type="primary"):
            removed = store.clear_class(info.id)
            st.toast(f"Cleared {removed} entries.", icon=":material/delete:")
            st.rerun()
