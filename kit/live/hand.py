"""Data by hand: a lesson whose student adds and removes points by clicking its main picture."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class DataByHand:
    """The lesson's side of data by hand, given to ``live_view(hand=...)``.

    The live view's picture panel with ``"clicks": True`` sends each click to ``click(value)``
    before the page runs again; ``value`` is the browser's, untrusted: ``[fx, fy, remove]``,
    fractions of the picture's width and height from its top-left corner, and whether Shift was
    held. ``edits`` names the edits so far: a new one trains the current run on the page's new
    X, Y, keeping its weights. ``saved()`` gives the edits as JSON for "Save or continue" (None
    when there are none; they never go in the URL) and ``restore(saved)`` puts them back,
    raising ValueError with a message a student can act on when they do not fit the page."""

    edits: Hashable
    click: Callable[[object], None]
    saved: Callable[[], dict | None]
    restore: Callable[[object], None]
