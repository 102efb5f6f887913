"""Shareable state: settings <-> the URL's query parameters.

A teacher copies the address bar and every student opens exactly that setup. Everything read
from a URL is untrusted: each parameter has a parser that clamps or snaps it into range and
raises ``ValueError`` for garbage, which the readers turn into "use the default".

>>> schema = {"depth": clamped_int(0, 6), "learning_rate": nearest_option([0.01, 0.1])}
>>> read_query({"depth": "99", "learning_rate": "abc"}, schema)
{'depth': 6}
"""

import math
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_PARAM_LENGTH = 200  # longer values are ignored: nothing sensible is that long


@dataclass(frozen=True)
class Param:
    """How one setting travels in the URL: ``parse(text) -> value`` (clamped; ValueError for
    garbage) and ``format(value) -> text``."""

    parse: Callable[[str], Any]
    format: Callable[[Any], str] = str


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def clamped_int(low: int, high: int) -> Param:
    """A whole number, clamped into [low, high]."""
    return Param(lambda text: min(max(int(_finite_float(text)), low), high))


def clamped_float(low: float, high: float) -> Param:
    """A number, clamped into [low, high]."""
    return Param(lambda text: min(max(_finite_float(text), low), high), format=_short_float)


def nearest_option(options: Sequence[float], log_scale: bool = True) -> Param:
    """A number snapped to the nearest of ``options`` (nearest in log10 when ``log_scale``;
    zero, if it is an option, only matches values <= 0)."""

    def parse(text: str) -> float:
        value = _finite_float(text)
        if value <= 0 and 0 in options:
            return options[options.index(0)]
        positive = [option for option in options if option > 0]
        if log_scale:
            target = math.log10(max(value, 1e-300))
            return min(positive, key=lambda option: abs(math.log10(option) - target))
        return min(options, key=lambda option: abs(option - value))

    return Param(parse, format=_short_float)


def choice(options: Iterable[str]) -> Param:
    """One of ``options`` (case and surrounding spaces ignored)."""
    allowed = tuple(options)

    def parse(text: str) -> str:
        key = text.strip().lower()
        if key not in allowed:
            raise ValueError(f"{text!r} is not one of {allowed}")
        return key

    return Param(parse)


def listed(item: Param, max_items: int) -> Param:
    """A comma-separated list of ``item``s, at most ``max_items`` long, as a tuple."""

    def parse(text: str) -> tuple:
        parts = [part for part in text.split(",") if part.strip()][:max_items]
        return tuple(item.parse(part) for part in parts)

    return Param(parse, format=lambda values: ",".join(item.format(v) for v in values))


def _short_float(value: float) -> str:
    return f"{value:g}" if float(f"{value:g}") == value else repr(float(value))


def read_query(params: Mapping[str, str], schema: Mapping[str, Param]) -> dict[str, Any]:
    """The valid settings found in ``params``; missing and unreadable ones are left out."""
    values = {}
    for name, param in schema.items():
        text = params.get(name)
        if not isinstance(text, str) or len(text) > MAX_PARAM_LENGTH:
            continue
        try:
            values[name] = param.parse(text)
        except (ValueError, TypeError, OverflowError):
            continue
    return values


def query_values(
    values: Mapping[str, Any], defaults: Mapping[str, Any], schema: Mapping[str, Param]
) -> dict[str, str]:
    """The URL text of every setting that differs from its default (short, readable links)."""
    return {
        name: param.format(values[name])
        for name, param in schema.items()
        if name in values and values[name] != defaults.get(name)
    }


def text_of(value: Any) -> str:
    """A setting's value as URL text, as the schema's parameters write it: numbers short
    (0.1, not 0.1000000001), lists and tuples comma-separated."""
    if isinstance(value, list | tuple):
        return ",".join(map(text_of, value))
    if isinstance(value, float):
        return _short_float(value)
    return str(value)


def sync_query_params(
    query_params: MutableMapping[str, str], wanted: Mapping[str, str], managed: Iterable[str]
) -> None:
    """Make the ``managed`` names in ``query_params`` equal ``wanted`` (absent = removed),
    touching only what changed and leaving everyone else's parameters alone."""
    for name in managed:
        if name in wanted:
            if query_params.get(name) != wanted[name]:
                query_params[name] = wanted[name]
        elif name in query_params:
            del query_params[name]
