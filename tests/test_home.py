"""AppTest of the entry point and the Home page."""

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kit import REPO_ROOT
from lessons import LESSONS, Lesson


def page_links(at: AppTest) -> list[str]:
    """URL paths of the page links on screen ("Rose" for app_pages/3_Rose.py)."""
    return [element.proto.page for element in at.get("page_link")]


def test_home_renders_what_a_teacher_needs(app: AppTest) -> None:
    at = app.run()

    assert not at.exception
    assert at.title[0].value == "Neural network from scratch"
    text = " ".join(element.value for element in [*at.markdown, *at.caption])
    assert "from scratch in NumPy" in text
    assert "Dennis Bakhuis" in text
    for lesson in LESSONS:
        assert f"{lesson.number} · {lesson.title}" in text
        assert lesson.promise in text
    assert len(at.get("image")) == len(LESSONS)
    assert len(at.get("vega_lite_chart")) == 1
    assert "W^{[l]}" in at.latex[0].value
    assert "--server.address 0.0.0.0" in at.code[0].value


def test_lessons_link_only_when_their_page_exists(app: AppTest) -> None:
    at = app.run()

    available = [lesson for lesson in LESSONS if lesson.is_available]
    assert len(page_links(at)) == len(available)
    coming = [m for m in at.markdown if "coming" in m.value]
    assert len(coming) == len(LESSONS) - len(available)


def test_navigation_skips_missing_lessons(app: AppTest) -> None:
    at = app.run()

    for lesson in LESSONS:
        if not lesson.is_available:
            with pytest.raises(ValueError, match="Could not find"):
                at.switch_page(lesson.page)


@pytest.fixture
def app_with_only_rose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """A copy of the app where, of all lessons, only the Rose page exists (a stub)."""
    shutil.copy(REPO_ROOT / "dashboard.py", tmp_path)
    (tmp_path / "app_pages").mkdir()
    shutil.copy(REPO_ROOT / "app_pages" / "home.py", tmp_path / "app_pages")
    shutil.copy(REPO_ROOT / "app_pages" / "teacher.py", tmp_path / "app_pages")
    stub = 'import streamlit as st\nst.write("rose stub")\n'
    (tmp_path / "app_pages" / "3_Rose.py").write_text(stub)
    monkeypatch.setattr("lessons.REPO_ROOT", tmp_path)
    monkeypatch.chdir(REPO_ROOT)
    return AppTest.from_file(str(tmp_path / "dashboard.py"), default_timeout=30)


def test_a_lesson_appears_as_soon_as_its_page_lands(app_with_only_rose: AppTest) -> None:
    at = app_with_only_rose.run()

    assert not at.exception
    rose: Lesson = LESSONS[2]
    assert page_links(at) == ["Rose"]
    at.switch_page(rose.page).run()
    assert at.markdown[0].value == "rose stub"
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page(LESSONS[1].page)


def test_no_magic_pages_folder():
    """Streamlit lists every file of a ``pages/`` folder as a page until st.navigation runs, so a
    lesson link opened on a fresh server would show file names: page scripts live elsewhere."""
    assert not (REPO_ROOT / "pages").exists()
    assert (REPO_ROOT / "app_pages" / "home.py").is_file()
