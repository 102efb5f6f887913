"""Lesson 5: the author's 15-hour hyper-parameter search, in minutes, on every core.

The sidebar holds the choices (the data and the search space); the page holds the run: one
live fragment draws Workers, Start and Cancel, the progress and the results. A click on Start
or Cancel reruns that fragment alone, and the run that draws the buttons is the run that
decides whether another follows, so the buttons always match the sweep.
"""

import pandas as pd
import streamlit as st

import sweep
from kit.frame_clock import ask_again, live_fragment
from lessons.sweep import views as sw

REFRESH_SECONDS = 0.5  # between two looks at a busy sweep


def choose_data() -> sweep.Dataset:
    """The sidebar's Data section: the dataset, and what every model gets from it."""
    bar = st.sidebar
    bar.header("Data")
    name = bar.selectbox(
        "Dataset", tuple(sweep.DATASETS), format_func=sweep.DATASETS.get, key=f"{sw.KEY}.dataset"
    )
    data = sweep.load_dataset(name)
    bar.caption(
        f"{data.describe()}. Every model gets {data.input_dim} inputs and one sigmoid output "
        "trained with cross-entropy, like its lesson."
    )
    return data


def choose_space() -> list[sweep.Config]:
    """The search space from the sidebar; the page says how many models it makes, or why it
    makes no sweep (then there is nothing to start)."""
    try:
        configs, summary = sw.space_controls()
    except sweep.SpaceError as error:
        st.error(f"These choices make no sweep: {error}")
        return []
    st.info(summary, icon=":material/tune:")
    return configs


def run_controls(
    data: sweep.Dataset, configs: list[sweep.Config], busy: bool, running: bool
) -> None:
    """Workers, Start (off while a sweep is busy or there is nothing to run) and Cancel (on
    while a sweep runs). Both act in callbacks, before the fragment run that redraws them."""
    jobs_column, start_column, cancel_column = st.columns([2, 1, 1], vertical_alignment="bottom")
    jobs_column.slider(
        "Workers (one per core, one BLAS thread each)",
        1,
        max(sweep.default_jobs(), 2),
        sweep.default_jobs(),
        key=f"{sw.KEY}.jobs",
    )
    start_column.button(
        "Start", key=f"{sw.KEY}.start", type="primary", icon=":material/play_arrow:",
        disabled=busy or not configs, on_click=start, args=(data, configs),
        width="stretch",
    )  # fmt: skip
    cancel_column.button(
        "Cancel", key=f"{sw.KEY}.cancel", icon=":material/stop:", disabled=not running,
        on_click=sw.cancel, width="stretch",
    )  # fmt: skip


def start(data: sweep.Dataset, configs: list[sweep.Config]) -> None:
    """Start the sweep on as many workers as the slider says at the click."""
    sw.start(data, configs, st.session_state[f"{sw.KEY}.jobs"])


@live_fragment
def live_run(data: sweep.Dataset, configs: list[sweep.Config]) -> None:
    """The buttons, the progress and the results; while the sweep is busy, the same again
    half a second after the browser drew them."""
    job = sw.current_job()
    # One look decides the buttons and the next frame. A sweep seen idle has queued every row.
    busy = job is not None and job.busy
    running = busy and not job.cancel.is_set()
    run_controls(data, configs, busy, running)
    if job is None:
        st.caption("No sweep yet: choose the data and the search space, then press Start.")
        return
    job.drain()
    st.progress(len(job.rows) / max(job.total, 1), text=sw.progress_text(job))
    if job.error:
        st.error(f"The sweep stopped: {job.error}")
    if busy:
        ask_again(f"{sw.KEY}.clock", REFRESH_SECONDS)
    if job.rows:
        show_results(job)


def show_results(job: sw.SweepJob) -> None:
    """The table sorted by cost, the scatter, the picked row's lesson link and the CSV."""
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
            show_pick(view.iloc[rows[0]])
        else:
            st.caption("Click a row of the table (the box at its left) to pick a network.")
    st.download_button(
        "Download the results (CSV)", sw.download_csv(job.frame()), f"sweep-{job.dataset}.csv",
        "text/csv", key=f"{sw.KEY}.download", icon=":material/download:",
    )  # fmt: skip


def show_pick(row: pd.Series) -> None:
    """The picked run in words, and the button that opens it in its lesson."""
    _, title, _ = sw.lesson_link(row)
    st.markdown(sw.describe_run(row))
    if st.button(
        f"Open it in the {title} lesson", key=f"{sw.KEY}.open",
        icon=":material/open_in_new:", type="primary",
    ):  # fmt: skip
        sw.open_in_lesson(row)
    if row["schedule"] != "constant":
        st.caption("A lesson trains with one constant rate: it opens with the first.")


st.title("5 · Sweep")
st.markdown(
    "Which network learns best? The tutorial's author tried about **100 networks** by hand "
    "(7–60 units, 2–5 hidden layers, eight learning-rate steps) and needed **15 hours** to find "
    "the 2-27-31-31-1 network that first got below a cost of 0.09. Here every core trains "
    "networks side by side: pick the data and the search space in the sidebar, press **Start** "
    "and watch the results come in. Click a row to open that network in its lesson."
)
data = choose_data()
configs = choose_space()
live_run(data, configs)
