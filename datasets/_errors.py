"""Error types and small argument checks shared by the dataset modules."""

from __future__ import annotations

import math


class DatasetError(ValueError):
    """A dataset argument or file a student gave is not usable; the message says what to change."""


def check_int(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    """Return ``value`` as an int, or raise DatasetError saying what is allowed."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise DatasetError(f"{name} must be a whole number; got {value!r}")
    value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        allowed = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        raise DatasetError(f"{name} must be {allowed}; got {value}")
    return value


def check_float(
    name: str, value: object, minimum: float | None = None, maximum: float | None = None
) -> float:
    """Return ``value`` as a finite float within [minimum, maximum], or raise DatasetError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DatasetError(f"{name} must be a number; got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise DatasetError(f"{name} must be a finite number; got {value}")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if maximum is None:
            allowed = f">= {minimum}"
        elif minimum is None:
            allowed = f"<= {maximum}"
        else:
            allowed = f"between {minimum} and {maximum}"
        raise DatasetError(f"{name} must be {allowed}; got {value}")
    return value
