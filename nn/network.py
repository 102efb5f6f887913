"""The network: a list of dense layers, a loss, and forward, backward and update.

Public arrays are samples in rows: X (n_samples, n_features), Y (n_samples, n_outputs), as
pandas and scikit-learn hold them. The tutorial draws the transpose (features in rows), and
so does the engine inside (see ``layers``), because its skinny matrix products run faster so.
The buffers, the cores' shares and chunked evaluation are in ``nn.fast``; the same math, plain,
is ``nn.tutorial``.
"""

import numpy as np

from . import init as initialisation
from . import serialize
from .activations import get_activation
from .errors import ModelFileError, NetworkError, TrainingDiverged, choose
from .fast import parallel, passes
from .fast.render import CHUNK
from .fast.workspace import CACHED_WORKSPACES, Workspace
from .layers import DenseLayer
from .losses import get_loss
from .optimizers import GradientDescent
from .schedules import check_rate

DTYPES = {"float64": np.float64, "float32": np.float32}


class Network:
    """A feed-forward network of dense layers, built like the tutorial's:

    >>> net = Network(loss="cross_entropy", init="tutorial", init_scale=0.01, seed=1)
    >>> net.add(4, activation="tanh", input_dim=2).add(1, activation="sigmoid")
    """

    def __init__(
        self,
        loss: str = "cross_entropy",
        init: str = "tutorial",
        init_scale: float = 0.01,
        seed: int = 0,
        dtype: str = "float64",
    ):
        self.loss = get_loss(loss)
        self.dtype = choose(
            "dtype", dtype if isinstance(dtype, str) else np.dtype(dtype).name, DTYPES
        )
        initialisation.make_rng(init, seed)  # validates the name
        self.init, self.init_scale, self.seed = init, float(init_scale), int(seed)
        self._rng = initialisation.make_rng(init, seed)
        self.layers: list[DenseLayer] = []
        self._params = np.zeros(0, self.dtype)
        self._grads = np.zeros(0, self.dtype)
        self._last_good = np.zeros(0, self.dtype)
        self._workspaces: dict[tuple[int, bool], Workspace] = {}

    # ---- building ------------------------------------------------------------------------
    def add(self, units: int, activation: str = "relu", input_dim: int | None = None) -> "Network":
        """Append a dense layer of `units` units; the first layer also needs `input_dim`."""
        units = _whole_number("units", units)
        activation = get_activation(activation)
        if self.layers:
            if input_dim is not None and input_dim != self.layers[-1].units:
                raise NetworkError(
                    f"input_dim={input_dim} does not match the previous layer's "
                    f"{self.layers[-1].units} units; leave input_dim out after the first layer"
                )
            inputs = self.layers[-1].units
        elif input_dim is None:
            raise NetworkError(
                "the first layer needs input_dim, the number of features in X, "
                "e.g. net.add(4, activation='tanh', input_dim=2)"
            )
        else:
            inputs = _whole_number("input_dim", input_dim)
        layer = DenseLayer(units, inputs, activation)
        weights = initialisation.draw_weights(self.init, self._rng, units, inputs, self.init_scale)
        layer.params = np.hstack([weights, np.zeros((units, 1))])
        self.layers.append(layer)
        self._gather_parameters()
        return self

    def _gather_parameters(self) -> None:
        """Keep every layer's [W | b] and [dW | db] as views into two flat vectors, so an
        optimizer updates all parameters in one operation."""
        self._params = np.concatenate([layer.params.ravel() for layer in self.layers]).astype(
            self.dtype
        )
        self._grads = np.zeros_like(self._params)
        self._last_good = self._params.copy()
        self._weight_mask = np.concatenate(
            [
                np.hstack([np.ones(layer.weights.shape), np.zeros(layer.bias.shape)]).ravel()
                for layer in self.layers
            ]
        ).astype(self.dtype)
        start = 0
        for layer in self.layers:
            size, shape = layer.params.size, layer.params.shape
            layer.params = self._params[start : start + size].reshape(shape)
            layer.grads = self._grads[start : start + size].reshape(shape)
            start += size
        self._workspaces.clear()

    @property
    def parameter_count(self) -> int:
        return int(self._params.size)

    @property
    def input_dim(self) -> int:
        return self.layers[0].inputs

    @property
    def output_dim(self) -> int:
        return self.layers[-1].units

    @property
    def output(self) -> np.ndarray:
        """The last forward pass's output, samples in rows."""
        return self.layers[-1].A

    def __str__(self) -> str:
        lines = [f"{i} -> {layer}" for i, layer in enumerate(self.layers, start=1)]
        lines.append(f"There are {self.parameter_count} trainable parameters in the model.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        sizes = "-".join(str(n) for n in [self.input_dim] + [layer.units for layer in self.layers])
        return f"Network({sizes}, loss={self.loss}, dtype={np.dtype(self.dtype).name})"

    # ---- forward, backward, update ---------------------------------------------------------
    def workspace(self, m: int, train: bool = True) -> Workspace:
        key = (m, train)
        if key not in self._workspaces:
            if len(self._workspaces) >= CACHED_WORKSPACES:
                self._workspaces.pop(next(iter(self._workspaces)))
            self._workspaces[key] = Workspace(self.layers, m, self.dtype, train)
        return self._workspaces[key]

    def forward_pass(self, ws: Workspace) -> None:
        """Run every layer on the samples loaded in `ws` (a large batch: each core takes a
        share of the columns, see ``nn.fast.parallel``)."""
        parallel.run(lambda columns: passes.forward_share(self.layers, ws, columns), ws.shares)
        passes.show_pass(self.layers, ws)

    def cost_of_pass(self, ws: Workspace, l2: float = 0.0, l1: float = 0.0) -> float:
        """J of the last forward pass, plus (l2 / 2) sum W^2 when l2 > 0 and l1 sum |W| when
        l1 > 0."""
        return self.loss.cost(ws.Z[-1], ws.A[-1], ws.Y) + self._penalty(l2, l1)

    def _penalty(self, l2: float, l1: float = 0.0) -> float:
        """(l2 / 2) sum W^2 + l1 sum |W| over every weight (not the biases)."""
        penalty = 0.0
        if l2:
            penalty += 0.5 * l2 * float(np.vdot(self._params * self._weight_mask, self._params))
        if l1:
            penalty += l1 * float(np.vdot(self._weight_mask, np.abs(self._params)))
        return penalty

    def backward_pass(self, ws: Workspace, l2: float = 0.0, l1: float = 0.0) -> None:
        """Backpropagation: from the loss's gradient down to every layer's [dW | db]. The cost
        is a sum over samples, so when cores share the columns, their gradients add up."""
        backward = passes.backward_share
        parallel.run(
            lambda share: backward(self.layers, self.loss, ws, share), range(len(ws.shares))
        )
        self._gather_gradients(ws, l2, l1)

    def _gather_gradients(self, ws: Workspace, l2: float, l1: float = 0.0) -> None:
        """Add the shares' [dW | db], the L2 penalty's gradient l2 W and the L1 penalty's
        l1 sign(W) (0 where a weight is exactly 0, the subgradient nearest no change)."""
        passes.add_shares(self.layers, ws)
        passes.show_pass(self.layers, ws, backward=True)
        if l2:
            self._grads += l2 * self._params * self._weight_mask
        if l1:
            self._grads += l1 * np.sign(self._params) * self._weight_mask

    def step(
        self,
        ws: Workspace,
        optimizer,
        learning_rate: float,
        l2: float = 0.0,
        iteration: int = 0,
        l1: float = 0.0,
    ) -> float:
        """One training iteration on the data in `ws`: forward, cost, backward, update.
        Returns the cost of the forward pass, before the update, as the tutorial prints it.
        Each core runs forward, cost and backward on its share of the columns in one go."""
        shares = range(len(ws.shares))
        train = passes.train_share
        cost = sum(parallel.run(lambda share: train(self.layers, self.loss, ws, share), shares))
        cost += self._penalty(l2, l1)
        passes.show_pass(self.layers, ws)
        if not np.isfinite(cost):
            self._params[:] = self._last_good
            raise TrainingDiverged(iteration, learning_rate)
        self._last_good[:] = self._params
        self._gather_gradients(ws, l2, l1)
        optimizer.update(self._params, self._grads, learning_rate)
        return cost

    # ---- the tutorial's API ----------------------------------------------------------------
    def train_step(self, X, Y, learning_rate: float) -> float:
        """One full-batch gradient-descent step; returns the cost before the update."""
        X, Y = self.check_data(X, Y)
        self._check_trainable()
        ws = self.workspace(len(X))
        ws.load(X, Y)
        if getattr(self, "_gd", None) is None or self._gd.size != self.parameter_count:
            self._gd = GradientDescent(self.parameter_count, self.dtype)
        return self.step(ws, self._gd, check_rate(learning_rate))

    def fit(self, X, Y, iterations: int, learning_rate=0.01, **settings) -> list[float]:
        """Train for `iterations` steps; returns one cost per iteration (before its update).
        Settings are the Trainer's: optimizer, batch_size, l2, l1, seed,
        and the optimizer's own."""
        from .training import Trainer

        trainer = Trainer(self, X, Y, learning_rate=learning_rate, **settings)
        return [trainer.step() for _ in range(int(iterations))]  # every cost: no thinning

    def trainer(self, X, Y, **settings):
        """A Trainer that owns the optimizer state: step, run, pause and resume at will."""
        from .training import Trainer

        return Trainer(self, X, Y, **settings)

    def forward(self, X) -> np.ndarray:
        """The network's output for X, samples in rows."""
        return self.predict(X)

    def predict(self, X, chunk_size: int = CHUNK, dtype: str | None = None) -> np.ndarray:
        """The output for every row of X, evaluated `chunk_size` rows at a time so memory stays
        fixed however many points there are. `dtype="float32"` evaluates in single precision."""
        X = self.check_data(X)
        model = self if dtype is None else self.astype(dtype)
        out = np.empty((len(X), self.output_dim), model.dtype)
        for start, stop, ws in model.chunks(len(X), chunk_size):
            ws.load(X[start:stop])
            model.forward_pass(ws)
            out[start:stop] = ws.A[-1][:, : stop - start].T
        return out

    def chunks(self, n: int, chunk_size: int = CHUNK):
        """(start, stop, workspace) for each chunk of n samples, all sharing one workspace."""
        ws = self.workspace(min(n, chunk_size), train=False)
        for start in range(0, n, chunk_size):
            yield start, min(start + chunk_size, n), ws

    def cost(self, X, Y) -> float:
        """The loss of the network on (X, Y), without training."""
        X, Y = self.check_data(X, Y)
        ws = self.workspace(len(X))
        ws.load(X, Y)
        self.forward_pass(ws)
        return self.cost_of_pass(ws)

    # ---- copies, precision, files ----------------------------------------------------------
    def copy(self) -> "Network":
        return self.astype(np.dtype(self.dtype).name)

    def astype(self, dtype: str) -> "Network":
        """The same network with its parameters in another precision."""
        twin = Network(self.loss, self.init, self.init_scale, self.seed, dtype)
        for layer in self.layers:
            twin.layers.append(DenseLayer(layer.units, layer.inputs, layer.activation))
            twin.layers[-1].params = layer.params.copy()
        twin._gather_parameters()
        return twin

    def save(self, file, settings: dict | None = None) -> None:
        """Write the network to `file` (.npz: architecture, weights and `settings`, any
        JSON-able dict; never a pickle)."""
        serialize.save(self, file, settings)

    @classmethod
    def load(cls, file) -> "Network":
        """A network from a path, bytes or a binary file object written by ``save``; a file
        that is not ours, or is damaged, raises ModelFileError."""
        name, architecture, settings, weights = serialize.read(file)
        try:
            net = cls(
                architecture["loss"],
                architecture["init"],
                architecture["init_scale"],
                architecture["seed"],
                architecture["dtype"],
            )
            for spec, (W, b) in zip(architecture["layers"], weights, strict=True):
                layer = DenseLayer(
                    spec["units"], spec["inputs"], get_activation(spec["activation"])
                )
                layer.params = np.hstack([W, b])
                net.layers.append(layer)
        except (NetworkError, TypeError) as error:
            raise ModelFileError(
                f"{name} describes a network that cannot be built: {error}"
            ) from None
        net._gather_parameters()
        net.settings = settings
        return net

    # ---- validation ------------------------------------------------------------------------
    def _check_trainable(self) -> None:
        if not self.layers:
            raise NetworkError("the network has no layers yet; add some with net.add(...)")
        wanted, last = self.loss.output, self.layers[-1].activation.name
        if wanted and last != wanted:
            raise NetworkError(
                f"{self.loss.name} needs a {wanted} output layer, but the last layer is {last}; "
                f"use activation='{wanted}' for the last layer, or loss='mse'"
            )

    def check_data(self, X, Y=None, allow_empty: bool = False):
        """X (and Y) as arrays of the network's dtype, or a NetworkError that says what is wrong.
        No samples at all is wrong too, unless ``allow_empty``."""
        if not self.layers:
            raise NetworkError("the network has no layers yet; add some with net.add(...)")
        X = _as_matrix("X", X, self.input_dim, "features", allow_empty)
        if Y is None:
            return X.astype(self.dtype, copy=False)
        Y = _as_matrix("Y", Y, self.output_dim, "outputs", allow_empty)
        if len(Y) != len(X):
            raise NetworkError(
                f"X has {len(X)} samples but Y has {len(Y)}; they need one row per sample each"
            )
        return X.astype(self.dtype, copy=False), Y.astype(self.dtype, copy=False)


def _as_matrix(name: str, data, columns: int, what: str, allow_empty: bool = False) -> np.ndarray:
    try:
        array = np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        raise NetworkError(f"{name} must be numbers, got {type(data).__name__}") from None
    if array.ndim != 2 or array.shape[1] != columns:
        hint = f"; try {name}.reshape(-1, {columns})" if array.ndim == 1 else ""
        raise NetworkError(
            f"{name} has shape {array.shape}, but this network expects (n_samples, {columns}): "
            f"one row per sample and {columns} {what} per row{hint}"
        )
    if len(array) == 0 and not allow_empty:
        raise NetworkError(f"{name} has no samples")
    if not np.isfinite(array).all():
        row, col = np.argwhere(~np.isfinite(array))[0]
        raise NetworkError(
            f"{name} contains NaN or infinity (first at row {row}, column {col}); "
            "fill in or drop the missing values first"
        )
    return array


def _whole_number(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise NetworkError(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(value)
