"""Extreme settings on every lesson, set through the real widgets: the deepest and widest network
with every activation, batch size 1, the smallest and the largest learning rate, the slowest
speed and as fast as it goes, Mustafar's largest enhance render and the Sweep's most extreme
search. Each batch of the live view trains within its time budget (and shows each snapshot
longer rather than overrun it), shows a finite cost or says in words that it diverged, and
leaves the page working."""

import io
import math
import re
import time

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from kit.live.frames import FPS, train_batch
from kit.live.run import MAX_STEP_MB, Run
from kit.live.view import FIRST_BATCH_SECONDS
from kit.settings import (
    BATCH_SIZES,
    HIDDEN_ACTIVATIONS,
    LEARNING_RATES,
    MAX_DEPTH,
    MAX_UNITS,
    SPEEDS,
    OutputSpec,
    Settings,
    build_network,
)
from lessons.mustafar.enhance import MAX_SIDE, RENDER_WORK
from tests.live import ask, payload, run_of

PAGES = {
    "linear": "app_pages/1_Linear_regression.py",
    "titanic": "app_pages/2_Titanic.py",
    "rose": "app_pages/3_Rose.py",
    "mustafar": "app_pages/4_Mustafar.py",
}
DEEPEST = {"depth": MAX_DEPTH, "units": MAX_UNITS}
EVERY_ACTIVATION = tuple(HIDDEN_ACTIVATIONS[i % len(HIDDEN_ACTIVATIONS)] for i in range(MAX_DEPTH))
SLOWEST, FASTEST = min(speed for speed in SPEEDS if speed), 0  # 0: as fast as it goes
EXTREMES = {
    f"{MAX_DEPTH}x{MAX_UNITS}, every activation, {SLOWEST} step/s": {
        **DEEPEST, "activations": EVERY_ACTIVATION, "speed": SLOWEST,
    },
    f"{MAX_DEPTH}x{MAX_UNITS} relu, as fast as it goes": {
        **DEEPEST, "activations": ("relu",) * MAX_DEPTH, "speed": FASTEST,
    },
    "batch 1, as fast as it goes": {"batch_size": 1, "speed": FASTEST},
    "learning rate 1e-4": {"learning_rate": min(LEARNING_RATES), "speed": FASTEST},
    "learning rate 10": {"learning_rate": max(LEARNING_RATES), "speed": FASTEST},
}  # fmt: skip


def shown(at: AppTest, key: str) -> dict:
    """The last frame the live view got: its iteration, cost and readouts."""
    return payload(at, key)["frames"][-1]


def set_extreme(
    at: AppTest, key: str, depth=None, units=None, activations=(), speed=FASTEST, **sliders
) -> AppTest:
    """Set the builder's widgets (``activations``: one per hidden layer) and the live view's
    speed (steps a second, 0: as fast as it goes)."""
    if depth is not None:
        at.slider(key=f"{key}.depth").set_value(depth).run()  # the layers' widgets appear
        for layer, activation in enumerate(activations):
            at.slider(key=f"{key}.units.{layer}").set_value(units)
            at.selectbox(key=f"{key}.activation.{layer}").set_value(activation)
    for name, value in sliders.items():
        at.select_slider(key=f"{key}.{name}").set_value(value)
    at.session_state[f"{key}.speed"] = speed  # the live view's menu (no widget: its component)
    return at.run()


@pytest.mark.parametrize("extreme", EXTREMES)
@pytest.mark.parametrize("page", PAGES)
def test_an_extreme_setting_trains_a_bounded_batch_or_explains_the_divergence(
    app: AppTest, page: str, extreme: str
) -> None:
    app.switch_page(PAGES[page])
    if page == "mustafar":  # the enhance tab renders the network 20 times finer, every run:
        app.session_state["mustafar.tab"] = "The code"  # its own test is below
    at = set_extreme(app.run(), page, **EXTREMES[extreme])
    assert not at.exception and not at.error
    speed = EXTREMES[extreme]["speed"]
    assert payload(at, page)["speed"] == str(speed)

    sent = ask(at, page, "play")  # Play trains the first, short batch
    assert not at.exception and not at.error
    run = run_of(at, page)

    if run.diverged is None:
        # Plays on, or (a light network as fast as it goes) ended all its iterations at once.
        assert sent["frames"] and (sent["playing"] or (run.finished and sent["stale_page"]))
        assert shown(at, page)["i"] == run.iteration > 0
        assert math.isfinite(shown(at, page)["cost"])
        # However heavy the network, the snapshots cover the batch's animation: each is shown
        # at least a 30th of a second, longer when fewer fit in the batch's budget.
        assert sent["frame_ms"] >= round(1000 / FPS)
        covered = len(sent["frames"]) * sent["frame_ms"]
        assert covered >= 1000 * FIRST_BATCH_SECONDS - sent["frame_ms"]  # whole snapshots
        if speed == SLOWEST:  # one step a second: the first batch is one snapshot of one step
            assert [frame["i"] for frame in sent["frames"]] == [1] and sent["frame_ms"] == 1000
        return
    assert sent["status"] == ["diverged", "red"] and not sent["playing"]
    (message,) = [text for tone, text in sent["notes"] if tone == "error"]
    assert "cost exploded" in message and "Pick a smaller learning rate" in message
    ask(at, page, "reset")
    assert shown(at, page)["i"] == 0 and not payload(at, page)["notes"]
    ask(at, page, "step")
    assert shown(at, page)["i"] == 1 and not at.exception
    assert math.isfinite(shown(at, page)["cost"])


def test_the_linear_lesson_diverges_at_learning_rate_10_and_says_so(app: AppTest) -> None:
    """At least one page really diverges at the largest rate, so the branch above is taken."""
    at = set_extreme(
        app.switch_page(PAGES["linear"]).run(), "linear", learning_rate=10.0, speed=max(SPEEDS)
    )
    sent = ask(at, "linear", "play")  # 400 steps: the cost overflows near step 75
    assert run_of(at, "linear").diverged is not None
    assert sent["status"] == ["diverged", "red"]
    assert any("with learning rate 10:" in text for _, text in sent["notes"])


# ---- a batch's time budget (kit.live.frames.train_batch) ---------------------------------------
def heavy_run(speed: int, samples: int = 2000) -> tuple[Run, list[float]]:
    """A playing run of the deepest, widest relu network on ``samples`` points, full batch, and
    the wall time each of its training steps takes (recorded as it trains)."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(samples, 2))
    Y = (X[:, :1] > 0).astype(float)
    output = OutputSpec(input_dim=2, units=1, activation="sigmoid", loss="cross_entropy")
    settings = Settings(
        depth=MAX_DEPTH, units=(MAX_UNITS,) * MAX_DEPTH, activations=("relu",) * MAX_DEPTH,
        init="he", speed=speed, max_iterations=1_000_000,
    )  # fmt: skip
    network = build_network(settings, output)
    trainer = network.trainer(X, Y, learning_rate=0.01, optimizer="gd", seed=1)
    run = Run(1, settings, output, network, trainer, playing=True)
    took: list[float] = []
    step = trainer.step

    def timed_step() -> None:
        began = time.perf_counter()
        step()
        took.append(time.perf_counter() - began)

    trainer.step = timed_step
    return run, took


def no_views(run: Run) -> dict:
    return {"read": {}, "v": {}}


def test_a_heavy_batch_stops_near_its_budget_and_shows_its_snapshots_longer() -> None:
    run, took = heavy_run(speed=0)
    seconds, budget = 1.0, 0.05  # far less time than a 6x64 network needs for 30 snapshots
    began = time.perf_counter()
    batch = train_batch(run, no_views, seconds, budget)
    spent = time.perf_counter() - began

    assert took and run.iteration == len(took)
    # Each snapshot's steps stop when the budget is spent: at most one step over.
    assert spent <= budget + max(took) + 0.5
    assert batch.training <= spent + 0.01  # processor time of this thread in the steps
    assert len(batch.frames) < seconds * FPS  # it did not train the 30 snapshots asked for
    assert batch.frame_ms > round(1000 / FPS)  # each is shown longer instead...
    assert len(batch.frames) * batch.frame_ms >= 1000 * seconds - len(batch.frames)  # ...to fill
    assert [frame["i"] for frame in batch.frames][-1] == run.iteration


def test_a_light_batch_trains_all_its_snapshots_at_its_speed() -> None:
    run, took = heavy_run(speed=300, samples=4)  # 10 steps a snapshot, shown 1/30 s each
    batch = train_batch(run, no_views, seconds=0.5, budget=5.0)
    assert [frame["i"] for frame in batch.frames] == [10 * (k + 1) for k in range(15)]
    assert batch.frame_ms == round(1000 / FPS) and len(took) == 150


def test_a_heavy_batch_at_a_high_finite_speed_keeps_to_its_budget_too() -> None:
    run, took = heavy_run(speed=3000, samples=4)  # 100 steps a snapshot
    step = run.trainer.step

    def slow_step() -> None:  # a heavy network's step, on any machine: 10 ms
        time.sleep(0.01)
        step()

    run.trainer.step = slow_step
    budget = 0.05
    train_batch(run, no_views, seconds=1.0, budget=budget)
    assert len(took) <= (budget + 0.5) / 0.01 + 1  # the budget, a step and 0.5 s of slack


def test_slow_views_get_fewer_snapshots_and_the_training_keeps_its_share() -> None:
    run, took = heavy_run(speed=0, samples=4)

    def slow_views(run: Run) -> dict:  # a big network's surface and unit maps: 20 ms a frame
        time.sleep(0.02)
        return no_views(run)

    train_batch(run, slow_views, seconds=0.4, budget=0.3)  # learns what a snapshot costs
    steps = len(took)
    batch = train_batch(run, slow_views, seconds=0.4, budget=0.3)
    # Snapshots may take SNAPSHOT_SHARE of the budget: 0.3 × 0.3 s / 20 ms = 4 of them, shown
    # 100 ms each, where 12 were asked for; the steps get the rest.
    assert 1 <= len(batch.frames) <= 5 and batch.frame_ms >= 80
    assert len(took) - steps > 10 * len(batch.frames)


def test_mustafar_renders_the_deepest_network_as_large_as_its_budget_allows(app: AppTest) -> None:
    at = set_extreme(app.switch_page(PAGES["mustafar"]).run(), "mustafar", **DEEPEST,
                     activations=("relu",) * MAX_DEPTH, batch_size=1)  # fmt: skip
    ask(at, "mustafar", "step")
    at.select_slider(key="mustafar.size").set_value(MAX_SIDE).run()

    assert not at.exception and not at.error
    parameters = run_of(at, "mustafar").network.parameter_count
    label = next(  # the free viewer's picture
        b.proto.label for b in at.get("download_button") if "enhanced PNG" in b.proto.label
    )
    width, height = (int(side) for side in re.search(r"\((\d+) × (\d+)\)", label).groups())
    assert height < MAX_SIDE and width / height == pytest.approx(94 / 100, rel=0.01)  # helmet
    assert 0.99 * RENDER_WORK < width * height * parameters <= RENDER_WORK
    notes = " ".join(caption.value for caption in at.caption)
    assert f"Drawn at {width:,} × {height:,} px instead of 3,760 × 4,000" in notes
    assert f"this network has {parameters:,} parameters" in notes
    for image, _ in at.session_state["mustafar"].renders.values():
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
    ask(at, "mustafar", "step")
    assert shown(at, "mustafar")["i"] == 1 and not at.exception


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
        if not at.session_state["sweep"].job.busy:
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
