"""Entry point: `streamlit run dashboard.py`. Home plus every lesson whose page exists."""

import streamlit as st

from ui import available_lessons

# An emoji favicon is drawn locally; a ":material/...:" one is fetched from fonts.gstatic.com.
st.set_page_config(page_title="Neural network from scratch", layout="wide", page_icon="🧠")

home = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)
lessons = [
    st.Page(lesson.page, title=lesson.title, icon=lesson.icon) for lesson in available_lessons()
]
st.navigation([home, *lessons]).run()
