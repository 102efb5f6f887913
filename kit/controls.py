"""The network builder in the sidebar: depth, units, activations, learning rate, optimizer,
batch size, L2, init, seed, presets, a live parameter count and classroom links. What the
widgets choose is a ``kit.settings.Settings``; every setting mirrors into the URL.
"""

import urllib.parse
from collections.abc import Mapping
from dataclasses import replace

import streamlit as st

from kit import colormaps
from kit import url_state as state
from kit.class_session import address_is_pinned, class_link
from kit.session import lesson_state
from kit.settings import (
    BATCH_SIZES,
    DEFAULT_ACTIVATION,
    DEFAULT_UNITS,
    HIDDEN_ACTIVATIONS,
    INIT_SCALES,
    INITS,
    L1_VALUES,
    L2_VALUES,
    LABELS,
    LEARNING_RATES,
    MAX_DEPTH,
    MAX_ITERATIONS,
    MAX_SEED,
    MAX_UNITS,
    OPTIMIZERS,
    SCHEMA,
    TARGET_COSTS,
    OutputSpec,
    Settings,
    parameter_count,
    settings_from_query,
    settings_to_query,
    settings_to_values,
)


# ---- the sidebar widgets ---------------------------------------------------------------------
def _widget_key(key: str, name: str, layer: int | None = None) -> str:
    return f"{key}.{name}" if layer is None else f"{key}.{name}.{layer}"


def _widget_values(key: str, settings: Settings) -> dict[str, object]:
    """Session-state values of every widget that shows ``settings``."""
    values = {
        _widget_key(key, name): value
        for name, value in settings_to_values(settings).items()
        if name not in ("units", "activations")
    }
    for layer, (units, activation) in enumerate(settings.hidden_layers()):
        values[_widget_key(key, "units", layer)] = units
        values[_widget_key(key, "activation", layer)] = activation
    return values


def set_speed(key: str, speed: int) -> None:
    """Train builder ``key``'s runs at ``speed`` (one of SPEEDS) from the next full run on."""
    st.session_state[_widget_key(key, "speed")] = speed
    builder = lesson_state(key).builder
    builder.settings = replace(builder.settings, speed=speed)


def speed_locked(key: str) -> bool:
    return "speed" in locked_controls(key)


def apply_settings(key: str, settings: Settings, keep: tuple[str, ...] = ()) -> None:
    """Show ``settings`` in builder ``key``'s widgets (call from a callback, before they draw);
    the names in ``keep`` (locked controls) keep their current values."""
    builder = lesson_state(key).builder
    if builder.settings is not None and keep:
        kept = {name: getattr(builder.settings, name) for name in keep if name in LABELS}
        settings = replace(settings, **kept)
    builder.settings = settings
    for widget, value in _widget_values(key, settings).items():
        st.session_state[widget] = value


def locked_controls(key: str) -> tuple[str, ...]:
    """The controls the class link of lesson ``key`` locks (none in a free lesson), also before
    the network builder's first draw (a lesson's data controls come first)."""
    builder = lesson_state(key).builder
    if builder.settings is None:
        link = class_link(key)
        return tuple(link.locks) if link else ()
    return tuple(builder.locks)


def write_url(key: str, wanted: Mapping[str, str], managed: list[str]) -> None:
    """Mirror lesson ``key``'s settings into the address bar (``managed`` names, absent in
    ``wanted`` = removed), so that the address shares the setup. A lesson opened from a class
    link keeps the teacher's signed address instead."""
    if not address_is_pinned(key):
        state.sync_query_params(st.query_params, wanted, managed)


def _first_load(key: str, defaults: Settings) -> None:
    """On the session's first visit, take the settings from the URL and the locks from its
    class link."""
    builder = lesson_state(key).builder
    if builder.settings is not None:
        return
    builder.settings = settings_from_query(st.query_params, defaults)
    link = class_link(key)
    builder.locks = list(link.locks) if link else []


def network_builder(
    key: str,
    output: OutputSpec,
    defaults: Settings,
    presets: Mapping[str, Settings] | None = None,
) -> Settings:
    """Draw the builder in the sidebar and return the chosen settings.

    The URL is read on the session's first visit and written back on every change; controls
    named in the URL's ``lock=`` are shown disabled. Presets apply in one click.
    """
    _first_load(key, defaults)
    builder = lesson_state(key).builder
    # Widget state is dropped when the student visits another page; the builder's outlives it.
    for widget, value in _widget_values(key, builder.settings).items():
        st.session_state.setdefault(widget, value)
    locks = set(locked_controls(key))

    def widget(name: str, layer: int | None = None) -> dict:
        return {"key": _widget_key(key, name, layer), "disabled": name in locks}

    bar = st.sidebar
    bar.header("Network")
    if presets:
        columns = bar.columns(len(presets))
        for column, (name, preset) in zip(columns, presets.items(), strict=True):
            column.button(
                name,
                key=_widget_key(key, f"preset.{name}"),
                on_click=apply_settings,
                args=(key, preset, tuple(locks)),
                width="stretch",
                help=preset.label(),
            )
    depth = bar.slider(LABELS["depth"], 0, MAX_DEPTH, **widget("depth"))
    units, activations = [], []
    for layer in range(depth):
        st.session_state.setdefault(_widget_key(key, "units", layer), DEFAULT_UNITS)
        st.session_state.setdefault(_widget_key(key, "activation", layer), DEFAULT_ACTIVATION)
        left, right = bar.columns([3, 2])
        units.append(
            left.slider(f"Layer {layer + 1}: units", 1, MAX_UNITS, **widget("units", layer))
        )
        activations.append(
            right.selectbox(
                f"Layer {layer + 1}: activation",
                HIDDEN_ACTIVATIONS,
                **{**widget("activation", layer), "disabled": "activations" in locks},
            )
        )
    if depth == 0:
        bar.caption(f"No hidden layer: the output layer alone, {output.activation} units.")

    bar.header("Training")
    learning_rate = bar.select_slider(
        LABELS["learning_rate"],
        LEARNING_RATES,
        format_func=lambda rate: f"{rate:g}",
        help="Log scale from 0.0001 to 10. Too high and the cost explodes.",
        **widget("learning_rate"),
    )
    optimizer = bar.selectbox(
        LABELS["optimizer"], tuple(OPTIMIZERS), format_func=OPTIMIZERS.get, **widget("optimizer")
    )
    batch_size = bar.select_slider(
        LABELS["batch_size"],
        BATCH_SIZES,
        format_func=lambda size: "full batch" if size == 0 else str(size),
        help="Samples per iteration; full batch is the tutorial's gradient descent.",
        **widget("batch_size"),
    )
    with bar.expander("More: L2, L1, init, seed, stopping"):
        l2 = st.select_slider(
            LABELS["l2"], L2_VALUES, format_func=lambda v: f"{v:g}", **widget("l2")
        )
        l1 = st.select_slider(
            LABELS["l1"],
            L1_VALUES,
            format_func=lambda v: f"{v:g}",
            help="Adds L1 × Σ|W| to the cost: it pushes weights to exactly 0.",
            **widget("l1"),
        )
        init = st.selectbox(LABELS["init"], tuple(INITS), format_func=INITS.get, **widget("init"))
        init_scale = st.select_slider(
            LABELS["init_scale"],
            INIT_SCALES,
            format_func=lambda v: f"{v:g}",
            help="Tutorial init only: W = init_scale × randn(units, inputs).",
            **{**widget("init_scale"), "disabled": "init_scale" in locks or init != "tutorial"},
        )
        seed = st.number_input(LABELS["seed"], 0, MAX_SEED, step=1, **widget("seed"))
        max_iterations = st.select_slider(
            LABELS["max_iterations"],
            MAX_ITERATIONS,
            format_func=lambda n: f"{n:,}",
            **widget("max_iterations"),
        )
        target_cost = st.select_slider(
            LABELS["target_cost"],
            TARGET_COSTS,
            format_func=lambda v: "never" if v == 0 else f"{v:g}",
            **widget("target_cost"),
        )

    settings = Settings(
        depth=depth,
        units=tuple(units),
        activations=tuple(activations),
        learning_rate=learning_rate,
        optimizer=optimizer,
        batch_size=batch_size,
        l2=l2,
        l1=l1,
        init=init,
        init_scale=init_scale,
        seed=int(seed),
        speed=st.session_state[_widget_key(key, "speed")],  # set by the live view
        max_iterations=max_iterations,
        target_cost=target_cost,
    )
    builder.settings = settings
    count = parameter_count(settings, output)
    bar.metric("Trainable parameters", f"{count:,}", help="Σ (inputs + 1) × units over layers")
    write_url(key, settings_to_query(settings, defaults), list(SCHEMA))
    _share_link(key)
    return settings


def _share_link(key: str) -> None:
    """The address of this exact setup, whole and wrapped, to copy."""
    with st.sidebar.expander("Share this setup", icon=":material/share:"):
        if address_is_pinned(key):
            st.caption(
                "Your class link: the teacher signed it, so it opens this lesson exactly as "
                "they set it. Settings you change stay in this page."
            )
        else:
            st.caption("This address opens the lesson with these settings:")
        st.code(page_address(), language=None, wrap_lines=True)


def page_address() -> str:
    """The page's whole address as the browser shows it, query included."""
    base = st.context.url.split("?", 1)[0] if st.context.url else ""
    query = urllib.parse.urlencode({name: st.query_params[name] for name in st.query_params})
    return f"{base}?{query}" if query else base


def synced_slider(
    key: str,
    name: str,
    label: str,
    low: float,
    high: float,
    default: float,
    step: float | None = None,
    help: str | None = None,
) -> float:
    """A sidebar slider for a lesson's own setting (e.g. noise) that mirrors into ``?name=``:
    read once per session (clamped into [low, high]), written back when not the default."""
    widget = _widget_key(key, name)
    locked = name in locked_controls(key)
    whole = all(isinstance(v, int) for v in (low, high, default))
    param = state.clamped_int(low, high) if whole else state.clamped_float(low, high)
    if widget not in st.session_state:  # the session's first visit: the URL's value
        query = state.read_query(st.query_params, {name: param})
        st.session_state[widget] = query.get(name, default)
    value = st.sidebar.slider(
        label, low, high, step=step, key=widget, help=help, persist_state="session",
        disabled=locked,
    )  # fmt: skip
    write_url(key, state.query_values({name: value}, {name: default}, {name: param}), [name])
    return value


def reset_synced_slider(key: str, name: str, value: float) -> None:
    """Set a synced slider (from a callback, before it draws)."""
    st.session_state[_widget_key(key, name)] = value


def colour_picker(key: str, names: tuple[str, ...]) -> str:
    """The sidebar's choice of colours for lesson ``key``'s surfaces, one of ``names`` (first
    the default; ``kit.colormaps`` marks the colour-blind-safe ones). Kept for the session."""
    return st.sidebar.selectbox(
        "Colours",
        names,
        format_func=colormaps.LABELS.get,
        key=_widget_key(key, "colours"),
        persist_state="session",
        help="Colour-blind safe: orange – purple for two classes, cividis for a surface.",
    )
