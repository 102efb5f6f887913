"""Keep trained work through a reload or a server restart: download the run, continue later.

The file is the engine's own .npz (``Network.save``: architecture and weights, never a pickle)
with the lesson, the iteration and the settings, written as the lesson's URL parameters so they
are read back through the same checks as a shared link, and the student's own points when the
lesson has data by hand (``kit.live.hand``). Continuing puts the saved weights into a new run at
the saved iteration; momentum's and Adam's running averages start afresh.
"""

import io

import streamlit as st

import nn
from kit import MAX_UPLOAD_MB
from kit.controls import apply_settings
from kit.live.hand import DataByHand
from kit.live.run import Run, live_state, new_run, replace_run
from kit.settings import OutputSpec, Settings, build_network, settings_from_query, settings_to_query


def saved_bytes(key: str, run: Run, hand: DataByHand | None = None) -> bytes:
    """The run as .npz bytes: its network, the lesson, the iteration, the settings and the
    student's points (``hand``)."""
    buffer = io.BytesIO()
    about = {"lesson": key, "iteration": run.iteration}
    about["settings"] = settings_to_query(run.settings, Settings())
    if hand is not None:
        about["data"] = hand.saved()
    run.network.save(buffer, about)
    return buffer.getvalue()


def continued_run(
    key: str, data: bytes, X, Y, output: OutputSpec, data_key, evaluate, hand=None
) -> Run:
    """A new run that starts from the saved network in ``data`` (bytes of a saved file); the
    saved points go back to ``hand`` (the run trains on them once the page draws them).
    Raises nn.ModelFileError or nn.NetworkError with a message a student can act on."""
    saved = nn.Network.load(io.BytesIO(data))
    about = saved.settings if isinstance(saved.settings, dict) else {}
    if about.get("lesson") != key:
        where = f"on the {about['lesson']} page" if about.get("lesson") else "somewhere else"
        raise nn.NetworkError(f"this network was saved {where}; continue it there")
    query = about.get("settings")
    settings = settings_from_query(query if isinstance(query, dict) else {}, Settings())
    expected = build_network(settings, output)
    if [str(layer) for layer in expected.layers] != [str(layer) for layer in saved.layers]:
        raise nn.NetworkError(
            f"its layers ({saved!r}) do not fit this page's data and its own settings"
        )
    if hand is not None and "data" in about:
        try:
            hand.restore(about["data"])
        except ValueError as error:
            raise nn.NetworkError(f"its points cannot be used here: {error}") from None
    run = new_run(key, X, Y, settings, output, data_key, evaluate)
    for layer, saved_layer in zip(run.network.layers, saved.layers, strict=True):
        layer.params[...] = saved_layer.params
    iteration = about.get("iteration")
    run.trainer.iteration = iteration if isinstance(iteration, int) and iteration >= 0 else 0
    run.metrics.clear()
    run.measure()
    return run


def open_saved(key: str, data: bytes) -> None:
    """Continue lesson ``key`` from the saved network ``data`` when its live view next draws."""
    live_state(key).pending = data


def continue_pending(key: str, X, Y, output: OutputSpec, data_key, evaluate) -> None:
    """Make the network ``open_saved`` left for lesson ``key`` its run, or say why it cannot."""
    data, live_state(key).pending = live_state(key).pending, None
    if data is None:
        return
    try:
        run = continued_run(key, data, X, Y, output, data_key, evaluate)
    except (nn.ModelFileError, nn.NetworkError) as error:
        live_state(key).continue_error = f"This network cannot be opened here: {error}."
        return
    replace_run(key, run)


def _continue(key: str, X, Y, output: OutputSpec, data_key, evaluate, hand=None) -> None:
    upload = st.session_state.get(f"{key}.continue_file")
    if not hasattr(upload, "getvalue"):  # cleared, or replaced (a deleted file)
        live_state(key).continue_error = None
        return
    try:
        if upload.size > MAX_UPLOAD_MB * 2**20:
            raise nn.NetworkError(f"the file is {upload.size / 2**20:.1f} MB; a saved network "
                                  f"is a few KB and at most {MAX_UPLOAD_MB} MB")  # fmt: skip
        run = continued_run(key, upload.getvalue(), X, Y, output, data_key, evaluate, hand)
    except (nn.ModelFileError, nn.NetworkError) as error:
        message = f"**{upload.name}** cannot be continued: {error}."
        live_state(key).continue_error = message
        return
    apply_settings(key, run.settings)
    replace_run(key, run)
    st.toast(f"Continued from iteration {run.iteration:,}.", icon=":material/save:")
    live_state(key).continue_error = None


def save_and_continue(
    key: str, run: Run, X, Y, output: OutputSpec, data_key, evaluate, hand=None
) -> None:
    """A popover: download this run's network (and the student's points), or continue from a
    downloaded one."""
    with st.popover("Save or continue", icon=":material/save:", width="stretch"):
        st.download_button(
            "Download this network (.npz)",
            data=lambda: saved_bytes(key, run, hand),
            file_name=f"{key}-iteration-{run.iteration}.npz",
            mime="application/octet-stream",
            icon=":material/download:",
            key=f"{key}.save_run",
            on_click="ignore",
        )
        st.file_uploader(
            "Continue from a downloaded network",
            type="npz",
            key=f"{key}.continue_file",
            max_upload_size=MAX_UPLOAD_MB,
            on_change=_continue,
            args=(key, X, Y, output, data_key, evaluate, hand),
            help="A reload or a restart starts training again; a saved network continues it.",
        )
    if error := live_state(key).continue_error:
        st.error(error, icon=":material/error:")
