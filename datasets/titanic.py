"""Lesson 2 data: the Titanic passengers and the tutorial's 14-feature encoding.

Source: the Kaggle "Titanic: Machine Learning from Disaster" training file (891 passengers,
``datasets/data/titanic_train.csv``); the 14 features are those of the version the tutorial used
(preprocessed for Kaggle by Azeem Bootwala). The rules below reproduce that file for all 891
passengers exactly:

- Sex: 1 for male, 0 for female.
- Age: age / 80 (80 is the oldest passenger); a missing age becomes 28, the median, so 0.35.
- Fare: fare / 512.3292 (the highest fare).
- Pclass_1/2/3: one-hot ticket class.
- Family_size: (SibSp + Parch) / 10.
- Title_1..4: the title is the first of ``TITLE_SEARCH_ORDER`` found anywhere in the name (so
  "Yrois, Miss. Henriette ("Mrs Harbeck")" counts as Mrs, and Lady/Sir Duff Gordon, whose names
  hold "Mrs Morgan"/"Mr Morgan", as Mrs/Mr). Then Title_1 = Mr, Mrs and the other men's titles
  (Dr, Rev, Col, Major, Capt, Don, Jonkheer, Sir); Title_2 = the other women's titles (Dr,
  Mme, Mlle, Ms, Countess, Lady, Dona); Title_3 = Master; Title_4 = Miss.
- Emb_1/2/3: one-hot port C (Cherbourg), Q (Queenstown), S (Southampton); unknown port -> all 0.

Everything returned to the network is float64 with samples in rows.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from datasets._errors import DatasetError, check_float, check_int

CSV_PATH = Path(__file__).parent / "data" / "titanic_train.csv"

FEATURES: list[str] = [
    "Sex",
    "Age",
    "Fare",
    "Pclass_1",
    "Pclass_2",
    "Pclass_3",
    "Family_size",
    "Title_1",
    "Title_2",
    "Title_3",
    "Title_4",
    "Emb_1",
    "Emb_2",
    "Emb_3",
]

AGE_SCALE = 80.0
"""Ages are divided by this: the oldest passenger was 80."""
AGE_FILL = 28.0
"""A missing age is replaced by this, the median age of the 891 passengers."""
FARE_SCALE = 512.3292
"""Fares are divided by this, the highest fare paid."""
FAMILY_SCALE = 10.0
"""Family size (SibSp + Parch) is divided by this."""
TEST_FROM_ID = 792
"""The tutorial's test file starts at this PassengerId; its train file ends at it (both hold it)."""

TITLE_SEARCH_ORDER: list[str] = [
    "Mrs", "Mr", "Master", "Miss", "Major", "Rev", "Dr", "Ms", "Mlle",
    "Col", "Capt", "Mme", "Countess", "Don", "Jonkheer", "Lady", "Sir",
]  # fmt: skip
"""Titles searched for, in this order, anywhere in a passenger's name ("Mrs" before "Mr")."""

TITLES: list[str] = [*TITLE_SEARCH_ORDER, "Dona"]
"""Titles ``encode_passenger`` accepts (Dona appears in Kaggle's test file)."""

PORTS: dict[str, str] = {"C": "Cherbourg", "Q": "Queenstown", "S": "Southampton"}

FEATURE_DESCRIPTIONS: dict[str, str] = {
    "Sex": "Sex: 1 for male, 0 for female.",
    "Age": "Age in years divided by 80; a missing age counts as 28 (the median), so 0.35.",
    "Fare": "Ticket fare divided by the highest fare, 512.3292, so between 0 and 1.",
    "Pclass_1": "1 if the passenger travelled first class, else 0.",
    "Pclass_2": "1 if the passenger travelled second class, else 0.",
    "Pclass_3": "1 if the passenger travelled third class, else 0.",
    "Family_size": "Siblings/spouses plus parents/children aboard (SibSp + Parch), divided by 10.",
    "Title_1": "1 for the title Mr or Mrs, or another man's title such as Dr, Rev or Col.",
    "Title_2": "1 for a rarer woman's title: Mme, Mlle, Ms, Countess, Lady or a female Dr.",
    "Title_3": "1 for the title Master (a boy).",
    "Title_4": "1 for the title Miss.",
    "Emb_1": "1 if the passenger boarded at Cherbourg (C).",
    "Emb_2": "1 if the passenger boarded at Queenstown (Q).",
    "Emb_3": "1 if the passenger boarded at Southampton (S).",
}

PREPROCESSING_STEPS: list[tuple[str, str, list[str]]] = [
    ("Sex", "male -> 1, female -> 0", ["Sex"]),
    ("Age", "age / 80; missing -> 28 (the median) -> 0.35", ["Age"]),
    ("Fare", "fare / 512.3292 (the highest fare)", ["Fare"]),
    ("Pclass", "one-hot: class 1, 2, 3", ["Pclass_1", "Pclass_2", "Pclass_3"]),
    ("SibSp, Parch", "(SibSp + Parch) / 10", ["Family_size"]),
    (
        "Name",
        "title found in the name; Mr/Mrs/other men -> 1, other women -> 2, Master -> 3, Miss -> 4",
        ["Title_1", "Title_2", "Title_3", "Title_4"],
    ),
    ("Embarked", "one-hot: C, Q, S (missing -> all 0)", ["Emb_1", "Emb_2", "Emb_3"]),
]
"""(raw column, rule, features) for each step of ``features``."""

_RAW_COLUMNS = ["PassengerId", "Survived", "Pclass", "Name", "Sex", "Age", "SibSp", "Parch"]
_RAW_COLUMNS += ["Fare", "Embarked"]


class PassengerError(DatasetError):
    """A value typed into the "would you survive?" form is not allowed; the message says why."""


@lru_cache(maxsize=1)  # one file, read once: load_raw hands out copies
def _raw() -> pd.DataFrame:
    return pd.read_csv(CSV_PATH)


def load_raw() -> pd.DataFrame:
    """The 891 passengers of Kaggle's Titanic training file, as shipped (a fresh copy each call)."""
    return _raw().copy()


def title_from_name(name: str) -> str | None:
    """The first title of ``TITLE_SEARCH_ORDER`` that appears in ``name``, or None."""
    for title in TITLE_SEARCH_ORDER:
        if title in name:
            return title
    return None


def _title_group(title: str | None, male: bool) -> int:
    """1: Mr, Mrs, other men's titles; 2: other women's titles; 3: Master; 4: Miss."""
    if title == "Master":
        return 3
    if title == "Miss":
        return 4
    if title in ("Mr", "Mrs") or male:
        return 1
    return 2


def _check_raw(raw: pd.DataFrame) -> None:
    if not isinstance(raw, pd.DataFrame):
        raise DatasetError(f"expected a pandas DataFrame of passengers; got {type(raw).__name__}")
    missing = [c for c in _RAW_COLUMNS if c not in raw.columns]
    if missing:
        raise DatasetError(
            f"the passenger table lacks the column(s) {missing}; it needs {_RAW_COLUMNS}"
        )


def features(raw: pd.DataFrame) -> pd.DataFrame:
    """The tutorial's 14 features (float64), one row per passenger, indexed by PassengerId."""
    _check_raw(raw)
    male = raw["Sex"].eq("male")
    out = pd.DataFrame(index=pd.Index(raw["PassengerId"].to_numpy(), name="PassengerId"))
    out["Sex"] = male.to_numpy(dtype=np.float64)
    out["Age"] = raw["Age"].fillna(AGE_FILL).to_numpy(dtype=np.float64) / AGE_SCALE
    out["Fare"] = raw["Fare"].to_numpy(dtype=np.float64) / FARE_SCALE
    for k in (1, 2, 3):
        out[f"Pclass_{k}"] = raw["Pclass"].eq(k).to_numpy(dtype=np.float64)
    family = (raw["SibSp"] + raw["Parch"]).to_numpy(dtype=np.float64)
    out["Family_size"] = family / FAMILY_SCALE
    groups = np.array(
        [_title_group(title_from_name(name), m) for name, m in zip(raw["Name"], male, strict=True)]
    )
    for k in (1, 2, 3, 4):
        out[f"Title_{k}"] = (groups == k).astype(np.float64)
    for k, port in enumerate(PORTS, start=1):
        out[f"Emb_{k}"] = raw["Embarked"].eq(port).to_numpy(dtype=np.float64)
    return out[FEATURES]


def target(raw: pd.DataFrame) -> np.ndarray:
    """Survived (1) or not (0), shape (n, 1) float64, in the row order of ``features(raw)``."""
    _check_raw(raw)
    return raw["Survived"].to_numpy(dtype=np.float64).reshape(-1, 1)


def tutorial_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The tutorial's files: X_train (792, 14), Y_train (792, 1), X_test (100, 14), Y_test (100, 1).

    Train is PassengerId 1..792, test is 792..891: passenger 792 is in both, as in the tutorial.
    """
    raw = _raw()
    X, Y = features(raw).to_numpy(), target(raw)
    ids = raw["PassengerId"].to_numpy()
    train, test = ids <= TEST_FROM_ID, ids >= TEST_FROM_ID
    return X[train], Y[train], X[test], Y[test]


def random_split(
    test_fraction: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A shuffled split of the 891 passengers: (X_train, Y_train, X_test, Y_test), no overlap.

    The test set holds round(891 * test_fraction) passengers.
    """
    test_fraction = check_float("test_fraction", test_fraction, 0.0, 1.0)
    raw = _raw()
    n = len(raw)
    n_test = round(n * test_fraction)
    if not 1 <= n_test <= n - 1:
        raise DatasetError(
            f"test_fraction {test_fraction} leaves {n_test} of {n} passengers for testing; "
            "choose a value that keeps at least one passenger on each side, e.g. 0.2"
        )
    X, Y = features(raw).to_numpy(), target(raw)
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], Y[train], X[test], Y[test]


def majority_accuracy(Y_reference: np.ndarray, Y: np.ndarray) -> float:
    """Accuracy on Y of always predicting the most common class of Y_reference (the train set)."""
    Y_reference, Y = np.asarray(Y_reference).ravel(), np.asarray(Y).ravel()
    majority = float(np.mean(Y_reference) >= 0.5)
    return float(np.mean(majority == Y))


def women_survive_accuracy(X: np.ndarray, Y: np.ndarray) -> float:
    """Accuracy on Y of the rule "every woman survives, every man dies", using X's Sex column."""
    X, Y = np.asarray(X), np.asarray(Y).ravel()
    predicted = 1.0 - X[:, FEATURES.index("Sex")]
    return float(np.mean(predicted == Y))


def baselines(
    X_train: np.ndarray, Y_train: np.ndarray, X_test: np.ndarray, Y_test: np.ndarray
) -> pd.DataFrame:
    """Accuracy (0..1) of two no-learning rules on train and test; a model should beat both.

    Rows "majority class" (always predict the train set's most common outcome: nobody survives)
    and "every woman survives"; columns "train" and "test". Takes what ``tutorial_split`` returns.
    """
    for name, X in (("X_train", X_train), ("X_test", X_test)):
        if np.ndim(X) != 2 or np.shape(X)[1] != len(FEATURES):
            raise DatasetError(f"{name} must have shape (n, {len(FEATURES)}); got {np.shape(X)}")
    return pd.DataFrame(
        {
            "train": [
                majority_accuracy(Y_train, Y_train),
                women_survive_accuracy(X_train, Y_train),
            ],
            "test": [
                majority_accuracy(Y_train, Y_test),
                women_survive_accuracy(X_test, Y_test),
            ],
        },
        index=pd.Index(["majority class", "every woman survives"], name="rule"),
    )


def _choice(name: str, value: object, allowed: dict[str, str]) -> str:
    key = str(value).strip().rstrip(".").lower()
    if key in allowed:
        return allowed[key]
    raise PassengerError(
        f"unknown {name} {value!r}; choose one of: {', '.join(dict.fromkeys(allowed.values()))}"
    )


def encode_passenger(
    pclass: int,
    sex: str,
    age: float | None,
    fare: float,
    sibsp: int,
    parch: int,
    title: str,
    embarked: str | None,
) -> np.ndarray:
    """One passenger's 14 features (float64, order ``FEATURES``), encoded exactly like ``features``.

    pclass 1, 2 or 3; sex "male"/"female"; age 0..100 years or None (unknown -> 28); fare >= 0
    (pounds; above 512.33 the feature exceeds 1); sibsp and parch 0..10 (siblings/spouses and
    parents/children aboard); title one of ``TITLES``; embarked C, Q, S, a port's name, or None
    (unknown). Raises PassengerError with what was given and what is allowed.
    """
    if isinstance(pclass, bool) or pclass not in (1, 2, 3):
        raise PassengerError(
            f"pclass must be 1, 2 or 3 (first, second or third class); got {pclass!r}"
        )
    sex_key = _choice("sex", sex, {"male": "male", "female": "female"})
    try:
        age_years = AGE_FILL if age is None else check_float("age", age, 0.0, 100.0)
        fare = check_float("fare", fare, 0.0)
        sibsp = check_int("sibsp (siblings and spouses aboard)", sibsp, 0, 10)
        parch = check_int("parch (parents and children aboard)", parch, 0, 10)
    except DatasetError as error:
        raise PassengerError(str(error)) from None
    title = _choice("title", title, {t.lower(): t for t in TITLES})
    port = None
    if embarked is not None:
        ports = {k.lower(): k for k in PORTS} | {v.lower(): k for k, v in PORTS.items()}
        port = _choice("port of embarkation", embarked, ports)
    male = sex_key == "male"
    group = _title_group(title, male)
    row = [
        float(male),
        age_years / AGE_SCALE,
        fare / FARE_SCALE,
        *(float(pclass == k) for k in (1, 2, 3)),
        (sibsp + parch) / FAMILY_SCALE,
        *(float(group == k) for k in (1, 2, 3, 4)),
        *(float(port == k) for k in PORTS),
    ]
    return np.array(row, dtype=np.float64)
