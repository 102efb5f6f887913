"""Fixtures shared by the lessons' page tests."""

import pytest
from streamlit.testing.v1 import AppTest

from kit.live.pacing import CLASS


@pytest.fixture
def time_to_spare(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches as on an idle server: a batch may train as long as it needs. Otherwise a busy
    test machine cuts a batch short (its steps stop at the budget, wall-clock time) or takes
    fewer, longer snapshots (kit.live.frames.train_batch), as it should in class; a test that
    counts a batch's iterations asks for this."""
    monkeypatch.setattr(CLASS, "training_seconds", lambda seconds: 60.0)


@pytest.fixture
def lesson(app: AppTest, request: pytest.FixtureRequest) -> AppTest:
    """The test module's lesson (its ``PAGE``), switched to but not yet run: set query
    params first if needed."""
    return app.switch_page(request.module.PAGE)
