"""A large uploaded picture is kept at the largest size the Mustafar lesson uses (its longest side
at lessons.mustafar.logic.MAX_RESOLUTION), once, on upload; the student is told; a small
picture is kept as it is. The safety checks on the file as sent are in test_hostile_inputs.py."""

import io

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from datasets import image_to_xy, load_image
from lessons.mustafar.logic import (
    MAX_RESOLUTION,
    PictureData,
    data_code,
    npz_picture,
    shrunk_note,
    uploaded_picture,
)
from tests.live import ask, payload, run_of

PAGE = "app_pages/4_Mustafar.py"
KEY = "mustafar"
LARGE = (1500, 1000)  # width, height: 7.5 times the bound, aspect 3:2
BOX = (300, 200, 900, 600)  # the dark box on the large picture: left, top, right, bottom


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def poster(size: tuple[int, int] = LARGE, box: tuple[int, ...] = BOX) -> Image.Image:
    """Light paper with a dark blue box."""
    image = Image.new("RGB", size, (235, 225, 205))
    image.paste((20, 20, 70), box)
    return image


def captions(at: AppTest) -> str:
    return " ".join(caption.value for caption in at.caption)


def upload(app: AppTest, name: str, data: bytes) -> AppTest:
    at = app.switch_page(PAGE).run()
    at.radio(key=f"{KEY}.source").set_value("Upload a picture").run()
    return at.file_uploader(key=f"{KEY}.upload").set_value((name, data, "image/png")).run()


def assert_box_is_where_it_was(image: Image.Image, size: tuple[int, int]) -> None:
    """The box covers the same share of the kept picture (3 px of filter blur at its edges)."""
    gray = np.asarray(image.convert("L"), dtype=int)
    scale_x, scale_y = image.width / size[0], image.height / size[1]
    left, top, right, bottom = BOX
    rows, cols = np.indices(gray.shape)

    def inside(margin: float) -> np.ndarray:
        return (
            (rows >= top * scale_y + margin)
            & (rows < bottom * scale_y - margin)
            & (cols >= left * scale_x + margin)
            & (cols < right * scale_x - margin)
        )

    assert gray[inside(3)].max() < 100
    assert gray[~inside(-3)].min() > 150


def test_a_large_upload_is_kept_at_the_bound_and_the_lesson_still_works(app: AppTest) -> None:
    at = upload(app, "poster.png", png(poster()))

    assert not at.exception and not at.error
    picture = at.session_state[KEY].picture
    width, height = picture.image.size
    assert max(width, height) == MAX_RESOLUTION
    assert abs(width / height - LARGE[0] / LARGE[1]) < 1 / height  # aspect kept, to a pixel
    assert_box_is_where_it_was(picture.image, LARGE)
    assert f"Your 1,500 × 1,000 picture is kept at {width} × {height}" in captions(at)
    assert at.slider(key=f"{KEY}.resolution").proto.max == MAX_RESOLUTION

    at.slider(key=f"{KEY}.resolution").set_value(50).run()
    ask(at, KEY, "step")
    assert not at.exception and not at.error
    assert payload(at, KEY)["frames"][-1]["i"] == 1
    assert run_of(at, KEY).iteration == 1
    assert f"scored on the **{width} × {height}** full-resolution" in " ".join(
        m.value for m in at.markdown
    )
    assert {"Nearest neighbour", "Bicubic", "The network"} <= {m.label for m in at.metric}
    at.select_slider(key=f"{KEY}.size").set_value(4000).run()  # the free viewer at its largest
    assert not at.exception
    assert any(image.width == 4000 for image, _ in at.session_state[KEY].renders.values())
    assert f"is kept at {width} × {height}" in captions(at)  # still said after more reruns


def test_a_small_upload_is_kept_as_it_is(app: AppTest) -> None:
    small = poster((40, 30), (8, 6, 24, 18))
    at = upload(app, "small.png", png(small))

    assert not at.exception and not at.error
    picture = at.session_state[KEY].picture
    assert picture.shrunk_from is None
    np.testing.assert_array_equal(np.asarray(picture.image), np.asarray(small))
    assert "is kept at" not in captions(at)


@pytest.mark.parametrize("mode", ["1bit", "gray", "rgb"])
def test_the_lesson_sees_the_same_full_resolution_pixels_from_the_kept_picture(mode) -> None:
    data = png(poster())
    kept = uploaded_picture("poster.png", data).image
    original = load_image(data)
    as_sent = image_to_xy(original, mode, resolution=MAX_RESOLUTION)
    as_kept = image_to_xy(kept, mode, resolution=MAX_RESOLUTION)
    assert as_kept[2] == as_sent[2]
    np.testing.assert_array_equal(as_kept[1], as_sent[1])


def test_a_large_tutorial_npz_is_kept_at_the_bound_too() -> None:
    size = (400, 300)
    X, Y, _ = image_to_xy(poster(size, (80, 60, 240, 180)), "1bit")
    buffer = io.BytesIO()
    np.savez(buffer, X=X.T, Y=Y.T)
    picture = npz_picture("big.npz", buffer.getvalue())
    assert picture.image.size == (MAX_RESOLUTION, MAX_RESOLUTION * size[1] // size[0])
    assert picture.shrunk_from == size
    assert "Your 400 × 300 picture is kept at" in shrunk_note(picture)


def test_the_exported_code_keeps_the_picture_as_the_page_does(tmp_path, monkeypatch) -> None:
    data = png(poster())
    picture = uploaded_picture("poster.png", data)
    X, Y, shape = image_to_xy(picture.image, "gray", resolution=60)
    full = image_to_xy(picture.image, "gray", resolution=MAX_RESOLUTION)
    page_data = PictureData(X, Y, shape, full[1], full[2], "gray", 0.5, 60)
    (tmp_path / "picture.png").write_bytes(data)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(data_code(picture, page_data), namespace)  # the page's own code, not user input
    assert namespace["shape"] == shape
    np.testing.assert_array_equal(namespace["Y"], Y)
