"""The teaching path's code beside the plots.

``engine_source`` reads the functions of ``nn/tutorial.py`` (the network as the tutorial writes
it) with ``inspect.getsource``, for the activations and the loss this network uses; the engine
computes the same numbers to 1e-12 (``tests/nn/test_tutorial_path.py``). Momentum and Adam
show their update from ``nn/optimizers.py``.
"""

import inspect
import textwrap
from functools import cache

import streamlit as st

from nn import ACTIVATIONS, OPTIMIZERS, Network, tutorial
from nn.optimizers import ALIASES as OPTIMIZER_ALIASES
from nn.optimizers import GradientDescent


# ---- the teaching path's source ------------------------------------------------------------
@cache
def source_of(function) -> str:
    """The source text of a function, dedented (cached: the code does not change while the
    app runs)."""
    return textwrap.dedent(inspect.getsource(function))


def _piece(function) -> tuple[str, str]:
    """(title, source) of a function, titled like "DenseLayer.forward (nn/tutorial.py)"."""
    path = function.__module__.replace(".", "/") + ".py"
    return f"{function.__qualname__} ({path})", source_of(function)


def optimizer_class(name: str) -> type:
    """The optimizer class `name` stands for (aliases like 'sgd' included)."""
    key = name.strip().lower() if isinstance(name, str) else name
    known = {**OPTIMIZERS, **OPTIMIZER_ALIASES}
    if key not in known:
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
    return known[key]


def _activation_pieces(network: Network) -> tuple[list, list]:
    """The forward and backward pieces of each activation in use, once each: the teaching
    path's function (its g'(z) comes with it), or the engine's class where the teaching path
    has none (softmax)."""
    forward, backward = [], []
    for name in dict.fromkeys(layer.activation.name for layer in network.layers):
        if name in tutorial.ACTIVATIONS:
            forward.append(_piece(tutorial.ACTIVATIONS[name]))
        else:
            kind = type(ACTIVATIONS[name])
            forward.append(_piece(kind.forward))
            backward.append(_piece(kind.backward))
    return forward, backward


def _loss_pieces(network: Network) -> tuple[tuple[str, str], tuple[str, str]]:
    """(cost, gradient) pieces of the network's loss: the teaching path's, or the engine's."""
    name = network.loss.name
    if name in tutorial.LOSSES:
        cost, gradient, _ = tutorial.LOSSES[name]
        return _piece(cost), _piece(gradient)
    return _piece(type(network.loss).cost), _piece(type(network.loss).gradient)


def engine_source(network: Network, optimizer: str) -> dict[str, list[tuple[str, str]]]:
    """The code that trains `network` with `optimizer`, by tab: {"forward", "backward",
    "update"} -> [(title, source)], read from ``nn/tutorial.py`` (and, for momentum and
    Adam, their update from ``nn/optimizers.py``)."""
    forward_activations, backward_activations = _activation_pieces(network)
    cost, gradient = _loss_pieces(network)
    optimizer_type = optimizer_class(optimizer)
    if optimizer_type is GradientDescent:
        update = [_piece(tutorial.Network.update), _piece(tutorial.DenseLayer.update)]
    else:
        update = [_piece(optimizer_type.update)]
    return {
        "forward": [
            _piece(tutorial.Network.forward),
            _piece(tutorial.DenseLayer.forward),
            *forward_activations,
            cost,
        ],
        "backward": [
            _piece(tutorial.Network.backward),
            gradient,
            *backward_activations,
            _piece(tutorial.DenseLayer.backward),
        ],
        "update": [_piece(tutorial.Network.train_step), *update],
    }


def code_view(network: Network, optimizer: str) -> None:
    """Tabs "forward", "backward" and "update" with the code of this run's network."""
    try:
        sources = engine_source(network, optimizer)
    except ValueError as error:
        st.error(str(error))
        return
    for tab, (name, pieces) in zip(st.tabs(list(sources)), sources.items(), strict=True):
        with tab:
            if name == "forward":
                st.caption(
                    "The tutorial's network in plain NumPy (nn/tutorial.py); the engine that "
                    "trains this run computes the same numbers, faster."
                )
            if name == "update":
                st.latex(optimizer_class(optimizer).latex)
                if optimizer_class(optimizer) is not GradientDescent:
                    st.caption(
                        "This run replaces the gradient-descent update with the rule below, "
                        "applied to every weight and bias at once."
                    )
            for title, source in pieces:
                st.caption(title)
                st.code(source, language="python")
