"""Entry point: `streamlit run dashboard.py`. Home plus every lesson whose page exists."""

import streamlit as st
from threadpoolctl import threadpool_limits

from lessons import available_lessons

# One BLAS thread per product: the sessions share the server's cores, and BLAS threads fighting
# over them made one step of a 6 × 64 network on 550 samples 40 to 150 times slower under load.
# A large batch still runs on every core (nn.fast.parallel).
threadpool_limits(1, user_api="blas")

# An emoji favicon is drawn locally; a ":material/...:" one is fetched from fonts.gstatic.com.
st.set_page_config(page_title="Neural network from scratch", layout="wide", page_icon="🧠")

home = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)
lessons = [
    st.Page(lesson.page, title=lesson.title, icon=lesson.icon) for lesson in available_lessons()
]
st.navigation([home, *lessons]).run()
