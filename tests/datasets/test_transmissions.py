"""Tests for the built-in transmissions and their generator script."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from datasets import TRANSMISSIONS, image_to_xy, load_transmission
from datasets._errors import DatasetError
from datasets.mustafar import TRANSMISSION_DIR
from tests import REPO_ROOT

ROOT = REPO_ROOT


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


ONE_BIT = [name for name, t in TRANSMISSIONS.items() if t.mode == "1bit"]


def _dark_share_of_lesson_picture(img) -> float:
    """Check a 94 x 100, strictly black-and-white picture; return its dark share."""
    assert img.size == (94, 100)
    values = np.asarray(img.convert("L"))
    assert set(np.unique(values)) == {0, 255}
    return float(np.mean(values == 0))


def test_at_least_eight_new_one_bit_transmissions_after_the_original_four():
    assert list(TRANSMISSIONS)[:4] == ["helmet", "message", "planet", "sunset"]
    assert len(TRANSMISSIONS) >= 12
    assert len([n for n in ONE_BIT if n not in ("helmet", "message")]) >= 8


@pytest.mark.parametrize("name", ONE_BIT)
def test_each_one_bit_transmission_is_94_by_100_two_valued_and_neither_sparse_nor_solid(name):
    img = load_transmission(name)
    assert img.mode == "L"
    assert 0.15 <= _dark_share_of_lesson_picture(img) <= 0.6
    _, Y, shape = image_to_xy(img, mode="1bit")
    assert shape == (100, 94) and set(np.unique(Y)) == {0.0, 1.0}


def test_held_out_pictures_are_of_the_same_kind_but_never_shipped(tmp_path):
    generator = _generator()
    assert len(generator.HELD_OUT) >= 2
    shipped = {t.filename for t in TRANSMISSIONS.values()} | set(generator.PICTURES)
    for name, draw in generator.HELD_OUT.items():
        assert name not in TRANSMISSIONS and f"{name}.png" not in shipped, name
        assert not (TRANSMISSION_DIR / f"{name}.png").exists(), name
        assert 0.15 <= _dark_share_of_lesson_picture(draw()) <= 0.6, name
    written = {p.name for p in generator.generate(tmp_path)}
    assert not written & {f"{name}.png" for name in generator.HELD_OUT}


def test_unknown_transmission_lists_the_valid_names():
    with pytest.raises(DatasetError, match="unknown transmission 'vader'; choose one of: helmet"):
        load_transmission("vader")
