"""Data by hand on a lesson's page: one row above the live view (what a click on the plane does,
a hint, Clear all, back to the Dataset), the student's points kept in the lesson's state
(``HandState``), and the lesson's side of the live view's clicks (``kit.live.DataByHand``).

The lesson says what its plane is (``Plane``): the data the points belong to, its classes'
names, the dataset's points to start from and where a click lands. The points themselves are
``datasets.hand.HandPoints``.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

import streamlit as st

from datasets.hand import MAX_HAND_POINTS, HandPoints
from kit.controls import locked_controls
from kit.live import DataByHand

REMOVE = "remove"


@dataclass
class HandState:
    """A lesson's data by hand: the student's points (None while the data is the dataset's),
    the data they were made on, how many edits so far, and why the last click changed
    nothing."""

    points: HandPoints | None = None
    made_on: Hashable = None
    edits: int = 0
    refused: str | None = None

    def points_on(self, made_on: Hashable) -> HandPoints | None:
        """The student's points if they were made on ``made_on``; other data forgets them
        (another dataset starts from its own points)."""
        if self.points is not None and self.made_on != made_on:
            self.points, self.made_on, self.refused = None, None, None
        return self.points

    def edit(self, points: HandPoints | None, made_on: Hashable) -> None:
        """Train on ``points`` (None: the dataset's) from now on."""
        self.points, self.made_on = points, None if points is None else made_on
        self.edits += 1


@dataclass(frozen=True)
class Plane:
    """What a lesson's plane is to data by hand: ``made_on`` names the data the points belong
    to; ``classes`` names the classes, class 0 first ("Add orange"); ``start()`` gives the
    dataset's points to edit; ``place(value)`` turns the browser's click into ((x, y), shift),
    ValueError for anything else; a removing click takes the nearest point within ``radius``."""

    made_on: Hashable
    classes: tuple[str, ...]
    start: Callable[[], HandPoints]
    place: Callable[[object], tuple[tuple[float, float], bool]]
    radius: float


def hand_panel(
    key: str, state: HandState, plane: Plane, data_locks: tuple[str, ...] = ()
) -> DataByHand | None:
    """Draw lesson ``key``'s row of data by hand and return what the live view needs, or None
    when a class link locks one of ``data_locks`` (the teacher fixed the data)."""
    if set(locked_controls(key)) & set(data_locks):
        st.caption("The class link fixes the data: the plane takes no clicks.")
        return None
    options = [*range(len(plane.classes)), REMOVE]
    tool, hint, clear, back = st.columns([4, 1.2, 1.2, 1.3], vertical_alignment="center")
    tool.segmented_control(
        "A click on the plane",
        options,
        label_visibility="collapsed",
        format_func=lambda c: "Remove" if c == REMOVE else f"Add {plane.classes[c]}",
        default=0,
        required=True,
        wrap=True,  # five classes and Remove take two lines in a narrow window
        key=_tool_key(key, plane),
        help=f"Click the plane to add a point (at most {MAX_HAND_POINTS:,}); Shift-click removes "
        "the nearest whatever is chosen. Training goes on with the new data. Save or continue "
        "keeps your points; the link does not.",
    )
    hint.caption("Click the plane: add a point. Shift-click: remove one.")
    clear.button(
        "Clear all", key=f"{key}.clear_points", on_click=state.edit,
        args=(HandPoints.empty(), plane.made_on), icon=":material/delete_sweep:",
        disabled=state.points is not None and not len(state.points), width="stretch",
        help="Remove every point, training and test, and click your own",
    )  # fmt: skip
    back.button(
        "Dataset", key=f"{key}.dataset_points", on_click=state.edit, args=(None, plane.made_on),
        disabled=state.points is None, icon=":material/undo:", width="stretch",
        help="Back to the dataset's points (your clicks are forgotten)",
    )  # fmt: skip
    if state.refused:
        st.warning(state.refused, icon=":material/touch_app:")
    return DataByHand(
        edits=state.edits,
        click=lambda value: _click(key, state, plane, value),
        saved=lambda: None if state.points is None else state.points.to_json(),
        restore=lambda saved: state.edit(
            None if saved is None else HandPoints.from_json(saved, len(plane.classes)),
            plane.made_on,
        ),
    )


def _tool_key(key: str, plane: Plane) -> str:
    return f"{key}.tool.{len(plane.classes)}"  # the options change with the classes


def _click(key: str, state: HandState, plane: Plane, value: object) -> None:
    """A click on the plane: add a point of the chosen class, or (Shift, or the Remove tool)
    remove the nearest; a click that changes nothing says why."""
    state.refused = None
    try:
        xy, shift = plane.place(value)
    except ValueError:
        return  # not a click the page sends: nothing to do
    tool = st.session_state.get(_tool_key(key, plane))
    points = state.points if state.points is not None else plane.start()
    if shift or tool == REMOVE:
        edited = points.remove_nearest(xy, plane.radius)
        if edited is points:
            state.refused = "No point removed: there is none that close. Click on a point."
            return
    else:
        try:
            edited = points.add(xy, tool if tool in range(len(plane.classes)) else 0)
        except ValueError as error:
            state.refused = f"No point added: {error}."
            return
    state.edit(edited, plane.made_on)
