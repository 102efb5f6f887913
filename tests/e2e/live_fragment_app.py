"""The page of tests/e2e/test_live_fragment_e2e.py: a slow full run, a live fragment whose
clock fires meanwhile, and elements after the fragment. ``?plain`` uses ``st.fragment``
instead of ``live_fragment``."""

import time

import streamlit as st

from kit.frame_clock import ask_again, live_fragment

fragment = st.fragment if "plain" in st.query_params else live_fragment
st.button("Slow run", key="slow")
if st.session_state.get("slow"):
    time.sleep(1.0)  # the last frame's clock fires meanwhile: its fragment run waits for this one


@fragment
def frame() -> None:
    frames = st.session_state["frames"] = st.session_state.get("frames", 0) + 1
    with st.container():
        st.write(f"frame {frames}")
    ask_again("clock", 0.05)


frame()
with st.container():
    st.write("sibling block")
st.write("last element")
