"""Lesson 4, Mustafar, as the page draws it: the transmission picker and picture settings, the two
presets in the sidebar's words, the live view's panels, the dead-network alarm, and the Enhance
tab (Figure 9, the free viewer, the comparison, the downloads, a model import). ``page()`` draws
the whole page.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np
import streamlit as st
from PIL import Image
from streamlit.runtime.uploaded_file_manager import UploadedFile

import nn
from datasets import TRANSMISSIONS, DatasetError, xy_to_image
from kit import MAX_UPLOAD_MB, colormaps
from kit import url_state as state
from kit.class_panel import class_panel
from kit.code_view import code_view
from kit.controls import apply_settings, locked_controls, network_builder, write_url
from kit.export import export_button
from kit.live import Run, current_run, encode, live_view
from kit.live.run import new_run, replace_run
from kit.math_panel import math_panel
from kit.session import LessonState, lesson_state
from kit.settings import (
    OutputSpec,
    Settings,
    export_settings,
)
from lessons.mustafar import enhance, slides
from lessons.mustafar.logic import (
    COST,
    DEFAULT_RESOLUTION,
    DEFAULT_TRANSMISSION,
    FAST,
    FIRST_PRESET,
    MAX_RESOLUTION,
    MIN_RESOLUTION,
    MODES,
    PICTURE_RULES,
    PRESETS,
    TUTORIAL_SEED,
    UPLOAD_TYPES,
    Picture,
    PictureData,
    back_to,
    builtin_picture,
    checked_bytes,
    data_code,
    dead_units,
    differences,
    evaluator,
    longest_side,
    npz_picture,
    picture_data,
    picture_output,
    preset_of,
    quality_name,
    shrunk_note,
    uploaded_picture,
)
from nn.fast.render import grid_size
from nn.presets import FAST_IMAGE
from nn.schedules import Schedule

KEY = "mustafar"
SOURCES = ("Built-in transmission", "Upload a picture", "Tutorial .npz")
URL_SCHEMA = {
    "transmission": state.choice(TRANSMISSIONS),
    "mode": state.choice(MODES),
    "threshold": state.clamped_float(0.05, 0.95),
    "resolution": state.clamped_int(MIN_RESOLUTION, MAX_RESOLUTION),
}


# ---- what the lesson keeps -------------------------------------------------------------------
@dataclass
class UploadCheck:
    """What the page made of one uploader's file: ``seen``, the file read last (its file id;
    for a model, with the number of outputs it was read for), so a rerun reads it only once;
    ``error``, why it was refused (None: taken, or no file)."""

    seen: object = None
    error: str | None = None


@dataclass
class MustafarState(LessonState):
    """Mustafar's part of the session (``kit``'s parts: ``LessonState``). The widgets keep their
    own keys (``mustafar.mode``...); this holds what no widget does:

    - ``picture``: the picture being learned (a built-in, an upload or a tutorial .npz); None
      until the page first draws, which reads it from the URL;
    - ``upload``, ``npz``, ``model_file``: the ``UploadCheck`` of the picture, tutorial .npz
      and model uploaders;
    - ``last_preset``: the preset the settings matched last, the custom line's way back;
    - ``imported``: the imported model as (file name, sha256 digest's first 16 hex digits,
      network), one per session;
    - ``scores``: ``enhance.compare``'s scores for the one view shown:
      {(model key, mode, threshold, resolution): {method: score}};
    - ``renders``: the render cache, ``enhance.render_key`` -> (image, seconds), the render shown
      longest ago first; ``enhance.keep_recent`` bounds it.
    """

    picture: Picture | None = None
    upload: UploadCheck = field(default_factory=UploadCheck)
    npz: UploadCheck = field(default_factory=UploadCheck)
    model_file: UploadCheck = field(default_factory=UploadCheck)
    last_preset: str = FIRST_PRESET
    imported: tuple[str, str, nn.Network] | None = None
    scores: dict[tuple, dict[str, float]] = field(default_factory=dict)
    renders: dict[tuple, enhance.Rendered] = field(default_factory=dict)


def mustafar_state() -> MustafarState:
    """The lesson's state in this session, made on first use."""
    return lesson_state(KEY, MustafarState)


# ---- the transmission ------------------------------------------------------------------------
def _first_visit(lesson: MustafarState) -> None:
    """Read the picture and the data settings' first values from the URL once per session;
    the widgets keep them from then on (``persist_state``: across pages too)."""
    if lesson.picture is not None:
        return
    values = state.read_query(st.query_params, URL_SCHEMA)
    name = values.get("transmission", DEFAULT_TRANSMISSION)
    lesson.picture = builtin_picture(name)
    st.session_state[f"{KEY}.transmission"] = name
    st.session_state[f"{KEY}.mode"] = values.get("mode", TRANSMISSIONS[name].mode)
    st.session_state[f"{KEY}.threshold"] = values.get("threshold", 0.5)
    st.session_state[f"{KEY}.resolution"] = values.get("resolution", DEFAULT_RESOLUTION)


def _transmission_changed() -> None:
    """A built-in transmission brings its own mode (1-bit helmet, RGB sunset...)."""
    name = st.session_state[f"{KEY}.transmission"]
    st.session_state[f"{KEY}.mode"] = TRANSMISSIONS[name].mode


def _take_file(
    lesson: MustafarState,
    upload: UploadedFile | None,
    check: UploadCheck,
    reader: Callable[[str, bytes], Picture],
) -> None:
    """Use a newly uploaded file if it is good; otherwise remember why (the picture stays)."""
    if upload is None:
        check.error = None
        return
    if check.seen == upload.file_id:
        return
    check.seen = upload.file_id
    try:
        lesson.picture = reader(upload.name, checked_bytes(upload))
        check.error = None
    except DatasetError as error:
        check.error = f"**{upload.name}** cannot be used: {error}."


def transmission_picker() -> Picture:
    """The source, the picture and (for uploads) the message why a file was refused."""
    lesson = mustafar_state()
    _first_visit(lesson)
    source = st.radio(
        "Source", SOURCES, key=f"{KEY}.source", horizontal=True, persist_state="session"
    )
    if source == SOURCES[0]:
        name = st.selectbox(
            "Transmission",
            tuple(TRANSMISSIONS),
            key=f"{KEY}.transmission",
            on_change=_transmission_changed,
            format_func=str.capitalize,
            persist_state="session",
        )
        st.caption(TRANSMISSIONS[name].description)
        if lesson.picture.key != f"builtin:{name}":
            lesson.picture = builtin_picture(name)
    else:
        npz = source == SOURCES[2]
        upload = st.file_uploader(
            "The tutorial's image .npz (X: 2 × N positions, Y: 1 × N zeros and ones)"
            if npz
            else "Your picture (PNG, JPEG, GIF, WebP or BMP; about 100 × 100 px is plenty)",
            type=["npz"] if npz else UPLOAD_TYPES,
            key=f"{KEY}.npz" if npz else f"{KEY}.upload",
            max_upload_size=MAX_UPLOAD_MB,
        )
        st.caption(f"At most {MAX_UPLOAD_MB} MB." if npz else PICTURE_RULES)
        check = lesson.npz if npz else lesson.upload
        _take_file(lesson, upload, check, npz_picture if npz else uploaded_picture)
        note = shrunk_note(lesson.picture)
        if note:
            st.caption(note)
        if check.error is not None:
            st.error(
                f"{check.error} Still learning {lesson.picture.name}.",
                icon=":material/broken_image:",
            )
    return lesson.picture


def picture_settings(picture: Picture) -> PictureData:
    """The mode, threshold and training resolution widgets (mirrored into the URL); returns the
    picture as samples (X, Y) at those settings."""
    longest = longest_side(picture)
    resolution_key = f"{KEY}.resolution"
    st.session_state[resolution_key] = min(max(st.session_state[resolution_key], 2), longest)
    mode = st.radio(
        "Mode",
        tuple(MODES),
        format_func=MODES.get,
        key=f"{KEY}.mode",
        horizontal=True,
        persist_state="session",
    )
    threshold = st.slider(
        "Threshold (1-bit: darker than this is a 1)",
        0.05,
        0.95,
        step=0.05,
        key=f"{KEY}.threshold",
        disabled=mode != "1bit",
        persist_state="session",
    )
    resolution = st.slider(
        "Training resolution (longest side, px)",
        min(MIN_RESOLUTION, longest),
        longest,
        key=resolution_key,
        persist_state="session",
        help="Fewer pixels: faster frames. The enhance comparison scores every method on the "
        "full-resolution pixels the network never saw.",
    )
    wanted = state.query_values(
        {"transmission": st.session_state.get(f"{KEY}.transmission"), "mode": mode}
        | {"threshold": threshold, "resolution": resolution},
        {"transmission": DEFAULT_TRANSMISSION, "mode": "1bit", "threshold": 0.5}
        | {"resolution": DEFAULT_RESOLUTION},
        URL_SCHEMA,
    )
    write_url(KEY, wanted, list(URL_SCHEMA))
    return picture_data(picture, mode, threshold, resolution)


def picture_values(data: PictureData) -> dict:
    """The picture's settings by their URL names (an uploaded picture has no name)."""
    return {
        "transmission": st.session_state.get(f"{KEY}.transmission") or "upload",
        "mode": data.mode,
        "threshold": data.threshold,
        "resolution": data.resolution,
    }


# ---- the presets on the page -----------------------------------------------------------------
def preset_indicator(settings: Settings) -> None:
    """Say which preset the settings are ('Preset: Fast'), or 'Preset: custom' with what differs
    from the preset used last (the Fast preset at first) and one button back to it; locked
    controls keep the values their lock says."""
    lesson = mustafar_state()
    found = preset_of(settings)
    if found is not None:
        name, preset = found
        lesson.last_preset = name
        follows = "schedule" if isinstance(preset.learning_rate, Schedule) else "rate"
        st.markdown(
            f":green-badge[:material/check_circle: Preset: {name}] The run follows its own "
            f"learning-rate {follows} while the network and training settings stay the "
            "preset's (at any seed)."
        )
        return
    name = lesson.last_preset
    locks = locked_controls(KEY)
    wanted = back_to(settings, name)
    st.markdown(
        f":orange-badge[:material/tune: Preset: custom] Not the {name} preset: "
        + "; ".join(differences(settings, name))
        + ". Your settings train at the slider's constant learning rate."
    )
    stuck = replace(wanted, **{field: getattr(settings, field) for field in locks}) == settings
    st.button(
        f"Back to the {name} preset",
        key=f"{KEY}.back_to_preset",
        icon=":material/undo:",
        on_click=apply_settings,
        args=(KEY, wanted, locks),
        disabled=stuck,
        help="The classroom link locks what differs."
        if stuck
        else "Its recipe again; your seed and run controls stay.",
    )


def prepare_preset_run(
    X: np.ndarray,
    Y: np.ndarray,
    settings: Settings,
    output: OutputSpec,
    data_key: tuple,
    evaluate: Callable[[nn.Network], dict[str, float]],
) -> str | None:
    """When the settings are a preset's, make sure the current run is one to go on with: a
    new run with the preset's own network and learning rate (or schedule) when the architecture,
    the seed or the data changed; returns the preset's name. Pass the preset's
    ``learning_rate`` to ``live_view``: it adopts this run and trains it with that rate."""
    found = preset_of(settings)
    if found is None:
        return None
    name, preset = found
    run = current_run(KEY)
    if run is not None and (
        run.settings.architecture_key() == settings.architecture_key()
        and run.data_key == data_key
        and run.output == output
    ):
        return name
    spec = preset.with_changes(seed=settings.seed, outputs=output.units)
    fresh = new_run(KEY, X, Y, settings, output, data_key, evaluate, spec=spec)
    if run is not None:
        fresh.notice = f"{name} preset: fresh weights (seed {settings.seed})."
    replace_run(KEY, fresh)
    return name


# ---- the live view ---------------------------------------------------------------------------
SNAPSHOT_CHUNK = nn.fast.parallel.MIN_SAMPLES - 1


def live_scene(data: PictureData) -> Callable[[Run], dict]:
    """The live view's panels: the target, the network's picture, the cost and the quality."""
    rows, columns = data.shape[:2]
    # Darkness: 1 black, 0 white.
    colormap = "rgb" if data.mode == "rgb" else colormaps.table("gray_r")
    picture = {"kind": "picture", "colormap": colormap, "aspect": columns / rows,
               "max_width": 400}  # fmt: skip
    target = encode(data.Y.reshape(data.shape))
    name = quality_name(data)

    def scene(run: Run) -> dict:
        panels = {
            "target": {**picture, "title": "The target", "image": target},
            "network": {**picture, "title": "The network's picture (probability)"},
            "cost": {"kind": "curves", "title": "Cost over all pixels (log scale)",
                     "series": [COST], "log": True, "height": 200},
            "quality": {"kind": "curves", "title": name.capitalize(), "series": [name],
                        "height": 200, "percent": data.mode == "1bit"},
        }  # fmt: skip
        return {"layout": [["target", "network", ["cost", "quality"]]], "panels": panels}

    return scene


def live_views(data: PictureData) -> Callable[[Run], dict]:
    """The network's picture (float32, as the engine renders it) and the readouts."""
    name = quality_name(data)

    def views(run: Run) -> dict:
        # In chunks too small to share between the cores: the other core draws the pages.
        P = run.network.predict(data.X, chunk_size=SNAPSHOT_CHUNK, dtype="float32")
        metrics = run.latest_metrics()
        cost, quality = metrics.get(COST), metrics.get(name)
        read = {
            "Cost over all pixels": "–" if cost is None else f"{cost:.4f}",
            "Pixel accuracy" if data.mode == "1bit" else "PSNR":
                "–" if quality is None else enhance.short_score(quality, data.mode),
        }  # fmt: skip
        return {"read": read, "v": {"network": {"image": encode(P.reshape(data.shape))}}}

    return views


def _next_seed(settings: Settings) -> None:
    apply_settings(KEY, replace(settings, seed=settings.seed + 1))


def dead_network_alarm(run: Run, data: PictureData) -> None:
    """Which relu units died, and a Reset with the next seed when a whole layer did."""
    dead = dead_units(run.network, data.X)
    if dead:
        st.caption(
            "Dead relu units (0 for every pixel): "
            + " · ".join(f"layer {layer}: {n}/{units}" for layer, n, units in dead)
        )
    gone = [(layer, units) for layer, n, units in dead if n == units]
    if not gone:
        return
    layer, units = gone[0]
    settings = run.settings
    st.error(
        f"**Dead network.** All {units} relu units of hidden layer {layer} output 0 for "
        f"every pixel, so the output is the same everywhere and no gradient flows back: "
        f"the cost will stay at {run.cost or 0:.4f} however long you train. A big first "
        f"step (learning rate {run.trainer.learning_rate(0):g}) pushed their inputs below "
        f"zero. Start again with another seed.",
        icon=":material/heart_broken:",
    )
    st.button(
        f"Reset with seed {settings.seed + 1}",
        key=f"{KEY}.next_seed",
        icon=":material/casino:",
        on_click=_next_seed,
        args=(settings,),
    )


# ---- enhance: which model ------------------------------------------------------------------
def _take_model(lesson: MustafarState, upload: UploadedFile | None, outputs: int) -> None:
    """Import a newly uploaded model for ``outputs`` outputs if it is good; otherwise remember
    why (the model imported before stays)."""
    check = lesson.model_file
    if upload is None or check.seen == (upload.file_id, outputs):
        return
    check.seen = (upload.file_id, outputs)
    try:
        network = enhance.load_model(checked_bytes(upload), outputs)
    except (nn.NetworkError, DatasetError) as error:
        check.error = f"**{upload.name}** cannot be used: {error}."
        return
    check.error = None
    digest = hashlib.sha256(upload.getvalue()).hexdigest()[:16]
    # One imported model per session: a new upload replaces it.
    lesson.imported = (upload.name, digest, network)


def model_to_enhance(run: Run, data: PictureData) -> tuple[nn.Network, tuple, str] | None:
    """The network, a key for its current state, and its name: the run's, or an imported one."""
    lesson = mustafar_state()
    with st.expander("Import a saved model (.npz) instead", icon=":material/upload_file:"):
        upload = st.file_uploader(
            "A model saved by this page (Download the trained model)",
            type=["npz"],
            key=f"{KEY}.model_file",
            max_upload_size=MAX_UPLOAD_MB,
        )
        _take_model(lesson, upload, data.outputs)
        if lesson.model_file.error is not None:
            st.error(lesson.model_file.error, icon=":material/error:")
    imported = lesson.imported
    choices = ["The network you are training"]
    if imported is not None and imported[2].output_dim == data.outputs:
        choices.append(f"Imported: {imported[0]}")
    # A choice no longer offered (a model imported for other outputs) falls back to the first.
    choice = st.radio(
        "Enhance", choices, key=f"{KEY}.which_model", horizontal=True, persist_state="session"
    )
    if choice != choices[0]:
        name, digest, network = imported
        return network, ("imported", digest), choice
    if run.iteration == 0:
        st.info(
            "Press **Play** (or **Step**) first: an untrained network has nothing to enhance.",
            icon=":material/hourglass_empty:",
        )
        return None
    return run.network, (run.number, run.iteration, run.data_key), "the trained network"


# ---- enhance: the tab ----------------------------------------------------------------------
def enhance_lesson(run: Run, data: PictureData, settings: Settings) -> None:
    """Figure 9, the free viewer, the comparison and the downloads."""
    chosen = model_to_enhance(run, data)
    if chosen is None:
        return
    network, model_key, _ = chosen
    output_format = "smooth"
    if data.mode == "1bit":
        output_format = st.segmented_control(
            "Output",
            tuple(enhance.OUTPUT_FORMATS),
            format_func=enhance.OUTPUT_FORMATS.get,
            default="smooth",
            required=True,
            key=f"{KEY}.output_format",
            persist_state="session",
        )
    threshold = enhance.output_threshold(data.mode, output_format, data.threshold)
    st.subheader("The tutorial's Figure 9, live")
    figure_9(KEY, model_key, network, data.mode, threshold)
    st.subheader("The free viewer")
    target = xy_to_image(data.full_Y, data.full_shape, data.mode)
    image, extent = free_viewer(
        KEY, model_key, network, target, data.full_shape, data.mode, threshold
    )
    saved = export_settings(settings, picture_output(data), np.dtype(network.dtype).name)
    png, model = st.columns(2)
    png.download_button(
        f"Download the enhanced PNG ({image.width} × {image.height})",
        data=lambda: enhance.png_bytes(image),
        file_name=f"enhanced_{image.width}x{image.height}.png",
        mime="image/png",
        key=f"{KEY}.download_png",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
    model.download_button(
        "Download the trained model (.npz)",
        data=lambda: enhance.model_bytes(network, saved),
        file_name="mustafar_model.npz",
        mime="application/octet-stream",
        key=f"{KEY}.download_model",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
    st.subheader("Better than upscaling?")
    scores = _scores(model_key, network, data)
    fair = data.shape[:2] != data.full_shape[:2]
    st.markdown(
        f"All three start from the same **{data.shape[1]} × {data.shape[0]}** training pixels "
        f"and are scored on the **{data.full_shape[1]} × {data.full_shape[0]}** full-resolution "
        + ("pixels: most of them were never seen in training." if fair else "pixels.")
    )
    if not fair:
        st.info(
            "The network trained on every pixel, so this test is not fair yet: lower the "
            "training resolution, train again, and compare on pixels nobody saw.",
            icon=":material/balance:",
        )
    comparison(data, image, extent, threshold, scores)


def _scores(model_key: tuple, network: nn.Network, data: PictureData) -> dict[str, float]:
    """``enhance.compare``'s scores, kept for the model state and picture shown (one entry:
    any other view scores anew)."""
    cache = mustafar_state().scores
    wanted = (model_key, data.mode, data.threshold, data.resolution)
    if wanted not in cache:
        cache.clear()
        cache[wanted] = enhance.compare(
            network, data.Y, data.shape, data.full_Y, data.full_shape, data.mode
        )
    return cache[wanted]


def fitted(network: nn.Network, rows: int, cols: int) -> tuple[int, int]:
    """(rows, cols) the network is rendered at (``enhance.affordable``); a caption says so when
    that is fewer pixels than asked."""
    size = enhance.affordable(rows, cols, network.parameter_count)
    note = enhance.fitted_note(network.parameter_count, (rows, cols), size)
    if note:
        st.caption(note)
    return size


def _renders(key: str) -> dict[tuple, enhance.Rendered]:
    """Lesson ``key``'s render cache (``MustafarState.renders``)."""
    return lesson_state(key, MustafarState).renders


def is_rendered(
    key: str,
    model_key: tuple,
    rows: int,
    cols: int,
    mode: str,
    threshold: float | None,
    extent: tuple[float, float, float, float] = enhance.FULL_EXTENT,
) -> bool:
    """Whether ``cached_render`` has this view at exactly rows x cols and returns it at once."""
    return enhance.render_key(model_key, rows, cols, mode, threshold, extent) in _renders(key)


def cached_render(
    key: str,
    model_key: tuple,
    network: nn.Network,
    rows: int,
    cols: int,
    mode: str,
    threshold: float | None,
    extent: tuple[float, float, float, float] = enhance.FULL_EXTENT,
    slot=None,
) -> enhance.Rendered:
    """(image, seconds to render), rendered once per model state and view; a progress bar
    moves while a large grid renders (in ``slot``, an ``st.empty``, when given, which is left
    empty), and a network too big for the size gets fewer pixels. The cache keeps the renders
    shown most recently (Figure 9's, drawn on every run, stay while the viewer's come and go)."""
    rows, cols = fitted(network, rows, cols)
    cache = _renders(key)
    wanted = enhance.render_key(model_key, rows, cols, mode, threshold, extent)
    if wanted in cache:
        cache[wanted] = cache.pop(wanted)  # the most recently shown goes last
    else:
        cache[wanted] = _render_with_progress(network, rows, cols, mode, threshold, extent, slot)
        enhance.keep_recent(cache)
    return cache[wanted]


def _render_with_progress(
    network: nn.Network,
    rows: int,
    cols: int,
    mode: str,
    threshold: float | None,
    extent: tuple[float, float, float, float],
    slot,
) -> enhance.Rendered:
    """(image, seconds) of ``enhance.render``, with a progress bar (in ``slot`` or in place)
    while a grid of more than one band renders."""
    if rows * cols <= enhance.BAND_POINTS:
        return enhance.timed(enhance.render, network, rows, cols, mode, threshold, extent)
    text = f"Rendering {cols:,} × {rows:,} px…"
    bar = (st if slot is None else slot).progress(0.0, text=text)

    def moved(share: float) -> None:
        bar.progress(share, text=f"{text} {share:.0%}")

    result = enhance.timed(enhance.render, network, rows, cols, mode, threshold, extent, moved)
    bar.empty()
    return result


def figure_9(
    key: str, model_key: tuple, network: nn.Network, mode: str, threshold: float | None
) -> None:
    """The tutorial's Figure 9: the same network on grids of step h = 0.1, 0.05 and 0.001."""
    for column, h in zip(st.columns(3), enhance.FIGURE_9_STEPS, strict=True):
        n = grid_size(h)
        with column:
            image, seconds = cached_render(key, model_key, network, n, n, mode, threshold)
            st.image(enhance.for_display(image, 600), width="stretch")
            st.markdown(f"**h = {h:g}**: {n:,} × {n:,} = {n * n:,} points")
            st.caption(f"rendered in {seconds:.2f} s")


def free_viewer(
    key: str,
    model_key: tuple,
    network: nn.Network,
    target: Image.Image,
    shape: tuple[int, ...],
    mode: str,
    threshold: float | None,
) -> tuple[Image.Image, tuple[float, float, float, float]]:
    """Output size, zoom window and the render; returns the image and its window. A view that
    is not rendered yet and costs more than a preview shows ``enhance.quick_preview`` first,
    captioned as the preview, and the full picture replaces it in the same place."""
    long_side, zoom, extent = viewer_controls(key, target, shape)
    rows, cols = fitted(network, *enhance.output_size(long_side, shape))
    picture, note, progress = st, st, None  # the full picture goes in place, or over a preview
    if not is_rendered(
        key, model_key, rows, cols, mode, threshold, extent
    ) and enhance.needs_preview(rows, cols, network.parameter_count):
        preview, seconds = enhance.quick_preview(network, rows, cols, mode, threshold, extent)
        picture = st.image(enhance.for_display(preview), width=enhance.VIEWER_WIDTH)
        note = st.caption(enhance.preview_caption(preview, seconds, rows, cols))
        progress = st.empty()
    image, seconds = cached_render(
        key, model_key, network, rows, cols, mode, threshold, extent, slot=progress
    )
    picture.image(enhance.for_display(image), width=enhance.VIEWER_WIDTH)
    note.caption(enhance.full_caption(image, seconds, zoom))
    return image, extent


def viewer_controls(
    key: str, target: Image.Image, shape: tuple[int, ...]
) -> tuple[int, int, tuple[float, float, float, float]]:
    """The output size, zoom and window centre widgets, and the zoom window over the target;
    returns (long side, zoom, window)."""
    options = enhance.size_options(shape)
    size_key = f"{key}.size"
    if st.session_state.get(size_key) not in options:  # a new picture size: 8x, or the largest
        st.session_state[size_key] = min(options, key=lambda side: abs(side - 8 * max(shape[:2])))
    controls, overview = st.columns([2, 1], gap="large")
    with controls:
        long_side = st.select_slider(
            "Output size",
            options,
            key=size_key,
            format_func=lambda side: enhance.size_label(side, shape),
            persist_state="session",
            help="The picture's aspect ratio is kept; 2001 px is the tutorial's h = 0.001.",
        )
        zoom = st.select_slider(
            "Zoom",
            enhance.ZOOMS,
            value=1,
            key=f"{key}.zoom",
            format_func=lambda z: "1× (whole picture)" if z == 1 else f"{z}×",
            persist_state="session",
        )
        down, across = st.columns(2)
        centre_row = down.slider(
            "Window centre: down (%)", 0, 100, 50, key=f"{key}.centre_row",
            disabled=zoom == 1, persist_state="session",
        )  # fmt: skip
        centre_col = across.slider(
            "Window centre: across (%)", 0, 100, 50, key=f"{key}.centre_col",
            disabled=zoom == 1, persist_state="session",
        )  # fmt: skip
    extent = enhance.zoom_extent(centre_row / 50 - 1, centre_col / 50 - 1, zoom)
    with overview:
        st.image(
            enhance.mark_window(target, extent), caption="The zoom window (red)", width="stretch"
        )
    return long_side, zoom, extent


def comparison(
    data: PictureData,
    image: Image.Image,
    extent: tuple[float, float, float, float],
    threshold: float | None,
    scores: dict[str, float],
) -> None:
    """Nearest and bicubic upscaling of the training pixels beside the network, same size and
    window, each scored on the full-resolution pixels."""
    training = xy_to_image(data.Y, data.shape, data.mode, threshold=None)
    rows, cols = image.height, image.width
    columns = st.columns(3)
    methods = (
        ("Nearest neighbour", Image.Resampling.NEAREST),
        ("Bicubic", Image.Resampling.BICUBIC),
    )
    for column, (name, method) in zip(columns, methods, strict=False):
        upscaled = enhance.upscaled_view(training, rows, cols, method, extent, threshold)
        column.image(enhance.for_display(upscaled, 600), width="stretch")
        column.metric(name, enhance.short_score(scores[name.split()[0].lower()], data.mode))
    columns[2].image(enhance.for_display(image, 600), width="stretch")
    columns[2].metric("The network", enhance.short_score(scores["network"], data.mode))
    what = "pixels right" if data.mode == "1bit" else "PSNR: higher is closer"
    st.caption(f"Scores: {what}, on the full-resolution pixels.")


# ---- the page --------------------------------------------------------------------------------
def page() -> None:
    """Lesson 4: learn a picture as a function (row, column) -> pixel, then enhance it."""
    st.title("4 · Mustafar: enhance!")
    st.markdown(
        "An intercepted transmission: a tiny 1-bit picture. A network of relu units learns it as "
        "a **function** from a pixel's position **(row, column)** to its darkness. A function "
        "can be asked about the points *between* the pixels, so we can render it on a grid 20 "
        "times finer than the picture: **enhance**."
    )

    # ---- 1. the transmission and the live view ----------------------------------------------
    live_box = st.container()  # the live view on top; the picture's controls below it
    with st.expander("The transmission: pick a picture, its mode and resolution", expanded=True):
        picture = transmission_picker()
        data = picture_settings(picture)
    output = picture_output(data)
    presets = {name: settings for name, (settings, _) in PRESETS.items()}
    settings = network_builder(KEY, output, FAST, presets)
    evaluate = evaluator(data)
    data_key = (picture.key, data.mode, data.threshold, data.resolution)
    preset = prepare_preset_run(data.X, data.Y, settings, output, data_key, evaluate)
    with live_box:
        run = live_view(
            KEY, data.X, data.Y, settings, output, live_scene(data), live_views(data),
            data_key=data_key, evaluate=evaluate,
            learning_rate=PRESETS[preset][1].learning_rate if preset else None,
            figures=partial(slides.slide_figures, data=data),
            gif=partial(slides.gif_recording, data=data),
        )  # fmt: skip
        class_panel(KEY, run, picture_values(data), partial(slides.slide_figures, data=data))
    rows, cols = data.shape[:2]
    outputs = "(red, green, blue)" if data.mode == "rgb" else "darkness, 1 = black"
    st.caption(
        f"What the network learns: {cols} × {rows} pixels = **{len(data.X):,} samples**. "
        f"X ({len(data.X):,}, 2) holds each pixel's (row, column) scaled to [-1, 1]; "
        f"Y ({len(data.Y):,}, {data.Y.shape[1]}) its {outputs}."
    )
    preset_indicator(settings)
    if preset == "Fast":
        st.caption(
            f"**Fast preset**: 2-27-31-31-1 relu. {FAST_IMAGE.description} On every built-in "
            "1-bit picture the cost over all pixels drops below 0.09 within a few seconds of "
            "training."
        )
    elif preset == "Tutorial":
        st.caption(
            "**Tutorial preset**: 2-27-31-31-1 relu, tutorial init × 0.2, full-batch gradient "
            "descent with the tutorial's eight learning-rate steps, 2.8 → 0.01875 over 28,000 "
            f"iterations (about 2½ minutes). Seed {TUTORIAL_SEED}: at seed 1 the first big "
            "steps kill the last relu layer on the helmet; try it and watch the dead-network "
            "alarm."
        )
    if run is not None and not run.playing:
        dead_network_alarm(run, data)

    # ---- 2. enhance, the math and the code --------------------------------------------------
    if run is not None:
        st.header("2 · Enhance")
        enhance_tab, math_tab, code_tab = st.tabs(
            ["Enhance", "The math", "The code"], key=f"{KEY}.tab", on_change="rerun"
        )
        if enhance_tab.open:
            with enhance_tab:
                enhance_lesson(run, data, settings)
        if math_tab.open:
            with math_tab:
                math_panel(run.network, data.X, data.Y, key=f"{KEY}.math", grad_norms=None)
        if code_tab.open:
            with code_tab:
                _code(run, picture, data, settings, output, preset)


def _code(
    run: Run,
    picture: Picture,
    data: PictureData,
    settings: Settings,
    output: OutputSpec,
    preset: str | None,
) -> None:
    """The code tab: the network as code, and the run as a script (the preset's recipe, or
    the sidebar's settings to export)."""
    code_view(run.network, optimizer=settings.optimizer)
    if preset:
        recipe = PRESETS[preset][1]
        st.markdown(f"This run follows the engine's recipe `nn.presets`: {recipe.description}")
        name = "FAST_IMAGE" if preset == "Fast" else "TUTORIAL_IMAGE"
        st.code(
            f"{data_code(picture, data)}\n\nfrom nn.presets import {name}\n"
            f"spec = {name}.with_changes(seed={settings.seed}, outputs={output.units})\n"
            "trainer = spec.trainer(X, Y)\n"
            "for progress in spec.run(trainer, every=1000):\n"
            "    print(progress.iteration, progress.cost)",
            language="python",
        )
    else:
        iterations = run.iteration or settings.max_iterations
        export_button(
            f"{KEY}.export",
            data_code(picture, data),
            export_settings(settings, output),
            iterations,
        )
