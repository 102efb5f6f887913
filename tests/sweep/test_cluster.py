"""Scale-out: a small sweep on a real Dask cluster (two worker processes on 127.0.0.1) gives
exactly the results of the same sweep on this machine."""

import pandas as pd
import pytest
from dask.distributed import LocalCluster

from sweep import GridSpace, load_dataset, run_sweep
from sweep.__main__ import main

SPACE = GridSpace(depth=(1, 2), units=(3, 5), learning_rate=(0.3, 1.2), iterations=(30,))


@pytest.fixture(scope="module")
def scheduler():
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        processes=True,
        dashboard_address=None,
    ) as cluster:
        yield cluster.scheduler_address


def test_a_sweep_on_the_cluster_equals_the_local_one(scheduler: str) -> None:
    data = load_dataset("rose")
    seen = []
    remote = run_sweep(
        data, SPACE.specs(), scheduler=scheduler, on_result=lambda row, *_: seen.append(row)
    )
    local = run_sweep(data, SPACE.specs(), jobs=1)

    assert scheduler.startswith("tcp://127.0.0.1:")
    assert len(remote) == len(seen) == 8
    pd.testing.assert_frame_equal(remote.drop(columns="wall_time"), local.drop(columns="wall_time"))


def test_the_command_line_runs_on_the_cluster(scheduler: str, tmp_path, capsys) -> None:
    out = tmp_path / "cluster.csv"
    code = main(
        ["--dataset", "rose", "--preset", "tiny", "--scheduler", scheduler, "--out", str(out)]
    )

    assert code == 0
    assert scheduler in capsys.readouterr().out
    assert len(pd.read_csv(out)) == 4


def test_a_wrong_address_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sweep.run.CONNECT_TIMEOUT", "1s")
    data = load_dataset("rose")
    with pytest.raises(ConnectionError, match="no Dask scheduler answers"):
        run_sweep(data, SPACE.specs()[:1], scheduler="tcp://127.0.0.1:9")
