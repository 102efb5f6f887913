"""AppTest of the Mustafar lesson: defaults, uploads, training, presets, enhance renders."""

import io

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from datasets import image_to_xy, load_transmission

PAGE = "app_pages/4_Mustafar.py"
KEY = "mustafar"


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def number(at: AppTest, label: str) -> float:
    return float(metric(at, label).replace(",", "").rstrip("%"))


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def lesson(app: AppTest) -> AppTest:
    return app.switch_page(PAGE)


def test_defaults_show_the_helmet_and_the_fast_preset(lesson: AppTest) -> None:
    at = lesson.run()

    assert not at.exception and not at.error
    assert at.title[0].value == "4 · Mustafar: enhance!"
    assert at.selectbox(key=f"{KEY}.transmission").value == "helmet"
    assert at.radio(key=f"{KEY}.mode").value == "1bit"
    assert at.slider(key=f"{KEY}.resolution").value == 94 + 6  # the helmet is 94 x 100
    assert metric(at, "Trainable parameters") == "1,973"  # the tutorial's 2-27-31-31-1
    assert metric(at, "Iteration") == "0"
    assert metric(at, "Learning rate") == "0.02"
    assert 0.5 < number(at, "Cost over all pixels") < 1.0
    assert any("9,400 samples" in caption.value for caption in at.caption)
    assert any("Fast preset" in caption.value for caption in at.caption)
    assert any("Press **Play**" in info.value for info in at.info)  # nothing to enhance yet
    assert len(at.image) >= 3  # the target, and the target beside the network's picture
    assert dict(at.query_params) == {}


def test_good_upload_is_learned_and_a_bad_file_keeps_the_previous_picture(lesson: AppTest) -> None:
    at = lesson.run()
    at.radio(key=f"{KEY}.source").set_value("Upload a picture").run()
    assert at.session_state[f"{KEY}.picture"].key == "builtin:helmet"  # kept until an upload

    ring = Image.new("L", (40, 30), 255)
    ring.paste(0, (10, 8, 30, 22))
    at.file_uploader(key=f"{KEY}.upload").set_value(("box.png", png(ring), "image/png")).run()
    assert not at.exception and not at.error
    assert at.session_state[f"{KEY}.picture"].name == "box.png"
    assert at.slider(key=f"{KEY}.resolution").value == 40  # never more than the picture
    assert any("1,200 samples" in caption.value for caption in at.caption)

    at.file_uploader(key=f"{KEY}.upload").set_value(
        ("broken.png", b"this is not a picture", "image/png")
    ).run()
    assert not at.exception
    assert "broken.png** cannot be used" in at.error[0].value
    assert "Still learning box.png" in at.error[0].value
    assert at.session_state[f"{KEY}.picture"].name == "box.png"
    assert any("1,200 samples" in caption.value for caption in at.caption)
    at.button(key=f"{KEY}.step").click().run()
    assert metric(at, "Iteration") == "1" and not at.exception


def test_tutorial_npz_becomes_the_picture(lesson: AppTest) -> None:
    X, Y, _ = image_to_xy(load_transmission("message"), "1bit")
    buffer = io.BytesIO()
    np.savez(buffer, X=X.T, Y=Y.T)
    at = lesson.run()
    at.radio(key=f"{KEY}.source").set_value("Tutorial .npz").run()
    at.file_uploader(key=f"{KEY}.npz").set_value(("image.npz", buffer.getvalue(), "x")).run()
    assert not at.exception and not at.error
    assert at.session_state[f"{KEY}.picture"].name == "image.npz"
    at.file_uploader(key=f"{KEY}.npz").set_value(("bad.npz", b"no zip", "x")).run()
    assert "not an .npz file" in at.error[0].value
    assert at.session_state[f"{KEY}.picture"].name == "image.npz"


def test_fast_preset_trains_frame_after_frame(lesson: AppTest) -> None:
    at = lesson.run()
    at.slider(key=f"{KEY}.resolution").set_value(50).run()  # a quicker lesson
    first = number(at, "Cost over all pixels")
    at.button(key=f"{KEY}.play").click().run()
    for _ in range(2):  # no browser asks for frames in AppTest: each run() is one frame
        at.run()
    assert not at.exception
    assert number(at, "Iteration") >= 1000
    assert number(at, "Cost over all pixels") < first / 2
    assert number(at, "Pixel accuracy") > 85
    assert float(metric(at, "Learning rate")) < 0.02  # the cosine schedule is running
    run = at.session_state[f"{KEY}.run"]
    assert run.network.dtype == np.float32 and run.trainer.batch_size == 512
    accuracy = run.metrics["pixel accuracy"]
    assert [i for i, _ in accuracy] == sorted({i for i, _ in accuracy}) and len(accuracy) >= 3


def test_enhance_renders_at_several_sizes(lesson: AppTest) -> None:
    at = lesson.run()
    at.slider(key=f"{KEY}.resolution").set_value(50).run()
    at.button(key=f"{KEY}.step").click().run()
    assert not at.exception

    renders = at.session_state[f"{KEY}.renders"]
    figure_9 = sorted(image.size for image, _ in renders.values() if image.width == image.height)
    assert figure_9 == [(21, 21), (41, 41), (2001, 2001)]
    assert "h = 0.001" in " ".join(m.value for m in at.markdown)
    for long_side, size in [(50, (47, 50)), (400, (376, 400)), (4000, (3760, 4000))]:
        at.select_slider(key=f"{KEY}.size").set_value(long_side).run()
        assert not at.exception
        labels = [button.proto.label for button in at.get("download_button")]
        assert any(f"({size[0]} × {size[1]})" in label for label in labels)
        assert any(image.size == size for image, _ in renders.values())
    at.select_slider(key=f"{KEY}.zoom").set_value(8).run()
    at.slider(key=f"{KEY}.centre_row").set_value(20).run()
    assert not at.exception
    assert any("8× zoom" in caption.value for caption in at.caption)
    assert len(renders) <= 6  # the cache stays bounded


def test_comparison_scores_each_method_on_unseen_pixels(lesson: AppTest) -> None:
    at = lesson.run()
    at.slider(key=f"{KEY}.resolution").set_value(40).run()
    at.button(key=f"{KEY}.play").click().run()
    at.run()
    at.button(key=f"{KEY}.play").click().run()
    labels = {m.label: m.value for m in at.metric}
    assert {"Nearest neighbour", "Bicubic", "The network"} <= set(labels)
    assert all(labels[name].endswith("%") for name in ("Bicubic", "The network"))
    assert any("never seen in training" in m.value for m in at.markdown)

    at.radio(key=f"{KEY}.mode").set_value("gray").run()
    at.button(key=f"{KEY}.step").click().run()
    assert not at.exception
    assert metric(at, "Bicubic").endswith("dB") and metric(at, "The network").endswith("dB")


def test_rgb_sunset_trains_three_outputs(lesson: AppTest) -> None:
    at = lesson.run()
    at.selectbox(key=f"{KEY}.transmission").set_value("sunset").run()
    assert at.radio(key=f"{KEY}.mode").value == "rgb"
    assert metric(at, "Trainable parameters") == f"{1973 - 32 + 3 * 32:,}"
    at.button(key=f"{KEY}.step").click().run()
    assert not at.exception and not at.error
    assert at.session_state[f"{KEY}.run"].network.output_dim == 3
    assert metric(at, "PSNR").endswith(" dB")
    assert at.query_params["transmission"] == "sunset" and at.query_params["mode"] == "rgb"


def test_tutorial_preset_at_seed_1_shows_the_dead_network(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key=f"{KEY}.preset.Tutorial").click().run()
    assert metric(at, "Learning rate") == "2.8"  # the schedule's first step, not the slider's 3
    assert at.number_input(key=f"{KEY}.seed").value == 2
    at.number_input(key=f"{KEY}.seed").set_value(1).run()
    at.select_slider(key=f"{KEY}.iterations_per_frame").set_value(200).run()
    at.button(key=f"{KEY}.play").click().run()
    for _ in range(6):  # it dies within its first few hundred iterations
        if at.error:
            break
        at.run()
    assert not at.exception
    assert "Dead network" in at.error[0].value
    at.button(key=f"{KEY}.next_seed").click().run()
    assert at.number_input(key=f"{KEY}.seed").value == 2
    assert metric(at, "Iteration") == "0" and not at.error


def test_model_import_enhances_a_saved_network(lesson: AppTest) -> None:
    from nn.presets import FAST_IMAGE
    from ui.enhance import model_bytes

    at = lesson.run()
    with_expander = at.file_uploader(key=f"{KEY}.model_file")
    with_expander.set_value(("junk.npz", b"junk", "application/octet-stream")).run()
    assert "junk.npz** cannot be used" in at.error[0].value
    saved = model_bytes(FAST_IMAGE.network(seed=3))
    at.file_uploader(key=f"{KEY}.model_file").set_value(("mine.npz", saved, "x")).run()
    at.radio(key=f"{KEY}.which_model").set_value("Imported: mine.npz").run()
    assert not at.exception and not at.error
    assert any(image.width == 2001 for image, _ in at.session_state[f"{KEY}.renders"].values())


def test_hostile_url_is_clamped(lesson: AppTest) -> None:
    for name, value in {
        "transmission": "../../etc/passwd",
        "mode": "<b>",
        "threshold": "1e9",
        "resolution": "-5",
    }.items():
        lesson.query_params[name] = value
    at = lesson.run()
    assert not at.exception and not at.error
    assert at.selectbox(key=f"{KEY}.transmission").value == "helmet"
    assert at.slider(key=f"{KEY}.threshold").value == 0.95
    assert at.slider(key=f"{KEY}.resolution").value == 8
