"""A lesson's class panel: students submit to the board; the teacher makes the class's links.

- **Students** who opened the lesson from a class link see their class, its challenge and what
  is locked, pick a nickname (no account, no personal data) and submit the run: its settings,
  its weights and a thumbnail of its picture. The server scores it itself (``classroom.board``).
- **The teacher** gets the lock picker in the sidebar, and from the lesson's current setup makes
  a signed student link for a class, or sets the class's challenge (the locked settings keep the
  values the teacher chose here) and gets its link.
- Everyone else sees neither: a free lesson.
"""

import json
import urllib.parse
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import streamlit as st

from classroom import config, scoring
from classroom.access import sign_link
from classroom.board import BoardError, Submission, challenge_of, closes_at, submit
from classroom.scoring import ChallengeError
from classroom.store import MAX_NICKNAME, StoredChallenge, StoreError
from kit import figures
from kit.class_session import (
    LINK_PARAMS,
    class_link,
    classroom_state,
    is_teacher_session,
    server,
)
from kit.live.run import Run
from kit.live.saved import saved_bytes
from kit.session import lesson_state
from kit.settings import LABELS, LOCKABLE, settings_to_values
from kit.url_state import text_of

Figures = Callable[[Run], dict[str, Callable[[], object]]]
DEFAULT_THRESHOLDS = {"test_accuracy": 0.95, "train_accuracy": 0.95}


def class_panel(
    key: str,
    run: Run | None,
    values: Mapping[str, object],
    figures_of: Figures | None = None,
    data_locks: tuple[str, ...] = (),
    dataset: str | None = None,
) -> None:
    """The class panel of lesson ``key`` below its live view.

    ``values``: the lesson's own settings (its data controls) by their URL names, as typed
    values; the network's settings are added here. ``figures_of(run)``: the lesson's slide
    figures, the first of which is the thumbnail (else the cost curve). ``data_locks``: the
    lesson's settings a teacher may lock beside the network's. ``dataset``: the challenge
    dataset the lesson shows, for lessons that offer challenges.
    """
    if link := class_link(key):
        _student_panel(key, run, values, figures_of, link)
    if is_teacher_session():
        _teacher_panel(key, values, data_locks, dataset)


def run_values(run_settings, values: Mapping[str, object]) -> dict:
    """Every setting of a run by its URL name: the network's and the lesson's ``values``."""
    return {**settings_to_values(run_settings), **values}


# ---- students ------------------------------------------------------------------------------------
def _student_panel(key, run, values, figures_of, link) -> None:
    try:
        store = server().store
        info = store.get_class(int(link.class_id))
        stored = store.current_challenge(info.id) if link.challenge is not None else None
    except StoreError as error:
        st.error(f"The class board cannot be reached: {error}", icon=":material/cloud_off:")
        return
    state = classroom_state()
    with st.container(border=True, key=f"{key}.class"):
        st.markdown(f"**Class {info.name}** :material/groups:")
        if link.challenge is not None:
            if stored is None or stored.id != link.challenge:
                st.warning(
                    "Your teacher has set a new challenge since this link was made: ask for "
                    "the new link. You can still train here.",
                    icon=":material/update:",
                )
            else:
                _challenge_line(stored)
        if link.locks:
            names = ", ".join(LABELS.get(name, name.replace("_", " ")) for name in link.locks)
            st.caption(f"Locked by your teacher: {names}.")
        left, right = st.columns([2, 1], vertical_alignment="bottom")
        nickname = left.text_input(
            "Your nickname on the board",
            value=state.nickname,
            max_chars=MAX_NICKNAME,
            key=f"{key}.nickname",
            placeholder="e.g. Ada",
            help="Any name you like: no account, nothing personal.",
        )
        state.nickname = nickname.strip()
        if right.button(
            "Submit to the board",
            key=f"{key}.submit",
            type="primary",
            icon=":material/publish:",
            width="stretch",
            help="Posts this run's settings, weights and picture; the server scores it itself.",
        ):
            if not state.nickname:
                st.warning("Pick a nickname first: it is how the board shows your entry.")
            elif run is None or run.iteration == 0:
                st.warning("Train first: press Play (or Step), then submit.")
            else:
                _submit(key, run, values, figures_of, link)
        for entry_id, said in state.submitted.get(key, [])[-3:]:
            st.caption(f"Entry #{entry_id}: {said}")


def _challenge_line(stored: StoredChallenge) -> None:
    try:
        st.markdown(f"**Challenge:** {challenge_of(stored).describe()}")
    except ChallengeError as error:
        st.warning(f"This class's challenge cannot be read: {error}. Ask your teacher.")
        return
    closes = closes_at(stored)
    if closes is None:
        return
    left = (closes - datetime.now(UTC)).total_seconds()
    if left <= 0:
        st.caption(f"This challenge closed at {closes:%H:%M} UTC.")
    else:
        st.caption(f"Closes at {closes:%H:%M} UTC, in {left / 60:.0f} min.")


def _submit(key, run: Run, values, figures_of, link) -> None:
    state = classroom_state()
    everything = run_values(run.settings, values)
    submission = Submission(
        nickname=state.nickname,
        lesson=key,
        settings={
            "values": everything,
            "query": {name: text_of(value) for name, value in everything.items()},
        },
        weights=saved_bytes(key, run),
        thumbnail=_thumbnail(run, figures_of),
        reported={name: float(value) for name, value in run.latest_metrics().items()},
    )
    try:
        accepted = submit(
            server().store, server().secret, int(link.class_id), link.challenge, submission
        )
    except (BoardError, StoreError) as error:
        st.error(f"Not submitted: {error}", icon=":material/error:")
        return
    if accepted.score is None:
        said = "on the board"
    else:
        metric = accepted.challenge.goal.metric
        value = accepted.score.metrics[metric]
        said = f"the server measured {_metric_text(metric, value)}" + (
            " on points you never saw" if metric.startswith("test") else ""
        )
        said += ": goal met" if accepted.score.meets_goal else ": goal not met yet"
    state.submitted.setdefault(key, []).append((accepted.entry_id, said))
    st.success(f"Submitted as entry #{accepted.entry_id}: {said}.", icon=":material/done:")


def _metric_text(metric: str, value: float) -> str:
    if metric.endswith("accuracy"):
        return f"{value * 100:.1f} % {scoring.METRICS[metric]}"
    return f"{scoring.METRICS[metric]} {value:.4g}"


def _thumbnail(run: Run, figures_of: Figures | None) -> bytes | None:
    """The first slide figure of the run (the lesson's picture), else its cost curve."""
    builders = list((figures_of(run) if figures_of else {}).values())
    build = builders[0] if builders else None
    if build is None:
        if not run.costs:
            return None
        costs = run.trainer.costs
        return figures.thumbnail(figures.cost_curve(list(costs.iterations), list(costs)))
    try:
        return figures.thumbnail(build())
    except ValueError:
        return None


# ---- the teacher ---------------------------------------------------------------------------------
def _teacher_panel(key, values, data_locks, dataset) -> None:
    bar = st.sidebar.expander("Class link · teacher", icon=":material/school:", expanded=False)
    try:
        classes = server().store.classes()
    except StoreError as error:
        bar.error(str(error))
        return
    if not classes:
        bar.info("Make a class in the Teacher console first.", icon=":material/info:")
        return
    chosen = bar.selectbox(
        "Class",
        classes,
        index=len(classes) - 1,
        format_func=lambda info: info.name,
        key=f"{key}.teacher.class",
    )
    locks = bar.multiselect(
        "Lock these for students",
        [*LOCKABLE, *data_locks],
        format_func=lambda name: LABELS.get(name, name.replace("_", " ")),
        key=f"{key}.teacher.locks",
        help="Locked controls are greyed out on the students' page, at the values you see "
        "here; the link is signed, so editing it is refused.",
    )
    if bar.button("Make the student link", key=f"{key}.teacher.link", width="stretch"):
        params = {
            name: st.query_params[name] for name in st.query_params if name not in LINK_PARAMS
        }
        query = sign_link(server().secret, params, locks, str(chosen.id))
        st.session_state[f"{key}.teacher.made"] = lesson_address(query)
    if key in scoring.LESSONS and dataset is not None:
        _challenge_form(bar, key, chosen, locks, values, dataset)
    if made := st.session_state.get(f"{key}.teacher.made"):
        bar.caption("Give this link to the class:")
        bar.code(made, language=None, wrap_lines=True)


def _challenge_form(bar, key, chosen, locks, values, dataset) -> None:
    with bar.form(f"{key}.teacher.challenge", border=True):
        st.markdown("**Set a challenge** on this setup")
        metric = st.selectbox(
            "Goal",
            scoring.goal_metrics(key, dataset),
            format_func=scoring.METRICS.get,
            key=f"{key}.goal.metric",
        )
        threshold = st.number_input(
            "At least (accuracy, 0–1) or at most (cost)",
            min_value=0.0,
            value=DEFAULT_THRESHOLDS.get(metric, 0.1),
            step=0.01,
            format="%.3f",
            key=f"{key}.goal.threshold",
        )
        tie_break = st.selectbox(
            "Then rank by",
            tuple(scoring.TIE_BREAKS),
            format_func=lambda name: scoring.TIE_BREAKS[name] or "the goal's metric only",
            key=f"{key}.goal.tie_break",
        )
        minutes = st.number_input(
            "Time limit (minutes, 0 = none)", 0, 7 * 24 * 60, 0, key=f"{key}.goal.minutes"
        )
        if not st.form_submit_button("Set as the class's challenge", width="stretch"):
            return
    builder = lesson_state(key).builder.settings
    everything = run_values(builder, values)
    challenge = {
        "lesson": key,
        "dataset": dataset,
        "locks": {
            name: everything[name]
            for name in dict.fromkeys([*locks, *scoring.pinned_locks(key, dataset)])
            if name in everything and name not in scoring.dataset_query(key, dataset)
        },
        "goal": {"metric": metric, "threshold": float(threshold), "tie_break": tie_break},
        "time_limit_s": int(minutes) * 60 or None,
    }
    try:
        scoring.Challenge.from_json(json.dumps(challenge))  # refuse what could not be scored
        server().store.set_challenge(chosen.id, challenge)
        stored = server().store.current_challenge(chosen.id)
    except (scoring.ChallengeError, StoreError) as error:
        bar.error(f"This challenge cannot be set: {error}")
        return
    st.session_state[f"{key}.teacher.made"] = lesson_address(challenge_link(stored))
    bar.success(f"Challenge set for {chosen.name}: {challenge_of(stored).describe()}.")


# ---- links ---------------------------------------------------------------------------------------
def challenge_link(stored: StoredChallenge) -> dict[str, str]:
    """The signed query of the student link of a stored challenge: its locked settings at their
    values, its dataset, the class and the challenge's number. Unlocked settings start at the
    lesson's defaults."""
    params = {name: text_of(value) for name, value in stored.locks.items()}
    locks = list(stored.locks)
    for name, value in scoring.dataset_query(stored.lesson, stored.dataset).items():
        params[name] = value
        locks.append(name)
    return sign_link(server().secret, params, locks, str(stored.class_id), stored.id)


def lesson_address(query: Mapping[str, str], page: str | None = None) -> str:
    """The whole address of this page (or of ``page``, a path like "Rose") with ``query``, on
    the address students reach (``classroom.config.class_url``), else the one the browser
    shows."""
    parts = urllib.parse.urlsplit(config.class_url() or st.context.url or "http://localhost:8501/")
    path = "/" + (classroom_state().url_path if page is None else page)
    return urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, path, urllib.parse.urlencode(query), "")
    )
