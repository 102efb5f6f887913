"""AppTest of the Sweep page: a tiny grid runs in the background and streams into the table,
the scatter and the CSV; bad spaces get a message; a row opens in its lesson."""

import time

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import sweep
from kit.session import LessonState
from kit.settings import Settings
from lessons.sweep import logic
from lessons.sweep import views as sw

PAGE = "app_pages/5_Sweep.py"


@pytest.fixture
def page(app: AppTest) -> AppTest:
    return app.switch_page(PAGE).run()


def tiny(at: AppTest) -> AppTest:
    """Rose, depth 1 × units 2 and 4 × lr 0.1 and 1.2, 50 iterations, in this thread."""
    at.selectbox(key="sweep.dataset").set_value("rose")
    at.multiselect(key="sweep.units").set_value([2, 4])
    at.select_slider(key="sweep.iterations").set_value(50)
    at.slider(key="sweep.jobs").set_value(1)
    return at.run()


def job_of(at: AppTest) -> logic.SweepJob | None:
    """The session's last sweep, from the page's state (``views.SweepState``)."""
    return at.session_state[sw.KEY].job


def finish(at: AppTest) -> AppTest:
    """Rerun (the fragment's timer never fires in AppTest) until the sweep is done."""
    for _ in range(100):
        job = job_of(at)
        if not job.running:
            break
        time.sleep(0.1)
        at.run()
    return at.run()


def test_the_page_offers_data_space_and_start(page: AppTest) -> None:
    assert not page.exception and not page.error
    assert page.title[0].value == "5 · Sweep"
    assert "15 hours" in page.main.markdown[0].value
    # The choices are in the sidebar; the page keeps the run, near its top.
    assert page.sidebar.selectbox(key="sweep.dataset").value == "mustafar"
    assert page.sidebar.radio(key="sweep.mode").value == "grid"
    assert page.sidebar.multiselect(key="sweep.units").value == [2, 4, 8]
    # default grid: depth 1, 2 × units 2, 4, 8 × lr 0.1, 1.2 = 12 models
    assert page.main.info[0].value.startswith("12 models")
    assert not page.main.button(key="sweep.start").disabled
    assert page.main.button(key="sweep.cancel").disabled
    assert job_of(page) is None


def test_a_tiny_grid_streams_into_table_chart_and_csv(page: AppTest) -> None:
    at = tiny(page)
    assert at.info[0].value.startswith("8 models")
    at.button(key="sweep.start").click().run()
    at = finish(at)

    assert not at.exception and not at.error
    job = job_of(at)
    assert len(job.rows) == 8 and not job.running
    assert isinstance(at.session_state[sw.KEY], sw.SweepState)
    assert "sweep.job" not in at.session_state  # one key for the page's state
    table = at.dataframe[0].value
    assert len(table) == 8
    costs = table["cost"].tolist()
    assert costs == sorted(costs)  # best first
    assert len(at.get("vega_lite_chart")) == 1
    assert "8 of 8 runs · 0 diverged" in at.get("progress")[0].proto.text
    assert at.download_button(key="sweep.download").proto.url
    csv = pd.read_csv(pd.io.common.StringIO(logic.download_csv(job.frame()).decode()))
    assert list(csv.columns) == list(sweep.COLUMNS)
    assert not at.button(key="sweep.start").disabled


def test_cancel_stops_the_sweep(page: AppTest) -> None:
    at = tiny(page)
    at.select_slider(key="sweep.iterations").set_value(10_000).run()
    at.button(key="sweep.start").click().run()
    assert job_of(at).running
    assert at.button(key="sweep.start").disabled and not at.button(key="sweep.cancel").disabled
    at.button(key="sweep.cancel").click().run()
    job = job_of(at)
    assert at.button(key="sweep.cancel").disabled
    assert at.button(key="sweep.start").disabled == job.busy  # off until the last run returns
    job.thread.join(timeout=60)
    at = at.run()

    assert job.cancel.is_set() and not job.running
    assert len(job.rows) < 8
    assert "cancelled" in at.get("progress")[0].proto.text
    assert not at.button(key="sweep.start").disabled and at.button(key="sweep.cancel").disabled


def test_a_new_start_replaces_the_sweep(page: AppTest) -> None:
    at = tiny(page)
    at.button(key="sweep.start").click().run()
    at = finish(at)
    first = job_of(at)

    at.button(key="sweep.start").click().run()
    at = finish(at)
    assert job_of(at) is not first and len(job_of(at).rows) == 8
    assert len(first.rows) == 8 and first.cancel.is_set()  # asked to stop before the new one


def test_start_takes_the_workers_the_slider_shows_at_the_click(
    page: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = tiny(page)  # 1 worker
    started = []
    monkeypatch.setattr(sw, "start", lambda data, configs, jobs: started.append(jobs))
    at.slider(key="sweep.jobs").set_value(2)  # moved and clicked in one request
    at.button(key="sweep.start").click().run()
    assert started == [2]


def test_a_space_too_big_or_empty_gets_a_message(page: AppTest) -> None:
    at = page
    at.multiselect(key="sweep.units").set_value([]).run()
    assert "pick at least one units" in at.error[0].value
    assert at.button(key="sweep.start").disabled
    at.multiselect(key="sweep.units").set_value(list(sw.UNIT_OPTIONS))
    at.number_input(key="sweep.seeds").set_value(10).run()
    assert "at most 500" in at.error[0].value
    assert not at.exception


def test_the_author_search_is_one_click(page: AppTest) -> None:
    at = page.radio(key="sweep.mode").set_value("author").run()
    assert "100 relu networks" in at.info[0].value and not at.exception


def test_a_row_opens_in_its_lesson_with_its_settings(page: AppTest) -> None:
    at = tiny(page)
    at.button(key="sweep.start").click().run()
    at = finish(at)
    best = logic.results_view(job_of(at).frame()).iloc[0]
    page_path, title, query = logic.lesson_link(best)
    assert (page_path, title) == ("app_pages/3_Rose.py", "Rose")
    assert query["data"] == "rose" and query["units"] == best["units"]
    assert query["learning_rate"] == f"{best['learning_rate']:g}"

    stale = LessonState()  # what the lesson remembers from before: it must forget it
    stale.builder.settings = Settings(depth=3, units=(9, 9, 9))
    at.session_state["rose"] = stale
    at.session_state["sweep.table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="sweep.open").click().run()

    assert not at.exception
    assert at.title[0].value == "3 · Rose"
    # The lesson read the link (and then trimmed its URL to what differs from its defaults).
    assert at.select_slider(key="rose.learning_rate").value == best["learning_rate"]
    assert at.slider(key="rose.depth").value == 1
    assert at.slider(key="rose.units.0").value == int(best["units"])
