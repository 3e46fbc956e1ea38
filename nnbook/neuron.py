"""One artificial neuron: a weighted sum z = b + sum_i w_i x_i, then y = sigma(z).

This is the chapter's neuron diagram in code, for one input at a time.
For many neurons side by side see layers.py; for whole networks network.py.
"""
from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float, as_floats, fmt
from .activations import ACTIVATIONS, check_activation

__all__ = ["weighted_sum", "Neuron"]


def _vector(values: ArrayLike, name: str) -> np.ndarray:
    arr = as_floats(values, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a vector of shape (n,); got shape {arr.shape}")
    return arr


def weighted_sum(x: ArrayLike, w: ArrayLike, b: float) -> float:
    """The weighted sum z = b + sum_i w_i x_i of inputs x with weights w and bias b.

    >>> weighted_sum(x=[1, 2], w=[0.5, -1], b=0.1)
    -1.4
    >>> print(round(weighted_sum(x=[0.8, 0.2, 0.5], w=[0.5, -1.0, 2.0], b=0.1), 4))
    1.3
    """
    x, w, b = _vector(x, "x"), _vector(w, "w"), as_float(b, "b")
    if x.shape != w.shape:
        raise ValueError(f"x and w must have the same length (one weight per input); got {len(x)} inputs and {len(w)} weights")
    # math.fsum adds exactly, then rounds once: the same float on every platform.
    z = math.fsum([b, *(w_i * x_i for w_i, x_i in zip(w.tolist(), x.tolist()))])
    return z


class Neuron:
    """A neuron with weights w, bias b and an activation: y = activation(b + sum_i w_i x_i).

    >>> neuron = Neuron(w=[0.5, -1.0, 2.0], b=0.1)
    >>> neuron
    Neuron(w=[0.5, -1.0, 2.0], b=0.1, activation='sigmoid')
    >>> print(round(neuron([0.8, 0.2, 0.5]), 4))
    0.7858
    """

    def __init__(self, w: ArrayLike, b: float, activation: str = "sigmoid") -> None:
        self.w = _vector(w, "w")
        self.b = as_float(b, "b")
        self.activation = check_activation(activation)
        if activation == "softmax":
            raise ValueError("a single Neuron cannot use 'softmax' (it needs all outputs of a layer); use 'sigmoid', 'relu' or 'linear', or a Layer")

    def __call__(self, x: ArrayLike) -> float:
        x = _vector(x, "x")
        if x.shape != self.w.shape:
            raise ValueError(f"Neuron expects x of shape ({len(self.w)},), one value per weight; got shape {x.shape}")
        sigma = ACTIVATIONS[self.activation][0]
        z = weighted_sum(x, self.w, self.b)
        y = sigma(z)
        return y

    def __repr__(self) -> str:
        return f"Neuron(w={fmt(self.w)}, b={round(self.b, 4)}, activation={self.activation!r})"
