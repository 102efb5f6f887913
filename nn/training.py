"""Step-wise training for a live page: a Trainer holds everything a run needs between steps
(optimizer moments, schedule position, batch order), so a caller can step, run, stop, pause
and resume at will and lose nothing.

>>> trainer = net.trainer(X, Y, learning_rate=1.2)
>>> for progress in trainer.run(4000, every=1000):
...     print(progress.iteration, progress.cost)

A trainer keeps each step's cost and gradient norms in a ``History``, which thins itself evenly
as it grows: a run that trains for hours holds at most ``HISTORY_POINTS`` of each.
"""

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import NetworkError
from .optimizers import make_optimizer
from .schedules import Schedule, as_schedule

HISTORY_POINTS = 10_000  # the most points a trainer's history holds (thinned beyond)
STUCK_CHANGE = 1e-6  # a cost that moves less than this over `patience` steps is stuck
STUCK_CHECK_EVERY = 50  # steps between checks for a stuck cost


class History(Sequence):
    """Values recorded once per step, thinned as they grow so memory stays O(limit): it keeps
    every ``stride``-th step plus the latest one, and on passing ``limit`` points it drops
    every other kept step and doubles the stride. The kept steps stay evenly spread over the
    whole run (the curve keeps its shape), and the first and the latest are always there.
    It reads like a list of the kept values; ``iterations[k]`` is the step ``self[k]`` is from.
    """

    def __init__(self, limit: int = HISTORY_POINTS):
        if int(limit) != limit or limit < 4:
            raise NetworkError(f"a history needs a limit of at least 4 points, got {limit!r}")
        self.limit = int(limit)
        self.stride = 1
        self.iterations: list[int] = []
        self._values: list = []
        self._appended = 0

    def append(self, iteration: int, value) -> None:
        if self._appended and (self._appended - 1) % self.stride:
            del self.iterations[-1], self._values[-1]  # off the stride: kept as the latest only
        self.iterations.append(iteration)
        self._values.append(value)
        self._appended += 1
        if len(self._values) > self.limit:
            del self.iterations[1:-1:2], self._values[1:-1:2]
            self.stride *= 2

    def replace_latest(self, value) -> None:
        """Put ``value`` in place of the latest value (its step measured again)."""
        if not self._values:
            raise NetworkError("an empty history has no latest value to replace")
        self._values[-1] = value

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index):
        return self._values[index]

    def __iter__(self) -> Iterator:
        return iter(self._values)


@dataclass
class Progress:
    """A report from a run: ``iteration`` is the tutorial's loop index i of the step just taken
    (0 for the first step), ``cost`` that step's cost, before its update."""

    iteration: int
    cost: float
    learning_rate: float
    metrics: dict[str, float] = field(default_factory=dict)


class Trainer:
    def __init__(
        self,
        network,
        X,
        Y,
        learning_rate: float | Schedule = 0.01,
        optimizer: str = "gd",
        batch_size: int | None = None,
        l2: float = 0.0,
        seed: int = 0,
        l1: float = 0.0,
        **optimizer_settings,
    ):
        network._check_trainable()
        self.network = network
        self.learning_rate = learning_rate
        self.optimizer = make_optimizer(
            optimizer, network.parameter_count, network.dtype, **optimizer_settings
        )
        self.l2 = _non_negative("l2", l2)
        self.l1 = _non_negative("l1", l1)
        if batch_size is not None and (int(batch_size) != batch_size or batch_size < 1):
            raise NetworkError(f"batch_size must be a whole number ≥ 1 or None, got {batch_size!r}")
        self._batch_request = None if batch_size is None else int(batch_size)
        self._rng = np.random.default_rng(seed)
        self.set_data(X, Y)
        self._offsets = np.cumsum([0] + [layer.params.size for layer in network.layers])[:-1]
        self.iteration = 0  # steps taken so far
        self.stopped = ""  # why the last run ended (see run)
        self.costs = History()  # per step: the cost before its update
        self.grad_norms = History()  # per step: ||[dW | db]|| of each layer

    def set_data(self, X, Y) -> None:
        """Train on X, Y from the next step on; the weights, the optimizer's moments and the
        iteration count are kept, and a new epoch starts. The data may be empty (a student
        removed every point): ``step`` then refuses until some come back."""
        X, Y = self.network.check_data(X, Y, allow_empty=True)
        self.n = len(X)
        wanted = self.n if self._batch_request is None else self._batch_request
        self.batch_size = min(wanted, self.n)
        self.full_batch = self.batch_size == self.n
        self._X, self._Y = np.ascontiguousarray(X), np.ascontiguousarray(Y)
        self._order = np.arange(self.n)
        self._position = self.n  # start a new epoch (shuffle) on the next mini-batch
        for workspace in self.network._workspaces.values():
            if workspace.holds is self:
                workspace.holds = None

    @property
    def learning_rate(self) -> Schedule:
        return self._schedule

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        """A number or a schedule; changing it mid-run keeps the weights and the moments."""
        self._schedule = as_schedule(value)

    def step(self) -> float:
        """One iteration on the next batch; returns its cost (before the update)."""
        net = self.network
        if net.parameter_count != self.optimizer.size:
            raise NetworkError(
                "the network changed shape since this trainer was made; make a new one"
            )
        if self.n == 0:
            raise NetworkError("there are no samples to train on; give the trainer some first")
        ws = self._next_batch()
        rate = self._schedule(self.iteration)
        cost = net.step(ws, self.optimizer, rate, self.l2, self.iteration, self.l1)
        grads = net._grads
        self.grad_norms.append(
            self.iteration, np.sqrt(np.add.reduceat(grads * grads, self._offsets))
        )
        self.costs.append(self.iteration, cost)
        self.iteration += 1
        return cost

    def run(
        self,
        iterations: int,
        every: int = 1,
        metrics: dict[str, Callable[["Trainer"], float]] | None = None,
        target_cost: float | None = None,
        seconds: float | None = None,
        patience: int = 0,
    ) -> Iterator[Progress]:
        """The training loop: take up to `iterations` steps, yielding a Progress at each i with
        i % every == 0 (as the tutorial prints) and at the last step. It stops early once the
        cost reaches `target_cost`, once `seconds` have passed (after one step at least), or,
        with `patience`, once the cost has moved less than STUCK_CHANGE over that many steps
        (a network whose relu units all died never moves again). ``stopped`` then says why:
        "finished", "reached target", "out of time" or "stuck". A diverging step raises
        ``TrainingDiverged``. Breaking out of the loop pauses; calling run again resumes."""
        every = max(int(every), 1)
        deadline = None if seconds is None else time.perf_counter() + seconds
        check_stuck = min(patience, STUCK_CHECK_EVERY) if patience else 0
        self.stopped = "finished"
        for k in range(int(iterations)):
            i = self.iteration
            cost = self.step()
            if target_cost is not None and cost <= target_cost:
                self.stopped = "reached target"
            elif check_stuck and i % check_stuck == 0 and self._stuck(patience):
                self.stopped = "stuck"
            elif deadline is not None and time.perf_counter() > deadline:
                self.stopped = "out of time"
            done = k == iterations - 1 or self.stopped != "finished"
            if i % every == 0 or done:
                values = {name: float(fn(self)) for name, fn in (metrics or {}).items()}
                yield Progress(i, cost, self._schedule(i), values)
            if done:
                return

    def _stuck(self, patience: int) -> bool:
        recent = self.costs[-patience - 1 :]
        return len(recent) > patience and max(recent) - min(recent) < STUCK_CHANGE

    def train_accuracy(self, threshold: float = 0.5) -> float:
        """Accuracy of the last forward pass on its batch: the share of samples whose
        predicted class (output > threshold, or the largest output) is the true one."""
        net = self.network
        return accuracy(net.output, net.workspace(self._last_size).Y.T, threshold)

    def _next_batch(self):
        net = self.network
        if self.full_batch:
            ws = net.workspace(self.n)
            if ws.holds is not self:
                ws.load(self._X, self._Y, holds=self)
            self._last_size = self.n
            return ws
        if self._position >= self.n:
            self._rng.shuffle(self._order)
            self._position = 0
        batch = self._order[self._position : self._position + self.batch_size]
        self._position += len(batch)
        ws = net.workspace(len(batch))
        np.take(self._X.T, batch, axis=1, out=ws.inputs[0][:-1])
        np.take(self._Y.T, batch, axis=1, out=ws.Y)
        ws.holds = None
        self._last_size = len(batch)
        return ws


def accuracy(P, Y, threshold: float = 0.5) -> float:
    """Share of rows classified right: one output is thresholded, several are argmax'ed."""
    P, Y = np.asarray(P), np.asarray(Y)
    if P.shape[1] == 1:
        return float(np.mean((threshold < P) == (Y > 0.5)))
    return float(np.mean(P.argmax(axis=1) == Y.argmax(axis=1)))


def _non_negative(name: str, value) -> float:
    value = float(value)
    if not value >= 0:
        raise NetworkError(f"{name} must be 0 or more, got {value!r}")
    return value
