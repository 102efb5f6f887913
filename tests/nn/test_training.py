"""Training: optimizers, batches, schedules, pause and resume, divergence, precision."""

import numpy as np
import pytest

import nn
from nn import Network, Steps, TrainingDiverged
from nn.init import centre_biases


def spiral(n: int = 120, classes: int = 2, seed: int = 0):
    """A small two-arm spiral: nothing a straight line can separate."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.2, 1, n // classes)
    X, labels = [], []
    for k in range(classes):
        angle = 4 * t + 2 * np.pi * k / classes
        X.append(np.c_[t * np.cos(angle), t * np.sin(angle)] + rng.normal(0, 0.02, (len(t), 2)))
        labels += [k] * len(t)
    return np.vstack(X), np.eye(classes)[labels]


def small_net(**settings) -> Network:
    net = Network(loss="cross_entropy", init="he", seed=2, **settings)
    return net.add(8, "tanh", input_dim=2).add(1, "sigmoid")


@pytest.mark.parametrize(
    ("optimizer", "learning_rate"), [("gd", 1.0), ("momentum", 0.3), ("adam", 0.02)]
)
def test_every_optimizer_learns_the_spiral(optimizer, learning_rate):
    X, Y = spiral()
    net = small_net()
    costs = net.fit(X, Y[:, :1], 600, learning_rate, optimizer=optimizer)
    assert costs[-1] < 0.5 * costs[0]
    assert nn.accuracy(net.predict(X), Y[:, :1]) > 0.8


def test_softmax_with_categorical_cross_entropy_learns_three_classes():
    X, Y = spiral(150, classes=3)
    net = Network(loss="categorical_cross_entropy", init="he", seed=0)
    net.add(16, "relu", input_dim=2).add(3, "softmax")
    costs = net.fit(X, Y, 800, 0.02, optimizer="adam")
    assert costs[-1] < 0.3 * costs[0]
    np.testing.assert_allclose(net.predict(X).sum(axis=1), 1.0)
    assert nn.accuracy(net.predict(X), Y) > 0.8


def test_pausing_and_resuming_loses_nothing():
    """30 + 70 steps with Adam on shuffled mini-batches equal 100 steps in one go."""
    X, Y = spiral()
    settings = dict(learning_rate=0.01, optimizer="adam", batch_size=16, seed=5)
    whole, paused = small_net(), small_net()
    whole.fit(X, Y[:, :1], 100, **settings)
    trainer = paused.trainer(X, Y[:, :1], **settings)
    for _ in trainer.run(30):
        pass
    for progress in trainer.run(200):  # stop early by breaking out: the caller's pause
        if progress.iteration == 99:
            break
    assert trainer.iteration == 100
    np.testing.assert_array_equal(paused._params, whole._params)


def test_changing_the_learning_rate_mid_run_keeps_weights_and_moments():
    X, Y = spiral()
    trainer = small_net().trainer(X, Y[:, :1], learning_rate=0.01, optimizer="adam")
    for _ in trainer.run(10):
        pass
    moments = trainer.optimizer.m.copy()
    weights = trainer.network._params.copy()
    trainer.learning_rate = 0.001
    np.testing.assert_array_equal(trainer.optimizer.m, moments)
    np.testing.assert_array_equal(trainer.network._params, weights)
    progress = list(trainer.run(1))[-1]
    assert progress.learning_rate == 0.001 and progress.iteration == 10


def test_run_reports_as_the_tutorial_prints_and_stops_at_a_target():
    X, Y = spiral()
    trainer = small_net().trainer(X, Y[:, :1], learning_rate=1.0)
    reports = list(trainer.run(25, every=10))
    assert [r.iteration for r in reports] == [0, 10, 20, 24]
    assert [r.cost for r in reports] == [trainer.costs[i] for i in (0, 10, 20, 24)]
    target = trainer.costs[-1] * 0.9
    last = list(trainer.run(10_000, every=1000, target_cost=target))[-1]
    assert last.cost <= target < trainer.costs[-2]


def test_mini_batches_are_seeded_and_cover_every_sample_once_per_epoch():
    X, Y = spiral()
    a = small_net().fit(X, Y[:, :1], 30, 0.5, batch_size=32, seed=7)
    b = small_net().fit(X, Y[:, :1], 30, 0.5, batch_size=32, seed=7)
    c = small_net().fit(X, Y[:, :1], 30, 0.5, batch_size=32, seed=8)
    assert a == b and a != c
    trainer = small_net().trainer(X, Y[:, :1], batch_size=50, seed=1)
    trainer.step()
    seen = set(trainer._order[:50].tolist())
    trainer.step(), trainer.step()
    assert trainer._position == 120 and set(trainer._order.tolist()) == set(range(120))
    assert len(seen) == 50


def test_steps_schedule_runs_the_tutorials_segments_in_order():
    schedule = Steps([(2.8, 2), (1.4, 3), (0.6, 1)])
    assert [schedule(t) for t in range(7)] == [2.8, 2.8, 1.4, 1.4, 1.4, 0.6, 0.6]
    assert schedule.total_iterations == 6
    X, Y = spiral()
    scheduled = small_net()
    scheduled.fit(X, Y[:, :1], 6, learning_rate=Steps([(1.0, 2), (0.1, 4)]))
    by_hand = small_net()
    by_hand.fit(X, Y[:, :1], 2, 1.0)
    by_hand.fit(X, Y[:, :1], 4, 0.1)
    np.testing.assert_allclose(scheduled._params, by_hand._params, rtol=1e-14)


def test_other_schedules_decay():
    exponential = nn.ExponentialDecay(1.0, decay=0.5, every=10)
    assert exponential(0) == 1.0 and exponential(20) == pytest.approx(0.25)
    cosine = nn.Cosine(1.0, iterations=100, final=0.1)
    assert cosine(0) == 1.0 and cosine(100) == pytest.approx(0.1) and cosine(500) == cosine(100)


def test_warmup_ramps_another_schedule_up_linearly():
    cosine = nn.Cosine(1.0, iterations=100, final=0.1)
    warm = nn.Warmup(cosine, iterations=10)
    assert warm(0) == pytest.approx(0.1 * cosine(0)) and warm(4) == pytest.approx(0.5 * cosine(4))
    assert [warm(t) for t in (9, 50, 500)] == [cosine(9), cosine(50), cosine(500)]
    assert nn.Warmup(0.5, iterations=2)(0) == 0.25  # a number is a constant rate
    assert repr(warm) == "cosine 1 → 0.1, warming up over 10"
    assert warm.peak == cosine.peak == 1.0 and Steps([(0.5, 2), (2.8, 1)]).peak == 2.8
    with pytest.raises(nn.NetworkError, match="warm-up needs iterations"):
        nn.Warmup(cosine, iterations=0)


def test_centred_biases_start_every_relu_unit_active_on_half_the_samples():
    rng = np.random.default_rng(5)
    X = rng.uniform(-1, 1, (2000, 2))
    net = Network(loss="cross_entropy", init="he", seed=3)
    net.add(12, "relu", input_dim=2).add(9, "relu").add(1, "sigmoid")
    output_bias = net.layers[-1].bias.copy()

    def active_shares() -> list[np.ndarray]:
        """Per hidden layer, the share of samples on which each unit's output is above 0."""
        ws = net.workspace(len(X), train=False)
        ws.load(X)
        net.forward_pass(ws)
        return [(A > 0).mean(axis=1) for A in ws.A[:-1]]  # A is (units, samples)

    assert np.abs(active_shares()[1] - 0.5).max() > 0.2  # zero biases: far from half
    centre_biases(net, X)
    for active in active_shares():
        assert np.all(np.abs(active - 0.5) <= 0.001), active
    np.testing.assert_array_equal(net.layers[-1].bias, output_bias)


def test_relu_matches_its_formula_on_shares_and_in_any_shape():
    relu = nn.get_activation("relu")
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        Z = rng.standard_normal((7, 50)).astype(dtype)
        A, mask = np.empty_like(Z), np.empty(Z.shape, bool)
        relu.forward(Z[:, 10:30], A[:, 10:30], mask[:, 10:30])  # a share: a column slice
        np.testing.assert_array_equal(A[:, 10:30], np.where(Z > 0, Z, 0)[:, 10:30])
        assert A.dtype == dtype
    assert relu(-2.0) == 0 and relu(3.0) == 3.0
    np.testing.assert_array_equal(relu([[-1, 2], [3, -4]]), [[0, 2], [3, 0]])


def test_l2_shrinks_the_weights():
    X, Y = spiral()
    plain, regularised = small_net(), small_net()
    plain.fit(X, Y[:, :1], 300, 1.0)
    regularised.fit(X, Y[:, :1], 300, 1.0, l2=0.05)
    norm = lambda net: sum(np.sum(layer.weights**2) for layer in net.layers)  # noqa: E731
    assert norm(regularised) < 0.8 * norm(plain)


def test_l1_drives_weights_to_zero_and_costs_its_penalty():
    X, Y = spiral()
    plain, sparse = small_net(), small_net()
    plain.fit(X, Y[:, :1], 300, 1.0)
    costs = sparse.fit(X, Y[:, :1], 300, 1.0, l1=0.01)
    size = lambda net: sum(np.abs(layer.weights).sum() for layer in net.layers)  # noqa: E731
    assert size(sparse) < 0.8 * size(plain)
    assert costs[-1] >= sparse.cost(X, Y[:, :1]) + 0.009 * size(sparse)  # the penalty counts


def test_a_spec_carries_l1_to_its_trainer_and_refuses_a_negative_one():
    X, Y = spiral()
    spec = nn.RunSpec(hidden=((4, "tanh"),), l1=1e-3, iterations=5)
    assert spec.trainer(X, Y[:, :1]).l1 == 1e-3
    assert nn.RunSpec().l1 == 0.0
    with pytest.raises(nn.NetworkError, match="l1 must be 0 or more"):
        small_net().trainer(X, Y[:, :1], l1=-0.1)


def test_float32_trains_like_float64():
    X, Y = spiral()
    costs64 = small_net().fit(X, Y[:, :1], 200, 1.0)
    net32 = small_net(dtype="float32")
    costs32 = net32.fit(X, Y[:, :1], 200, 1.0)
    assert net32._params.dtype == np.float32 and net32.predict(X).dtype == np.float32
    assert costs32[-1] == pytest.approx(costs64[-1], rel=1e-3)


def test_divergence_names_the_learning_rate_and_keeps_finite_weights():
    X = np.arange(-2.0, 5.0).reshape(-1, 1)
    net = Network(loss="mse", seed=1).add(1, "linear", input_dim=1)
    with pytest.raises(TrainingDiverged, match=r"learning rate 1\b.*smaller.*0\.1") as caught:
        net.fit(X, 2 * X + 1, 5000, learning_rate=1.0)
    assert caught.value.learning_rate == 1.0 and caught.value.iteration > 0
    assert np.isfinite(net._params).all()
    assert np.isfinite(net.cost(X, 2 * X + 1))


def test_introspection_after_a_step():
    X, Y = spiral()
    net = Network(init="he", seed=0).add(5, "relu", input_dim=2).add(3, "tanh").add(1, "sigmoid")
    trainer = net.trainer(X, Y[:, :1], learning_rate=0.5)
    for _ in range(3):
        trainer.step()
    for layer in net.layers:
        assert layer.Z.shape == layer.A.shape == layer.dZ.shape == (len(X), layer.units)
        assert layer.dW.shape == layer.weights.shape and layer.db.shape == (layer.units, 1)
    np.testing.assert_allclose(net.layers[0].A, np.maximum(net.layers[0].Z, 0))
    assert len(trainer.grad_norms) == 3 and trainer.grad_norms[-1].shape == (3,)
    np.testing.assert_allclose(
        trainer.grad_norms[-1][1],
        np.sqrt(np.sum(net.layers[1].dW ** 2) + np.sum(net.layers[1].db ** 2)),
    )
    assert net.parameter_count == (2 * 5 + 5) + (5 * 3 + 3) + (3 + 1)


def test_train_step_returns_the_cost_before_its_update():
    X, Y = spiral()
    net = small_net()
    before = net.cost(X, Y[:, :1])
    assert net.train_step(X, Y[:, :1], learning_rate=0.5) == before
    assert net.cost(X, Y[:, :1]) < before


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_a_large_batch_shared_between_cores_gives_the_same_step(monkeypatch, loss):
    """One share of columns per core: the cost and every [dW | db] match a single pass (to the
    rounding of sums split between the shares)."""
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, (5000, 2))
    Y = (np.hypot(*X.T) < 0.6).astype(float)[:, None]

    def one_step(workers: int):
        monkeypatch.setattr(nn.fast.parallel, "WORKERS", workers)
        net = Network(loss=loss, init="he", seed=4)
        net.add(16, "relu", input_dim=2).add(8, "tanh").add(1, "sigmoid")
        cost = net.train_step(X, Y, learning_rate=0.1)
        ws = net.workspace(len(X))
        return cost, net._grads.copy(), [layer.dZ.copy() for layer in net.layers], ws.shares

    cost, grads, dZ, shares = one_step(workers=1)
    assert shares == [slice(0, 5000)]
    for workers in (2, 3):
        shared_cost, shared_grads, shared_dZ, shares = one_step(workers)
        assert len(shares) == workers and shares[0].start == 0 and shares[-1].stop == 5000
        assert all(a.stop == b.start for a, b in zip(shares, shares[1:], strict=False))
        assert shared_cost == pytest.approx(cost, rel=1e-14)  # the shares' sums, added
        np.testing.assert_allclose(shared_grads, grads, rtol=1e-12, atol=1e-15)
        for a, b in zip(shared_dZ, dZ, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_a_small_batch_stays_in_one_piece(monkeypatch):
    monkeypatch.setattr(nn.fast.parallel, "WORKERS", 2)
    small = nn.fast.parallel.MIN_SAMPLES - 1
    assert nn.fast.parallel.shares(small) == [slice(0, small)]
    assert len(nn.fast.parallel.shares(nn.fast.parallel.MIN_SAMPLES)) == 2


@pytest.mark.parametrize(("limit", "appended"), [(4, 3), (4, 50), (5, 1000), (100, 12_345)])
def test_a_history_thins_evenly_and_keeps_the_first_and_the_latest(limit, appended):
    history = nn.training.History(limit)
    for step in range(appended):
        history.append(step, -step)

    iterations = history.iterations
    assert len(history) == len(iterations) <= limit
    assert iterations[0] == 0 and iterations[-1] == appended - 1
    gaps = np.diff(iterations)
    assert (gaps > 0).all()
    assert set(gaps[:-1]) <= {history.stride}  # evenly spread; the latest may sit closer
    assert list(history) == [-step for step in iterations]


def test_a_long_run_holds_a_bounded_history_but_fit_returns_every_cost():
    """Two and a half times as many steps as a history holds, on a one-unit model."""
    X = np.arange(-2.0, 5.0).reshape(-1, 1)
    steps = 5 * nn.training.HISTORY_POINTS // 2
    costs = Network(loss="mse", seed=1).add(1, "linear", input_dim=1).fit(X, 2 * X + 1, steps)
    net = Network(loss="mse", seed=1).add(1, "linear", input_dim=1)
    trainer = net.trainer(X, 2 * X + 1)
    for _ in range(steps):
        trainer.step()

    assert len(costs) == steps
    for history in (trainer.costs, trainer.grad_norms):
        assert len(history) <= nn.training.HISTORY_POINTS and history.stride > 1
        assert history.iterations[0] == 0 and history.iterations[-1] == steps - 1
        assert np.all(np.diff(history.iterations) > 0)
    assert list(trainer.costs) == [costs[i] for i in trainer.costs.iterations]
    assert trainer.grad_norms[-1].shape == (1,)


# ---- one run's settings (RunSpec) and the one loop (Trainer.run) -----------------------------
def test_a_spec_builds_the_network_a_hand_built_one_is():
    spec = nn.RunSpec(hidden=((8, "tanh"),), init="he", seed=2)
    X, Y = spiral()
    by_hand = small_net()
    from_spec = spec.network(input_dim=2)
    assert [layer.units for layer in from_spec.layers] == [8, 1]
    np.testing.assert_array_equal(from_spec._params, by_hand._params)
    trainer = spec.trainer(X, Y[:, :1])
    costs = [p.cost for p in trainer.run(50)]
    assert costs == by_hand.fit(X, Y[:, :1], 50, 0.01)


def test_a_spec_carries_the_optimizer_settings_l2_batches_and_centred_biases():
    X, Y = spiral()
    spec = nn.RunSpec(
        hidden=((6, "relu"),),
        init="he",
        optimizer="adam",
        optimizer_settings={"beta2": 0.99},
        l2=1e-3,
        batch_size=16,
        centre_biases=True,
    )
    trainer = spec.trainer(X, Y[:, :1])
    assert trainer.optimizer.beta2 == 0.99 and trainer.l2 == 1e-3 and trainer.batch_size == 16
    hidden = np.maximum(
        X @ trainer.network.layers[0].weights.T + trainer.network.layers[0].bias.T, 0
    )
    assert np.all((hidden > 0).mean(axis=0) == pytest.approx(0.5, abs=0.05))


def test_specs_are_equal_by_their_settings_not_their_names():
    a = nn.RunSpec(hidden=((4, "tanh"),), name="a", description="one")
    assert a == nn.RunSpec(hidden=[(4, "tanh")], name="b") and hash(a) == hash(a.with_changes())
    assert a != a.with_changes(seed=2)
    assert nn.RunSpec(batch_size=0, target_cost=0).batch_size is None
    with pytest.raises(nn.NetworkError, match="iterations"):
        nn.RunSpec(iterations=0)


def test_the_loop_stops_when_its_time_is_up_after_one_step_at_least():
    X, Y = spiral()
    trainer = small_net().trainer(X, Y[:, :1])
    reports = list(trainer.run(1000, every=1000, seconds=0.0))
    assert trainer.iteration == 1 and [p.iteration for p in reports] == [0]
    list(trainer.run(1000, every=1000, seconds=60.0))
    assert trainer.iteration == 1001


@pytest.mark.parametrize("batch_size", [None, 16])
def test_new_data_mid_run_keeps_weights_moments_and_iteration(batch_size):
    """set_data: the next step trains on the new data from where the run stands."""
    X, Y = spiral()
    net = small_net()
    trainer = net.trainer(X, Y[:, :1], learning_rate=0.01, optimizer="adam", batch_size=batch_size)
    for _ in trainer.run(10):
        pass
    moments, weights = trainer.optimizer.m.copy(), trainer.network._params.copy()
    more_X, more_Y = np.vstack([X, [[0.5, 0.5]]]), np.vstack([Y[:, :1], [[1.0]]])
    trainer.set_data(more_X, more_Y)

    assert trainer.n == len(X) + 1 and trainer.iteration == 10
    assert trainer.batch_size == (len(X) + 1 if batch_size is None else batch_size)
    np.testing.assert_array_equal(trainer.optimizer.m, moments)
    np.testing.assert_array_equal(trainer.network._params, weights)
    if batch_size is None:  # the full batch's cost is the network's cost on the new data
        expected = net.cost(more_X, more_Y)
        assert trainer.step() == pytest.approx(expected, rel=1e-5)
        moved = more_X.copy()  # as many samples: the loaded batch must be replaced all the same
        moved[0] += 1.0
        trainer.set_data(moved, more_Y)
        expected = net.cost(moved, more_Y)
        assert trainer.step() == pytest.approx(expected, rel=1e-5)


def test_a_trainer_without_samples_refuses_to_step_until_it_has_some():
    X, Y = spiral()
    net = small_net()
    trainer = net.trainer(np.empty((0, 2)), np.empty((0, 1)), learning_rate=0.1)
    with pytest.raises(nn.NetworkError, match="no samples to train on"):
        trainer.step()
    assert trainer.iteration == 0
    trainer.set_data(X, Y[:, :1])
    trainer.step()
    trainer.set_data(X[:0], Y[:0, :1])
    with pytest.raises(nn.NetworkError, match="no samples to train on"):
        trainer.step()
    assert trainer.iteration == 1


def test_new_data_is_checked_as_the_first():
    X, Y = spiral()
    trainer = small_net().trainer(X, Y[:, :1], learning_rate=0.1)
    with pytest.raises(nn.NetworkError, match=r"X has shape \(3, 3\)"):
        trainer.set_data(np.zeros((3, 3)), np.zeros((3, 1)))
    with pytest.raises(nn.NetworkError, match="X has 3 samples but Y has 2"):
        trainer.set_data(np.zeros((3, 2)), np.zeros((2, 1)))
    assert trainer.n == len(X)


def test_a_spec_makes_a_trainer_on_no_samples_with_centred_biases():
    spec = nn.RunSpec(hidden=((4, "relu"),), centre_biases=True)
    trainer = spec.trainer(np.empty((0, 2)), np.empty((0, 1)))
    assert trainer.n == 0 and trainer.network.input_dim == 2
    assert np.isfinite(trainer.network._params).all()


def test_a_history_replaces_its_latest_value_for_a_step_measured_again():
    history = nn.training.History(limit=4)
    with pytest.raises(nn.NetworkError, match="no latest value"):
        history.replace_latest(1.0)
    for step in range(6):
        history.append(step, float(step))
    history.replace_latest(-1.0)
    assert list(history)[-1] == -1.0 and history.iterations[-1] == 5
    assert list(history)[:-1] == [float(i) for i in history.iterations[:-1]]
