"""classroom.scoring: challenges, their hidden split, and the server's own score of a submission."""

import io
import json
import zipfile

import numpy as np
import pytest

import nn
from classroom.scoring import (
    MAX_PARAMETERS,
    NETWORK_LOCKS,
    Challenge,
    ChallengeError,
    Goal,
    Score,
    SubmissionError,
    challenge_data,
    hidden_seed,
    rank,
    score_submission,
    sort_key,
)
from datasets import TOY_DATASETS, make_linear, make_rose, titanic
from lessons.rose.logic import PlaneChoice, make_plane_data

SECRET = b"a server secret of 32 bytes!!!!!"
OTHER_SECRET = b"another secret, also 32 bytes..."
CIRCLE = Challenge("rose", "circle", Goal("test_accuracy", 0.95))


def saved(network: nn.Network) -> bytes:
    buffer = io.BytesIO()
    network.save(buffer)
    return buffer.getvalue()


def trained(X: np.ndarray, Y: np.ndarray, units: int, iterations: int = 300) -> nn.Network:
    spec = nn.RunSpec(
        hidden=((units, "tanh"),), learning_rate=0.05, optimizer="adam", iterations=iterations
    )
    trainer = spec.trainer(X, Y)
    for _ in spec.run(trainer, every=iterations):
        pass
    return trainer.network


def untrained(input_dim: int = 2, hidden: tuple = ((6, "tanh"),)) -> nn.Network:
    return nn.RunSpec(hidden=hidden).network(input_dim)


@pytest.fixture(scope="module")
def circle():
    return challenge_data(CIRCLE, SECRET)


@pytest.fixture(scope="module")
def honest(circle) -> bytes:
    return saved(trained(circle.X_train, circle.Y_train, units=6))


def points_equal_somewhere(a: np.ndarray, b: np.ndarray) -> int:
    """How many rows of a coincide with some row of b."""
    distance = np.abs(a[:, None, :] - b[None, :, :]).max(axis=2)
    return int((distance.min(axis=1) < 1e-9).sum())


# ---- challenges ----------------------------------------------------------------------------------
def test_describe_says_the_teachers_sentence() -> None:
    spiral = Challenge("rose", "spiral", Goal("test_accuracy", 0.95, tie_break="fewest_parameters"))
    assert spiral.describe() == "Rose spiral: ≥ 95 % test accuracy with the fewest parameters"
    line = Challenge("linear", "y=2x+1", Goal("test_cost", 0.01, "at_most", "none"), {}, 600)
    assert line.describe() == "Linear y=2x+1: ≤ 0.01 test cost, within 10 min"


def test_json_round_trip_keeps_every_field() -> None:
    challenge = Challenge(
        "rose",
        "spiral",
        Goal("test_cost", 0.2, "at_most", "none"),
        {"depth": 2, "units": (8, 8), "features": ["x2", "y2"], "noise": 0.1},
        900,
    )
    text = challenge.to_json()
    assert json.loads(text)["locks"]["units"] == [8, 8]
    again = Challenge.from_json(text)
    assert again == challenge
    assert again.to_json() == text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object with lesson, dataset and goal"),
        ('{"lesson": "rose", "dataset": "spiral"}', "JSON object with lesson, dataset and goal"),
        ('{"lesson": "rose", "dataset": "spiral", "goal": 3}', "metric and threshold"),
        ('{"lesson": "chess", "dataset": "x", "goal": {"metric": "test_cost", "threshold": 1}}',
         "choose one of rose, titanic, linear"),
        ('{"lesson": "mustafar", "dataset": "helmet", "goal": {"metric": "test_cost", '
         '"threshold": 1}}', "no hidden test split"),
        ('{"lesson": "rose", "dataset": "sprial", "goal": {"metric": "test_cost", '
         '"threshold": 1, "direction": "at_most"}}', "not a Rose dataset"),
        ('{"lesson": "rose", "dataset": "spiral", "goal": {"metric": "speed", "threshold": 1}}',
         "choose one of test_accuracy"),
        ('{"lesson": "rose", "dataset": "spiral", "goal": {"metric": "test_accuracy", '
         '"threshold": 95}}', "0 to 1 (0.95 is 95 %)"),
        ('{"lesson": "rose", "dataset": "spiral", "goal": {"metric": "test_cost", '
         '"threshold": 0.1, "direction": "at_least"}}', "must be 'at_most'"),
        ('{"lesson": "rose", "dataset": "spiral", "goal": {"metric": "test_accuracy", '
         '"threshold": 0.9}, "locks": {"colour": "red"}}', "colour cannot be locked"),
        ('{"lesson": "rose", "dataset": "spiral", "goal": {"metric": "test_accuracy", '
         '"threshold": 0.9}, "locks": {"depth": {"a": 1}}}', "is not a number, text"),
        ('{"lesson": "rose", "dataset": "spiral", "goal": {"metric": "test_accuracy", '
         '"threshold": 0.9}, "time_limit_s": true}', "whole seconds"),
        ('"' + "x" * 30_000 + '"', "a challenge takes a few hundred"),
    ],
)  # fmt: skip
def test_bad_challenge_json_is_refused_in_words(text: str, words: str) -> None:
    with pytest.raises(ChallengeError, match=words.replace("(", r"\(").replace(")", r"\)")):
        Challenge.from_json(text)
    assert issubclass(ChallengeError, ValueError)


def test_a_locked_data_value_the_dataset_refuses_is_a_challenge_error() -> None:
    with pytest.raises(ChallengeError, match="cannot be made"):
        challenge_data(Challenge("rose", "spiral", locks={"noise": 5.0}), SECRET)
    with pytest.raises(ChallengeError, match="unknown input feature"):
        challenge_data(Challenge("rose", "spiral", locks={"features": ["z3"]}), SECRET)


# ---- the data and its hidden split ---------------------------------------------------------------
@pytest.mark.parametrize("name", list(TOY_DATASETS))
def test_training_data_is_the_lessons_own(name: str) -> None:
    challenge = Challenge("rose", name, locks={"features": ["x2", "xy"], "data_seed": 3})
    data = challenge_data(challenge, SECRET)
    lesson = make_plane_data(PlaneChoice(name=name, seed=3, features=("x2", "xy")))
    np.testing.assert_array_equal(data.X_train, lesson.inputs[lesson.train])
    np.testing.assert_array_equal(data.Y_train, lesson.Y[lesson.train])
    assert data.input_dim == 4
    assert data.scale == lesson.scale


@pytest.mark.parametrize("name", list(TOY_DATASETS))
def test_the_hidden_split_shares_no_point_with_the_lessons_data(name: str) -> None:
    data = challenge_data(Challenge("rose", name), SECRET)
    assert len(data.X_hidden) >= 500
    assert 0.3 < data.Y_hidden.mean() < 0.7  # both classes, as the lesson's data has them
    for seed in (0, 1, 100):  # noise-free curves give the same points for every seed
        points, _ = (make_rose if name == "rose" else TOY_DATASETS[name])(seed=seed)
        assert points_equal_somewhere(data.points_hidden, points) == 0
        lesson = make_plane_data(PlaneChoice(name=name, seed=seed))
        assert points_equal_somewhere(data.X_hidden, lesson.inputs) == 0


def test_the_hidden_split_is_fixed_by_the_secret() -> None:
    challenge = Challenge("rose", "moons")
    same = challenge_data(challenge, SECRET), challenge_data(challenge, bytes(SECRET))
    np.testing.assert_array_equal(same[0].X_hidden, same[1].X_hidden)
    other = challenge_data(challenge, OTHER_SECRET)
    np.testing.assert_array_equal(same[0].X_train, other.X_train)
    assert points_equal_somewhere(same[0].X_hidden, other.X_hidden) == 0
    assert hidden_seed(challenge, SECRET) != hidden_seed(Challenge("rose", "xor"), SECRET)
    with pytest.raises(ChallengeError, match="at least 16 random bytes"):
        challenge_data(challenge, b"short")


def test_titanic_scores_on_the_tutorials_test_split() -> None:
    data = challenge_data(Challenge("titanic", "tutorial"), SECRET)
    X_train, Y_train, X_test, Y_test = titanic.tutorial_split()
    np.testing.assert_array_equal(data.X_train, X_train)
    np.testing.assert_array_equal(data.X_hidden, X_test)
    np.testing.assert_array_equal(data.Y_hidden, Y_test)
    assert (data.input_dim, data.outputs, data.loss) == (14, 1, "cross_entropy")


def test_linear_hidden_points_are_fresh_x_on_the_line() -> None:
    data = challenge_data(Challenge("linear", "y=2x+1", Goal("test_cost", 0.01, "at_most")), SECRET)
    X, Y = make_linear()
    np.testing.assert_array_equal(data.X_train, X)
    assert len(data.X_hidden) >= 45
    assert data.X_hidden.min() >= -2.0 and data.X_hidden.max() <= 4.0
    np.testing.assert_allclose(data.Y_hidden, 2 * data.X_hidden + 1)
    assert points_equal_somewhere(data.X_hidden, np.linspace(-2, 4, 7).reshape(-1, 1)) == 0


# ---- re-scoring ----------------------------------------------------------------------------------
def test_a_trained_network_scores_high_and_an_untrained_one_low(circle, honest) -> None:
    good = score_submission(CIRCLE, circle, honest, {})
    bad = score_submission(CIRCLE, circle, saved(untrained()), {})
    assert good.metrics["test_accuracy"] >= 0.95 and good.meets_goal
    assert good.metrics["test_cost"] < 0.2
    assert bad.metrics["test_accuracy"] < 0.8 and not bad.meets_goal
    assert bad.metrics["test_cost"] > 0.6  # about log 2: the untrained output is near 0.5
    assert good.parameters == bad.parameters == 3 * 6 + 7
    assert set(good.metrics) == {"train_cost", "train_accuracy", "test_cost", "test_accuracy"}


def test_the_score_is_computed_on_the_hidden_split(circle, honest) -> None:
    network = nn.Network.load(honest)
    score = score_submission(CIRCLE, circle, honest, {})
    expected = nn.accuracy(network.predict(circle.X_hidden), circle.Y_hidden)
    assert score.metrics["test_accuracy"] == pytest.approx(expected)
    assert score.metrics["test_cost"] == pytest.approx(
        network.cost(circle.X_hidden, circle.Y_hidden)
    )


def test_a_forged_submission_gets_the_servers_own_low_score(circle, honest) -> None:
    claims = {"test_accuracy": 1.0, "train_accuracy": 1.0, "test_cost": 0.0, "metrics": [1.0]}
    forged = score_submission(CIRCLE, circle, saved(untrained()), claims)
    assert forged.metrics["test_accuracy"] < 0.8
    assert not forged.meets_goal
    real = score_submission(CIRCLE, circle, honest, {})
    board = rank([(forged, "2024-01-01T10:00"), (real, "2024-01-01T10:05")])
    assert [score for score, _ in board] == [real, forged]


def test_submissions_are_ranked_goal_first_then_parameters_then_time(circle, honest) -> None:
    small = saved(trained(circle.X_train, circle.Y_train, units=3, iterations=400))
    big, little = (score_submission(CIRCLE, circle, w, {}) for w in (honest, small))
    assert big.meets_goal and little.meets_goal, (big.metrics, little.metrics)
    missed = score_submission(CIRCLE, circle, saved(untrained()), {})
    board = rank([(missed, 1.0), (big, 2.0), (little, 5.0), (big, 1.5)])
    assert [(score.parameters, created) for score, created in board] == [
        (little.parameters, 5.0),  # fewest parameters wins once the bar is passed
        (big.parameters, 1.5),  # the same score: the earlier entry first
        (big.parameters, 2.0),
        (missed.parameters, 1.0),
    ]


def test_below_the_bar_and_without_a_tie_break_the_metric_decides() -> None:
    goal = Goal("test_accuracy", 0.95, tie_break="none")
    entries = [("close", 0.9, 500), ("far", 0.6, 10), ("best", 0.99, 900), ("passed", 0.96, 20)]
    scores = {
        name: Score({}, parameters, goal.met_by(value), sort_key(goal, value, parameters))
        for name, value, parameters in entries
    }
    board = rank((score, 0) for score in scores.values())
    order = [next(n for n, s in scores.items() if s is score) for score, _ in board]
    assert order == ["best", "passed", "close", "far"]
    fewest = Goal("test_accuracy", 0.95)  # the same entries, fewest parameters past the bar
    keys = {name: sort_key(fewest, value, parameters) for name, value, parameters in entries}
    assert sorted(keys, key=keys.get) == ["passed", "best", "close", "far"]
    assert sort_key(fewest, 0.9, 500) < sort_key(fewest, 0.9, 501)  # below the bar, a tie
    cost = Goal("test_cost", 0.1, "at_most")
    assert cost.better(0.05) < cost.better(0.2) and cost.met_by(0.1) and not cost.met_by(0.11)
    assert not cost.met_by(float("nan")) and cost.better(float("nan")) == float("inf")


def test_a_linear_submission_is_scored_by_its_cost() -> None:
    challenge = Challenge("linear", "y=2x+1", Goal("test_cost", 0.01, "at_most"))
    data = challenge_data(challenge, SECRET)
    line = nn.Network(loss="mse").add(1, "linear", input_dim=1)
    line.layers[0].weights[:] = 2.0
    line.layers[0].bias[:] = 1.0
    exact = score_submission(challenge, data, saved(line), {})
    assert exact.metrics == {"train_cost": 0.0, "test_cost": 0.0} and exact.meets_goal
    line.layers[0].bias[:] = 2.0
    off = score_submission(challenge, data, saved(line), {})
    assert off.metrics["test_cost"] == pytest.approx(1.0) and not off.meets_goal


def test_features_the_student_chose_are_used_when_not_locked(circle) -> None:
    with_xy = circle.with_features(("x2", "y2"))
    network = trained(with_xy.X_train, with_xy.Y_train, units=2)
    score = score_submission(CIRCLE, circle, saved(network), {"features": ["x2", "y2"]})
    assert score.metrics["test_accuracy"] >= 0.9
    with pytest.raises(SubmissionError, match="takes 4 inputs, but this challenge's data has 2"):
        score_submission(CIRCLE, circle, saved(network), {})


# ---- refused submissions -------------------------------------------------------------------------
def pickle_bearing_npz() -> bytes:
    architecture = {
        "loss": "cross_entropy", "init": "tutorial", "init_scale": 0.01, "seed": 1,
        "dtype": "float64", "layers": [{"units": 1, "inputs": 2, "activation": "sigmoid"}],
    }  # fmt: skip
    buffer = io.BytesIO()
    np.savez(
        buffer,
        format=np.array("nn-from-scratch-model/1"),
        architecture=np.array(json.dumps(architecture)),
        settings=np.array("{}"),
        W0=np.array([[1.0, {"a pickled": "object"}]], dtype=object),
        b0=np.zeros((1, 1)),
    )
    return buffer.getvalue()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, W0=np.zeros((4096, 400)))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make_weights", "words"),
    [
        (lambda: b"not a zip at all", "not a network saved by this dashboard"),
        (lambda: saved(untrained())[:300], "not a network saved by this dashboard"),
        (pickle_bearing_npz, "cannot be read"),
        (zip_bomb, "unpacks to 13.1 MB"),
        (lambda: saved(untrained(3)), "takes 3 inputs, but this challenge's data has 2"),
        (lambda: saved(untrained(hidden=((400, "tanh"), (250, "tanh")))), "at most 100,000"),
        (lambda: saved(nn.Network(loss="mse").add(1, "linear", input_dim=2)), "needs sigmoid"),
    ],
    ids=["bytes", "truncated", "pickle", "zip bomb", "inputs", "too big", "output layer"],
)
def test_bad_weights_are_refused_in_words(circle, make_weights, words: str) -> None:
    weights = make_weights()
    with pytest.raises(SubmissionError, match=words):
        score_submission(CIRCLE, circle, weights, {})
    assert MAX_PARAMETERS == 100_000


def test_the_pickle_bearing_file_is_a_real_npz() -> None:
    with zipfile.ZipFile(io.BytesIO(pickle_bearing_npz())) as archive:
        assert "W0.npy" in archive.namelist()
    with pytest.raises(ValueError, match="allow_pickle"):
        np.load(io.BytesIO(pickle_bearing_npz()), allow_pickle=False)["W0"]


LOCKED = Challenge(
    "rose",
    "circle",
    Goal("test_accuracy", 0.9),
    locks={"depth": 1, "units": [6], "activations": ["tanh"], "learning_rate": 0.05},
)
FOLLOWS = {"depth": 1, "units": (6,), "activations": ("tanh",), "learning_rate": 0.05}


def test_a_submission_that_keeps_the_locks_is_scored(circle, honest) -> None:
    assert score_submission(LOCKED, circle, honest, FOLLOWS | {"seed": 4}).meets_goal


@pytest.mark.parametrize(
    ("settings", "weights", "words"),
    [
        (FOLLOWS | {"learning_rate": 1.2}, None, "learning_rate is locked to 0.05 .* used 1.2"),
        ({k: v for k, v in FOLLOWS.items() if k != "depth"}, None, "does not say its value"),
        (FOLLOWS | {"activations": ["relu"]}, None, r"locked to \[tanh\] .* used \[relu\]"),
        (FOLLOWS, ((4, "tanh"), (6, "tanh")), "depth is locked to 1, but the submitted weights"),
        (FOLLOWS, ((6, "relu"),), r"activations is locked to \[tanh\], but the submitted"),
        (FOLLOWS, ((7, "tanh"),), r"units is locked to \[6\], but the submitted weights have"),
    ],
    ids=["setting", "missing", "settings' activation", "depth", "activation", "units"],
)
def test_a_broken_lock_is_refused_in_words(circle, honest, settings, weights, words) -> None:
    submitted = honest if weights is None else saved(untrained(hidden=weights))
    with pytest.raises(SubmissionError, match=words):
        score_submission(LOCKED, circle, submitted, settings)


def test_the_network_locks_are_the_builders_lockable_settings() -> None:
    """classroom sits below kit, so it names the settings a class link can lock itself; they must
    stay the network builder's (kit.settings.LOCKABLE)."""
    from kit.settings import LOCKABLE

    assert NETWORK_LOCKS == LOCKABLE
