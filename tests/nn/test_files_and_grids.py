"""Saving and loading networks safely; predicting in chunks and on enhance grids."""

import io
import json
import tracemalloc
import zipfile

import numpy as np
import pytest

from nn import ModelFileError, Network
from nn.fast.render import grid_size, predict_grid


def image_net(dtype: str = "float64") -> Network:
    net = Network(loss="cross_entropy", init="he", seed=4, dtype=dtype)
    return net.add(27, "relu", input_dim=2).add(31, "relu").add(31, "relu").add(1, "sigmoid")


def saved(net: Network, **settings) -> bytes:
    buffer = io.BytesIO()
    net.save(buffer, settings=settings)
    return buffer.getvalue()


def test_save_and_load_round_trip(tmp_path):
    net = image_net("float32")
    X = np.random.default_rng(0).uniform(-1, 1, (50, 2))
    path = tmp_path / "model.npz"
    net.save(path, settings={"learning_rate": 0.01, "optimizer": "adam"})
    for source in (path, str(path), path.read_bytes()):
        twin = Network.load(source)
        assert str(twin) == str(net) and twin.dtype == np.float32
        assert twin.settings == {"learning_rate": 0.01, "optimizer": "adam"}
        np.testing.assert_array_equal(twin.predict(X), net.predict(X))


def rewrite(data: bytes, **changes) -> bytes:
    """The saved file with some arrays replaced, written like numpy would."""
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    arrays.update(changes)
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue()


GOOD = saved(image_net())
ARCHITECTURE = json.loads(str(np.load(io.BytesIO(GOOD), allow_pickle=False)["architecture"]))


def with_architecture(**changes) -> bytes:
    return rewrite(GOOD, architecture=np.array(json.dumps({**ARCHITECTURE, **changes})))


def truncated_layers() -> bytes:
    layers = ARCHITECTURE["layers"][:2]
    return with_architecture(layers=layers)


def pickled_object_array() -> bytes:
    """Our file, but W0 is an object array, which numpy can only store pickled."""
    return rewrite(GOOD, W0=np.array([{"x": 1}], dtype=object))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: b"", r"not a network saved by this dashboard, or it is damaged"),
        (lambda: b"hello, I am not a model", r"not a network saved by this dashboard"),
        (
            lambda: GOOD[: len(GOOD) // 2],
            r"not a network saved by this dashboard, or it is damaged",
        ),
        (pickled_object_array, r"not a network saved by this dashboard"),
        (lambda: rewrite(GOOD, format=np.array("something else")), r"not a network saved by"),
        (lambda: with_architecture(layers=[]), r"damaged architecture: 0 layers"),
        (lambda: with_architecture(loss="hinge"), r"cannot be built: unknown loss 'hinge'"),
        (truncated_layers, r"damaged architecture: it holds .*W2.*expected"),
        (
            lambda: rewrite(GOOD, W1=np.zeros((31, 26))),
            r"W1 has shape \(31, 26\).*expected \(31, 27\)",
        ),
        (lambda: rewrite(GOOD, b0=np.full((27, 1), np.nan)), r"b0 contains NaN or infinity"),
        (lambda: rewrite(GOOD, W0=np.zeros((27, 2), dtype="<U3")), r"W0 has shape"),
        (
            lambda: rewrite(GOOD, W0=np.zeros((2000, 2000))),
            r"lacks W0 of shape \(27, 2\), or it is too large",
        ),
        (lambda: rewrite(GOOD, architecture=np.array("{not json")), r"damaged architecture"),
    ],
)
def test_files_that_are_not_ours_or_are_damaged_are_refused(make, message):
    with pytest.raises(ModelFileError, match=message):
        Network.load(make())


def test_a_non_zip_npy_file_is_refused():
    out = io.BytesIO()
    np.save(out, np.zeros(3))
    with pytest.raises(ModelFileError, match="single array, not a saved network"):
        Network.load(out.getvalue())


def test_loading_never_unpickles(monkeypatch):
    monkeypatch.setattr("pickle.loads", lambda *a, **k: pytest.fail("unpickled"))
    monkeypatch.setattr("pickle.load", lambda *a, **k: pytest.fail("unpickled"))
    with pytest.raises(ModelFileError):
        Network.load(pickled_object_array())
    assert zipfile.is_zipfile(io.BytesIO(pickled_object_array()))


def test_chunked_prediction_equals_one_pass():
    net = image_net()
    X = np.random.default_rng(1).uniform(-1, 1, (1000, 2))
    whole = net.predict(X, chunk_size=1000)
    np.testing.assert_allclose(net.predict(X, chunk_size=97), whole, rtol=1e-15)
    single = net.predict(X, dtype="float32")
    assert single.dtype == np.float32
    np.testing.assert_allclose(single, whole, atol=1e-5)


def test_grid_prediction_matches_predict_on_the_same_points():
    net = image_net()
    rows, cols = 7, 5
    grid = predict_grid(net, rows, cols, extent=(-1, 0.5, -0.2, 1), chunk_size=8, dtype="float64")
    r, c = np.meshgrid(np.linspace(-1, 0.5, rows), np.linspace(-0.2, 1, cols), indexing="ij")
    expected = net.predict(np.c_[r.ravel(), c.ravel()]).reshape(rows, cols, 1)
    np.testing.assert_allclose(grid, expected, rtol=1e-12)
    assert grid_size(0.1) == 21 and grid_size(0.05) == 41 and grid_size(0.001) == 2001


def peak_extra_memory(net: Network, side: int) -> int:
    tracemalloc.start()
    grid = predict_grid(net, side, side)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - grid.nbytes


def test_grid_prediction_memory_does_not_grow_with_the_grid():
    """Beyond the output image itself, memory is that of one chunk, whatever the grid."""
    net = image_net()
    small, large = peak_extra_memory(net, 300), peak_extra_memory(net, 1200)  # 90k vs 1.44M points
    assert large < 100e6
    assert large < small + 5e6
