"""What a lesson keeps between reruns: one dataclass under one key.

``st.session_state[key]`` (``key`` is the lesson's: "linear", "titanic", "rose", "mustafar",
"sweep") holds a ``LessonState``, or the lesson's own subclass of it with its own fields.
Widgets keep their own keys (``"rose.units.0"``), as Streamlit requires; everything else lives
here, and each part has one writer:

- ``live`` is written by ``kit.live`` only: the run, the last runs' curves, the view's asks;
- ``builder`` by ``kit.controls`` only: the settings as last built and the class's locks;
- the subclass's own fields by the lesson only.

>>> @dataclass
... class RoseState(LessonState):
...     sweep: CapacitySweep | None = None
>>> state = lesson_state("rose", RoseState)
"""

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, TypeVar

import streamlit as st

if TYPE_CHECKING:
    from kit.charts import Curve
    from kit.live.run import Run
    from kit.settings import Settings


@dataclass
class LiveState:
    """``kit.live``'s part: the current run, the curves of the runs before it (the history
    overlay), how many runs this session started, the browser's ask waiting for an answer and
    the number of the last one answered, the last batch's (training seconds, batch seconds),
    the last "continue from a file" error, and a saved network waiting to be continued on the
    next draw (an entry the teacher opened from the class board)."""

    run: "Run | None" = None
    history: "list[Curve]" = field(default_factory=list)
    runs_started: int = 0
    ask: object = None
    answered: int = 0
    last_batch: tuple[float, float] = (0.0, 1.0)
    continue_error: str | None = None
    pending: bytes | None = None


@dataclass
class BuilderState:
    """``kit.controls``' part: the settings the network builder last returned (they outlive
    the widgets when the student visits another page) and the controls a class link locks."""

    settings: "Settings | None" = None
    locks: list[str] = field(default_factory=list)


@dataclass
class LessonState:
    """One lesson's state in a session: ``kit``'s two parts; a lesson subclasses it with its own
    fields."""

    live: LiveState = field(default_factory=LiveState)
    builder: BuilderState = field(default_factory=BuilderState)


State = TypeVar("State", bound=LessonState)


def lesson_state(key: str, kind: type[State] = LessonState) -> State:
    """The lesson ``key``'s state, made on first use. A lesson asks with its own ``kind``; a
    state first made by ``kit`` (a plain ``LessonState``) becomes the lesson's, keeping its
    ``live`` and ``builder`` parts."""
    state = st.session_state.get(key)
    if isinstance(state, kind):
        return state
    fresh = kind()
    if isinstance(state, LessonState):
        for part in fields(LessonState):
            setattr(fresh, part.name, getattr(state, part.name))
    st.session_state[key] = fresh
    return fresh


def forget_lesson(key: str) -> None:
    """Forget everything the session holds of lesson ``key``, its state and its widgets, as if
    the student had never opened it: its next draw reads its settings from the URL."""
    for name in [name for name in st.session_state if name == key or name.startswith(f"{key}.")]:
        del st.session_state[name]
