"""The live trainer records a page's own metrics (test cost, accuracy) as training goes."""

from streamlit.testing.v1 import AppTest

from ui.charts import metric_curves_spec


def lesson_script():
    import numpy as np

    from ui.controls import OutputSpec, Settings
    from ui.trainer import live_trainer, show_metric_curves

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    Y = (X[:, :1] > 0).astype(float)
    output = OutputSpec(input_dim=2, units=1, activation="sigmoid", loss="cross_entropy")
    settings = Settings(learning_rate=1.0, iterations_per_frame=5, max_iterations=100)

    def evaluate(network):
        accuracy = float(np.mean((network.predict(X) > 0.5) == (Y > 0.5)))
        return {"train accuracy": accuracy, "test cost": network.cost(X[:10], Y[:10])}

    run = live_trainer("demo", X, Y, settings, output, evaluate=evaluate)
    show_metric_curves(run, ["train accuracy"], "accuracy")


def test_metrics_are_recorded_at_start_after_each_step_and_frame():
    at = AppTest.from_function(lesson_script, default_timeout=30).run()
    assert not at.exception
    run = at.session_state["demo.run"]
    assert [i for i, _ in run.metrics["train accuracy"]] == [0]
    at.button(key="demo.step").click().run()
    at.button(key="demo.step").click().run()
    assert [i for i, _ in run.metrics["test cost"]] == [0, 1, 2]
    at.button(key="demo.play").click().run()
    at.run()  # no browser asks for frames in AppTest: each run() is one frame
    iterations = [i for i, _ in at.session_state["demo.run"].metrics["train accuracy"]]
    assert iterations[-1] > 2 and iterations == sorted(set(iterations))
    assert iterations[-1] == at.session_state["demo.run"].iteration


def test_metric_curves_spec_has_one_line_per_metric_and_skips_bad_values():
    spec = metric_curves_spec(
        {"train": [(0, 0.5), (10, 0.8)], "test": [(0, 0.4), (10, float("nan"))]}, "accuracy"
    )
    rows = spec["data"]["values"]
    assert {row["metric"] for row in rows} == {"train", "test"}
    assert len(rows) == 3
    assert spec["encoding"]["color"]["scale"]["domain"] == ["train", "test"]
    log = metric_curves_spec({"cost": [(0, 0.0), (1, 0.5)]}, "cost", log=True)
    assert [row["value"] for row in log["data"]["values"]] == [0.5]
