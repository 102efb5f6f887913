"""Challenges on lesson 6, Many classes: the data is the lesson's own, the hidden split fresh
points from the same generators, a softmax network scored by accuracy or categorical
cross-entropy and a surface by its MSE, forged submissions refused in words, and the board on
both of its databases (a SQLite file and the PostgreSQL server of tests/classroom/conftest.py)."""

import io
import json
from pathlib import Path

import numpy as np
import pytest

import nn
from classroom.board import BoardError, Submission, board, submit
from classroom.scoring import (
    DATASETS,
    Challenge,
    ChallengeError,
    Goal,
    SubmissionError,
    challenge_data,
    dataset_query,
    goal_metrics,
    score_submission,
)
from classroom.store import ClassStore
from datasets.multiclass import MULTICLASS_DATASETS, SURFACES
from lessons.classes.logic import ClassesChoice, make_data
from tests.classroom.conftest import PostgreSQL

SECRET = b"a server secret of 32 bytes!!!!!"
SPIRAL = Challenge("classes", "spiral", Goal("test_accuracy", 0.9), {"classes": 3})
WAVES = Challenge("classes", "waves", Goal("test_cost", 0.1))
KEEPS = {"classes": 3}  # what the page says it used for SPIRAL's lock


def saved(network: nn.Network) -> bytes:
    buffer = io.BytesIO()
    network.save(buffer)
    return buffer.getvalue()


def spec(units: int, outputs: int, output: str, loss: str, iterations: int) -> nn.RunSpec:
    return nn.RunSpec(
        hidden=((units, "tanh"),) if units else (),
        learning_rate=0.05,
        optimizer="adam",
        iterations=iterations,
        outputs=outputs,
        output_activation=output,
        loss=loss,
    )


def trained(X: np.ndarray, Y: np.ndarray, units: int = 16, iterations: int = 500) -> nn.Network:
    """A network as lesson 6 trains it: softmax for one-hot targets, linear for values."""
    classify = Y.shape[1] > 1
    run = spec(
        units,
        Y.shape[1],
        "softmax" if classify else "linear",
        "categorical_cross_entropy" if classify else "mse",
        iterations,
    )
    trainer = run.trainer(X, Y)
    for _ in run.run(trainer, every=iterations):
        pass
    return trainer.network


def points_equal_somewhere(a: np.ndarray, b: np.ndarray) -> int:
    distance = np.abs(a[:, None, :] - b[None, :, :]).max(axis=2)
    return int((distance.min(axis=1) < 1e-9).sum())


@pytest.fixture(scope="module")
def spiral():
    return challenge_data(SPIRAL, SECRET)


@pytest.fixture(scope="module")
def honest(spiral) -> bytes:
    return saved(trained(spiral.X_train, spiral.Y_train))


# ---- challenges ----------------------------------------------------------------------------------
def test_every_dataset_and_surface_of_the_lesson_takes_a_challenge() -> None:
    assert DATASETS["classes"] == (*MULTICLASS_DATASETS, *SURFACES)
    assert (
        SPIRAL.describe() == "Many classes spiral: ≥ 90 % test accuracy with the fewest parameters"
    )
    assert Challenge.from_json(SPIRAL.to_json()) == SPIRAL
    assert dataset_query("classes", "blobs") == {"mode": "classify", "data": "blobs"}
    assert dataset_query("classes", "saddle") == {"mode": "regress", "surface": "saddle"}
    assert dataset_query("rose", "moons") == {"data": "moons"}
    assert dataset_query("linear", "y=2x+1") == {}
    assert goal_metrics("classes", "rose") == (
        "test_accuracy", "train_accuracy", "test_cost", "train_cost",
    )  # fmt: skip
    assert goal_metrics("classes", "bump") == ("test_cost", "train_cost")
    assert goal_metrics("linear", "y=2x+1") == ("test_cost", "train_cost")
    assert goal_metrics("titanic", "tutorial") == goal_metrics("rose", "spiral")
    assert len(goal_metrics("rose", "spiral")) == 4


@pytest.mark.parametrize(
    ("challenge", "words"),
    [
        (lambda: Challenge("classes", "waves", Goal("test_accuracy", 0.9)), "scored by its cost"),
        (lambda: Challenge("classes", "hexagons"), "not a Many classes dataset"),
        (lambda: Challenge("classes", "spiral", locks={"petals": 4}), "petals cannot be locked"),
        (lambda: Challenge("rose", "spiral", locks={"classes": 4}), "classes cannot be locked"),
    ],
    ids=["accuracy of a surface", "dataset", "lock", "classes in Rose"],
)
def test_a_challenge_the_lesson_cannot_score_is_refused_in_words(challenge, words: str) -> None:
    with pytest.raises(ChallengeError, match=words):
        challenge()


@pytest.mark.parametrize(
    ("locks", "words"),
    [
        ({"classes": 2}, "classes is locked to 2, but the lesson shows 3 to 5 classes"),
        ({"classes": 4.5}, "classes is locked to 4.5, but the lesson shows 3 to 5 classes"),
        ({"noise": 5.0}, "cannot be made: noise must be between"),
    ],
)
def test_a_locked_data_value_the_lesson_refuses_is_a_challenge_error(locks, words) -> None:
    with pytest.raises(ChallengeError, match=words):
        challenge_data(Challenge("classes", "spiral", locks=locks), SECRET)


def test_blobs_without_noise_hide_nothing_and_say_so() -> None:
    """Without noise every blob point is its centre: the fresh points are the lesson's."""
    with pytest.raises(ChallengeError, match="nothing would be hidden .* lock some noise"):
        challenge_data(Challenge("classes", "blobs", locks={"noise": 0.0}), SECRET)


# ---- the data and its hidden split ---------------------------------------------------------------
CHOICES = [
    *(ClassesChoice("classify", name, classes=4, noise=0.1, seed=3, test_share=0.3)
      for name in MULTICLASS_DATASETS),
    *(ClassesChoice("regress", surface=name, noise=0.1, seed=3, test_share=0.3)
      for name in SURFACES),
]  # fmt: skip


def challenge_of(choice: ClassesChoice, **locks) -> Challenge:
    """The challenge on ``choice``'s data, its data settings locked at the choice's values."""
    classify = choice.mode == "classify"
    return Challenge(
        "classes",
        choice.dataset if classify else choice.surface,
        Goal("test_accuracy" if classify else "test_cost", 0.9),
        {"noise": choice.noise, "data_seed": choice.seed, "test_share": choice.test_share}
        | ({"classes": choice.classes} if classify else {})
        | locks,
    )


@pytest.mark.parametrize("choice", CHOICES, ids=lambda choice: choice.dataset + choice.surface)
def test_training_data_is_the_lessons_own(choice: ClassesChoice) -> None:
    data = challenge_data(challenge_of(choice), SECRET)
    lesson = make_data(choice)
    np.testing.assert_array_equal(data.X_train, lesson.inputs[lesson.train])
    np.testing.assert_array_equal(data.Y_train, lesson.Y[lesson.train])
    assert data.scale == lesson.scale
    assert (data.input_dim, data.outputs) == (2, choice.outputs)
    assert data.loss == lesson.output().loss
    assert data.Y_hidden.shape[1] == choice.outputs


@pytest.mark.parametrize("name", ["spiral", "rose"])
def test_noise_free_arms_and_petals_hide_points_between_the_lessons(name: str) -> None:
    choice = ClassesChoice("classify", name, classes=5, noise=0.0)
    data = challenge_data(challenge_of(choice), SECRET)
    assert len(data.X_hidden) >= 500
    assert set(data.Y_hidden.argmax(axis=1)) == set(range(5))  # every class is tested
    for seed in (0, 1, 100):  # noise-free: the same points for every data seed
        lesson = make_data(ClassesChoice("classify", name, classes=5, noise=0.0, seed=seed))
        assert points_equal_somewhere(data.X_hidden, lesson.inputs) == 0


def test_the_hidden_split_is_fresh_points_fixed_by_the_secret() -> None:
    one, again = challenge_data(WAVES, SECRET), challenge_data(WAVES, bytes(SECRET))
    other = challenge_data(WAVES, b"another secret, also 32 bytes...")
    np.testing.assert_array_equal(one.X_hidden, again.X_hidden)
    np.testing.assert_array_equal(one.X_train, other.X_train)
    assert points_equal_somewhere(one.X_hidden, other.X_hidden) == 0
    assert points_equal_somewhere(one.X_hidden, make_data(ClassesChoice("regress")).inputs) == 0
    x, y = (one.points_hidden[:, i] for i in (0, 1))
    noise = one.Y_hidden[:, 0] - np.sin(x) * np.cos(y)  # the lesson's noise, 0.2 by default
    assert 0.15 < noise.std() < 0.25 and abs(noise.mean()) < 0.05


# ---- the server's score --------------------------------------------------------------------------
def test_a_trained_softmax_scores_high_and_an_untrained_one_low(spiral, honest) -> None:
    good = score_submission(SPIRAL, spiral, honest, KEEPS)
    untrained = spec(16, 3, "softmax", "categorical_cross_entropy", 1).network(2)
    bad = score_submission(SPIRAL, spiral, saved(untrained), KEEPS)

    assert good.meets_goal and good.metrics["test_accuracy"] >= 0.95
    assert good.metrics["test_cost"] < 0.3
    assert not bad.meets_goal and bad.metrics["test_accuracy"] < 0.6
    assert bad.metrics["test_cost"] == pytest.approx(np.log(3), abs=0.05)  # a near-uniform guess
    assert good.parameters == bad.parameters == 3 * 16 + 17 * 3
    # The server's numbers are the network's own: softmax over each point's classes.
    network = nn.Network.load(honest)
    assert good.metrics["test_accuracy"] == nn.accuracy(
        network.predict(spiral.X_hidden), spiral.Y_hidden
    )
    assert good.metrics["train_cost"] == pytest.approx(
        network.cost(spiral.X_train, spiral.Y_train), rel=1e-12
    )


def test_a_surface_is_scored_by_its_mean_squared_error() -> None:
    data = challenge_data(WAVES, SECRET)
    good = score_submission(WAVES, data, saved(trained(data.X_train, data.Y_train)), {})
    flat = nn.Network(loss="mse").add(1, "linear", input_dim=2)
    flat.layers[0].weights[:], flat.layers[0].bias[:] = 0.0, 0.0  # predicts 0 everywhere
    bad = score_submission(WAVES, data, saved(flat), {})

    assert set(good.metrics) == {"train_cost", "test_cost"}
    assert good.meets_goal and good.metrics["test_cost"] < 0.1
    assert not bad.meets_goal
    assert bad.metrics["test_cost"] == pytest.approx(float(np.mean(data.Y_hidden**2)))
    assert good.sort_key < bad.sort_key


def test_past_the_bar_fewer_parameters_rank_first(spiral, honest) -> None:
    small = saved(trained(spiral.X_train, spiral.Y_train, units=8, iterations=800))
    big, few = (score_submission(SPIRAL, spiral, w, KEEPS) for w in (honest, small))
    assert big.meets_goal and few.meets_goal
    assert few.parameters < big.parameters and few.sort_key < big.sort_key


# ---- forged submissions --------------------------------------------------------------------------
def network(inputs: int, layers: tuple[tuple[int, str], ...], loss: str) -> bytes:
    made = nn.Network(loss=loss)
    for i, (units, activation) in enumerate(layers):
        made.add(units, activation, **({"input_dim": inputs} if i == 0 else {}))
    return saved(made)


CCE = "categorical_cross_entropy"


@pytest.mark.parametrize(
    ("challenge", "weights", "settings", "words"),
    [
        (SPIRAL, lambda: network(2, ((8, "tanh"), (4, "softmax")), CCE), KEEPS,
         r"has 4 outputs, this challenge needs 3 \(one per class\)"),
        (SPIRAL, lambda: network(3, ((8, "tanh"), (3, "softmax")), CCE), KEEPS,
         "takes 3 inputs, but this challenge's data has 2"),
        (SPIRAL, lambda: network(2, ((8, "tanh"), (3, "sigmoid")), "cross_entropy"), KEEPS,
         "output layer is sigmoid, this challenge needs softmax"),
        (SPIRAL, lambda: network(2, ((8, "tanh"), (3, "linear")), "mse"), KEEPS,
         "output layer is linear, this challenge needs softmax"),
        (WAVES, lambda: network(2, ((8, "tanh"), (1, "sigmoid")), "cross_entropy"), {},
         "output layer is sigmoid, this challenge needs linear"),
        (SPIRAL, lambda: network(2, ((6, "tanh"), (1, "sigmoid")), "cross_entropy"), KEEPS,
         "has 1 outputs, this challenge needs 3"),  # a Rose network
        (SPIRAL, lambda: network(2, ((8, "tanh"), (3, "softmax")), CCE), {"classes": 4},
         "classes is locked to 3 in this challenge, but the submission used 4"),
        (SPIRAL, lambda: network(2, ((8, "tanh"), (3, "softmax")), CCE), {},
         "classes is locked to 3 .* does not say its value"),
        (SPIRAL, lambda: network(4, ((8, "tanh"), (3, "softmax")), CCE),
         KEEPS | {"features": ["x2", "y2"]}, "Many classes lesson has no extra input features"),
    ],
    ids=["outputs", "inputs", "sigmoid", "linear", "regress sigmoid", "rose network",
         "classes changed", "classes unsaid", "features"],
)  # fmt: skip
def test_a_forged_submission_is_refused_in_words(challenge, weights, settings, words) -> None:
    data = challenge_data(challenge, SECRET)
    with pytest.raises(SubmissionError, match=words):
        score_submission(challenge, data, weights(), settings)


# ---- the board, on both databases ----------------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ClassStore:
    if request.param == "sqlite":
        return ClassStore(tmp_path / "data" / "classroom.sqlite3")
    server: PostgreSQL = request.getfixturevalue("postgresql")
    return ClassStore(server.empty())


def entry(who: str, weights: bytes, lesson: str = "classes", **values) -> Submission:
    values = {"mode": "classify", "data": "spiral", "classes": 3, "noise": 0.2} | values
    return Submission(
        nickname=who,
        lesson=lesson,
        settings={"values": values, "query": {name: str(v) for name, v in values.items()}},
        weights=weights,
        thumbnail=None,
        reported={"test accuracy": 1.0},
    )


def test_the_board_ranks_lesson_6_entries_by_the_servers_score(
    store: ClassStore, spiral, honest
) -> None:
    class_id = store.create_class("Year 10 B").id
    number = store.set_challenge(class_id, json.loads(SPIRAL.to_json()))
    untrained = saved(spec(4, 3, "softmax", CCE, 1).network(2))

    forged = submit(store, SECRET, class_id, number, entry("Mallory", untrained))
    good = submit(store, SECRET, class_id, number, entry("Ada", honest))

    assert good.score.meets_goal and not forged.score.meets_goal
    rows = board(store, class_id)
    assert [(row.rank, row.entry.nickname) for row in rows] == [(1, "Ada"), (2, "Mallory")]
    assert rows[0].metric == good.score.metrics["test_accuracy"] >= 0.95
    assert rows[0].entry.lesson == "classes" and rows[0].parameters == 3 * 16 + 17 * 3
    assert rows[1].entry.reported == {"test accuracy": 1.0}  # kept, never ranked


def test_the_board_refuses_another_lessons_run_and_challenge(store: ClassStore, honest) -> None:
    class_id = store.create_class("Year 10 B").id
    spiral = store.set_challenge(class_id, json.loads(SPIRAL.to_json()))
    rose = saved(nn.RunSpec(hidden=((6, "tanh"),)).network(2))
    with pytest.raises(BoardError, match="for the Many classes lesson .* from the Rose lesson"):
        submit(store, SECRET, class_id, spiral, entry("Ada", rose, lesson="rose"))
    rose_challenge = {
        "lesson": "rose",
        "dataset": "circle",
        "goal": {"metric": "test_cost", "threshold": 1},
    }
    circle = store.set_challenge(class_id, rose_challenge)
    with pytest.raises(BoardError, match="for the Rose lesson .* from the Many classes lesson"):
        submit(store, SECRET, class_id, circle, entry("Ada", honest))
    assert board(store, class_id) == []
