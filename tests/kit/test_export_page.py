"""The export button on a page (AppTest): the zip and the notebook side by side, the notebook
served as ``kit.export`` writes it."""

from pathlib import Path

import nbformat
from streamlit.testing.v1 import AppTest

from kit.export import experiment_notebook
from tests.kit.test_export import TUTORIAL_LINEAR


def export_page() -> None:
    import streamlit as st
    from streamlit import runtime

    from kit.export import export_button

    data = "from datasets.linear import make_linear\nX, Y = make_linear()"
    settings = {
        "layers": [],
        "output_units": 1,
        "output_activation": "linear",
        "loss": "mse",
        "input_dim": 1,
        "init": "tutorial",
        "init_scale": 0.01,
        "seed": 1,
        "dtype": "float64",
        "learning_rate": 0.01,
        "optimizer": "gd",
        "batch_size": None,
        "l2": 0.0,
    }
    export_button("export", data, settings, 10)
    st.session_state["media"] = runtime.get_instance().media_file_mgr  # the test reads the files


def test_the_export_button_offers_the_notebook_beside_the_zip():
    at = AppTest.from_function(export_page, default_timeout=30).run()
    assert not at.exception
    zip_button, notebook_button = at.download_button
    assert zip_button.proto.label == "Export this experiment (.zip)"
    assert notebook_button.proto.label == "Download notebook (.ipynb)"
    file_id = Path(notebook_button.proto.url).stem
    served = at.session_state["media"].read_file(file_id).content
    page_data = "from datasets.linear import make_linear\nX, Y = make_linear()"
    assert served == experiment_notebook(page_data, TUTORIAL_LINEAR, 10)
    nbformat.validate(nbformat.reads(served.decode(), as_version=4))
