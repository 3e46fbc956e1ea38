"""A layer: several neurons that all read the same inputs x.

Each row of the weight matrix w holds one neuron's weights, so the whole
layer is z = w @ x + b, y = sigma(z). Not for training (no gradients here).
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_floats
from .activations import ACTIVATIONS, check_activation

__all__ = ["Layer"]


class Layer:
    """A fully connected layer: y = activation(w @ x + b).

    w has shape (n_out, n_in): row j holds the weights of neuron j. (The chapter
    writes w_i for one neuron; a layer stacks one such row per neuron.)

    >>> layer = Layer(w=[[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1]], b=[0.1, -0.2])
    >>> layer
    Layer(3 -> 2, activation='sigmoid')
    >>> print(np.round(layer([0.8, 0.2, 0.5]), 4))
    [0.7858 0.4428]
    """

    def __init__(self, w: ArrayLike, b: ArrayLike, activation: str = "sigmoid") -> None:
        self.w = as_floats(w, "w")
        self.b = as_floats(b, "b")
        self.activation = check_activation(activation)
        if self.w.ndim != 2:
            raise ValueError(f"Layer expects w of shape (n_out, n_in), one row per neuron; got shape {self.w.shape}")
        self.n_out, self.n_in = self.w.shape
        if self.b.shape != (self.n_out,):
            raise ValueError(f"Layer expects b of shape ({self.n_out},), one bias per row of w; got shape {self.b.shape}")

    def __call__(self, x: ArrayLike) -> np.ndarray:
        """x of shape (n_in,) gives y of shape (n_out,); a batch (batch, n_in) gives (batch, n_out)."""
        x = as_floats(x, "x")
        if x.ndim not in (1, 2) or x.shape[-1] != self.n_in:
            raise ValueError(f"Layer expects x of shape ({self.n_in},) or (batch, {self.n_in}); got shape {x.shape}")
        w, b, sigma = self.w, self.b, ACTIVATIONS[self.activation][0]
        z = w @ x + b if x.ndim == 1 else x @ w.T + b  # a batch holds one x per row
        y = sigma(z)
        return y

    def __repr__(self) -> str:
        return f"Layer({self.n_in} -> {self.n_out}, activation={self.activation!r})"
