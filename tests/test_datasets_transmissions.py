"""Tests for the built-in transmissions and their generator script."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from datasets import TRANSMISSIONS, image_to_xy, load_transmission
from datasets._errors import DatasetError
from datasets.mustafar import TRANSMISSION_DIR

ROOT = Path(__file__).parent.parent


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_transmissions", ROOT / "scripts" / "make_transmissions.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_reproduces_the_shipped_files_byte_for_byte(tmp_path):
    written = _generator().generate(tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted(t.filename for t in TRANSMISSIONS.values())
    for path in written:
        assert path.read_bytes() == (TRANSMISSION_DIR / path.name).read_bytes(), path.name


def test_transmission_catalogue():
    assert {"helmet", "message"} <= set(TRANSMISSIONS)
    assert {t.mode for t in TRANSMISSIONS.values()} == {"1bit", "gray", "rgb"}
    for t in TRANSMISSIONS.values():
        assert str(t) == t.description and len(t.description) > 20


@pytest.mark.parametrize("name", list(TRANSMISSIONS))
def test_each_transmission_loads_and_converts(name):
    img = load_transmission(name)
    mode = TRANSMISSIONS[name].mode
    assert img.mode == ("RGB" if mode == "rgb" else "L")
    X, Y, shape = image_to_xy(img, mode=mode)
    assert X.shape == (shape[0] * shape[1], 2)
    assert 0.05 < Y.mean() < 0.95  # neither blank nor solid


def test_helmet_is_the_tutorial_size_and_one_bit():
    img = load_transmission("helmet")
    assert img.size == (94, 100)  # 100 rows x 94 columns: 9,400 points
    assert set(np.unique(np.asarray(img))) == {0, 255}
    _, Y, shape = image_to_xy(img)
    assert shape == (100, 94) and Y.shape == (9400, 1)
    dark = Y.reshape(shape)
    assert dark[:, :3].mean() < 0.2 and dark[50, 47 - 20 : 47 + 20].mean() > 0.3


def test_message_is_text_on_white():
    _, Y, shape = image_to_xy(load_transmission("message"))
    dark = Y.reshape(shape)
    assert dark[0].sum() == 0 and dark[-1].sum() == 0  # white margins
    assert 0.1 < dark.mean() < 0.4


def test_unknown_transmission_lists_the_valid_names():
    with pytest.raises(DatasetError, match="unknown transmission 'vader'; choose one of: helmet"):
        load_transmission("vader")
