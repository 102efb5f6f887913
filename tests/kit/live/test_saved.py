"""Save or continue: a trained network survives a reload as a downloaded file (kit/live/saved.py),
on the real pages through AppTest."""

import io

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nn
from kit import REPO_ROOT
from kit.live.saved import saved_bytes
from tests.live import ask, payload, run_of

PAGES = {"linear": "1_Linear_regression.py", "rose": "3_Rose.py"}


def open_page(key: str, query: str = "") -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app_pages" / PAGES[key]), default_timeout=60)
    for pair in filter(None, query.split("&")):
        name, value = pair.split("=")
        at.query_params[name] = value
    return at.run()


def iteration(at: AppTest, key: str) -> int:
    """The iteration the live view shows (its last frame)."""
    return payload(at, key)["frames"][-1]["i"]


@pytest.mark.parametrize(("key", "query"), [("linear", "seed=5"), ("rose", "seed=5&depth=2")])
def test_a_downloaded_network_continues_after_a_reload(key: str, query: str) -> None:
    before = open_page(key, query)
    for _ in range(3):
        ask(before, key, "step")
    run = run_of(before, key)
    saved = saved_bytes(key, run)

    after = open_page(key)  # a reload: a new session, default settings, a fresh network
    assert iteration(after, key) == 0
    after.file_uploader(key=f"{key}.continue_file").set_value((f"{key}.npz", saved, "x")).run()
    assert not after.exception and not after.error
    assert iteration(after, key) == 3
    assert payload(after, key)["full"] and not payload(after, key)["playing"]
    continued = run_of(after, key)
    assert continued.settings == run.settings  # seed 5 (and depth 2) are back in the widgets
    assert after.session_state[f"{key}.seed"] == 5
    for mine, theirs in zip(continued.network.layers, run.network.layers, strict=True):
        np.testing.assert_array_equal(mine.params, theirs.params)
    ask(after, key, "step")
    assert iteration(after, key) == 4 and not after.exception
    assert run_of(after, key).iteration == 4


def test_a_wrong_file_is_refused_and_the_run_goes_on() -> None:
    rose = open_page("rose")
    ask(rose, "rose", "step")
    at = open_page("linear")
    ask(at, "linear", "step")
    stranger = io.BytesIO()
    nn.Network(loss="mse").add(1, "linear", input_dim=1).save(stranger, ["not", "ours"])
    cases = {
        "stranger.npz": (stranger.getvalue(), "this network was saved somewhere else"),
        "rose.npz": (saved_bytes("rose", run_of(rose, "rose")), "saved on the rose page"),
        "junk.npz": (b"not a zip file", "not a network saved by this dashboard"),
    }
    for name, (data, message) in cases.items():
        at.file_uploader(key="linear.continue_file").set_value((name, data, "x")).run()
        assert not at.exception
        assert f"{name}** cannot be continued" in at.error[0].value
        assert message in at.error[0].value
        assert iteration(at, "linear") == 1  # the run in progress is kept
    ask(at, "linear", "step")
    assert iteration(at, "linear") == 2


def test_the_file_is_the_engines_npz_with_the_settings_as_url_parameters() -> None:
    at = open_page("linear", "seed=9")
    ask(at, "linear", "step")
    run = run_of(at, "linear")
    with np.load(io.BytesIO(saved_bytes("linear", run)), allow_pickle=False) as saved:
        assert "settings" in saved.files
        about = str(saved["settings"])
        assert '"seed": "9"' in about and '"iteration": 1' in about
