"""The Mustafar lesson's own pieces: the transmission picker (built-in, upload, tutorial .npz),
the two presets driven with their learning-rate schedules, the live preview and dead relu units.
"""

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import streamlit as st
from PIL import Image

import nn
from datasets import (
    TRANSMISSIONS,
    DatasetError,
    ImageError,
    image_to_xy,
    load_image,
    load_transmission,
    load_tutorial_npz,
    xy_to_image,
)
from datasets.images import MAX_ASPECT, MAX_PIXELS, MIN_SIDE, shrink
from kit import MAX_UPLOAD_MB
from kit import url_state as state
from kit.controls import (
    INITS,
    LABELS,
    LEARNING_RATES,
    OPTIMIZERS,
    OutputSpec,
    Settings,
    apply_settings,
    export_settings,
    locked_controls,
)
from kit.live import Run, current_run, encode
from kit.live.run import replace_run
from lessons.mustafar import enhance
from lessons.mustafar.enhance import png_bytes, score, short_score
from nn.presets import FAST_IMAGE, TUTORIAL_IMAGE, Preset
from nn.schedules import Schedule

KEY = "mustafar"
DEFAULT_TRANSMISSION = "helmet"
MODES = {"1bit": "1-bit", "gray": "Grayscale", "rgb": "RGB (3 outputs)"}
SOURCES = ("Built-in transmission", "Upload a picture", "Tutorial .npz")
MAX_RESOLUTION = 200  # longest side the lesson trains on: more pixels, slower frames
# A picture is kept at MAX_RESOLUTION px on its longest side at most: the training pixels, the
# full-resolution pixels the enhance comparison scores on and the target it shows are no larger.
DEFAULT_RESOLUTION = 100
MIN_RESOLUTION = 8
UPLOAD_TYPES = ["png", "jpg", "jpeg", "gif", "webp", "bmp"]
# Per uploaded file, in Streamlit's megabytes (MiB), like .streamlit/config.toml's maxUploadSize.
PICTURE_RULES = (
    f"At most {MAX_UPLOAD_MB} MB and {MAX_PIXELS / 1e6:g} megapixels; each side at least "
    f"{MIN_SIDE} px, the long side at most {MAX_ASPECT:g} times the short one. Transparent "
    "parts count as white paper."
)
# The tutorial's run at seed 1 kills its last relu layer within the first lr-2.8 steps on the
# helmet (cost stuck at 0.6778); seed 2 learns (0.27 after 1,000 iterations).
TUTORIAL_SEED = 2


def preset_settings(preset: Preset, **run_controls) -> Settings:
    """The sidebar's settings for ``preset``: its layers, init, optimizer and batch size, and
    the learning-rate slider's stop nearest to its peak rate (the run follows the preset's
    own rate or schedule); ``run_controls`` are the seed, the speed and the like."""
    first = nn.schedules.as_schedule(preset.learning_rate).peak
    return Settings(
        depth=len(preset.layers),
        units=tuple(units for units, _ in preset.layers),
        activations=tuple(activation for _, activation in preset.layers),
        learning_rate=min(LEARNING_RATES, key=lambda rate: abs(math.log(rate / first))),
        optimizer=preset.optimizer,
        batch_size=preset.batch_size,
        init=preset.init,
        init_scale=preset.init_scale,
        max_iterations=preset.iterations,
        **run_controls,
    )


TUTORIAL = preset_settings(TUTORIAL_IMAGE, seed=TUTORIAL_SEED)
FAST = preset_settings(FAST_IMAGE, seed=1)
PRESETS = {"Fast": (FAST, FAST_IMAGE), "Tutorial": (TUTORIAL, TUTORIAL_IMAGE)}
FIRST_PRESET = "Fast"  # the page's defaults (FAST): "Back to" offers it until another is used
# What a preset's recipe sets; the seed, the stopping controls and the speed stay
# the student's at any preset.
RECIPE = (
    "depth",
    "units",
    "activations",
    "learning_rate",
    "optimizer",
    "batch_size",
    "l2",
    "init",
    "init_scale",
)

URL_SCHEMA = {
    "transmission": state.choice(TRANSMISSIONS),
    "mode": state.choice(MODES),
    "threshold": state.clamped_float(0.05, 0.95),
    "resolution": state.clamped_int(MIN_RESOLUTION, MAX_RESOLUTION),
}


@dataclass(frozen=True)
class Picture:
    """The picture being learned: a name to show, the image, a key that changes with it, and
    the (width, height) it came at when it was made smaller to be kept."""

    name: str
    image: Image.Image
    key: str
    shrunk_from: tuple[int, int] | None = None


def kept_picture(name: str, image: Image.Image, key: str) -> Picture:
    """The picture as the session keeps it: at most MAX_RESOLUTION px on its longest side."""
    small = shrink(image, MAX_RESOLUTION)
    return Picture(name, small, key, None if small is image else image.size)


def shrunk_note(picture: Picture) -> str | None:
    """What the student reads when their picture was made smaller, or None."""
    if picture.shrunk_from is None:
        return None
    (width, height), (kept_width, kept_height) = picture.shrunk_from, picture.image.size
    return (
        f"Your {width:,} × {height:,} picture is kept at {kept_width} × {kept_height}: the "
        f"lesson never uses more than {MAX_RESOLUTION} px a side."
    )


@dataclass(frozen=True)
class Data:
    """The training pixels (at the training resolution) and the full-resolution ones."""

    X: np.ndarray
    Y: np.ndarray
    shape: tuple[int, ...]
    full_Y: np.ndarray
    full_shape: tuple[int, ...]
    mode: str
    threshold: float
    resolution: int

    @property
    def output(self) -> OutputSpec:
        return OutputSpec(2, 3 if self.mode == "rgb" else 1, "sigmoid", "cross_entropy")


# ---- the transmission ------------------------------------------------------------------------
def builtin_picture(name: str) -> Picture:
    return kept_picture(f"the {name} transmission", load_transmission(name), f"builtin:{name}")


def uploaded_picture(name: str, data: bytes) -> Picture:
    """A checked upload, kept smaller when it is large (raises ImageError for a bad file; the
    checks run on the file as sent)."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    image = load_image(data, max_bytes=MAX_UPLOAD_MB * 2**20)
    return kept_picture(name, image, f"upload:{digest}")


def npz_picture(name: str, data: bytes) -> Picture:
    """The tutorial's .npz (X, Y) as a 1-bit picture (raises ImageError for a bad file)."""
    _, Y, shape = load_tutorial_npz(data)
    digest = hashlib.sha256(data).hexdigest()[:16]
    return kept_picture(name, xy_to_image(Y, shape, "1bit"), f"npz:{digest}")


def _first_visit() -> None:
    """Read the data settings from the URL once per session."""
    if f"{KEY}.picture" in st.session_state:
        return
    values = state.read_query(st.query_params, URL_SCHEMA)
    name = values.get("transmission", DEFAULT_TRANSMISSION)
    st.session_state[f"{KEY}.picture"] = builtin_picture(name)
    st.session_state[f"{KEY}.transmission"] = name
    st.session_state[f"{KEY}.mode"] = values.get("mode", TRANSMISSIONS[name].mode)
    st.session_state[f"{KEY}.threshold"] = values.get("threshold", 0.5)
    st.session_state[f"{KEY}.resolution"] = values.get("resolution", DEFAULT_RESOLUTION)


def _transmission_changed() -> None:
    """A built-in transmission brings its own mode (1-bit helmet, RGB sunset...)."""
    name = st.session_state[f"{KEY}.transmission"]
    st.session_state[f"{KEY}.mode"] = TRANSMISSIONS[name].mode


def checked_bytes(upload) -> bytes:
    """An uploaded file's bytes; an oversized file is refused by its size, before reading it
    (the browser refuses it first, but a script or a raised server limit may not)."""
    if upload.size > MAX_UPLOAD_MB * 2**20:
        raise ImageError(
            f"the file is {upload.size / 2**20:.1f} MB, over the {MAX_UPLOAD_MB} MB limit per "
            "file (a picture of about 100 × 100 pixels, plenty for this lesson, or a model "
            "this page saved takes far less)"
        )
    return upload.getvalue()


def _take_file(widget: str, reader: Callable[[str, bytes], Picture]) -> None:
    """Use a newly uploaded file if it is good; otherwise remember why (the picture stays)."""
    upload = st.session_state.get(widget)
    if upload is None:
        st.session_state.pop(f"{widget}.error", None)
        return
    if st.session_state.get(f"{widget}.seen") == upload.file_id:
        return
    st.session_state[f"{widget}.seen"] = upload.file_id
    try:
        st.session_state[f"{KEY}.picture"] = reader(upload.name, checked_bytes(upload))
        st.session_state.pop(f"{widget}.error", None)
    except DatasetError as error:
        st.session_state[f"{widget}.error"] = f"**{upload.name}** cannot be used: {error}."


def transmission_picker() -> Picture:
    """The source, the picture and (for uploads) the message why a file was refused."""
    _first_visit()
    source = st.radio("Source", SOURCES, key=f"{KEY}.source", horizontal=True)
    if source == SOURCES[0]:
        name = st.selectbox(
            "Transmission",
            tuple(TRANSMISSIONS),
            key=f"{KEY}.transmission",
            on_change=_transmission_changed,
            format_func=str.capitalize,
        )
        st.caption(TRANSMISSIONS[name].description)
        if st.session_state[f"{KEY}.picture"].key != f"builtin:{name}":
            st.session_state[f"{KEY}.picture"] = builtin_picture(name)
    else:
        npz = source == SOURCES[2]
        widget = f"{KEY}.npz" if npz else f"{KEY}.upload"
        st.file_uploader(
            "The tutorial's image .npz (X: 2 × N positions, Y: 1 × N zeros and ones)"
            if npz
            else "Your picture (PNG, JPEG, GIF, WebP or BMP; about 100 × 100 px is plenty)",
            type=["npz"] if npz else UPLOAD_TYPES,
            key=widget,
            max_upload_size=MAX_UPLOAD_MB,
        )
        st.caption(f"At most {MAX_UPLOAD_MB} MB." if npz else PICTURE_RULES)
        _take_file(widget, npz_picture if npz else uploaded_picture)
        note = shrunk_note(st.session_state[f"{KEY}.picture"])
        if note:
            st.caption(note)
        if f"{widget}.error" in st.session_state:
            st.error(
                st.session_state[f"{widget}.error"]
                + f" Still learning {st.session_state[f'{KEY}.picture'].name}.",
                icon=":material/broken_image:",
            )
    return st.session_state[f"{KEY}.picture"]


def data_controls(picture: Picture) -> Data:
    """Mode, threshold and training resolution; the pixels as samples (X, Y)."""
    longest = min(max(picture.image.size), MAX_RESOLUTION)
    resolution_key = f"{KEY}.resolution"
    st.session_state[resolution_key] = min(max(st.session_state[resolution_key], 2), longest)
    mode = st.radio("Mode", tuple(MODES), format_func=MODES.get, key=f"{KEY}.mode", horizontal=True)
    threshold = st.slider(
        "Threshold (1-bit: darker than this is a 1)",
        0.05,
        0.95,
        step=0.05,
        key=f"{KEY}.threshold",
        disabled=mode != "1bit",
    )
    resolution = st.slider(
        "Training resolution (longest side, px)",
        min(MIN_RESOLUTION, longest),
        longest,
        key=resolution_key,
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
    state.sync_query_params(st.query_params, wanted, list(URL_SCHEMA))
    X, Y, shape = image_to_xy(picture.image, mode, threshold, resolution)
    _, full_Y, full_shape = image_to_xy(picture.image, mode, threshold, longest)
    return Data(X, Y, shape, full_Y, full_shape, mode, threshold, resolution)


# ---- presets with their schedules ------------------------------------------------------------
def schedule_rates(preset: Preset) -> list[float]:
    """The peak and the last learning rate of a preset's schedule (a warm-up starts near 0)."""
    schedule = nn.schedules.as_schedule(preset.learning_rate)
    return [schedule.peak, schedule(preset.iterations - 1)]


def _shown(field: str, value) -> str:
    """A recipe setting's value in the sidebar's words."""
    if field == "optimizer":
        return OPTIMIZERS[value]
    if field == "init":
        return INITS[value]
    if field == "batch_size":
        return "full batch" if value is None else f"{value:,}"
    if field == "l2" and not value:
        return "none"
    return f"{value:g}"


def differences(settings: Settings, name: str) -> list[str]:
    """What in ``settings`` differs from preset ``name``'s recipe (``RECIPE``), one phrase each
    in a student's words, e.g. 'batch size 256 instead of 512'; empty when the settings are the
    preset's. The init scale counts with the tutorial init only: the others ignore it."""
    theirs, preset = PRESETS[name]
    said = []
    if settings.hidden_layers() != theirs.hidden_layers():
        mine, wanted = settings.architecture_label(), theirs.architecture_label()
        said.append(f"hidden layers {mine} instead of {wanted}")
    for field in RECIPE:
        mine, wanted = getattr(settings, field), getattr(theirs, field)
        if field in ("depth", "units", "activations") or mine == wanted:
            continue
        if field == "init_scale" and not settings.init == theirs.init == "tutorial":
            continue
        planned = _shown(field, wanted)
        if field == "learning_rate" and isinstance(preset.learning_rate, Schedule):
            first, last = schedule_rates(preset)
            planned = f"the {name} preset's schedule ({first:g} → {last:g})"
        said.append(f"{LABELS[field].lower()} {_shown(field, mine)} instead of {planned}")
    return said


def preset_of(settings: Settings) -> tuple[str, Preset] | None:
    """The preset whose recipe these settings are (any seed and run controls), or None."""
    for name, (_, preset) in PRESETS.items():
        if not differences(settings, name):
            return name, preset
    return None


def back_to(settings: Settings, name: str) -> Settings:
    """``settings`` with preset ``name``'s recipe; the seed and the run controls stay."""
    theirs = PRESETS[name][0]
    return replace(settings, **{field: getattr(theirs, field) for field in RECIPE})


def preset_indicator(settings: Settings) -> None:
    """Say which preset the settings are ('Preset: Fast'), or 'Preset: custom' with what differs
    from the preset used last (the Fast preset at first) and one button back to it; locked
    controls keep the values their lock says."""
    found = preset_of(settings)
    if found is not None:
        name, preset = found
        st.session_state[f"{KEY}.last_preset"] = name
        follows = "schedule" if isinstance(preset.learning_rate, Schedule) else "rate"
        st.markdown(
            f":green-badge[:material/check_circle: Preset: {name}] The run follows its own "
            f"learning-rate {follows} while the network and training settings stay the "
            "preset's (at any seed)."
        )
        return
    name = st.session_state.get(f"{KEY}.last_preset", FIRST_PRESET)
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
    X, Y, settings: Settings, output: OutputSpec, data_key, evaluate
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
    number = st.session_state.get(f"{KEY}.runs_started", 0) + 1
    st.session_state[f"{KEY}.runs_started"] = number
    network = preset.network(input_dim=2, outputs=output.units, seed=settings.seed)
    trainer = preset.trainer(network, X, Y, seed=settings.seed)
    fresh = Run(number, settings, output, network, trainer, data_key, evaluate=evaluate)
    fresh.follow(preset.learning_rate)
    if run is not None:
        fresh.notice = f"{name} preset: fresh weights (seed {settings.seed})."
    fresh.measure()
    replace_run(KEY, fresh)
    return name


# ---- the live preview ------------------------------------------------------------------------
def evaluator(data: Data) -> Callable[[nn.Network], dict[str, float]]:
    """The metrics the live view records: the cost over all pixels and the pixel accuracy
    (1-bit) or PSNR (gray, RGB), in float32 like the preview."""

    def evaluate(network: nn.Network) -> dict[str, float]:
        twin = network.astype("float32")
        P = twin.predict(data.X)
        quality = score(P, data.Y, data.mode, data.threshold if data.mode == "1bit" else 0.5)
        name = "pixel accuracy" if data.mode == "1bit" else "PSNR (dB)"
        return {"cost (all pixels)": twin.cost(data.X, data.Y), name: quality}

    return evaluate


def dead_units(network: nn.Network, X) -> list[tuple[int, int, int]]:
    """(hidden layer number, relu units that output 0 for every sample, units) per relu
    layer: a dead unit passes no gradient back, so it never comes back to life."""
    twin = network.astype("float32")
    hidden = [i for i, layer in enumerate(twin.layers[:-1]) if layer.activation.name == "relu"]
    if not hidden:
        return []
    found = []
    counts = {i: np.zeros(twin.layers[i].units, bool) for i in hidden}
    for start, stop, ws in twin.chunks(len(X)):
        ws.load(np.asarray(X[start:stop], np.float32))
        twin.forward_pass(ws)
        for i in hidden:
            counts[i] |= (ws.A[i][:, : stop - start] > 0).any(axis=1)
    for i in hidden:
        found.append((i + 1, int((~counts[i]).sum()), twin.layers[i].units))
    return found


def _next_seed(settings: Settings) -> None:
    apply_settings(KEY, replace(settings, seed=settings.seed + 1))


SNAPSHOT_CHUNK = nn.parallel.MIN_SAMPLES - 1


def quality_name(data: Data) -> str:
    return "pixel accuracy" if data.mode == "1bit" else "PSNR (dB)"


def live_scene(data: Data) -> Callable[[Run], dict]:
    """The live view's panels: the target, the network's picture, the cost and the quality."""
    rows, columns = data.shape[:2]
    colormap = "rgb" if data.mode == "rgb" else "darkness"
    picture = {"kind": "picture", "colormap": colormap, "aspect": columns / rows,
               "max_width": 400}  # fmt: skip
    target = encode(data.Y.reshape(data.shape))
    name = quality_name(data)

    def scene(run: Run) -> dict:
        panels = {
            "target": {**picture, "title": "The target", "image": target},
            "network": {**picture, "title": "The network's picture (probability)"},
            "cost": {"kind": "curves", "title": "Cost over all pixels (log scale)",
                     "series": ["cost (all pixels)"], "log": True, "height": 200},
            "quality": {"kind": "curves", "title": name.capitalize(), "series": [name],
                        "height": 200, "percent": data.mode == "1bit"},
        }  # fmt: skip
        return {"layout": [["target", "network", ["cost", "quality"]]], "panels": panels}

    return scene


def live_views(data: Data) -> Callable[[Run], dict]:
    """The network's picture (float32, as the engine renders it) and the readouts."""
    name = quality_name(data)

    def views(run: Run) -> dict:
        # In chunks too small to share between the cores: the other core draws the pages.
        P = run.network.predict(data.X, chunk_size=SNAPSHOT_CHUNK, dtype="float32")
        metrics = run.latest_metrics()
        cost, quality = metrics.get("cost (all pixels)"), metrics.get(name)
        read = {
            "Cost over all pixels": "–" if cost is None else f"{cost:.4f}",
            "Pixel accuracy" if data.mode == "1bit" else "PSNR":
                "–" if quality is None else short_score(quality, data.mode),
        }  # fmt: skip
        return {"read": read, "v": {"network": {"image": encode(P.reshape(data.shape))}}}

    return views


def dead_network_alarm(run: Run, data: Data) -> None:
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


# ---- enhance -------------------------------------------------------------------------------
def data_code(picture: Picture, data: Data) -> str:
    """Python that rebuilds (X, Y) outside the dashboard, for the exported experiment."""
    options = f"mode={data.mode!r}, threshold={data.threshold!r}, resolution={data.resolution}"
    if picture.key.startswith("builtin:"):
        name = picture.key.split(":", 1)[1]
        return (
            "from datasets import image_to_xy, load_transmission\n"
            f"X, Y, shape = image_to_xy(load_transmission({name!r}), {options})"
        )
    if picture.key.startswith("npz:"):
        read = (
            "from datasets import load_tutorial_npz, xy_to_image\n"
            "with open('tutorial.npz', 'rb') as file:  # the tutorial's .npz\n"
            "    _, Y0, shape0 = load_tutorial_npz(file.read())\n"
            "picture = xy_to_image(Y0, shape0)\n"
        )
    else:
        read = (
            "from datasets import load_image\n"
            "with open('picture.png', 'rb') as file:  # your picture\n"
            "    picture = load_image(file.read())\n"
        )
    return (
        "from datasets import image_to_xy\nfrom datasets.images import shrink\n"
        + read
        + f"picture = shrink(picture, {MAX_RESOLUTION})  # as the dashboard keeps it\n"
        f"X, Y, shape = image_to_xy(picture, {options})"
    )


def _take_model(outputs: int) -> None:
    widget = f"{KEY}.model_file"
    upload = st.session_state.get(widget)
    if upload is None or st.session_state.get(f"{widget}.seen") == (upload.file_id, outputs):
        return
    st.session_state[f"{widget}.seen"] = (upload.file_id, outputs)
    try:
        network = enhance.load_model(checked_bytes(upload), outputs)
    except (nn.NetworkError, DatasetError) as error:
        st.session_state[f"{widget}.error"] = f"**{upload.name}** cannot be used: {error}."
        return
    st.session_state.pop(f"{widget}.error", None)
    digest = hashlib.sha256(upload.getvalue()).hexdigest()[:16]
    st.session_state[f"{KEY}.imported"] = (upload.name, digest, network)


def model_to_enhance(run: Run, data: Data) -> tuple[nn.Network, tuple, str] | None:
    """The network, a key for its current state, and its name: the run's, or an imported one."""
    with st.expander("Import a saved model (.npz) instead", icon=":material/upload_file:"):
        st.file_uploader(
            "A model saved by this page (Download the trained model)",
            type=["npz"],
            key=f"{KEY}.model_file",
            max_upload_size=MAX_UPLOAD_MB,
        )
        _take_model(data.output.units)
        if f"{KEY}.model_file.error" in st.session_state:
            st.error(st.session_state[f"{KEY}.model_file.error"], icon=":material/error:")
    imported = st.session_state.get(f"{KEY}.imported")
    choices = ["The network you are training"]
    if imported is not None and imported[2].output_dim == data.output.units:
        choices.append(f"Imported: {imported[0]}")
    choice = st.radio("Enhance", choices, key=f"{KEY}.which_model", horizontal=True)
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


def enhance_lesson(run: Run, data: Data, settings: Settings) -> None:
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
        )
    threshold = enhance.output_threshold(data.mode, output_format, data.threshold)
    st.subheader("The tutorial's Figure 9, live")
    enhance.figure_9(KEY, model_key, network, data.mode, threshold)
    st.subheader("The free viewer")
    target = xy_to_image(data.full_Y, data.full_shape, data.mode)
    image, extent = enhance.free_viewer(
        KEY, model_key, network, target, data.full_shape, data.mode, threshold
    )
    saved = export_settings(settings, data.output, np.dtype(network.dtype).name)
    png, model = st.columns(2)
    png.download_button(
        f"Download the enhanced PNG ({image.width} × {image.height})",
        data=lambda: png_bytes(image),
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
    enhance.comparison(network, data, image, extent, threshold, scores)


def _scores(model_key, network: nn.Network, data: Data) -> dict[str, float]:
    cache = st.session_state.setdefault(f"{KEY}.scores", {})
    wanted = (model_key, data.mode, data.threshold, data.resolution)
    if wanted not in cache:
        cache.clear()
        cache[wanted] = enhance.compare(
            network, data.Y, data.shape, data.full_Y, data.full_shape, data.mode
        )
    return cache[wanted]
