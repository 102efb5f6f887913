"""The math panel: the equations a network computes for one sample, with today's numbers.

The tutorial draws features in rows: a sample is a column vector a, and a layer with `units`
units on `inputs` inputs has W of shape (units, inputs). The data tables hold samples in rows,
so the panel shows one row of X as the column a^[0]. Forward, for layers l = 1..L:

    z^[l] = W^[l] a^[l-1] + b^[l],    a^[l] = g(z^[l])

Backward, from the output down, with delta^[l] = dJ/dz^[l]:

    delta^[L] = dJ/dz^[L],    delta^[l] = (W^[l+1]^T delta^[l+1]) * g'(z^[l]),
    dW^[l] = delta^[l] a^[l-1]^T,    db^[l] = delta^[l]

The pure helpers (``matrix_latex``, ``layer_equations``, ``layer_latex``, ``grad_norm_spec``,
``gradient_check_rows``) know nothing of Streamlit; ``math_panel`` draws them.
"""

import math

import numpy as np
import streamlit as st

import nn
from nn import NetworkError
from nn.training import History

GRADCHECK_TOLERANCE = 1e-6
MAX_CHART_STEPS = 500
GRADCHECK_EXPLANATION = (
    "The gradient check nudges every weight and bias a tiny step either way, measures how the "
    "cost changes, and compares that numerical slope with backpropagation's gradient: a "
    "relative error below 1e-6 means backprop computes the true derivative; near 1, a bug."
)
KINK_NOTE = (
    " Relu bends sharply at z = 0: when a nudge steps across the bend the numerical slope is "
    "off, so a small miss in a relu network is expected and not a bug."
)
ORIENTATION_NOTE = (
    "Like the tutorial, these equations draw **features in rows**: one sample is a column "
    "vector $a$, so $W$ has shape (units, inputs). The data tables hold samples in rows; the "
    "sample below is one row of $X$, stood up as the column $a^{[0]}$."
)


# ---- formatting ----------------------------------------------------------------------------
def number_latex(value: float, digits: int = 3) -> str:
    """`value` to `digits` significant digits, in LaTeX: 0.0123, -4.56 \\times 10^{-7}."""
    value = float(value)
    if math.isnan(value):
        return r"\mathrm{NaN}"
    if math.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def _kept(count: int, limit: int) -> list[int | None]:
    """Indices to draw out of `count`, with None where the middle is elided."""
    if count <= limit:
        return list(range(count))
    head = limit // 2
    tail = limit - head
    return [*range(head), None, *range(count - tail, count)]


def matrix_latex(array, max_rows: int = 6, max_cols: int = 6, digits: int = 3) -> str:
    """A LaTeX bmatrix of `array` (a 1-D array is a column); beyond `max_rows` rows or
    `max_cols` columns, the middle ones become \\vdots / \\cdots so it fits on a projector."""
    matrix = np.asarray(array, dtype=float)
    if matrix.ndim == 1:
        matrix = matrix[:, None]
    if matrix.ndim != 2:
        raise ValueError(f"matrix_latex needs a 1-D or 2-D array, got shape {matrix.shape}")
    rows = _kept(matrix.shape[0], max_rows)
    cols = _kept(matrix.shape[1], max_cols)
    lines = []
    for i in rows:
        cells = []
        for j in cols:
            if i is None:
                cells.append(r"\ddots" if j is None else r"\vdots")
            else:
                cells.append(r"\cdots" if j is None else number_latex(matrix[i, j], digits))
        lines.append(" & ".join(cells))
    return r"\begin{bmatrix}" + r" \\ ".join(lines) + r"\end{bmatrix}"


def shape_latex(name: str, array: np.ndarray) -> str:
    """`name` ∈ ℝ^{rows×cols}, e.g. W^{[1]} \\in \\mathbb{R}^{4 \\times 2}."""
    rows, cols = np.shape(array)
    return rf"{name} \in \mathbb{{R}}^{{{rows} \times {cols}}}"


# ---- the numbers ---------------------------------------------------------------------------
def layer_equations(network: nn.Network, x, y) -> list[dict]:
    """Forward and backward values of every layer for the one sample (x, y), as the engine
    computes them, in the tutorial's orientation (column vectors, W of shape (units, inputs)).

    Runs on a copy of the network, so a training run in progress is not disturbed. Each dict
    holds: layer (1-based), units, inputs, activation, W, b, a_prev, z, a, delta, dW, db, and
    for hidden layers the two factors of delta: backprop = W^[l+1]^T delta^[l+1] and
    slope = g'(z^[l]). With one sample the cost's 1/m is 1, so dW = delta a_prev^T exactly.
    """
    twin = network.copy()
    X, Y = twin.check_data(np.reshape(x, (1, -1)), np.reshape(y, (1, -1)))
    needed, last = twin.loss.output, twin.layers[-1].activation.name
    if needed and last != needed:
        raise NetworkError(
            f"{twin.loss.name} needs a {needed} output layer, but the last layer is {last}; "
            f"use activation='{needed}' for the last layer, or loss='mse'"
        )
    ws = twin.workspace(1)
    ws.load(X, Y)
    twin.forward_pass(ws)
    twin.backward_pass(ws)
    equations = []
    a_prev = X.T.copy()
    for number, layer in enumerate(twin.layers, start=1):
        equations.append(
            {
                "layer": number,
                "units": layer.units,
                "inputs": layer.inputs,
                "activation": layer.activation,
                "W": layer.weights.copy(),
                "b": layer.bias.copy(),
                "a_prev": a_prev,
                "z": layer.Z.T.copy(),
                "a": layer.A.T.copy(),
                "delta": layer.dZ.T.copy(),
                "dW": layer.dW.copy(),
                "db": layer.db.copy(),
            }
        )
        a_prev = equations[-1]["a"]
    for below, above in zip(equations, equations[1:], strict=False):
        below["backprop"] = above["W"].T @ above["delta"]
        below["slope"] = below["activation"].derivative(below["z"])
    equations[-1]["y"] = Y.T.copy()
    return equations


# ---- the equations in LaTeX ----------------------------------------------------------------
def layer_latex(equation: dict, loss=None, digits: int = 3) -> dict[str, list[str]]:
    """LaTeX lines for one entry of ``layer_equations``: {"shapes", "forward", "backward"}.
    Give the network's `loss` for the output layer, to name its gradient."""
    number = equation["layer"]
    sup = f"^{{[{number}]}}"
    prev = f"^{{[{number - 1}]}}"

    def m(key: str) -> str:
        return matrix_latex(equation[key], digits=digits)

    name = equation["activation"].name
    g = "g" if name == "linear" else r"\mathrm{" + name.replace("_", r"\_") + "}"
    shapes = ",\\quad ".join(
        [
            shape_latex(f"W{sup}", equation["W"]),
            shape_latex(f"b{sup}", equation["b"]),
            shape_latex(f"a{prev}", equation["a_prev"]),
            shape_latex(f"z{sup}, a{sup}", equation["z"]),
        ]
    )
    forward = [
        _steps(
            f"z{sup}",
            rf"W{sup} a{prev} + b{sup}",
            rf"{m('W')} {m('a_prev')} + {m('b')}",
            m("z"),
        ),
        rf"a{sup} = {g}(z{sup}) = {m('a')}",
    ]
    if "backprop" in equation:
        delta = _steps(
            rf"\delta{sup}",
            rf"\big(W^{{[{number + 1}]\top}} \delta^{{[{number + 1}]}}\big) \odot {g}'(z{sup})",
            rf"{m('backprop')} \odot {m('slope')}",
            m("delta"),
        )
    else:
        how = r"\frac{\partial J}{\partial z" + sup + "}"
        if loss is not None and getattr(loss, "output", None) is None:
            how += r" = \frac{\partial J}{\partial a" + sup + rf"}} \odot {g}'(z{sup})"
        delta = rf"\delta{sup} = {how} = {m('delta')}"
    backward = [
        delta,
        _steps(
            f"dW{sup}",
            rf"\delta{sup} a^{{[{number - 1}]\top}}",
            f"{m('delta')} {matrix_latex(equation['a_prev'].T, digits=digits)}",
            m("dW"),
        ),
        rf"db{sup} = \delta{sup} = {m('db')}",
    ]
    return {"shapes": [shapes], "forward": forward, "backward": backward}


def _steps(left: str, *right: str) -> str:
    """left = right[0] = right[1] = ..., one step per line, aligned on the = signs, so wide
    matrices stack down a narrow column instead of running off it."""
    lines = [f"{left} &= {right[0]}", *(f"&= {step}" for step in right[1:])]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


# ---- gradient norms and gradient check -----------------------------------------------------
def grad_norm_spec(grad_norms: list[np.ndarray], max_steps: int = MAX_CHART_STEPS) -> dict:
    """A raw Vega-Lite spec: ||[dW | db]|| of each layer against the iteration, log y, one line
    per layer. At most `max_steps` iterations are drawn per line, evenly spread, always
    including the first and the latest; zero or non-finite norms cannot sit on a log axis and
    are left out."""
    steps = len(grad_norms)
    if steps > max_steps:
        picked = np.unique(np.linspace(0, steps - 1, max_steps).round().astype(int))
    else:
        picked = np.arange(steps)
    if isinstance(grad_norms, History):  # a Trainer's: thinned, it knows each step's iteration
        iterations = np.asarray(grad_norms.iterations)[picked]
    else:
        iterations = picked
    layers = len(grad_norms[-1]) if steps else 0
    norms = np.array([grad_norms[step] for step in picked], dtype=float)
    norms = norms.reshape(len(picked), layers)
    names = [f"layer {number}" for number in range(1, layers + 1)]
    values = [
        {"iteration": step, "layer": name, "norm": norm}
        for step, row in zip(iterations.tolist(), norms.tolist(), strict=True)
        for name, norm in zip(names, row, strict=True)
        if 0 < norm < math.inf
    ]
    return {
        "data": {"values": values},
        "mark": {"type": "line"},
        "height": 220,
        "encoding": {
            "x": {"field": "iteration", "type": "quantitative", "title": "iteration"},
            "y": {
                "field": "norm",
                "type": "quantitative",
                "scale": {"type": "log"},
                "title": "‖[dW | db]‖",
            },
            "color": {"field": "layer", "type": "nominal", "title": None},
        },
    }


def gradient_check_rows(errors: list[float]) -> list[dict]:
    """One table row per layer: its relative error and ✓ when below 1e-6 (✗ otherwise)."""
    return [
        {
            "layer": number,
            "relative error": f"{error:.2e}",
            "ok": "✓" if error < GRADCHECK_TOLERANCE else "✗",
        }
        for number, error in enumerate(errors, start=1)
    ]


# ---- Streamlit -----------------------------------------------------------------------------
def math_panel(
    network: nn.Network, X, Y, key: str, grad_norms: list[np.ndarray] | None = None
) -> None:
    """Draw the math panel for `network` on data X, Y (samples in rows). Widgets are keyed
    f"{key}_sample" and f"{key}_gradcheck"; `grad_norms` is a Trainer's list of per-step
    per-layer gradient norms. Cheap per rerun: one forward and backward pass on one sample."""
    n_samples = len(X)
    sample_key = f"{key}_sample"
    if st.session_state.get(sample_key, 0) > n_samples - 1:  # the data shrank since last time
        st.session_state[sample_key] = n_samples - 1
    st.markdown(ORIENTATION_NOTE)
    sample = st.number_input(
        f"Sample (0 to {n_samples - 1})",
        min_value=0,
        max_value=n_samples - 1,
        step=1,
        key=sample_key,
    )
    x, y = np.asarray(X)[int(sample)], np.asarray(Y)[int(sample)]
    try:
        equations = layer_equations(network, x, y)
    except NetworkError as error:
        st.error(str(error))
        return
    first = equations[0]
    st.latex(
        rf"a^{{[0]}} = x = {matrix_latex(first['a_prev'])},\quad "
        rf"y = {matrix_latex(equations[-1]['y'])}"
    )

    loss = network.loss
    st.markdown(f"**Loss** `{loss.name}`, averaged over the $m$ samples; here $m = 1$")
    st.latex(loss.latex)
    if getattr(loss, "gradient_latex", ""):
        st.latex(loss.gradient_latex)
    st.markdown("**Activations in use**")
    seen = {}
    for layer in network.layers:
        seen.setdefault(layer.activation.name, layer.activation)
    for activation in seen.values():
        st.latex(rf"{activation.latex},\qquad {activation.derivative_latex}")

    drawn = [layer_latex(eq, loss) for eq in equations]
    st.markdown(r"**Forward pass**: $z = W a + b$, $a = g(z)$")
    for eq, lines in zip(equations, drawn, strict=True):
        st.caption(f"Layer {eq['layer']}: {eq['units']} {eq['activation'].name} units")
        for line in lines["shapes"] + lines["forward"]:
            st.latex(line)
    st.markdown(r"**Backward pass**: $\delta = \partial J / \partial z$, from the output down")
    for eq, lines in reversed(list(zip(equations, drawn, strict=True))):
        st.caption(f"Layer {eq['layer']}")
        for line in lines["backward"]:
            st.latex(line)

    _gradient_check(network, X, Y, key)

    st.markdown(r"**Gradient norms** $\lVert [dW \mid db] \rVert$ per layer, over the iterations")
    if grad_norms:
        st.vega_lite_chart(grad_norm_spec(grad_norms), width="stretch")
    else:
        st.caption("train a few steps to see gradient norms")


def _gradient_check(network: nn.Network, X, Y, key: str) -> None:
    """The gradient check runs only when its button is clicked; the result stays in
    session_state under the button's key, for the network it was computed on."""
    button_key = f"{key}_gradcheck"
    result_key = f"{button_key}_result"
    st.markdown("**Gradient check**")
    if st.button("Check the gradients", key=button_key):
        try:
            st.session_state[result_key] = (repr(network), nn.gradient_check(network, X, Y))
        except NetworkError as error:
            st.session_state.pop(result_key, None)
            st.error(str(error))
    checked = st.session_state.get(result_key)
    if checked and checked[0] == repr(network):
        st.table(gradient_check_rows(checked[1]), hide_index=True)
        note = GRADCHECK_EXPLANATION
        kinked = {"relu", "leaky_relu"} & {layer.activation.name for layer in network.layers}
        if kinked and max(checked[1], default=0) >= GRADCHECK_TOLERANCE:
            note += KINK_NOTE
        st.caption(note + " (Computed at the click; click again after training.)")
