"""lessons.mustafar.logic: pictures from uploads and the tutorial's .npz, the picture as samples,
the live view's metrics, dead relu units, and no Streamlit on import."""

import io
import subprocess
import sys
from dataclasses import dataclass

import numpy as np
import pytest
from PIL import Image

import nn
from datasets import ImageError, image_to_xy, load_transmission
from kit import MAX_UPLOAD_MB, REPO_ROOT
from lessons.mustafar import enhance
from lessons.mustafar.logic import (
    COST,
    MAX_RESOLUTION,
    builtin_picture,
    checked_bytes,
    dead_units,
    evaluator,
    longest_side,
    npz_picture,
    picture_data,
    quality_name,
    shrunk_note,
    uploaded_picture,
)
from nn.presets import TUTORIAL_IMAGE


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_dead_units_are_counted_per_relu_layer() -> None:
    X = np.random.default_rng(0).uniform(-1, 1, (500, 2))
    net = TUTORIAL_IMAGE.with_changes(seed=2).network(2)
    assert all(dead < units for _, dead, units in dead_units(net, X))
    net.layers[2].bias[:] = -100.0  # every unit of hidden layer 3 now outputs 0
    found = dead_units(net, X)
    assert [layer for layer, _, _ in found] == [1, 2, 3]
    assert found[2] == (3, 31, 31)
    tanh = nn.Network(seed=0).add(4, "tanh", input_dim=2).add(1, "sigmoid")
    assert dead_units(tanh, X) == []


def test_pictures_from_uploads_and_the_tutorial_npz() -> None:
    picture = uploaded_picture("dots.png", png(Image.new("RGB", (30, 20), (10, 20, 30))))
    assert picture.image.size == (30, 20) and picture.key.startswith("upload:")
    with pytest.raises(ImageError):
        uploaded_picture("bad.png", b"definitely not a picture")
    X, Y, _ = image_to_xy(load_transmission("message"), "1bit")
    buffer = io.BytesIO()
    np.savez(buffer, X=X.T, Y=Y.T)
    from_npz = npz_picture("image.npz", buffer.getvalue())
    assert from_npz.image.size == (94, 100)
    assert np.array_equal(image_to_xy(from_npz.image, "1bit")[1], Y)
    with pytest.raises(ImageError):
        npz_picture("bad.npz", b"PK nope")


@pytest.mark.parametrize("module", ["lessons.mustafar.logic", "lessons.mustafar.enhance"])
def test_the_pure_modules_import_no_streamlit(module: str) -> None:
    check = f"import {module}, sys; assert 'streamlit' not in sys.modules, 'streamlit imported'"
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


@dataclass
class FakeUpload:
    """What checked_bytes reads of an upload: its declared size and its bytes."""

    size: int
    data: bytes = b"small"

    def getvalue(self) -> bytes:
        return self.data


def test_an_oversized_upload_is_refused_by_its_size_before_reading() -> None:
    assert checked_bytes(FakeUpload(5)) == b"small"
    limit = MAX_UPLOAD_MB * 2**20
    assert checked_bytes(FakeUpload(limit)) == b"small"
    with pytest.raises(ImageError, match=f"over the {MAX_UPLOAD_MB} MB limit"):
        checked_bytes(FakeUpload(limit + 1))


def test_a_builtin_picture_is_kept_as_it_is() -> None:
    picture = builtin_picture("helmet")
    assert picture.key == "builtin:helmet" and picture.image.size == (94, 100)
    assert picture.shrunk_from is None and shrunk_note(picture) is None
    assert longest_side(picture) == 100


@pytest.mark.parametrize("mode, outputs", [("1bit", 1), ("gray", 1), ("rgb", 3)])
def test_picture_data_holds_the_training_and_the_full_pixels(mode: str, outputs: int) -> None:
    picture = uploaded_picture("wide.png", png(Image.new("RGB", (300, 150), (40, 80, 120))))
    assert longest_side(picture) == MAX_RESOLUTION
    data = picture_data(picture, mode, 0.5, 20)
    assert data.shape[:2] == (10, 20) and data.X.shape == (200, 2)
    assert data.Y.shape == (200, outputs) and data.outputs == outputs
    assert data.full_shape[:2] == (100, 200) and data.full_Y.shape == (20_000, outputs)
    np.testing.assert_array_equal(
        data.full_Y, image_to_xy(picture.image, mode, 0.5, MAX_RESOLUTION)[1]
    )
    assert (data.mode, data.threshold, data.resolution) == (mode, 0.5, 20)


def test_the_evaluator_measures_cost_and_quality_in_float32(network: nn.Network) -> None:
    data = picture_data(builtin_picture("helmet"), "1bit", 0.5, 50)
    metrics = evaluator(data)(network)
    assert set(metrics) == {COST, "pixel accuracy"} == {COST, quality_name(data)}
    twin = network.astype("float32")
    assert metrics[COST] == pytest.approx(twin.cost(data.X, data.Y), rel=1e-6)
    P = twin.predict(data.X)
    assert metrics["pixel accuracy"] == enhance.score(P, data.Y, "1bit")
    assert 0.8 < metrics["pixel accuracy"] < 1  # 300 iterations learn most of the helmet
    gray = picture_data(builtin_picture("planet"), "gray", 0.5, 30)
    assert quality_name(gray) == "PSNR (dB)" and quality_name(gray) in evaluator(gray)(network)
