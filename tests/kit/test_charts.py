"""kit.charts: the Vega-Lite specs hold the data they should, thinned and finite."""

import numpy as np

from kit.charts import (
    curve,
    thin,
)


def test_thin_keeps_first_and_last_and_caps_the_count() -> None:
    indices, values = thin(np.arange(10_000.0), 500)
    assert len(indices) <= 500
    assert indices[0] == 0 and indices[-1] == 9_999
    assert np.array_equal(values, indices)
    assert len(thin([1.0, 2.0])[0]) == 2


def test_a_thinned_trainer_history_is_drawn_at_its_own_iterations() -> None:
    from kit.math_panel import grad_norm_spec
    from nn.training import History

    costs, norms = History(100), History(100)
    for step in range(1000):
        costs.append(step, 1.0 / (step + 1))
        norms.append(step, np.array([1.0 / (step + 1)]))
    drawn = curve("long run", costs, max_points=1000)
    assert list(drawn.iterations) == costs.iterations and drawn.iterations[-1] == 999
    assert np.allclose(drawn.costs, 1.0 / (drawn.iterations + 1))
    rows = grad_norm_spec(norms)["data"]["values"]
    assert all(row["norm"] == 1.0 / (row["iteration"] + 1) for row in rows)
    assert rows[-1]["iteration"] == 999
