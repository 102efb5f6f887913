"""The live view records a page's own metrics (test cost, accuracy) as training goes."""

from streamlit.testing.v1 import AppTest

from tests.live import ask, payload, run_of


def lesson_script():
    import numpy as np
    import streamlit as st

    from kit.live import live_view
    from kit.settings import OutputSpec, Settings

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    Y = (X[:, :1] > 0).astype(float)
    output = OutputSpec(input_dim=2, units=1, activation="sigmoid", loss="cross_entropy")
    st.session_state.setdefault("demo.speed", 300)  # the live view's speed: 10 steps a snapshot
    settings = Settings(learning_rate=1.0, speed=st.session_state["demo.speed"], max_iterations=100)

    def evaluate(network):
        accuracy = float(np.mean((network.predict(X) > 0.5) == (Y > 0.5)))
        return {"train accuracy": accuracy, "test cost": network.cost(X[:10], Y[:10])}

    def scene(run):
        curves = {"kind": "curves", "title": "Accuracy", "series": ["train accuracy"]}
        return {"layout": [["accuracy"]], "panels": {"accuracy": curves}}

    def views(run):
        return {"read": {"Accuracy": f"{run.latest_metrics()['train accuracy']:.0%}"}, "v": {}}

    live_view("demo", X, Y, settings, output, scene, views, evaluate=evaluate)


def test_metrics_are_recorded_at_start_after_each_step_and_batch():
    at = AppTest.from_function(lesson_script, default_timeout=30).run()
    assert not at.exception
    run = run_of(at, "demo")
    assert [i for i, _ in run.metrics["train accuracy"]] == [0]
    untrained = run.metrics["train accuracy"][0][1]
    assert payload(at, "demo")["history"]["train accuracy"] == [[0, untrained]]
    ask(at, "demo", "step")
    ask(at, "demo", "step")
    assert [i for i, _ in run.metrics["test cost"]] == [0, 1, 2]

    played = ask(at, "demo", "play")  # 4 snapshots of 10 steps: measured with the last
    assert [frame["i"] for frame in played["frames"]] == [12, 22, 32, 42]
    iterations = [i for i, _ in run_of(at, "demo").metrics["train accuracy"]]
    assert iterations == [0, 1, 2, 42]
    assert iterations[-1] == run_of(at, "demo").iteration
    accuracy = run.latest_metrics()["train accuracy"]
    assert played["frames"][-1]["read"] == {"Accuracy": f"{accuracy:.0%}"}
    assert played["frames"][-1]["pts"]["train accuracy"] == [[42, accuracy]]

    paused = ask(at, "demo", "pause")  # a full payload: the whole curve, as measured
    assert paused["full"] and not at.exception
    assert [i for i, _ in paused["history"]["train accuracy"]] == iterations
