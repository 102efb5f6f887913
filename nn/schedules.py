"""Learning-rate schedules: the learning rate as a function of the iteration t = 0, 1, 2, ...

Anywhere a learning rate is expected, a plain number means a constant rate.
"""

import math

from .errors import NetworkError


class Schedule:
    """The learning rate at iteration t. Two schedules are equal when they are of one kind with
    the same settings, so a run's settings that hold one can be compared and hashed."""

    latex = ""

    def _settings(self) -> tuple:
        return (type(self).__name__, tuple(sorted((k, _frozen(v)) for k, v in vars(self).items())))

    def __eq__(self, other) -> bool:
        return isinstance(other, Schedule) and self._settings() == other._settings()

    def __hash__(self) -> int:
        return hash(self._settings())

    def __call__(self, t: int) -> float:
        raise NotImplementedError

    @property
    def peak(self) -> float:
        """The largest rate the schedule reaches (a warm-up approaches its schedule's)."""
        raise NotImplementedError


class Constant(Schedule):
    latex = r"\eta_t = \eta"

    def __init__(self, learning_rate: float):
        self.learning_rate = check_rate(learning_rate)

    def __call__(self, t):
        return self.learning_rate

    @property
    def peak(self):
        return self.learning_rate

    def __repr__(self):
        return f"{self.learning_rate:g}"


class Steps(Schedule):
    """The tutorial's piecewise schedule: (learning_rate, iterations) pairs run in order.
    After the last step the last rate holds."""

    latex = r"\eta_t = \eta_k \text{ during step } k"

    def __init__(self, steps):
        steps = [(check_rate(rate), int(n)) for rate, n in steps]
        if not steps or any(n < 1 for _, n in steps):
            raise ScheduleError("Steps needs (learning_rate, iterations) pairs, iterations ≥ 1")
        self.steps = steps
        self.total_iterations = sum(n for _, n in steps)

    def __call__(self, t):
        for rate, n in self.steps:
            if t < n:
                return rate
            t -= n
        return self.steps[-1][0]

    @property
    def peak(self):
        return max(rate for rate, _ in self.steps)

    def __repr__(self):
        return "steps " + " → ".join(f"{rate:g}×{n}" for rate, n in self.steps)


class ExponentialDecay(Schedule):
    """eta_t = eta_0 * decay^(t / every)."""

    latex = r"\eta_t = \eta_0 \cdot \gamma^{t / T}"

    def __init__(self, learning_rate: float, decay: float = 0.5, every: int = 1000):
        self.learning_rate = check_rate(learning_rate)
        if not 0 < decay <= 1 or every < 1:
            raise ScheduleError("exponential decay needs 0 < decay ≤ 1 and every ≥ 1")
        self.decay, self.every = decay, every

    def __call__(self, t):
        return self.learning_rate * self.decay ** (t / self.every)

    @property
    def peak(self):
        return self.learning_rate

    def __repr__(self):
        return f"{self.learning_rate:g}·{self.decay:g}^(t/{self.every})"


class Cosine(Schedule):
    """Half a cosine from eta_0 down to final * eta_0 over `iterations`, then constant."""

    latex = (
        r"\eta_t = \eta_\mathrm{end} + \tfrac12(\eta_0 - \eta_\mathrm{end})(1 + \cos(\pi t / T))"
    )

    def __init__(self, learning_rate: float, iterations: int, final: float = 0.01):
        self.learning_rate = check_rate(learning_rate)
        if iterations < 1 or not 0 <= final <= 1:
            raise ScheduleError("cosine needs iterations ≥ 1 and 0 ≤ final ≤ 1")
        self.iterations, self.final = iterations, final

    def __call__(self, t):
        end = self.final * self.learning_rate
        progress = min(t, self.iterations) / self.iterations
        return end + 0.5 * (self.learning_rate - end) * (1 + math.cos(math.pi * progress))

    @property
    def peak(self):
        return self.learning_rate

    def __repr__(self):
        return f"cosine {self.learning_rate:g} → {self.final * self.learning_rate:g}"


class Warmup(Schedule):
    """Another schedule eta'_t scaled by a linear ramp from 1/T to 1 over its first T
    iterations, so Adam's first steps, taken while its moment estimates are still rough, stay
    small."""

    latex = r"\eta_t = \min\!\big(1, \tfrac{t + 1}{T}\big)\,\eta'_t"

    def __init__(self, schedule: Schedule, iterations: int):
        if iterations < 1:
            raise ScheduleError("a warm-up needs iterations ≥ 1")
        self.schedule, self.iterations = as_schedule(schedule), int(iterations)

    def __call__(self, t):
        return self.schedule(t) * min(1.0, (t + 1) / self.iterations)

    @property
    def peak(self):
        return self.schedule.peak

    def __repr__(self):
        return f"{self.schedule!r}, warming up over {self.iterations:,}"


def _frozen(value):
    if isinstance(value, Schedule):
        return value._settings()
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


class ScheduleError(NetworkError):
    """A learning rate or schedule setting that cannot work."""


def check_rate(learning_rate) -> float:
    try:
        rate = float(learning_rate)
    except (TypeError, ValueError):
        raise ScheduleError(f"the learning rate must be a number, got {learning_rate!r}") from None
    if not (rate > 0 and math.isfinite(rate)):
        raise ScheduleError(f"the learning rate must be a positive number, got {learning_rate!r}")
    return rate


def as_schedule(learning_rate) -> Schedule:
    """A schedule as is; a number as a constant rate."""
    return learning_rate if isinstance(learning_rate, Schedule) else Constant(learning_rate)
