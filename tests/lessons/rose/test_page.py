"""AppTest of the Rose lesson: defaults, datasets, live training, the tutorial's numbers, sweep.

The live view is a component (kit.live): tests/live.py plays the browser's part, asking for
frames and sending Play, Pause, Step, Reset and Speed as the component's buttons would. The
tabs below it are lazy: only the open one is drawn (``open_tab``). What the page keeps between
reruns is ``at.session_state[KEY]``, a ``RoseState``; widgets keep their own keys.
"""

import json

import pytest
from streamlit.testing.v1 import AppTest

from kit import colormaps
from kit.colormaps import SURFACE_STRENGTH
from kit.live.view import FIRST_BATCH_SECONDS
from kit.reproduce import tutorial_reference
from lessons.rose.views import Comparison, RoseState
from tests.live import (
    ask,
    frames,
    iteration,
    metric,
    notes,
    open_tab,
    payload,
    play_until_it_stops,
    run_of,
    shown,
)

PAGE = "app_pages/3_Rose.py"
OTHER_PAGE = "app_pages/1_Linear_regression.py"
KEY = "rose"
TABS = [
    "One unit up close", "Line versus flower", "Capacity sweep", "The math", "The code",
    "Weights & activations",
]  # fmt: skip


def percent(text: str) -> float:
    return float(text.rstrip(" %"))


def readout(at: AppTest, label: str) -> float:
    """A readout of the live view ("Train accuracy", "Test accuracy") in percent."""
    return percent(shown(at, KEY)["read"][label])


def panels(at: AppTest) -> dict:
    """The scene's panels (a full payload: a rerun of the page, a new run)."""
    return payload(at, KEY)["scene"]["panels"]


def test_defaults_are_the_tutorials_rose_and_network(lesson: AppTest) -> None:
    at = lesson.run()

    assert not at.exception and not at.error
    assert at.title[0].value == "3 · Rose"
    sent = payload(at, KEY)
    assert sent["full"] and not sent["playing"] and sent["status"][0].startswith("ready")
    assert iteration(at, KEY) == 0 and shown(at, KEY)["cost"] is None
    assert metric(at, "Trainable parameters") == "17"  # 2-4-1: (2+1)·4 + (4+1)·1
    assert shown(at, KEY)["lr"] == 1.2
    assert at.slider(key="rose.depth").value == 1
    assert at.slider(key="rose.units.0").value == 4
    assert at.slider(key="rose.petals").value == 7
    assert at.multiselect(key="rose.class_one").value == [0, 3, 6]
    assert at.button(key="rose.pick.rose").proto.type == "primary"
    assert len(at.get("image")) == 7  # the dataset thumbnails; the live view paints the rest

    assert sent["scene"]["layout"] == [["surface", ["diagram", "maps"]], ["cost", "accuracy"]]
    scene = panels(at)
    assert scene["surface"]["caption"] == "Grid 80×80, inputs scaled ×1."
    assert scene["diagram"]["sizes"] == [2, 4, 1]
    assert scene["diagram"]["activations"] == ["tanh", "sigmoid"]
    assert scene["cost"]["series"] == ["train cost", "test cost"]
    assert scene["accuracy"]["series"] == ["train accuracy", "test accuracy"]
    classes = {point[2] for point in scene["surface"]["points"]}
    assert classes == {0, 1, 2, 3}  # train and test points of both classes
    values = shown(at, KEY)["v"]
    surface = values["surface"]["image"]
    assert (surface["w"], surface["h"]) == (80, 80)
    assert values["maps"]["names"] == ["L1·1", "L1·2", "L1·3", "L1·4"]
    assert [(m["w"], m["h"]) for m in values["maps"]["images"]] == [(40, 40)] * 4
    assert [len(w) for w in values["diagram"]["weights"]] == [2 * 4, 4 * 1]  # flat, per layer
    untrained = run_of(at, KEY).latest_metrics()
    assert shown(at, KEY)["read"] == {
        "Train accuracy": f"{100 * untrained['train accuracy']:.1f} %",
        "Test accuracy": f"{100 * untrained['test accuracy']:.1f} %",
        "Training points": "550",  # 688 points, 20 % held out
    }

    assert [tab.label for tab in at.tabs] == TABS
    options = at.selectbox(key="rose.enlarge").options  # the open tab: one unit up close
    assert options == ["none", *(f"layer 1 · unit {unit}" for unit in range(1, 5))]
    at.selectbox(key="rose.enlarge").set_value("layer 1 · unit 2").run()
    assert len(at.get("image")) == 7 + 1 and not at.exception


def test_play_trains_frame_after_frame_until_the_flower_is_learned(
    lesson: AppTest, time_to_spare: None
) -> None:
    at = lesson.run()
    start = readout(at, "Train accuracy")
    ask(at, KEY, "speed", "1000")
    played = ask(at, KEY, "play")  # an empty buffer: a short first batch, trained at once
    assert played["playing"] and not played["full"] and "scene" not in played
    # Then the browser asks whenever its queue runs low, with some of it still to play.
    batches = [played, *(ask(at, KEY, buffered_ms=500) for _ in range(4))]
    done = 0
    for batch in batches:
        seen = [done, *(frame["i"] for frame in batch["frames"])]
        (every,) = {b - a for a, b in zip(seen, seen[1:], strict=False)}  # the same each snapshot
        assert every * 1000 / batch["frame_ms"] == pytest.approx(1000, rel=0.05)  # 1,000 steps/s
        done = seen[-1]
    frame_ms, count = played["frame_ms"], len(played["frames"])
    assert count > 1 and abs(count * frame_ms - 1000 * FIRST_BATCH_SECONDS) <= frame_ms
    assert all(len(batch["frames"]) > count for batch in batches[1:])  # a queue: longer batches
    assert done == run_of(at, KEY).iteration >= 1500
    # 1,500 iterations at lr 1.2 is plenty: seeds 0-9 start at 33-72 % and pass 99 % (train)
    # and 98.6 % (test) by about 900 iterations, 99.8-100 % and 99.3-100 % by 2,700 (seed 1:
    # 61.8 % untrained). The readouts are the metrics measured last, while playing.
    latest = run_of(at, KEY).latest_metrics()
    assert shown(at, KEY)["read"]["Train accuracy"] == f"{100 * latest['train accuracy']:.1f} %"
    assert start < 70 and readout(at, "Train accuracy") >= 95
    assert readout(at, "Test accuracy") >= 90

    # Every snapshot repaints the surface and the unit maps, as the flower is drawn.
    last = batches[-1]["frames"]
    assert all(len(frame["v"]["maps"]["images"]) == 4 for frame in last)
    assert len({frame["v"]["surface"]["image"]["b64"] for frame in last}) > 1

    playing = run_of(at, KEY).iteration
    at.run()  # e.g. a toggle moved while playing: the page is drawn anew, nothing trained
    sent = payload(at, KEY)
    assert sent["full"] and sent["playing"] and "scene" in sent
    assert [frame["i"] for frame in sent["frames"]] == [playing] == [run_of(at, KEY).iteration]

    paused = ask(at, KEY, "pause")
    assert paused["full"] and not paused["playing"] and paused["status"][0] == "paused"
    assert iteration(at.run(), KEY) == playing == run_of(at, KEY).iteration
    assert frames(at, KEY)["frames"] == []  # a late ask, while paused: no frames
    assert run_of(at, KEY).iteration == playing
    assert [tab.label for tab in at.tabs] == TABS
    assert not at.exception


def test_switching_datasets_starts_a_new_run_with_its_own_controls(lesson: AppTest) -> None:
    at = lesson.run()
    ask(at, KEY, "step")
    assert iteration(at, KEY) == 1
    at.button(key="rose.pick.circle").click().run()

    assert not at.exception
    assert iteration(at, KEY) == 0 and run_of(at, KEY).number == 2
    assert any("Data changed" in t.value for t in at.toast)
    assert notes(at, KEY) == ["Data changed: weights re-initialised."]
    assert at.button(key="rose.pick.circle").proto.type == "primary"
    assert at.query_params["data"] == "circle"
    assert not [s for s in at.slider if s.key == "rose.petals"]  # the rose's own controls go
    # the circle (radius 1) is stretched to radius 4
    assert panels(at)["surface"]["caption"].endswith("inputs scaled ×4.")
    for name in ("xor", "gaussians", "spiral", "moons", "planar flower"):
        at.button(key=f"rose.pick.{name}").click().run()
        ask(at, KEY, "step")
        assert not at.exception and iteration(at, KEY) == 1, name


def test_data_controls_outlive_another_dataset_and_another_page(lesson: AppTest) -> None:
    at = lesson.run()
    at.multiselect(key="rose.class_one").set_value([1, 2]).run()
    at.button_group(key="rose.features").set_value(["x2"]).run()
    at.button(key="rose.pick.circle").click().run()  # the class-1 petals are not drawn
    assert not [m for m in at.multiselect if m.key == "rose.class_one"]
    at.switch_page(OTHER_PAGE).run()
    at.query_params.clear()  # the other page's address: nothing of the rose in it
    at.switch_page(PAGE).run()

    assert not at.exception
    assert at.session_state[KEY].dataset == "circle"
    assert at.button(key="rose.pick.circle").proto.type == "primary"
    assert at.button_group(key="rose.features").value == ["x2"]
    at.button(key="rose.pick.rose").click().run()
    assert at.multiselect(key="rose.class_one").value == [1, 2]
    assert (at.query_params["class_one"], at.query_params["features"]) == ("1,2", "x2")


def test_features_change_the_input_layer(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key="rose.pick.circle").click().run()
    at.slider(key="rose.depth").set_value(0).run()
    assert metric(at, "Trainable parameters") == "3"
    at.button_group(key="rose.features").set_value(["x2", "y2"]).run()

    assert not at.exception
    assert metric(at, "Trainable parameters") == "5"  # 4 inputs + bias
    assert at.query_params["features"] == "x2,y2"
    assert any("No hidden layer" in i.value for i in at.info)
    assert panels(at)["diagram"]["sizes"] == [4, 1]
    assert "maps" not in panels(at) and "maps" not in shown(at, KEY)["v"]  # no hidden unit to map


def test_rose_controls_make_new_data_and_drop_missing_petals(lesson: AppTest) -> None:
    at = lesson.run()
    at.slider(key="rose.petals").set_value(5).run()

    assert not at.exception
    assert at.multiselect(key="rose.class_one").value == [0, 3]
    at.slider(key="rose.noise").set_value(0.3).run()
    at.slider(key="rose.test_share").set_value(0.0).run()
    # No test points, no test accuracy.
    assert set(shown(at, KEY)["read"]) == {"Train accuracy", "Training points"}
    assert set(payload(at, KEY)["history"]) == {"train cost", "train accuracy"}
    assert {point[2] for point in panels(at)["surface"]["points"]} == {0, 1}
    ask(at, KEY, "step")
    assert iteration(at, KEY) == 1 and not at.exception


def test_weights_and_activations_shows_a_chart_per_layer(lesson: AppTest) -> None:
    at = open_tab(lesson.run(), KEY, "Weights & activations")
    assert not at.exception
    layers = run_of(at, KEY).network.layers
    # every Vega-Lite chart on the page: the open tab's are the only ones
    titles = [json.loads(chart.proto.spec)["title"] for chart in at.get("vega_lite_chart")]
    assert titles == ["Layer 1: 4 tanh", "Layer 2: 1 sigmoid"] and len(layers) == 2
    first = json.loads(at.get("vega_lite_chart")[0].proto.spec)["hconcat"]
    assert sum(bar["count"] for bar in first[0]["data"]["values"]) == 2 * 4  # 8 weights
    trained_on = len(run_of(at, KEY).trainer._X)
    assert sum(bar["count"] for bar in first[1]["data"]["values"]) == 4 * trained_on
    at.slider(key="rose.depth").set_value(2).run()
    titles = [json.loads(chart.proto.spec)["title"] for chart in at.get("vega_lite_chart")]
    assert titles == ["Layer 1: 4 tanh", "Layer 2: 4 tanh", "Layer 3: 1 sigmoid"]


def test_line_versus_flower_reproduces_the_tutorials_printed_costs(lesson: AppTest) -> None:
    at = open_tab(lesson.run(), KEY, "Line versus flower")
    at.button(key="rose.lvf.train").click().run()

    assert not at.exception
    sections = ("rose_logistic", "rose_two_layer")
    tables = dict(zip(sections, (df.value for df in at.dataframe), strict=True))
    assert len(at.dataframe) == 2
    for section in ("rose_logistic", "rose_two_layer"):
        reference = tutorial_reference(section)
        table = tables[section]
        assert list(table["tutorial cost"]) == reference["costs"]
        assert list(table["this engine"]) == pytest.approx(reference["costs"], rel=1e-9)
    assert list(tables["rose_two_layer"]["iteration"]) == [0, 1000, 2000, 3000]
    assert percent(metric(at, "accuracy · Logistic regression (depth 0)")) < 80
    assert percent(metric(at, "accuracy · 4 tanh hidden units")) > 99


def test_line_versus_flower_on_the_current_data(lesson: AppTest) -> None:
    at = open_tab(lesson.run(), KEY, "Line versus flower")
    at.button(key="rose.pick.xor").click().run()
    at.radio(key="rose.lvf.source").set_value(at.radio(key="rose.lvf.source").options[1]).run()
    at.button(key="rose.lvf.train").click().run()

    assert not at.exception and not at.dataframe  # no tutorial table for other data
    assert percent(metric(at, "accuracy · Logistic regression (depth 0)")) < 70  # xor: no line
    # 4000 steps at lr 1.2 end where the kernel's rounding leads them even in float64: measured
    # 97.0 % (Haswell) and 97.2 % (SkylakeX) with the page's seed 1, 89.0-100 % over seeds 0-9
    # (1 and 2 BLAS threads); the line gets 59.0 % on every one of them.
    assert percent(metric(at, "accuracy · 4 tanh hidden units")) > 80
    at.button(key="rose.pick.moons").click().run()
    assert any("data changed" in i.value for i in at.info)


def test_line_versus_flower_is_kept_in_the_lessons_state(lesson: AppTest) -> None:
    at = open_tab(lesson.run(), KEY, "Line versus flower")
    assert isinstance(at.session_state[KEY], RoseState)
    assert at.session_state[KEY].comparison is None
    at.button(key="rose.lvf.train").click().run()

    comparison = at.session_state[KEY].comparison
    assert isinstance(comparison, Comparison) and comparison.data == "tutorial"
    assert list(comparison.runs) == ["rose_logistic", "rose_two_layer"]
    at.session_state[KEY].comparison = None  # forgotten: the page asks for a click again
    at.run()
    assert not at.dataframe and not at.exception
    assert any("Train both" in caption.value for caption in at.caption)


def test_capacity_sweep_trains_tick_by_tick_and_can_be_cancelled(lesson: AppTest) -> None:
    at = open_tab(lesson.run(), KEY, "Capacity sweep")
    at.select_slider(key="rose.sweep.iterations").set_value(500)  # moved and clicked at once
    at.button(key="rose.sweep.start").click().run()
    assert at.session_state[KEY].sweep.spec.iterations == 500
    assert at.button(key="rose.sweep.start").disabled
    assert not at.button(key="rose.sweep.cancel").disabled
    for _ in range(4):
        at.run()
    progress = at.get("progress")[0].proto.value
    assert 0 < progress < 100
    at.button(key="rose.sweep.cancel").click().run()
    stopped = at.get("progress")[0].proto.value
    assert not at.button(key="rose.sweep.start").disabled
    assert at.button(key="rose.sweep.cancel").disabled
    at.run()
    assert at.get("progress")[0].proto.value == stopped
    assert "cancelled" in at.get("progress")[0].proto.text

    at.button(key="rose.sweep.start").click().run()
    for _ in range(40):
        if not at.button(key="rose.sweep.start").disabled:
            break
        at.run()
    assert at.get("progress")[0].proto.value == 100
    results = at.session_state[KEY].sweep.results
    assert [r["units"] for r in results] == [1, 2, 3, 4, 5, 20, 50]
    assert results[0]["train"] < 80 < results[3]["train"]  # one unit draws a line; 4 a flower
    assert any("hidden units" in chart.proto.spec for chart in at.get("vega_lite_chart"))
    assert "done" in at.get("progress")[0].proto.text
    assert at.button(key="rose.sweep.cancel").disabled
    assert not at.exception


def test_capacity_sweep_waits_while_the_data_differ(lesson: AppTest) -> None:
    at = open_tab(lesson.run(), KEY, "Capacity sweep")
    at.button(key="rose.sweep.start").click().run()
    at.button(key="rose.pick.xor").click().run()
    paused = at.get("progress")[0].proto
    assert "paused" in paused.text and any("data changed" in i.value for i in at.info)
    assert not at.button(key="rose.sweep.start").disabled  # a new sweep on these data
    assert not at.button(key="rose.sweep.cancel").disabled
    at.run()
    assert at.get("progress")[0].proto.value == paused.value

    at.button(key="rose.pick.rose").click().run()  # the sweep's own data again: it goes on
    assert "training" in at.get("progress")[0].proto.text
    assert at.get("progress")[0].proto.value > paused.value
    assert at.button(key="rose.sweep.start").disabled


def test_a_diverging_learning_rate_is_explained(lesson: AppTest) -> None:
    at = lesson.run()
    at.slider(key="rose.depth").set_value(2).run()
    at.selectbox(key="rose.activation.0").set_value("linear").run()
    at.selectbox(key="rose.activation.1").set_value("linear").run()
    at.slider(key="rose.units.0").set_value(16).run()
    at.slider(key="rose.units.1").set_value(16).run()
    at.select_slider(key="rose.learning_rate").set_value(10.0).run()
    at.selectbox(key="rose.init").set_value("he").run()
    ask(at, KEY, "speed", "3000")
    sent = play_until_it_stops(at, KEY, 5)
    assert not at.exception and not at.error  # said in the live view, no traceback
    assert sent["status"] == ["diverged", "red"] and sent["finished"]
    (message,) = notes(at, KEY, "error")
    assert "cost exploded" in message and "with learning rate 10:" in message
    assert run_of(at, KEY).diverged is not None and not run_of(at, KEY).playing


def test_export_and_url_state(lesson: AppTest) -> None:
    lesson.query_params["data"] = "moons"
    lesson.query_params["features"] = "xy,<b>"
    lesson.query_params["class_one"] = "1,99"
    at = lesson.run()
    assert not at.exception
    assert at.button(key="rose.pick.moons").proto.type == "primary"
    assert at.button_group(key="rose.features").value == []  # one bad item: list ignored
    at = open_tab(at, KEY, "The code")
    assert at.download_button(key="rose.export").proto.url


def test_a_colour_blind_safe_map_colours_the_surface_points_and_unit_maps(
    lesson: AppTest,
) -> None:
    lesson.run()
    scene = payload(lesson, KEY)["scene"]["panels"]
    assert scene["surface"]["colormap"] == colormaps.table("playground", SURFACE_STRENGTH)
    assert "blue +, orange −" in scene["maps"]["title"]
    lesson.selectbox(key=f"{KEY}.colours").set_value("puor").run()
    scene = payload(lesson, KEY)["scene"]["panels"]
    assert scene["surface"]["colormap"] == colormaps.table("puor", SURFACE_STRENGTH)
    assert scene["surface"]["classes"] == [c.tolist() for c in colormaps.class_colours("puor")]
    assert scene["maps"]["colormap"] == colormaps.table("puor")
    assert "purple +, orange −" in scene["maps"]["title"]
    assert run_of(lesson, KEY).iteration == 0 and not lesson.exception  # the run is untouched
