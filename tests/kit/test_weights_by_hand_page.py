"""AppTest of weights by hand on the Rose page: the browser's "weight" command (a click on the
diagram, kit/live/view.js) changes the paused network, the page redraws from it, and Play
trains on from the edited value. tests/live.py plays the browser's part."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.live import ask, notes, payload, run_of, shown

PAGE = "app_pages/3_Rose.py"
KEY = "rose"
EDITED = 7.5  # the output's weight from hidden unit 3: far from any trained value here


@pytest.fixture
def rose(app: AppTest) -> AppTest:
    """The Rose page (2-4-1 tanh, full batch, lr 1.2) after one Step."""
    at = app.switch_page(PAGE).run()
    ask(at, KEY, "step")
    assert not at.exception and run_of(at, KEY).iteration == 1
    return at


def test_a_weight_set_by_hand_redraws_the_page_from_the_edited_network(rose: AppTest) -> None:
    at, run = rose, run_of(rose, KEY)
    surface = shown(at, KEY)["v"]["surface"]["image"]["b64"]
    old = float(run.network.layers[1].weights[0, 2])

    sent = ask(at, KEY, "weight", {"layer": 1, "from": 2, "to": 0, "value": EDITED})

    assert not at.exception and sent["full"] and not sent["playing"]
    assert run_of(at, KEY) is run and run.iteration == 1  # the same run, not a new one
    assert run.network.layers[1].weights[0, 2] == EDITED
    values = shown(at, KEY)["v"]
    assert values["diagram"]["weights"][1][2 * 1 + 0] == EDITED  # from 2 to 0 of a 4 × 1 layer
    assert values["surface"]["image"]["b64"] != surface
    assert run.notice.startswith(
        f"You set the weight from hidden 1 unit 3 to output unit 1 from {old:.4g} to 7.5 at "
        "iteration 1"
    )
    accuracy = run.evaluate(run.network)["train accuracy"]
    assert shown(at, KEY)["read"]["Train accuracy"] == f"{100 * accuracy:.1f} %"
    assert sent["history"]["train cost"][-1][0] == 1  # the curves end at the edited network


def test_the_page_says_what_was_set_until_training_goes_on(rose: AppTest) -> None:
    at = rose
    ask(at, KEY, "weight", {"layer": 1, "unit": 0, "value": -8})
    said = "You set the bias of output unit 1 from "
    assert any(text.startswith(said) for text in notes(at, KEY, "info")), notes(at, KEY)

    ask(at, KEY, "step")
    assert not any(text.startswith(said) for text in notes(at, KEY))  # it spoke of iteration 1


def test_play_trains_on_from_the_edited_weight(rose: AppTest) -> None:
    at, run = rose, run_of(rose, KEY)
    old = float(run.network.layers[1].weights[0, 2])
    ask(at, KEY, "weight", {"layer": 1, "from": 2, "to": 0, "value": EDITED})
    edited_cost = run.latest_metrics()["train cost"]  # Rose trains on its training split

    ask(at, KEY, "speed", "10")  # a first batch of 0.15 s: one or two steps
    played = ask(at, KEY, "play")
    ask(at, KEY, "pause")

    assert not at.exception and played["playing"]
    assert 2 <= run.iteration <= 3 and played["frames"][-1]["i"] == run.iteration
    step = run.costs.iterations.index(1)  # the first step after the edit, iteration 1
    assert run.costs[step] == pytest.approx(edited_cost, rel=1e-9)
    moved = float(run.network.layers[1].weights[0, 2])
    # Each step moves it by at most lr × max |dJ/dw| = 1.2 × 1: still near the edited value.
    assert moved != EDITED and abs(moved - EDITED) < abs(moved - old)
    assert payload(at, KEY)["full"]


def test_a_forged_weight_changes_nothing_and_the_page_says_why(rose: AppTest) -> None:
    at, run = rose, run_of(rose, KEY)
    before = run.parameters()

    ask(at, KEY, "weight", {"layer": 1, "from": 9, "to": 0, "value": 1})

    assert not at.exception and (run.parameters() == before).all()
    (said,) = notes(at, KEY, "error")
    assert said.startswith("A weight edit's from must be a whole number from 0 to 3")
