"""Challenges and the server's own score of a submission (NumPy, ``nn`` and ``datasets`` only).

A ``Challenge`` names a lesson, a dataset, locked settings, a goal and an optional time limit, and
round-trips through plain JSON. ``challenge_data`` builds what the server scores on: the lesson's
own training data, made exactly as the lesson makes it, and a hidden split the student never
sees. ``score_submission`` loads the submitted weights (a network saved by the engine, never a
pickle), checks them against the challenge and computes every metric itself: a number the page
reports is never read. ``rank`` orders a board.

Lessons:

- ``rose``: a dataset of ``datasets.TOY_DATASETS``, scaled with ``datasets.toy.input_scale``,
  with ``with_features`` and ``split_indices`` as the Rose lesson makes them. The hidden split
  is fresh points from the same generator, drawn with a seed derived by HMAC-SHA256 from the
  server's secret and the challenge's data, and a point count the lesson never uses, so
  noise-free curves (the rose, the spiral) give points between the lesson's; any point that
  coincides with one of the lesson's is dropped.
- ``titanic`` ("tutorial"): the tutorial's split. Its test part is the lesson's own, so students
  can see it: the hidden split is that test part (the dataset has no more passengers; passenger
  792 is in both parts, as in the tutorial).
- ``linear`` ("y=2x+1"): the lesson's evenly spread points; hidden, fresh x in [-2, 4] drawn
  with the derived seed, y = 2x + 1 without noise (the line the student should find).
- ``classes`` (Many classes): a dataset of ``datasets.multiclass.MULTICLASS_DATASETS`` to
  classify (softmax output, categorical cross-entropy; the number of classes a data lock, 3 by
  default) or a surface of ``SURFACES`` to regress (linear output, MSE), made, scaled and split
  as the lesson makes them. The hidden split is fresh points from the same generator with the
  derived seed, as for Rose, in counts the lesson never uses (``HIDDEN_SIZES``).
- ``mustafar`` is not offered: a picture has no hidden split (every pixel is the training
  data), and its data depends on the picture's mode, resolution and upload, which a challenge
  would have to pin first.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import math
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import numpy as np

import nn
from datasets import TOY_DATASETS, DatasetError, make_linear, make_rose, titanic
from datasets.multiclass import MAX_CLASSES, MULTICLASS_DATASETS, SURFACES, make_surface_samples
from datasets.toy import input_scale, split_indices, with_features

LESSONS = {"rose": "Rose", "titanic": "Titanic", "linear": "Linear", "classes": "Many classes"}
DATASETS = {
    "rose": tuple(TOY_DATASETS),
    "titanic": ("tutorial",),
    "linear": ("y=2x+1",),
    "classes": (*MULTICLASS_DATASETS, *SURFACES),
}
# The URL parameter a lesson reads its dataset from (locked in a challenge's link); Linear has
# none, and Many classes' depends on the dataset (``dataset_query``).
DATASET_PARAMS = {"rose": "data", "titanic": "split", "linear": None}
METRICS = {
    "test_accuracy": "test accuracy",
    "train_accuracy": "training accuracy",
    "test_cost": "test cost",
    "train_cost": "training cost",
}
"""Goal metrics; "test" is the hidden split. Accuracies are shares in [0, 1]."""
TIE_BREAKS = {"fewest_parameters": "with the fewest parameters", "none": ""}
# The names kit.settings.LOCKABLE gives the network's settings, and each lesson's data controls.
NETWORK_LOCKS = (
    "depth", "units", "activations", "learning_rate", "optimizer", "batch_size", "l2", "l1", "init",
    "init_scale", "seed", "speed", "max_iterations", "target_cost",
)  # fmt: skip
DATA_LOCKS = {
    "rose": ("noise", "data_seed", "test_share", "features"),
    "titanic": (),
    "linear": ("n_points", "noise"),
    "classes": ("classes", "noise", "data_seed", "test_share"),
}
ARCHITECTURE_LOCKS = ("depth", "units", "activations")
MAX_PARAMETERS = 100_000
# A saved network of MAX_PARAMETERS float64 numbers, plus its small texts and the zip's headers.
MAX_UNPACKED_BYTES = 8 * MAX_PARAMETERS + 200_000
MAX_JSON_CHARS = 20_000
HIDDEN_POINTS = 526  # 2 × 263 (a prime): no toy set's lesson count, so curves interleave
LINEAR_HIDDEN_POINTS = 50
# Many classes' hidden sizes: a prime count per arm, blob or petal, none the lesson's (100 each),
# so noise-free arms and petals give points between the lesson's.
HIDDEN_SIZES = {
    "spiral": {"points_per_class": 263},
    "blobs": {"points_per_class": 263},
    "rose": {"points_per_petal": 101},
}
CLASSES_RANGE = (3, MAX_CLASSES)  # the lesson's Classes slider
MIN_HIDDEN_SEED = 1_000_000  # above every data seed a lesson offers (Rose's goes to 100)
# The loss -> the output it needs.
_OUTPUT_FOR_LOSS = {
    "cross_entropy": "sigmoid",
    "categorical_cross_entropy": "softmax",
    "mse": "linear",
}


class ChallengeError(ValueError):
    """A challenge that cannot be read or built; the message says what to change."""


class SubmissionError(ValueError):
    """A submission the server refuses; the message says why, in a student's words."""


# ---- challenges ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Goal:
    """What counts as solving a challenge: ``metric`` (a name in ``METRICS``) ``direction``
    ("at_least" for accuracies, "at_most" for costs; left empty, the one the metric needs)
    ``threshold``; entries that meet it are then ordered by ``tie_break`` ("fewest_parameters"
    or "none")."""

    metric: str = "test_accuracy"
    threshold: float = 0.95
    direction: str = ""
    tie_break: str = "fewest_parameters"

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ChallengeError(
                f"the goal's metric {self.metric!r} is unknown; choose one of {', '.join(METRICS)}"
            )
        wanted = "at_least" if self.metric.endswith("accuracy") else "at_most"
        object.__setattr__(self, "direction", self.direction or wanted)
        if self.direction != wanted:
            raise ChallengeError(
                f"a goal on {METRICS[self.metric]} must be {wanted!r} (got {self.direction!r}): "
                "higher accuracy and lower cost are better"
            )
        if self.tie_break not in TIE_BREAKS:
            raise ChallengeError(
                f"the tie-break {self.tie_break!r} is unknown; choose one of "
                f"{', '.join(TIE_BREAKS)}"
            )
        threshold = _number("the goal's threshold", self.threshold, ChallengeError)
        top = 1.0 if wanted == "at_least" else math.inf
        if not 0.0 <= threshold <= top:
            allowed = "0 to 1 (0.95 is 95 %)" if top == 1.0 else "0 or more"
            raise ChallengeError(f"the goal's threshold {threshold!r} must be {allowed}")
        object.__setattr__(self, "threshold", threshold)

    def better(self, value: float) -> float:
        """The metric as a number where smaller is better (for sorting); NaN sorts last."""
        if math.isnan(value):
            return math.inf
        return -value if self.direction == "at_least" else value

    def met_by(self, value: float) -> bool:
        if math.isnan(value):
            return False
        return value >= self.threshold if self.direction == "at_least" else value <= self.threshold

    def describe(self) -> str:
        """E.g. "≥ 95 % test accuracy with the fewest parameters"."""
        if self.direction == "at_least":
            bar = f"≥ {self.threshold * 100:g} % {METRICS[self.metric]}"
        else:
            bar = f"≤ {self.threshold:g} {METRICS[self.metric]}"
        return f"{bar} {TIE_BREAKS[self.tie_break]}".rstrip()


@dataclass(frozen=True)
class Challenge:
    """A lesson (a key of ``LESSONS``), its ``dataset`` (one of ``DATASETS[lesson]``), a
    ``goal``, ``locks`` (setting name -> the value every entry must use; names from
    ``NETWORK_LOCKS`` and the lesson's ``DATA_LOCKS``) and an optional ``time_limit_s``."""

    lesson: str
    dataset: str
    goal: Goal = field(default_factory=Goal)
    locks: Mapping[str, Any] = field(default_factory=dict)
    time_limit_s: int | None = None

    def __post_init__(self) -> None:
        if self.lesson not in LESSONS:
            hint = " (a picture has no hidden test split)" if self.lesson == "mustafar" else ""
            raise ChallengeError(
                f"there are no challenges for the lesson {self.lesson!r}{hint}; choose one of "
                f"{', '.join(LESSONS)}"
            )
        if self.dataset not in DATASETS[self.lesson]:
            raise ChallengeError(
                f"{self.dataset!r} is not a {LESSONS[self.lesson]} dataset; choose one of "
                f"{', '.join(DATASETS[self.lesson])}"
            )
        if not isinstance(self.goal, Goal):
            raise ChallengeError(f"the goal must be a Goal, got {type(self.goal).__name__}")
        measured = goal_metrics(self.lesson, self.dataset)
        if self.goal.metric not in measured:
            raise ChallengeError(
                f"{LESSONS[self.lesson]} {self.dataset} is scored by its cost, not accuracy: "
                f"choose a goal on {' or '.join(METRICS[name] for name in measured)}"
            )
        if not isinstance(self.locks, Mapping):
            raise ChallengeError(f"locks must be names and values, got {self.locks!r}")
        allowed = NETWORK_LOCKS + DATA_LOCKS[self.lesson]
        unknown = sorted(set(self.locks) - set(allowed))
        if unknown:
            raise ChallengeError(
                f"{', '.join(map(str, unknown))} cannot be locked in {LESSONS[self.lesson]}; "
                f"lockable settings are {', '.join(allowed)}"
            )
        locks = {name: _plain(name, value) for name, value in sorted(self.locks.items())}
        object.__setattr__(self, "locks", MappingProxyType(locks))  # read-only, as the class is
        limit = self.time_limit_s
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise ChallengeError(f"the time limit must be whole seconds or none, got {limit!r}")
        if limit is not None and not 1 <= limit <= 7 * 24 * 3600:
            raise ChallengeError(f"the time limit {limit} s must be 1 s to a week, or none")

    def describe(self) -> str:
        """The teacher's sentence, e.g. "Rose spiral: ≥ 95 % test accuracy with the fewest
        parameters"."""
        name = LESSONS[self.lesson]
        if self.lesson != "titanic":
            name = f"{name} {self.dataset}"
        text = f"{name}: {self.goal.describe()}"
        if self.time_limit_s:
            minutes, seconds = divmod(self.time_limit_s, 60)
            text += f", within {minutes} min" if not seconds else f", within {self.time_limit_s} s"
        return text

    def to_json(self) -> str:
        """Plain JSON, keys sorted: ``from_json`` reads it back to an equal challenge."""
        return json.dumps(
            {
                "lesson": self.lesson,
                "dataset": self.dataset,
                "goal": {
                    "metric": self.goal.metric,
                    "threshold": self.goal.threshold,
                    "direction": self.goal.direction,
                    "tie_break": self.goal.tie_break,
                },
                "locks": dict(self.locks),
                "time_limit_s": self.time_limit_s,
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Challenge:
        """The challenge ``to_json`` wrote; anything else raises ChallengeError."""
        if len(text) > MAX_JSON_CHARS:
            raise ChallengeError(
                f"the challenge text has {len(text):,} characters; a challenge takes a few "
                f"hundred (at most {MAX_JSON_CHARS:,})"
            )
        try:
            raw = json.loads(text)
        except (ValueError, UnicodeDecodeError) as error:
            raise ChallengeError(f"the challenge is not valid JSON ({error})") from None
        fields = {"lesson", "dataset", "goal", "locks", "time_limit_s"}
        if not isinstance(raw, dict) or not {"lesson", "dataset", "goal"} <= raw.keys() <= fields:
            raise ChallengeError(
                "a challenge is a JSON object with lesson, dataset and goal, and optionally "
                f"locks and time_limit_s; got {str(raw)[:200]}"
            )
        goal = raw["goal"]
        if not isinstance(goal, dict) or not {"metric", "threshold"} <= goal.keys() <= {
            "metric",
            "threshold",
            "direction",
            "tie_break",
        }:
            raise ChallengeError(
                "the goal is a JSON object with metric and threshold, and optionally direction "
                f"and tie_break; got {str(goal)[:200]}"
            )
        try:
            return cls(
                lesson=raw["lesson"],
                dataset=raw["dataset"],
                goal=Goal(**goal),
                locks=raw.get("locks") or {},
                time_limit_s=raw.get("time_limit_s"),
            )
        except TypeError as error:  # e.g. an unhashable lesson name
            raise ChallengeError(f"the challenge has a value of the wrong kind: {error}") from None


def goal_metrics(lesson: str, dataset: str) -> tuple[str, ...]:
    """The goal metrics (names in ``METRICS``, in its order) ``score_submission`` measures on
    ``dataset`` of ``lesson``: all of them when it classifies, the costs when it regresses
    (Linear, and Many classes' surfaces)."""
    regress = lesson == "linear" or (lesson == "classes" and dataset in SURFACES)
    return tuple(name for name in METRICS if not (regress and name.endswith("accuracy")))


def dataset_query(lesson: str, dataset: str) -> dict[str, str]:
    """The URL parameters that open ``lesson`` on ``dataset``, as a challenge's link locks them:
    Rose's ``data``, Titanic's ``split``, none for Linear; for Many classes the ``mode`` and
    its ``data`` (classify) or ``surface`` (regress)."""
    if lesson == "classes":
        if dataset in SURFACES:
            return {"mode": "regress", "surface": dataset}
        return {"mode": "classify", "data": dataset}
    name = DATASET_PARAMS.get(lesson)
    return {name: dataset} if name else {}


def pinned_locks(lesson: str, dataset: str) -> tuple[str, ...]:
    """What a challenge on ``dataset`` locks at the teacher's values even when the teacher did
    not pick it: the number of classes to tell apart (it sizes the output layer)."""
    return ("classes",) if lesson == "classes" and dataset not in SURFACES else ()


def _number(what: str, value: object, error: type[ValueError]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise error(f"{what} must be a number, got {value!r}")
    return float(value)


def _plain(name: object, value: object) -> object:
    """A lock's value as JSON keeps it: a number, text, true/false, or a list of those."""
    if not isinstance(name, str):
        raise ChallengeError(f"a lock's name must be text, got {name!r}")
    scalar = (str, int, float, bool)
    if isinstance(value, list | tuple) and all(isinstance(v, scalar) for v in value):
        return list(value)
    if isinstance(value, scalar):
        return value
    raise ChallengeError(
        f"the lock {name} = {value!r} is not a number, text, true/false or a list of those"
    )


# ---- the data the server scores on ---------------------------------------------------------------
@dataclass(frozen=True)
class ChallengeData:
    """What the server scores on, samples in rows: the lesson's training data (X_train, Y_train)
    and the hidden split (X_hidden, Y_hidden), ``outputs`` columns of Y and the ``loss``.
    ``points_*`` and ``scale`` are the raw plane points of Rose and Many classes, kept so that
    ``with_features`` can rebuild Rose's inputs with a submission's features (None for the
    other lessons)."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_hidden: np.ndarray
    Y_hidden: np.ndarray
    input_dim: int
    outputs: int
    loss: str
    points_train: np.ndarray | None = None
    points_hidden: np.ndarray | None = None
    scale: float = 1.0
    features: tuple[str, ...] = ()

    def with_features(self, features: Iterable[str]) -> ChallengeData:
        """The same data with the inputs ``datasets.toy.with_features`` makes for ``features``."""
        features = tuple(features)
        if features == self.features:
            return self
        if self.points_train is None or self.points_hidden is None:
            raise SubmissionError(f"this lesson has no extra input features; got {features}")
        try:
            X_train = with_features(self.points_train * self.scale, features)
            X_hidden = with_features(self.points_hidden * self.scale, features)
        except KeyError as error:
            raise SubmissionError(
                f"unknown input feature {error}; choose from x2, y2, xy, sinx, siny"
            ) from None
        return replace(
            self, X_train=X_train, X_hidden=X_hidden, input_dim=X_train.shape[1], features=features
        )


def hidden_seed(challenge: Challenge, secret: bytes) -> int:
    """The hidden split's seed: HMAC-SHA256 of the challenge's lesson, dataset and data locks
    under the server's ``secret``, in [MIN_HIDDEN_SEED, 2³²) (the planar flower's legacy
    generator takes 32 bits). Without the secret nobody can compute it."""
    if not isinstance(secret, bytes | bytearray) or len(secret) < 16:
        raise ChallengeError("the server secret must be at least 16 random bytes")
    data_locks = {k: v for k, v in challenge.locks.items() if k in DATA_LOCKS[challenge.lesson]}
    message = json.dumps(["hidden split", challenge.lesson, challenge.dataset, data_locks])
    digest = hmac.new(bytes(secret), message.encode(), hashlib.sha256).digest()
    return MIN_HIDDEN_SEED + int.from_bytes(digest[:8], "big") % (2**32 - MIN_HIDDEN_SEED)


def challenge_data(challenge: Challenge, secret: bytes) -> ChallengeData:
    """The challenge's training data, made as its lesson makes it, and its hidden split; the
    lesson's data controls take their locked values, else the lesson's defaults. A locked value
    the dataset refuses raises ChallengeError."""
    seed = hidden_seed(challenge, secret)
    try:
        if challenge.lesson == "rose":
            return _rose_data(challenge, seed)
        if challenge.lesson == "classes":
            return _classes_data(challenge, seed)
        if challenge.lesson == "titanic":
            X_train, Y_train, X_test, Y_test = titanic.tutorial_split()
            return ChallengeData(X_train, Y_train, X_test, Y_test, 14, 1, "cross_entropy")
        return _linear_data(challenge, seed)
    except ChallengeError:
        raise
    except (DatasetError, TypeError, ValueError) as error:  # a locked value of the wrong kind
        raise ChallengeError(f"the challenge's data cannot be made: {error}") from None


def _rose_data(challenge: Challenge, seed: int) -> ChallengeData:
    noise = float(challenge.locks.get("noise", 0.0))
    data_seed = int(challenge.locks.get("data_seed", 0))
    if challenge.dataset == "rose":
        lesson = make_rose(noise=noise, seed=data_seed)
        # A prime petal size, so the hidden curve's angles fall between the lesson's.
        hidden = make_rose(points_per_petal=101, noise=noise, seed=seed)
    else:
        make = TOY_DATASETS[challenge.dataset]
        lesson = make(noise=noise, seed=data_seed)
        hidden = make(n_points=HIDDEN_POINTS, noise=noise, seed=seed)
    return _plane_data(challenge, lesson, hidden, "cross_entropy")


def _classes_data(challenge: Challenge, seed: int) -> ChallengeData:
    noise = float(challenge.locks.get("noise", 0.2))  # the lesson's default noise
    data_seed = int(challenge.locks.get("data_seed", 0))
    name = challenge.dataset
    if name in SURFACES:
        lesson = make_surface_samples(name, noise=noise, seed=data_seed)
        hidden = make_surface_samples(name, HIDDEN_POINTS, noise=noise, seed=seed)
        return _plane_data(challenge, lesson, hidden, "mse")
    classes, (fewest, most) = challenge.locks.get("classes", 3), CLASSES_RANGE
    if isinstance(classes, bool) or not isinstance(classes, int) or not fewest <= classes <= most:
        raise ChallengeError(
            f"classes is locked to {classes!r}, but the lesson shows {fewest} to {most} classes; "
            "lock a whole number in that range"
        )
    make = MULTICLASS_DATASETS[name]
    lesson = make(classes=classes, noise=noise, seed=data_seed)
    hidden = make(classes=classes, noise=noise, seed=seed, **HIDDEN_SIZES[name])
    return _plane_data(challenge, lesson, hidden, "categorical_cross_entropy")


def _plane_data(
    challenge: Challenge,
    lesson: tuple[np.ndarray, np.ndarray],
    hidden: tuple[np.ndarray, np.ndarray],
    loss: str,
) -> ChallengeData:
    """The data of a plane lesson (Rose, Many classes) from its points and targets, ``lesson``
    (made with the data seed) and ``hidden`` (fresh ones, made with the hidden seed): the
    lesson's scale and training split (the ``data_seed`` and ``test_share`` locks, else 0 and
    0.2), the hidden points that coincide with none of the lesson's, and the locked input
    ``features``. ChallengeError when every hidden point is one of the lesson's."""
    (points, Y), (hidden_points, Y_hidden) = lesson, hidden
    locks = challenge.locks
    keep = _not_among(hidden_points, points)
    if not keep.any():
        raise ChallengeError(
            f"every fresh point of {challenge.dataset} falls on one of the lesson's (no noise?), "
            "so nothing would be hidden to score on; lock some noise"
        )
    scale = input_scale(points)  # the lesson's scale: the hidden points live in the same plane
    test_share, data_seed = float(locks.get("test_share", 0.2)), int(locks.get("data_seed", 0))
    train, _visible_test = split_indices(len(points), test_share, data_seed)
    data = ChallengeData(
        X_train=with_features(points[train] * scale, ()),
        Y_train=Y[train],
        X_hidden=with_features(hidden_points[keep] * scale, ()),
        Y_hidden=Y_hidden[keep],
        input_dim=2,
        outputs=Y.shape[1],
        loss=loss,
        points_train=points[train],
        points_hidden=hidden_points[keep],
        scale=scale,
    )
    try:
        return data.with_features(tuple(locks.get("features", ())))
    except SubmissionError as error:
        raise ChallengeError(str(error)) from None


def _linear_data(challenge: Challenge, seed: int) -> ChallengeData:
    n_points = int(challenge.locks.get("n_points", 7))
    noise = float(challenge.locks.get("noise", 0.0))
    X, Y = make_linear(n_points=n_points, noise=noise, seed=0)  # the lesson's noise seed is 0
    x = np.random.default_rng(seed).uniform(-2.0, 4.0, (LINEAR_HIDDEN_POINTS, 1))
    x = x[_not_among(x, X)]
    return ChallengeData(X, Y, x, 2.0 * x + 1.0, 1, 1, "mse")


def _not_among(points: np.ndarray, others: np.ndarray) -> np.ndarray:
    """A mask of the rows of ``points`` that coincide with no row of ``others``."""
    tolerance = 1e-9 * (1.0 + float(np.abs(others).max()))
    distance = np.abs(points[:, None, :] - others[None, :, :]).max(axis=2)
    return distance.min(axis=1) > tolerance


# ---- scoring -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Score:
    """The server's own numbers for one submission. ``metrics`` holds train_cost and test_cost,
    and for classification train_accuracy and test_accuracy ("test" is the hidden split).
    ``sort_key``: smaller ranks higher (see ``rank``)."""

    metrics: dict[str, float]
    parameters: int
    meets_goal: bool
    sort_key: tuple


def score_submission(
    challenge: Challenge, data: ChallengeData, weights: bytes, settings: Mapping[str, Any]
) -> Score:
    """Load ``weights`` (a network saved by ``nn.Network.save``), check it against the challenge
    and score it on ``data``. SubmissionError if the file is not a saved network, is too large,
    does not fit the data, breaks a lock, or its architecture differs from a locked one.

    Score.sort_key (``sort_key``): entries that meet the goal come first, ordered by the
    tie-break (fewest parameters first: once the bar is passed, the challenge is to pass it with
    the least) and then by the metric; entries that miss it follow, ordered by the metric, then
    the tie-break. The board adds the submission time last (``rank``).
    """
    if not isinstance(settings, Mapping):
        raise SubmissionError(f"the settings must be names and values, got {settings!r}")
    network = load_weights(weights)
    if "features" not in challenge.locks and settings.get("features"):
        if "features" not in DATA_LOCKS[challenge.lesson]:
            raise SubmissionError(
                f"the {LESSONS[challenge.lesson]} lesson has no extra input features; got "
                f"{settings['features']!r:.80}: submit from the challenge's link"
            )
        data = data.with_features(_as_list(settings["features"]))
    _check_fit(network, data)
    _check_locks(challenge, network, settings)
    metrics = {
        **_evaluate(network, data.X_train, data.Y_train, data.loss, "train"),
        **_evaluate(network, data.X_hidden, data.Y_hidden, data.loss, "test"),
    }
    if challenge.goal.metric not in metrics:
        raise SubmissionError(
            f"the goal's {METRICS[challenge.goal.metric]} is not measured for this lesson"
        )
    goal, value, parameters = (
        challenge.goal,
        metrics[challenge.goal.metric],
        network.parameter_count,
    )
    return Score(metrics, parameters, goal.met_by(value), sort_key(goal, value, parameters))


def sort_key(goal: Goal, value: float, parameters: int) -> tuple:
    """An entry's place on the board, smaller first, from its ``value`` of the goal's metric:
    (0, tie-break, metric) when it meets the goal, else (1, metric, tie-break). The tie-break is
    the parameter count for "fewest_parameters", else 0."""
    tie = parameters if goal.tie_break == "fewest_parameters" else 0
    return (0, tie, goal.better(value)) if goal.met_by(value) else (1, goal.better(value), tie)


def rank(entries: Iterable[tuple[Score, Any]]) -> list[tuple[Score, Any]]:
    """(score, created) pairs, best first: by ``score.sort_key``, then the earlier ``created``
    (any comparable time: a datetime, an ISO string or seconds)."""
    return sorted(entries, key=lambda entry: (entry[0].sort_key, entry[1]))


def load_weights(weights: bytes) -> nn.Network:
    """The network in ``weights``, the bytes ``nn.Network.save`` writes (an .npz read without
    pickle), in float64. SubmissionError, saying what to do, if ``weights`` is not bytes, not
    such a file or damaged, unpacks to more than ``MAX_UNPACKED_BYTES`` (checked from the zip's
    directory before anything is unpacked), or holds more than ``MAX_PARAMETERS`` parameters."""
    if not isinstance(weights, bytes | bytearray):
        raise SubmissionError(f"the weights must be the bytes of a .npz file, got {weights!r:.80}")
    # Sizes before reading: a small zip can unpack to gigabytes, and the engine's own bound
    # (64 layers of 4096 units) is far above a challenge's.
    try:
        with zipfile.ZipFile(io.BytesIO(weights)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SubmissionError(
            "the weights are not a network saved by this dashboard (.npz), or the file is "
            "damaged; save the network again and resubmit"
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SubmissionError(
            f"the saved network unpacks to {unpacked / 1e6:.1f} MB, more than a network of "
            f"{MAX_PARAMETERS:,} parameters takes; use a smaller network"
        )
    try:
        network = nn.Network.load(bytes(weights))
    except nn.ModelFileError as error:
        raise SubmissionError(f"the weights cannot be read: {error}") from None
    if network.parameter_count > MAX_PARAMETERS:
        raise SubmissionError(
            f"the network has {network.parameter_count:,} parameters; a challenge allows at "
            f"most {MAX_PARAMETERS:,}: use fewer layers or units"
        )
    return network.astype("float64")  # the server scores every entry in one precision


def _check_fit(network: nn.Network, data: ChallengeData) -> None:
    if network.input_dim != data.input_dim:
        raise SubmissionError(
            f"the network takes {network.input_dim} inputs, but this challenge's data has "
            f"{data.input_dim} (check the input features); train it on the challenge's data"
        )
    if network.output_dim != data.outputs:
        per_class = " (one per class)" if data.loss == "categorical_cross_entropy" else ""
        raise SubmissionError(
            f"the network has {network.output_dim} outputs, this challenge needs "
            f"{data.outputs}{per_class}"
        )
    last, wanted = network.layers[-1].activation.name, _OUTPUT_FOR_LOSS[data.loss]
    if last != wanted:
        raise SubmissionError(
            f"the network's output layer is {last}, this challenge needs {wanted}; "
            "train it in the challenge's lesson"
        )


def _check_locks(challenge: Challenge, network: nn.Network, settings: Mapping[str, Any]) -> None:
    hidden = network.layers[:-1]
    built = {
        "depth": len(hidden),
        "units": [layer.units for layer in hidden],
        "activations": [layer.activation.name for layer in hidden],
    }
    for name, locked in challenge.locks.items():  # what the page says it used
        if name not in settings:
            raise SubmissionError(
                f"{name} is locked to {_show(locked)} in this challenge, but the submission "
                "does not say its value; submit from the challenge's link"
            )
        if not _same(settings[name], locked):
            raise SubmissionError(
                f"{name} is locked to {_show(locked)} in this challenge, but the submission "
                f"used {_show(settings[name])}; set it back and train again"
            )
    for name in ARCHITECTURE_LOCKS:  # what the weights are: a page can misreport its settings
        locked = challenge.locks.get(name)
        if locked is not None and not _same(built[name], locked):
            raise SubmissionError(
                f"{name} is locked to {_show(locked)}, but the submitted weights have "
                f"{_show(built[name])}; submit the network trained with the locked settings"
            )


def _as_list(value: object) -> list:
    return list(value) if isinstance(value, list | tuple) else [value]


def _same(given: object, locked: object) -> bool:
    """Equal as the URL would hold them: lists and tuples alike, numbers to 1e-9."""
    if isinstance(given, list | tuple) or isinstance(locked, list | tuple):
        given, locked = _as_list(given), _as_list(locked)
        return len(given) == len(locked) and all(map(_same, given, locked))
    numbers = (int, float)
    if isinstance(given, numbers) and isinstance(locked, numbers):
        if isinstance(given, bool) != isinstance(locked, bool):
            return False
        return math.isclose(given, locked, rel_tol=1e-9, abs_tol=1e-12)
    return type(given) is type(locked) and given == locked


def _show(value: object) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(_show, value)) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _evaluate(
    network: nn.Network, X: np.ndarray, Y: np.ndarray, loss: str, split: str
) -> dict[str, float]:
    """Cost (the challenge's loss, from the logits) and, for classification, accuracy."""
    a = np.asarray(X, dtype=np.float64)
    for layer in network.layers[:-1]:
        a = layer.activation(a @ layer.weights.T + layer.bias.T)
    last = network.layers[-1]
    Z = a @ last.weights.T + last.bias.T
    A = last.activation(Z.T).T  # units in rows, as in the engine: softmax is per sample
    with np.errstate(over="ignore", invalid="ignore"):
        cost = nn.get_loss(loss).cost(Z.T, A.T, np.asarray(Y, dtype=np.float64).T)
    metrics = {f"{split}_cost": cost if math.isfinite(cost) else math.inf}
    if loss != "mse":
        metrics[f"{split}_accuracy"] = nn.accuracy(A, Y)
    return metrics
