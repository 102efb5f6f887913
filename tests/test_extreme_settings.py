"""Extreme settings on every lesson, set through the real widgets: the deepest and widest network
with every activation, batch size 1, the smallest and the largest learning rate, Mustafar's
largest enhance render and the Sweep's most extreme search. Each trains a bounded amount of
work per frame (and says when it trains less than asked), shows a finite cost or says in words
that it diverged, and leaves the page working."""

import io
import math
import re
import time

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from ui.controls import (
    BATCH_SIZES,
    HIDDEN_ACTIVATIONS,
    ITERATIONS_PER_FRAME,
    LEARNING_RATES,
    MAX_DEPTH,
    MAX_UNITS,
)
from ui.enhance import MAX_SIDE, RENDER_WORK
from ui.trainer import FRAME_WORK, MAX_STEP_MB

PAGES = {
    "linear": "app_pages/1_Linear_regression.py",
    "titanic": "app_pages/2_Titanic.py",
    "rose": "app_pages/3_Rose.py",
    "mustafar": "app_pages/4_Mustafar.py",
}
DEEPEST = {"depth": MAX_DEPTH, "units": MAX_UNITS}
EVERY_ACTIVATION = tuple(HIDDEN_ACTIVATIONS[i % len(HIDDEN_ACTIVATIONS)] for i in range(MAX_DEPTH))
FEWEST, MOST = min(ITERATIONS_PER_FRAME), max(ITERATIONS_PER_FRAME)
EXTREMES = {
    f"{MAX_DEPTH}x{MAX_UNITS}, every activation": {
        **DEEPEST, "activations": EVERY_ACTIVATION, "per_frame": FEWEST,
    },
    f"{MAX_DEPTH}x{MAX_UNITS} relu, {MOST} a frame": {
        **DEEPEST, "activations": ("relu",) * MAX_DEPTH, "per_frame": MOST,
    },
    f"batch 1, {MOST} a frame": {"batch_size": 1, "per_frame": MOST},
    "learning rate 1e-4": {"learning_rate": min(LEARNING_RATES), "per_frame": MOST},
    "learning rate 10": {"learning_rate": max(LEARNING_RATES), "per_frame": MOST},
}  # fmt: skip


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def iteration(at: AppTest) -> int:
    return int(metric(at, "Iteration").replace(",", ""))


def set_extreme(
    at: AppTest, key: str, depth=None, units=None, activations=(), per_frame=MOST, **sliders
) -> AppTest:
    """Set the builder's widgets (``activations``: one per hidden layer) and the iterations
    per frame."""
    if depth is not None:
        at.slider(key=f"{key}.depth").set_value(depth).run()  # the layers' widgets appear
        for layer, activation in enumerate(activations):
            at.slider(key=f"{key}.units.{layer}").set_value(units)
            at.selectbox(key=f"{key}.activation.{layer}").set_value(activation)
    for name, value in sliders.items():
        at.select_slider(key=f"{key}.{name}").set_value(value)
    at.select_slider(key=f"{key}.iterations_per_frame").set_value(per_frame)
    return at.run()


@pytest.mark.parametrize("extreme", EXTREMES)
@pytest.mark.parametrize("page", PAGES)
def test_an_extreme_setting_trains_bounded_frames_or_explains_the_divergence(
    app: AppTest, page: str, extreme: str
) -> None:
    at = set_extreme(app.switch_page(PAGES[page]).run(), page, **EXTREMES[extreme])
    assert not at.exception and not at.error
    run = at.session_state[f"{page}.run"]
    work = run.trainer.batch_size * run.network.parameter_count
    per_frame = run.frame_iterations()
    assert per_frame * work <= FRAME_WORK or per_frame == 1
    if per_frame < run.settings.iterations_per_frame:
        assert any(f"{per_frame:,} iterations per frame instead of" in c.value for c in at.caption)

    at.button(key=f"{page}.play").click().run()  # one frame (a few on Rose's quick frames)
    assert not at.exception

    if run.diverged is None:
        assert iteration(at) > 0
        # Whole frames, or a frame cut at FRAME_TRAIN_SECONDS on a busy machine, said so.
        busy = any("The server is busy" in c.value for c in at.caption)
        assert iteration(at) % per_frame == 0 or busy
        assert math.isfinite(float(metric(at, "Cost")))
        return
    message = at.error[0].value
    assert "cost exploded" in message and "Pick a smaller learning rate" in message
    at.button(key=f"{page}.reset_diverged").click().run()
    assert iteration(at) == 0 and not at.error
    at.button(key=f"{page}.step").click().run()
    assert iteration(at) == 1 and not at.exception
    assert math.isfinite(float(metric(at, "Cost")))


def test_the_linear_lesson_diverges_at_learning_rate_10_and_says_so(app: AppTest) -> None:
    """At least one page really diverges at the largest rate, so the branch above is taken."""
    at = set_extreme(app.switch_page(PAGES["linear"]).run(), "linear", learning_rate=10.0)
    at.button(key="linear.play").click().run()
    assert at.session_state["linear.run"].diverged is not None
    assert "learning rate **10**" in at.error[0].value


def test_mustafar_renders_the_deepest_network_as_large_as_its_budget_allows(app: AppTest) -> None:
    at = set_extreme(app.switch_page(PAGES["mustafar"]).run(), "mustafar", **DEEPEST,
                     activations=("relu",) * MAX_DEPTH, batch_size=1)  # fmt: skip
    at.button(key="mustafar.step").click().run()
    at.select_slider(key="mustafar.size").set_value(MAX_SIDE).run()

    assert not at.exception and not at.error
    parameters = at.session_state["mustafar.run"].network.parameter_count
    label = next(  # the free viewer's picture
        b.proto.label for b in at.get("download_button") if "enhanced PNG" in b.proto.label
    )
    width, height = (int(side) for side in re.search(r"\((\d+) × (\d+)\)", label).groups())
    assert height < MAX_SIDE and width / height == pytest.approx(94 / 100, rel=0.01)  # helmet
    assert 0.99 * RENDER_WORK < width * height * parameters <= RENDER_WORK
    notes = " ".join(caption.value for caption in at.caption)
    assert f"Drawn at {width:,} × {height:,} px instead of 3,760 × 4,000" in notes
    assert f"this network has {parameters:,} parameters" in notes
    for image, _ in at.session_state["mustafar.renders"].values():
        assert image.width * image.height * parameters <= RENDER_WORK


def test_a_full_batch_too_big_for_a_shared_server_is_refused_with_a_way_out(app: AppTest) -> None:
    """The deepest network on every pixel of the largest picture at once: refused, in words."""
    at = app.switch_page(PAGES["mustafar"]).run()
    at.radio(key="mustafar.source").set_value("Upload a picture").run()
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((300, 300)).save(buffer, format="PNG")
    at.file_uploader(key="mustafar.upload").set_value(("big.png", buffer.getvalue(), "image/png"))
    at.run().slider(key="mustafar.resolution").set_value(200).run()  # 40,000 pixels
    at = set_extreme(at, "mustafar", **DEEPEST, activations=EVERY_ACTIVATION, batch_size=0)

    assert not at.exception
    message = at.error[0].value
    assert message.startswith("These settings cannot make a network: one step on 40,000 samples")
    assert f"more than the {MAX_STEP_MB} MB each student gets" in message
    assert f"Choose a batch size of {max(BATCH_SIZES):,} or less" in message
    at.select_slider(key="mustafar.batch_size").set_value(max(BATCH_SIZES)).run()
    assert not at.error
    at.button(key="mustafar.step").click().run()
    assert iteration(at) == 1 and not at.exception


def test_the_sweep_runs_its_most_extreme_grid(app: AppTest) -> None:
    """6 x 64, every activation, batch 1 and the two extreme rates on the 9,400 helmet pixels."""
    at = app.switch_page("app_pages/5_Sweep.py").run()
    at.pills(key="sweep.depth").set_value([MAX_DEPTH])
    at.multiselect(key="sweep.units").set_value([MAX_UNITS])
    at.multiselect(key="sweep.learning_rate").set_value([min(LEARNING_RATES), max(LEARNING_RATES)])
    at.pills(key="sweep.activation").set_value(list(HIDDEN_ACTIVATIONS))
    at.multiselect(key="sweep.batch_size").set_value([1])
    at.select_slider(key="sweep.iterations").set_value(10)
    at.slider(key="sweep.jobs").set_value(1)
    at.run()
    models = 2 * len(HIDDEN_ACTIVATIONS)
    assert at.info[0].value.startswith(f"{models} models")
    at.button(key="sweep.start").click().run()
    for _ in range(300):  # the fragment's timer never fires in AppTest: rerun until done
        if not at.session_state["sweep.job"].busy:
            break
        time.sleep(0.1)
        at.run()
    at.run()

    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert len(table) == models and set(table["batch_size"]) == {"1"}
    assert f"{models} of {models} runs" in at.get("progress")[0].proto.text
    finished = table[table["status"] != "diverged"]
    assert finished["cost"].map(math.isfinite).all() and len(finished) >= len(HIDDEN_ACTIVATIONS)
