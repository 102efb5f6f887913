"""Entry point: `streamlit run dashboard.py` (``make run`` starts it through ``serve.py``).
Home, every lesson whose page exists, and for the teacher's session the console."""

import streamlit as st

from kit import one_blas_thread
from kit.class_session import claim_teacher, is_teacher_session, open_page
from lessons import available_lessons

one_blas_thread()

# An emoji favicon is drawn locally; a ":material/...:" one is fetched from fonts.gstatic.com.
st.set_page_config(page_title="Neural network from scratch", layout="wide", page_icon="🧠")

home = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)
lessons = {
    lesson.key: st.Page(lesson.page, title=lesson.title, icon=lesson.icon)
    for lesson in available_lessons()
}
console = st.Page(
    "app_pages/teacher.py", title="Teacher console", icon=":material/school:", url_path="teacher"
)
claimed = claim_teacher()  # the teacher link: the token leaves the address bar here
pages = [home, *lessons.values(), *([console] if is_teacher_session() else [])]
page = st.navigation(pages)
if claimed and page is not console:
    st.switch_page(console)
open_page(next((key for key, lesson in lessons.items() if lesson is page), None), page.url_path)
page.run()
