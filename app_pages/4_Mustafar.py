"""Lesson 4: learn a picture as a function (row, column) -> pixel, then enhance it."""

import streamlit as st

from kit.code_view import code_view, export_button
from kit.controls import export_settings, network_builder
from kit.live import live_view
from kit.math_panel import math_panel
from lessons.mustafar.views import (
    FAST,
    KEY,
    PRESETS,
    TUTORIAL_SEED,
    data_code,
    data_controls,
    dead_network_alarm,
    enhance_lesson,
    evaluator,
    live_scene,
    live_views,
    prepare_preset_run,
    preset_indicator,
    transmission_picker,
)
from nn.presets import FAST_IMAGE

st.title("4 · Mustafar: enhance!")
st.markdown(
    "An intercepted transmission: a tiny 1-bit picture. A network of relu units learns it as a "
    "**function** from a pixel's position **(row, column)** to its darkness. A function can be "
    "asked about the points *between* the pixels, so we can render it on a grid 20 times "
    "finer than the picture: **enhance**."
)

# ---- 1. the transmission and the live view --------------------------------------------------
live_box = st.container()  # the live view on top; the picture's controls below it
with st.expander("The transmission: pick a picture, its mode and resolution", expanded=True):
    picture = transmission_picker()
    data = data_controls(picture)
presets = {name: settings for name, (settings, _) in PRESETS.items()}
settings = network_builder(KEY, data.output, FAST, presets)
evaluate = evaluator(data)
data_key = (picture.key, data.mode, data.threshold, data.resolution)
preset = prepare_preset_run(data.X, data.Y, settings, data.output, data_key, evaluate)
with live_box:
    run = live_view(
        KEY, data.X, data.Y, settings, data.output, live_scene(data), live_views(data),
        data_key=data_key, evaluate=evaluate,
        learning_rate=PRESETS[preset][1].learning_rate if preset else None,
    )  # fmt: skip
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
        f"**Fast preset**: 2-27-31-31-1 relu. {FAST_IMAGE.description} On every built-in 1-bit "
        "picture the cost over all pixels drops below 0.09 within a few seconds of training."
    )
elif preset == "Tutorial":
    st.caption(
        "**Tutorial preset**: 2-27-31-31-1 relu, tutorial init × 0.2, full-batch gradient "
        "descent with the tutorial's eight learning-rate steps, 2.8 → 0.01875 over 28,000 "
        f"iterations (about 2½ minutes). Seed {TUTORIAL_SEED}: at seed 1 the first big steps kill "
        "the last relu layer on the helmet; try it and watch the dead-network alarm."
    )
if run is not None and not run.playing:
    dead_network_alarm(run, data)

# ---- 2. enhance, the math and the code ------------------------------------------------------
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
            code_view(run.network, optimizer=settings.optimizer)
            if preset:
                recipe = PRESETS[preset][1]
                st.markdown(
                    f"This run follows the engine's recipe `nn.presets`: {recipe.description}"
                )
                name = "FAST_IMAGE" if preset == "Fast" else "TUTORIAL_IMAGE"
                st.code(
                    f"{data_code(picture, data)}\n\nfrom nn.presets import {name}\n"
                    f"net = {name}.network(input_dim=2, outputs={data.output.units}, "
                    f"seed={settings.seed})\n"
                    f"trainer = {name}.trainer(net, X, Y, seed={settings.seed})\n"
                    f"for progress in trainer.run({name}.iterations, every=1000):\n"
                    "    print(progress.iteration, progress.cost)",
                    language="python",
                )
            else:
                iterations = run.iteration or settings.max_iterations
                export_button(
                    f"{KEY}.export",
                    data_code(picture, data),
                    export_settings(settings, data.output),
                    iterations,
                )
