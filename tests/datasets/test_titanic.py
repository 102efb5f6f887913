"""Tests for datasets.titanic: the tutorial files reproduced row by row, splits, baselines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from datasets import titanic
from datasets.titanic import FEATURES, PassengerError, encode_passenger
from tests import DATA

# Rows of the tutorial's files that no sensible rule reproduces: none. Every one of the
# 792 + 100 rows matches (the irregular-looking titles are names that contain "Mrs ...").
UNMATCHABLE_IDS: dict[int, str] = {}


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return titanic.load_raw()


@pytest.fixture(scope="module")
def ours(raw) -> pd.DataFrame:
    return titanic.features(raw)


def test_load_raw(raw):
    assert raw.shape == (891, 12)
    assert raw["PassengerId"].tolist() == list(range(1, 892))
    assert raw["Survived"].isin([0, 1]).all()


def test_features_layout(ours):
    assert list(ours.columns) == FEATURES
    assert len(FEATURES) == 14
    assert ours.index.name == "PassengerId" and ours.index.tolist() == list(range(1, 892))
    assert (ours.dtypes == np.float64).all()
    assert ours.notna().all().all()


@pytest.mark.parametrize("filename", ["tutorial_features_train.csv", "tutorial_features_test.csv"])
def test_features_reproduce_every_row_of_the_tutorial_file(filename, raw, ours):
    ref = pd.read_csv(DATA / filename).set_index("PassengerId")
    assert list(ref.columns[2:]) == FEATURES  # "Unnamed: 0", Survived, then the 14 features
    ref = ref.drop(index=[i for i in UNMATCHABLE_IDS if i in ref.index])
    mine = ours.loc[ref.index]
    diff = np.abs(mine.to_numpy() - ref[FEATURES].to_numpy(dtype=np.float64))
    bad = ref.index[(diff > 1e-9).any(axis=1)].tolist()
    assert bad == [], f"rows that differ: {bad}"
    y = titanic.target(raw)[ref.index.to_numpy() - 1]
    assert np.array_equal(y.ravel(), ref["Survived"].to_numpy(dtype=np.float64))


def test_irregular_titles_follow_the_name_search(ours):
    # "Miss" in the title slot, but the name also holds "Mrs ...": counted as Mrs (Title_1).
    assert ours.loc[[200, 428, 711, 557], "Title_1"].tolist() == [1.0] * 4
    # women's rare titles -> Title_2: Mme, Ms, Mlle, Countess, a female doctor
    assert ours.loc[[370, 444, 642, 760, 797], "Title_2"].tolist() == [1.0] * 5
    assert titanic.title_from_name('Yrois, Miss. Henriette ("Mrs Harbeck")') == "Mrs"
    assert titanic.title_from_name("Palsson, Master. Gosta Leonard") == "Master"


def test_missing_values(ours, raw):
    no_age = raw.loc[raw["Age"].isna(), "PassengerId"]
    assert len(no_age) == 177
    assert (ours.loc[no_age, "Age"] == 0.35).all()
    no_port = raw.loc[raw["Embarked"].isna(), "PassengerId"]
    assert len(no_port) == 2
    assert (ours.loc[no_port, ["Emb_1", "Emb_2", "Emb_3"]] == 0).all().all()


def test_scaling_constants_come_from_the_data(raw):
    assert raw["Age"].median() == titanic.AGE_FILL
    assert raw["Age"].max() == titanic.AGE_SCALE
    assert raw["Fare"].max() == titanic.FARE_SCALE


def test_feature_descriptions_and_steps():
    assert list(titanic.FEATURE_DESCRIPTIONS) == FEATURES
    assert all(isinstance(v, str) and v for v in titanic.FEATURE_DESCRIPTIONS.values())
    covered = [f for _, _, feats in titanic.PREPROCESSING_STEPS for f in feats]
    assert sorted(covered) == sorted(FEATURES)


def test_features_rejects_a_table_without_the_needed_columns(raw):
    with pytest.raises(titanic.DatasetError, match="lacks the column"):
        titanic.features(raw.drop(columns=["Fare"]))


def test_tutorial_split_shares_passenger_792():
    X_train, Y_train, X_test, Y_test = titanic.tutorial_split()
    assert X_train.shape == (792, 14) and Y_train.shape == (792, 1)
    assert X_test.shape == (100, 14) and Y_test.shape == (100, 1)
    assert all(a.dtype == np.float64 for a in (X_train, Y_train, X_test, Y_test))
    assert np.array_equal(X_train[-1], X_test[0])  # passenger 792 in both, as in the files
    train_file = pd.read_csv(DATA / "tutorial_features_train.csv")
    assert np.allclose(X_train, train_file[FEATURES].to_numpy(dtype=np.float64), atol=1e-12)
    assert np.array_equal(Y_train.ravel(), train_file["Survived"].to_numpy(dtype=np.float64))


def test_random_split_is_seeded_and_disjoint():
    a = titanic.random_split(0.2, seed=1)
    b = titanic.random_split(0.2, seed=1)
    c = titanic.random_split(0.2, seed=2)
    assert a[0].shape == (713, 14) and a[2].shape == (178, 14)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[2], c[2])
    assert a[1].sum() + a[3].sum() == 342  # every survivor exactly once


@pytest.mark.parametrize("fraction", [0.0, 1.0, 0.0001, -0.5])
def test_random_split_rejects_empty_sides(fraction):
    with pytest.raises(titanic.DatasetError, match="test_fraction"):
        titanic.random_split(fraction)


def test_baselines_on_all_passengers(raw, ours):
    X, Y = ours.to_numpy(), titanic.target(raw)
    table = titanic.baselines(X, Y, X, Y)
    assert list(table.columns) == ["train", "test"]
    assert table.loc["majority class", "train"] == pytest.approx(549 / 891)  # 61.6 %
    assert round(100 * table.loc["majority class", "train"], 1) == 61.6
    assert table.loc["every woman survives", "train"] == pytest.approx(701 / 891)  # 78.7 %
    assert round(100 * table.loc["every woman survives", "train"], 1) == 78.7


def test_baselines_on_the_tutorial_split():
    X_train, Y_train, X_test, Y_test = titanic.tutorial_split()
    table = titanic.baselines(X_train, Y_train, X_test, Y_test)
    women_test = X_test[:, 0] == 0
    expected = (np.sum(Y_test[women_test] == 1) + np.sum(Y_test[~women_test] == 0)) / 100
    assert table.loc["every woman survives", "test"] == pytest.approx(expected)
    assert table.loc["majority class", "test"] == pytest.approx(np.mean(Y_test == 0))
    with pytest.raises(titanic.DatasetError, match="shape"):
        titanic.baselines(X_train[:, :3], Y_train, X_test, Y_test)


def test_encode_passenger_matches_features_for_every_passenger(raw, ours):
    for row in raw.itertuples():
        encoded = encode_passenger(
            row.Pclass,
            row.Sex,
            None if pd.isna(row.Age) else row.Age,
            row.Fare,
            row.SibSp,
            row.Parch,
            titanic.title_from_name(row.Name),
            None if pd.isna(row.Embarked) else row.Embarked,
        )
        assert np.array_equal(encoded, ours.loc[row.PassengerId].to_numpy()), row.PassengerId


def test_encode_passenger_accepts_port_names_and_case():
    a = encode_passenger(1, "Female", 30, 80.0, 1, 0, "mrs.", "Cherbourg")
    b = encode_passenger(1, "female", 30.0, 80, 1, 0, "Mrs", "C")
    assert a.shape == (14,) and a.dtype == np.float64
    assert np.array_equal(a, b)
    assert a[FEATURES.index("Emb_1")] == 1 and a[FEATURES.index("Title_1")] == 1
    lady = encode_passenger(1, "female", 48, 39.6, 1, 0, "Lady", "C")
    assert lady[FEATURES.index("Title_2")] == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pclass": 4}, r"pclass must be 1, 2 or 3 .*got 4"),
        ({"sex": "x"}, r"unknown sex 'x'; choose one of: male, female"),
        ({"age": 120}, r"age must be between 0.0 and 100.0; got 120"),
        ({"age": -1}, r"age must be between 0.0 and 100.0; got -1"),
        ({"fare": -5}, r"fare must be >= 0.0; got -5"),
        ({"sibsp": 1.5}, r"sibsp .* must be a whole number"),
        ({"parch": 11}, r"parch .* must be between 0 and 10; got 11"),
        ({"title": "Sgt"}, r"unknown title 'Sgt'; choose one of: Mrs, Mr, Master, Miss"),
        ({"embarked": "Belfast"}, r"unknown port of embarkation 'Belfast'; choose one of: C, Q, S"),
    ],
)
def test_encode_passenger_rejects_bad_values(change, message):
    values = {
        "pclass": 3, "sex": "male", "age": 22, "fare": 7.25, "sibsp": 1, "parch": 0,
        "title": "Mr", "embarked": "S",
    } | change  # fmt: skip
    with pytest.raises(PassengerError, match=message):
        encode_passenger(**values)


def test_the_raw_file_is_read_once_and_kept_once() -> None:
    assert titanic._raw.cache_info().maxsize == 1
    titanic.load_raw()
    titanic.load_raw()
    assert titanic._raw.cache_info().currsize == 1
