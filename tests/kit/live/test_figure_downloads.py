"""On Pause, each lesson offers "Download figure": the cost curve and its main views, as PNG at
300 dpi, SVG and PDF (``kit.live.view``; the figures themselves: ``kit.figures``)."""

import io

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from kit.figures import figure_bytes
from tests import REPO_ROOT
from tests.live import ask, run_of

PAGES = {
    "linear": (
        "app_pages/1_Linear_regression.py",
        ["The cost", "The fitted line", "The cost surface"],
    ),
    "titanic": ("app_pages/2_Titanic.py", ["The cost", "The weights"]),
    "rose": ("app_pages/3_Rose.py", ["The cost", "The decision surface"]),
    "mustafar": ("app_pages/4_Mustafar.py", ["The cost", "The pictures"]),
}


def popover(at: AppTest, key: str):
    return next(p for p in at.get("popover") if p.proto.popover.label == "Download figure")


@pytest.mark.parametrize("key", list(PAGES))
def test_paused_a_lesson_offers_its_figures_in_three_formats(key: str) -> None:
    page, titles = PAGES[key]
    at = AppTest.from_file(str(REPO_ROOT / page), default_timeout=90).run()
    ask(at, key, "step")
    assert not popover(at, key).proto.popover.disabled
    at.session_state[f"{key}.figures"] = True  # the teacher opens the popover
    at.run()
    buttons = [b for b in at.get("download_button") if ".figure." in b.proto.id]
    labels = [b.proto.label for b in buttons]
    assert labels == ["PNG · 300 dpi", "SVG", "PDF"] * len(titles)
    captions = [c.value for c in at.caption]
    assert all(title in captions for title in titles)


@pytest.mark.parametrize("key", ["rose"])
def test_playing_the_figures_wait_for_a_pause(key: str) -> None:
    at = AppTest.from_file(str(REPO_ROOT / PAGES[key][0]), default_timeout=90).run()
    ask(at, key, "play")
    assert popover(at, key).proto.popover.disabled


def test_each_lessons_figures_build_from_a_run() -> None:
    """The figures a paused lesson offers are drawn from its run (PNG at 300 dpi)."""
    from lessons.mustafar import logic as picture
    from lessons.mustafar import slides as mustafar
    from lessons.rose import logic as plane
    from lessons.rose import slides as rose
    from lessons.titanic import slides as titanic

    helmet = picture.picture_data(
        picture.builtin_picture(picture.DEFAULT_TRANSMISSION), "1bit", 0.5, 40
    )
    offers = {
        "rose": lambda run: rose.slide_figures(
            run, plane.make_plane_data(plane.PlaneChoice()), True
        ),
        "titanic": titanic.slide_figures,
        "mustafar": lambda run: mustafar.slide_figures(run, helmet),
    }
    for key, offer in offers.items():
        at = AppTest.from_file(str(REPO_ROOT / PAGES[key][0]), default_timeout=90).run()
        ask(at, key, "step")
        builds = offer(run_of(at, key))
        assert list(builds) == PAGES[key][1][1:]
        for build in builds.values():
            png = Image.open(io.BytesIO(figure_bytes(build(), "png")))
            assert round(png.info["dpi"][0]) == 300
