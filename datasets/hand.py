"""Data by hand: points a student adds and removes by clicking a plane, of two or more classes,
some held out for testing; the browser's click checked before it becomes a place on the plane;
the points as JSON (for "Save or continue") and as Python (for "Export this experiment").

No Streamlit: a lesson maps a click's fractions onto its own picture and keeps the points in
its own state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_HAND_POINTS = 1_000
MAX_COORDINATE = 1e3  # a saved point farther out than this is not one the student clicked
REMOVE_RADIUS = 0.05  # a removing click takes the nearest point this near (a share of the side)


@dataclass(frozen=True)
class HandPoints:
    """The student's own points: raw coordinates (n, 2), classes (n,) and which are held out
    for testing (n,)."""

    points: np.ndarray
    classes: np.ndarray
    held_out: np.ndarray

    def __len__(self) -> int:
        return len(self.points)

    @classmethod
    def of(cls, points: np.ndarray, classes: np.ndarray, test_rows: np.ndarray) -> HandPoints:
        """A dataset's points (n, 2) and classes (n,), the rows ``test_rows`` held out, to
        edit."""
        held_out = np.zeros(len(points), bool)
        held_out[np.asarray(test_rows, int)] = True
        return cls(np.array(points, float).reshape(-1, 2), np.asarray(classes, int), held_out)

    def add(self, xy: tuple[float, float], label: int) -> HandPoints:
        """These points and a training point of class ``label`` at ``xy``; ValueError when
        there are ``MAX_HAND_POINTS`` already."""
        if len(self) >= MAX_HAND_POINTS:
            raise ValueError(
                f"the plane holds {MAX_HAND_POINTS:,} points, the most it takes; remove some "
                "(Shift-click) or clear them first"
            )
        return HandPoints(
            np.vstack([self.points, np.reshape(xy, (1, 2))]),
            np.append(self.classes, int(label)),
            np.append(self.held_out, False),
        )

    def remove_nearest(self, xy: tuple[float, float], radius: float) -> HandPoints:
        """These points without the one nearest to ``xy``, if it lies within ``radius``
        (else these very points)."""
        if not len(self):
            return self
        distances = np.hypot(*(self.points - np.asarray(xy, float)).T)
        nearest = int(distances.argmin())
        if distances[nearest] > radius:
            return self
        keep = np.arange(len(self)) != nearest
        return HandPoints(self.points[keep], self.classes[keep], self.held_out[keep])

    @classmethod
    def empty(cls) -> HandPoints:
        return cls(np.empty((0, 2)), np.empty(0, int), np.empty(0, bool))

    def to_json(self) -> dict:
        """The points as JSON (for "Save or continue")."""
        return {
            "points": np.round(self.points, 6).tolist(),
            "classes": self.classes.tolist(),
            "held_out": self.held_out.tolist(),
        }

    @classmethod
    def from_json(cls, saved: object, classes: int) -> HandPoints:
        """Points written by ``to_json``, checked for a page of ``classes`` classes; ValueError
        that says what is wrong."""
        if not isinstance(saved, dict) or not {"points", "classes", "held_out"} <= saved.keys():
            raise ValueError("they are not a list of points with their classes")
        points, labels, held_out = saved["points"], saved["classes"], saved["held_out"]
        if not all(isinstance(part, list) for part in (points, labels, held_out)):
            raise ValueError("they are not a list of points with their classes")
        if not len(points) == len(labels) == len(held_out) or len(points) > MAX_HAND_POINTS:
            raise ValueError(
                f"{len(points)} points, {len(labels)} classes and {len(held_out)} test marks: "
                f"they must match, and at most {MAX_HAND_POINTS:,} points"
            )
        xy = [p for p in points if isinstance(p, list) and len(p) == 2]
        if len(xy) != len(points) or not all(is_number(v) for p in xy for v in p):
            raise ValueError("each point must be two numbers, x and y")
        array = np.array(xy, float).reshape(-1, 2)
        if np.abs(array).max(initial=0) > MAX_COORDINATE:
            raise ValueError(f"a point lies beyond ±{MAX_COORDINATE:g}, off the plane")
        if not all(type(c) is int and 0 <= c < classes for c in labels):
            raise ValueError(
                f"they use classes this page does not have: set Classes to match the file "
                f"(this page has {classes})"
            )
        if not all(isinstance(h, bool) for h in held_out):
            raise ValueError("each test mark must be true or false")
        return cls(array, np.array(labels, int), np.array(held_out, bool))


def is_number(value: object) -> bool:
    """Whether ``value`` is a finite int or float (not a bool, a string or NaN)."""
    return type(value) in (int, float) and bool(np.isfinite(value))


def click_fractions(value: object) -> tuple[float, float, bool]:
    """The browser's click ``[fx, fy, shift]``, fractions of the picture from its top left and
    whether Shift was held, checked; ValueError for anything else (the value is untrusted)."""
    if not isinstance(value, list) or len(value) != 3 or not isinstance(value[2], bool):
        raise ValueError(f"a click is [fx, fy, shift], got {value!r}")
    fx, fy = value[:2]
    if not (is_number(fx) and is_number(fy) and 0 <= fx <= 1 and 0 <= fy <= 1):
        raise ValueError(f"a click lies on the picture, between 0 and 1, got {value!r}")
    return float(fx), float(fy), value[2]


def points_code(points: np.ndarray, classes: np.ndarray) -> str:
    """Python that defines ``points`` (n, 2), as clicked, and ``classes`` (n,) for "Export this
    experiment". Every value is written as a number; ValueError if one is not finite."""
    points = np.asarray(points, float).reshape(-1, 2)
    if not np.all(np.isfinite(points)):
        raise ValueError("the points hold a value that is not a finite number; clear them")
    listed = ",\n".join(f"    [{float(x)!r}, {float(y)!r}]" for x, y in points)
    return "\n".join(
        [
            "# Your own training points (x, y) as you clicked them, and each one's class.",
            f"points = np.array([\n{listed}\n]).reshape(-1, 2)",
            f"classes = np.array({[int(c) for c in classes]!r}, dtype=int)",
        ]
    )
