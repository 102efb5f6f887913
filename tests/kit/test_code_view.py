"""The code view reads the teaching path's real source, for the activations, loss and
optimizer in use; it and the export button render on a page."""

import pytest
from streamlit.testing.v1 import AppTest

from kit.code_view import engine_source
from nn import Network


def rose_network() -> Network:
    net = Network(loss="cross_entropy", init="tutorial", seed=1)
    return net.add(4, activation="tanh", input_dim=2).add(1, activation="sigmoid")


def sources(tab: list[tuple[str, str]]) -> str:
    return "\n".join(source for _, source in tab)


# ---- the teaching path's source --------------------------------------------------------------
def test_engine_source_is_the_teaching_paths_real_text():
    code = engine_source(rose_network(), "gd")
    assert list(code) == ["forward", "backward", "update"]
    assert [title for title, _ in code["forward"]] == [
        "Network.forward (nn/tutorial.py)",
        "DenseLayer.forward (nn/tutorial.py)",
        "tanh (nn/tutorial.py)",
        "sigmoid (nn/tutorial.py)",
        "cross_entropy (nn/tutorial.py)",
    ]
    assert "self.Z = A_prev @ self.W.T + self.b" in sources(code["forward"])
    assert "A = np.tanh(Z)" in sources(code["forward"])  # the tanh layer
    assert "np.logaddexp(0, Z)" in sources(code["forward"])  # the cross-entropy cost
    assert "def backward(self, Y" in sources(code["backward"])
    assert "self.dW = dZ.T @ self.A_prev" in sources(code["backward"])
    assert "return (A - Y) / len(Y)" in sources(code["backward"])  # cross-entropy's dJ/dz
    assert "def train_step" in sources(code["update"])
    assert all(not source.startswith(" ") for _, source in code["forward"])  # dedented
    everything = sources([piece for tab in code.values() for piece in tab])
    assert "_share" not in everything and "out=" not in everything  # no fast path in sight


def test_engine_source_shows_only_the_activations_and_loss_in_use():
    titles = [title for title, _ in engine_source(rose_network(), "gd")["forward"]]
    assert "tanh (nn/tutorial.py)" in titles and "sigmoid (nn/tutorial.py)" in titles
    assert not any("relu" in title for title in titles)
    net = Network(loss="mse", seed=1).add(3, "relu", input_dim=1).add(1, "linear")
    code = engine_source(net, "gd")
    assert [title for title, _ in code["forward"]][2:] == [
        "relu (nn/tutorial.py)",
        "linear (nn/tutorial.py)",
        "mse (nn/tutorial.py)",
    ]
    assert "mse_backward (nn/tutorial.py)" in [title for title, _ in code["backward"]]


def test_an_activation_the_teaching_path_lacks_shows_the_engines_code():
    net = Network(loss="categorical_cross_entropy", seed=1)
    net.add(3, "tanh", input_dim=2).add(3, "softmax")
    code = engine_source(net, "gd")
    forward = [title for title, _ in code["forward"]]
    assert "Softmax.forward (nn/activations.py)" in forward
    assert "CategoricalCrossEntropy.cost (nn/losses.py)" in forward
    assert "Softmax.backward (nn/activations.py)" in [title for title, _ in code["backward"]]


@pytest.mark.parametrize(
    ("optimizer", "title", "snippet"),
    [
        ("gd", "DenseLayer.update (nn/tutorial.py)", "self.W -= learning_rate * self.dW"),
        ("sgd", "DenseLayer.update (nn/tutorial.py)", "self.b -= learning_rate * self.db"),
        ("momentum", "Momentum.update (nn/optimizers.py)", "self.velocity *= self.beta"),
        ("adam", "Adam.update (nn/optimizers.py)", "self.v *= self.beta2"),
    ],
)
def test_update_source_follows_the_optimizer(optimizer: str, title: str, snippet: str):
    step, *_, update = engine_source(rose_network(), optimizer)["update"]
    assert step[0] == "Network.train_step (nn/tutorial.py)"
    assert "self.backward(Y)" in step[1]
    assert update[0] == title
    assert snippet in update[1]


def test_engine_source_refuses_an_unknown_optimizer():
    with pytest.raises(ValueError, match="unknown optimizer"):
        engine_source(rose_network(), "rmsprop")


# ---- in Streamlit ----------------------------------------------------------------------------
def code_view_script() -> None:
    from kit.code_view import code_view
    from kit.export import export_button
    from nn import Network

    net = Network(loss="mse", init="tutorial", init_scale=0.01, seed=1)
    net.add(1, activation="linear", input_dim=1)
    code_view(net, "momentum")
    settings = {
        "layers": [],
        "output_units": 1,
        "output_activation": "linear",
        "loss": "mse",
        "input_dim": 1,
        "init": "tutorial",
        "init_scale": 0.01,
        "seed": 1,
        "dtype": "float64",
        "learning_rate": 0.01,
        "optimizer": "momentum",
        "batch_size": None,
        "l2": 0.0,
    }
    export_button(
        "export", "from datasets.linear import make_linear\nX, Y = make_linear()", settings, 10
    )
    export_button("bad", "X = Y = 0", {**settings, "optimizer": "gd; import os"}, 10)


def test_code_view_and_export_button_render():
    at = AppTest.from_function(code_view_script, default_timeout=30).run()
    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["forward", "backward", "update"]
    assert any("self.velocity" in block.value for block in at.code)
    button = at.get("download_button")[0]
    assert button.proto.label == "Export this experiment (.zip)"
    assert "Cannot export this experiment" in at.error[0].value
