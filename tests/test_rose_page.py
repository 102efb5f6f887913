"""AppTest of the Rose lesson: defaults, datasets, live training, the tutorial's numbers, sweep."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from ui import REPO_ROOT

PAGE = "app_pages/3_Rose.py"
REFERENCE = json.loads((REPO_ROOT / "datasets/data/tutorial_results.json").read_text())


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def iteration(at: AppTest) -> int:
    return int(metric(at, "Iteration").replace(",", ""))


def percent(at: AppTest, label: str) -> float:
    return float(metric(at, label).rstrip(" %"))


@pytest.fixture
def lesson(app: AppTest) -> AppTest:
    return app.switch_page(PAGE)


def test_defaults_are_the_tutorials_rose_and_network(lesson: AppTest) -> None:
    at = lesson.run()

    assert not at.exception and not at.error
    assert at.title[0].value == "3 · Rose"
    assert iteration(at) == 0
    assert metric(at, "Trainable parameters") == "17"  # 2-4-1: (2+1)·4 + (4+1)·1
    assert metric(at, "Learning rate") == "1.2"
    assert at.slider(key="rose.depth").value == 1
    assert at.slider(key="rose.units.0").value == 4
    assert at.slider(key="rose.petals").value == 7
    assert at.multiselect(key="rose.class_one").value == [0, 3, 6]
    assert at.button(key="rose.pick.rose").proto.type == "primary"
    assert len(at.get("image")) >= 7 + 2  # thumbnails, the surface and the neuron maps
    caption = next(c.value for c in at.caption if c.value.startswith("Frame"))
    assert "grid 80×80" in caption and "scaled ×1" in caption
    assert [tab.label for tab in at.tabs][:4] == [
        "Line versus flower",
        "Capacity sweep",
        "The math",
        "The code",
    ]


def test_play_trains_frame_after_frame_until_the_flower_is_learned(lesson: AppTest) -> None:
    at = lesson.run()
    start = percent(at, "Training accuracy")
    at.select_slider(key="rose.iterations_per_frame").set_value(50).run()
    at.button(key="rose.play").click().run()
    seen = [iteration(at)]
    for _ in range(5):  # no browser asks for frames in AppTest: each run() is one frame
        seen.append(iteration(at.run()))
    advances = {b - a for a, b in zip(seen, seen[1:], strict=False)}
    assert seen[0] > 0 and len(advances) == 1  # the same frames (of 50 iterations) every run
    assert advances.pop() % 50 == 0 and seen[0] % 50 == 0
    assert start < 70 and percent(at, "Training accuracy") >= 95
    assert percent(at, "Test accuracy") >= 90
    assert not at.tabs and "Pause** to look closer" in at.info[-1].value  # the page is light
    frames = at.session_state["rose.frames"]
    at.run()  # while playing, one run draws everything once, then quick frames of the surface
    quick = at.session_state["rose.frames"] - frames
    assert quick > 1 and iteration(at) - seen[-1] == 50 * quick
    at.button(key="rose.play").click().run()
    paused, frames = iteration(at), at.session_state["rose.frames"]
    assert iteration(at.run()) == paused and at.session_state["rose.frames"] == frames + 1
    assert [tab.label for tab in at.tabs][:2] == ["Line versus flower", "Capacity sweep"]
    assert not at.exception


def test_switching_datasets_starts_a_new_run_with_its_own_controls(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key="rose.step").click().run()
    at.button(key="rose.pick.circle").click().run()

    assert not at.exception
    assert iteration(at) == 0
    assert any("Data changed" in t.value for t in at.toast)
    assert at.button(key="rose.pick.circle").proto.type == "primary"
    assert at.query_params["data"] == "circle"
    assert not [s for s in at.slider if s.key == "rose.petals"]  # the rose's own controls go
    caption = next(c.value for c in at.caption if c.value.startswith("Frame"))
    assert caption.endswith("inputs scaled ×4")  # the circle (radius 1) is stretched to radius 4
    for name in ("xor", "gaussians", "spiral", "moons", "planar flower"):
        at.button(key=f"rose.pick.{name}").click().run()
        at.button(key="rose.step").click().run()
        assert not at.exception and iteration(at) == 1


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


def test_rose_controls_make_new_data_and_drop_missing_petals(lesson: AppTest) -> None:
    at = lesson.run()
    at.slider(key="rose.petals").set_value(5).run()

    assert not at.exception
    assert at.multiselect(key="rose.class_one").value == [0, 3]
    at.slider(key="rose.noise").set_value(0.3).run()
    at.slider(key="rose.test_share").set_value(0.0).run()
    assert metric(at, "Test accuracy") == "–"
    at.button(key="rose.step").click().run()
    assert iteration(at) == 1 and not at.exception


def test_line_versus_flower_reproduces_the_tutorials_printed_costs(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key="rose.lvf.train").click().run()

    assert not at.exception
    sections = ("rose_logistic", "rose_two_layer")
    tables = dict(zip(sections, (df.value for df in at.dataframe), strict=True))
    assert len(at.dataframe) == 2
    for section in ("rose_logistic", "rose_two_layer"):
        reference = REFERENCE[section]
        table = tables[section]
        assert list(table["tutorial cost"]) == reference["costs"]
        assert list(table["this engine"]) == pytest.approx(reference["costs"], rel=1e-9)
    assert list(tables["rose_two_layer"]["iteration"]) == [0, 1000, 2000, 3000]
    assert percent(at, "accuracy · Logistic regression (depth 0)") < 80
    assert percent(at, "accuracy · 4 tanh hidden units") > 99


def test_line_versus_flower_on_the_current_data(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key="rose.pick.xor").click().run()
    at.radio(key="rose.lvf.source").set_value(at.radio(key="rose.lvf.source").options[1]).run()
    at.button(key="rose.lvf.train").click().run()

    assert not at.exception and not at.dataframe  # no tutorial table for other data
    assert percent(at, "accuracy · Logistic regression (depth 0)") < 70  # xor: no line works
    # 4000 steps at lr 1.2 end where the kernel's rounding leads them even in float64: measured
    # 97.0 % (Haswell) and 97.2 % (SkylakeX) with the page's seed 1, 89.0-100 % over seeds 0-9
    # (1 and 2 BLAS threads); the line gets 59.0 % on every one of them.
    assert percent(at, "accuracy · 4 tanh hidden units") > 80
    at.button(key="rose.pick.moons").click().run()
    assert any("data changed" in i.value for i in at.info)


def test_capacity_sweep_trains_tick_by_tick_and_can_be_cancelled(lesson: AppTest) -> None:
    at = lesson.run()
    at.select_slider(key="rose.sweep.iterations").set_value(500)  # moved and clicked at once
    at.button(key="rose.sweep.start").click().run()
    assert at.session_state["rose.sweep"].iterations == 500
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
    results = at.session_state["rose.sweep"].results
    assert [r["units"] for r in results] == [1, 2, 3, 4, 5, 20, 50]
    assert results[0]["train"] < 80 < results[3]["train"]  # one unit draws a line; 4 a flower
    assert any("hidden units" in chart.proto.spec for chart in at.get("vega_lite_chart"))
    assert "done" in at.get("progress")[0].proto.text
    assert at.button(key="rose.sweep.cancel").disabled
    assert not at.exception


def test_capacity_sweep_waits_while_the_data_differ(lesson: AppTest) -> None:
    at = lesson.run()
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
    at.select_slider(key="rose.iterations_per_frame").set_value(50).run()
    at.button(key="rose.play").click().run()
    for _ in range(5):
        if at.error:
            break
        at.run()
    assert not at.exception
    assert at.error and "cost exploded" in at.error[0].value


def test_export_and_url_state(lesson: AppTest) -> None:
    lesson.query_params["data"] = "moons"
    lesson.query_params["features"] = "xy,<b>"
    lesson.query_params["class_one"] = "1,99"
    at = lesson.run()
    assert not at.exception
    assert at.button(key="rose.pick.moons").proto.type == "primary"
    assert at.button_group(key="rose.features").value == []  # one bad item: list ignored
    assert at.download_button(key="rose.export").proto.url
