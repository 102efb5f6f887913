"""Lesson 5: the author's 15-hour hyper-parameter search, in minutes, on every core."""

import streamlit as st

import sweep
from ui import sweep as sw
from ui.frame_clock import ask_again, live_fragment

st.title("5 · Sweep")
st.markdown(
    "Which network learns best? The tutorial's author tried about **100 networks** by hand "
    "(7–60 units, 2–5 hidden layers, eight learning-rate steps) and needed **15 hours** to find "
    "the 2-27-31-31-1 network that first got below a cost of 0.09. Here every core trains "
    "networks side by side: pick the data and the search space, press **Start** and watch the "
    "results come in. Click a row to open that network in its lesson."
)

# ---- 1. the data ------------------------------------------------------------------------------
st.header("1 · The data")
name = st.selectbox(
    "Dataset", tuple(sweep.DATASETS), format_func=sweep.DATASETS.get, key=f"{sw.KEY}.dataset"
)
data = sweep.load_dataset(name)
st.caption(
    f"{data.describe()}. Every model gets {data.input_dim} inputs and one sigmoid output "
    "trained with cross-entropy, like its lesson."
)

# ---- 2. the search space ----------------------------------------------------------------------
st.header("2 · The search space")
try:
    configs, summary = sw.space_controls()
except sweep.SpaceError as error:
    configs, summary = [], None
    st.error(f"These choices make no sweep: {error}")
if summary:
    st.info(summary, icon=":material/tune:")

# ---- 3. run ----------------------------------------------------------------------------------
st.header("3 · Run")
job = sw.current_job()
running = job is not None and job.running
busy = job is not None and job.busy  # a cancelled sweep still finishing its current run
jobs_column, start_column, cancel_column = st.columns([2, 1, 1], vertical_alignment="bottom")
jobs = jobs_column.slider(
    "Workers (one per core, one BLAS thread each)",
    1,
    max(sweep.default_jobs(), 2),
    sweep.default_jobs(),
    key=f"{sw.KEY}.jobs",
)
if start_column.button(
    "Start", key=f"{sw.KEY}.start", type="primary", icon=":material/play_arrow:",
    disabled=busy or not configs, width="stretch",
):  # fmt: skip
    sw.start(data, configs, jobs)
    st.rerun()  # draw the page as busy: Start off, Cancel on, the live results asking for more
cancel_column.button(
    "Cancel", key=f"{sw.KEY}.cancel", icon=":material/stop:", disabled=not running,
    on_click=sw.cancel, width="stretch",
)  # fmt: skip


@live_fragment
def live_results() -> None:
    """Progress, the table sorted by cost and the scatter, redrawn as runs finish."""
    job = sw.current_job()
    if job is None:
        st.caption("No sweep yet: choose a space and press Start.")
        return
    job.drain()
    st.progress(len(job.rows) / max(job.total, 1), text=sw.progress_text(job))
    if job.error:
        st.error(f"The sweep stopped: {job.error}")
    if busy and not job.busy:
        st.rerun()  # the sweep ended: one full run enables Start
    if busy:
        ask_again(f"{sw.KEY}.clock", 0.5)
    if not job.rows:
        return
    view = sw.results_view(job.frame())
    st.subheader("Results, best first")
    selected = st.dataframe(
        sw.table_frame(view), hide_index=True, height=320, key=f"{sw.KEY}.table",
        on_select="rerun", selection_mode="single-row", column_config=sw.column_config(),
    )  # fmt: skip
    chart_column, pick_column = st.columns([3, 2], gap="large")
    with chart_column:
        st.subheader("Cost against size")
        st.vega_lite_chart(sw.scatter_spec(view), width="stretch")
        diverged = int(view["diverged"].sum())
        st.caption(f"{diverged} diverged run(s) have no cost and are not drawn." if diverged
                   else "Hover a point for its network.")  # fmt: skip
    with pick_column:
        st.subheader("Open in its lesson")
        rows = selected.selection.rows if selected is not None else []
        if rows and rows[0] < len(view):
            row = view.iloc[rows[0]]
            _, title, _ = sw.lesson_link(row)
            st.markdown(sw.describe_run(row))
            if st.button(
                f"Open it in the {title} lesson", key=f"{sw.KEY}.open",
                icon=":material/open_in_new:", type="primary",
            ):  # fmt: skip
                sw.open_in_lesson(row)
            if row["schedule"] != "constant":
                st.caption("A lesson trains with one constant rate: it opens with the first.")
        else:
            st.caption("Click a row of the table (the box at its left) to pick a network.")
    st.download_button(
        "Download the results (CSV)", sw.download_csv(job.frame()), f"sweep-{job.dataset}.csv",
        "text/csv", key=f"{sw.KEY}.download", icon=":material/download:",
    )  # fmt: skip


live_results()
