"""AppTest of the Linear-regression lesson: live training, URL settings, the tutorial's numbers."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from ui import REPO_ROOT

PAGE = "app_pages/1_Linear_regression.py"
REFERENCE = json.loads((REPO_ROOT / "datasets/data/tutorial_results.json").read_text())


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def iteration(at: AppTest) -> int:
    return int(metric(at, "Iteration").replace(",", ""))


def cost(at: AppTest) -> float:
    return float(metric(at, "Cost"))


def texts(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.info, *at.error, *at.warning, *at.toast])


@pytest.fixture
def lesson(app: AppTest) -> AppTest:
    """The lesson, switched to but not yet run: set query params first if needed."""
    return app.switch_page(PAGE)


def test_defaults_render_the_lesson(lesson: AppTest) -> None:
    at = lesson.run()

    assert not at.exception
    assert not at.error and not at.warning
    assert at.title[0].value == "1 · Linear regression"
    assert iteration(at) == 0
    assert metric(at, "Trainable parameters") == "2"
    assert metric(at, "Learning rate") == "0.01"
    assert at.slider(key="linear.depth").value == 0
    assert len(at.get("vega_lite_chart")) == 3  # fitted line, cost curve, cost surface
    assert metric(at, "least-squares w") == "2.000000"
    assert [tab.label for tab in at.tabs][:3] == ["Reproduce the tutorial", "The math", "The code"]


def test_step_advances_the_counter_and_lowers_the_cost(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key="linear.step").click().run()
    first = cost(at)
    at.button(key="linear.step").click().run()

    assert not at.exception
    assert iteration(at) == 2
    assert first == pytest.approx(REFERENCE["linear_regression"]["costs"][0], rel=1e-3)
    assert cost(at) < first


def test_play_trains_frame_after_frame_and_pause_stops(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key="linear.play").click().run()
    assert at.button(key="linear.play").label == "Pause"
    seen = [iteration(at)]
    for _ in range(3):  # no browser asks for frames in AppTest: each run() is one frame
        seen.append(iteration(at.run()))
    assert seen == sorted(seen) and seen[-1] > seen[0] > 0
    costs_falling = cost(at)

    at.button(key="linear.play").click().run()
    paused = iteration(at)
    at.run()
    assert iteration(at) == paused
    assert at.button(key="linear.play").label == "Play"
    assert costs_falling < REFERENCE["linear_regression"]["costs"][0]
    assert not at.exception


def test_learning_rate_changes_mid_run_but_depth_resets(lesson: AppTest) -> None:
    at = lesson.run()
    for _ in range(3):
        at.button(key="linear.step").click().run()

    at.select_slider(key="linear.learning_rate").set_value(0.05).run()
    assert iteration(at) == 3
    assert metric(at, "Learning rate") == "0.05"
    assert "Architecture changed" not in texts(at)
    at.button(key="linear.step").click().run()
    assert iteration(at) == 4

    at.slider(key="linear.depth").set_value(1).run()
    assert iteration(at) == 0
    assert "Architecture changed: weights re-initialised." in texts(at)
    assert metric(at, "Trainable parameters") == "13"  # (1+1)·4 + (4+1)·1
    assert any("surface is drawn for the depth-0 model" in info.value for info in at.info)
    assert not at.exception


def test_reset_keeps_the_old_curve_in_the_history(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key="linear.step").click().run()
    at.button(key="linear.reset").click().run()
    at.button(key="linear.step").click().run()

    loss_chart = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert loss_chart["encoding"]["color"]["scale"]["domain"] == [
        "#1 lr 0.01 · no hidden layer · gd",
        "#2 lr 0.01 · no hidden layer · gd",
    ]


def test_reproduce_matches_the_tutorial_and_predicts_25(lesson: AppTest) -> None:
    at = lesson.run()
    at.slider(key="linear.noise").set_value(0.5).run()  # reproduce puts the data back too
    at.button(key="linear.reproduce").click().run()

    assert not at.exception
    reference = REFERENCE["linear_regression"]
    table = at.dataframe[0].value
    assert list(table["iteration"]) == list(range(0, 1000, reference["print_every"]))
    assert list(table["this engine"]) == pytest.approx(reference["costs"], rel=1e-9)
    assert list(table["tutorial cost"]) == reference["costs"]
    assert iteration(at) == reference["iterations"]
    assert float(metric(at, "prediction ŷ(12)")) == pytest.approx(reference["predict_12"], abs=1e-3)
    assert at.slider(key="linear.noise").value == 0.0


@pytest.mark.parametrize("rate", [1.0, 10.0])
def test_too_high_a_learning_rate_diverges_kindly(lesson: AppTest, rate: float) -> None:
    at = lesson.run()
    at.select_slider(key="linear.learning_rate").set_value(rate).run()
    at.select_slider(key="linear.iterations_per_frame").set_value(100).run()
    at.button(key="linear.play").click().run()
    for _ in range(3):
        if at.error:
            break
        at.run()

    assert not at.exception
    assert "diverged" in [badge.value for badge in at.markdown if "badge" in badge.value][0]
    message = at.error[0].value
    assert "cost exploded" in message and f"learning rate **{rate:g}**" in message
    assert at.button(key="linear.play").label == "Play"

    at.button(key="linear.reset_diverged").click().run()
    assert iteration(at) == 0 and not at.error
    at.button(key="linear.step").click().run()
    assert iteration(at) == 1
    assert not at.exception


def test_query_params_set_the_network(lesson: AppTest) -> None:
    lesson.query_params["learning_rate"] = "0.05"
    lesson.query_params["depth"] = "1"
    at = lesson.run()

    assert not at.exception
    assert at.select_slider(key="linear.learning_rate").value == 0.05
    assert at.slider(key="linear.depth").value == 1
    assert metric(at, "Learning rate") == "0.05"


def test_changes_are_written_to_the_url(lesson: AppTest) -> None:
    at = lesson.run()
    at.select_slider(key="linear.learning_rate").set_value(0.003).run()
    at.slider(key="linear.noise").set_value(0.5).run()

    assert at.query_params["learning_rate"] == "0.003"
    assert at.query_params["noise"] == "0.5"
    at.select_slider(key="linear.learning_rate").set_value(0.01).run()
    assert "learning_rate" not in at.query_params  # back to the default: a shorter link


def test_hostile_url_is_clamped(lesson: AppTest) -> None:
    for name, value in {
        "depth": "99",
        "learning_rate": "abc",
        "units": "-3,1e9",
        "activations": "<script>,relu",
        "n_points": "1e12",
        "noise": "-inf",
        "seed": "NaN",
        "lock": "everything",
    }.items():
        lesson.query_params[name] = value
    at = lesson.run()

    assert not at.exception
    assert at.slider(key="linear.depth").value == 6
    assert at.select_slider(key="linear.learning_rate").value == 0.01
    assert at.slider(key="linear.units.0").value == 1
    assert at.slider(key="linear.units.1").value == 64
    assert at.selectbox(key="linear.activation.1").value == "tanh"  # one bad item: list ignored
    assert at.slider(key="linear.n_points").value == 200
    assert at.slider(key="linear.noise").value == 0.0
    assert not at.slider(key="linear.depth").disabled
    at.button(key="linear.step").click().run()
    assert iteration(at) == 1


def test_classroom_link_locks_controls(lesson: AppTest) -> None:
    lesson.query_params["lock"] = "learning_rate,depth"
    lesson.query_params["learning_rate"] = "0.05"
    at = lesson.run()

    assert not at.exception
    assert at.select_slider(key="linear.learning_rate").disabled
    assert at.slider(key="linear.depth").disabled
    assert not at.selectbox(key="linear.optimizer").disabled
    assert at.multiselect(key="linear.locks").value == ["depth", "learning_rate"]
    # a preset leaves locked controls alone
    at.button(key="linear.preset.Fast").click().run()
    assert at.select_slider(key="linear.learning_rate").value == 0.05
    assert at.select_slider(key="linear.max_iterations").value == 200


def test_other_optimizers_batches_and_depths_train_and_stop_at_the_target(lesson: AppTest) -> None:
    at = lesson.run()
    at.slider(key="linear.depth").set_value(2).run()
    at.selectbox(key="linear.activation.1").set_value("relu").run()
    at.selectbox(key="linear.optimizer").set_value("adam").run()
    at.select_slider(key="linear.batch_size").set_value(4).run()
    at.select_slider(key="linear.target_cost").set_value(0.1).run()
    at.select_slider(key="linear.iterations_per_frame").set_value(500).run()
    assert metric(at, "Trainable parameters") == str((1 + 1) * 4 + (4 + 1) * 4 + (4 + 1) * 1)
    at.button(key="linear.play").click().run()
    for _ in range(10):
        if at.button(key="linear.play").label == "Play":
            break
        at.run()

    assert not at.exception
    # Max iterations is 1000. The page's seed 1 stops at 185 (a mini-batch cost of 0.09997) on
    # SkylakeX and Haswell, 1 and 2 BLAS threads; seeds 0-9 stop at 185-380, but seed 5 never
    # learns (cost 22.9 at 1000): the pass rests on seed 1, which no kernel moved.
    assert 0 < iteration(at) < 1000
    assert cost(at) <= 0.1  # stopped at the target, not at max iterations
    assert at.button(key="linear.play").disabled
