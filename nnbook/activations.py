"""Activation functions: what a neuron does with its weighted sum z.

sigmoid and relu are the two functions the chapter describes; softmax turns
the ten outputs of a digit classifier into probabilities; linear passes z
through unchanged. Each works on one number (returns a Python float) or on an
array (returns an array, element by element; softmax along the last axis).
Readable and numerically stable, not optimised.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_floats

__all__ = ["sigmoid", "sigmoid_prime", "relu", "relu_prime", "softmax", "linear", "linear_prime", "ACTIVATIONS"]


def _out(z_in: object, y: np.ndarray) -> float | np.ndarray:
    """Numbers in give a Python float out; arrays in give an array out."""
    return float(y) if np.ndim(z_in) == 0 else y


def sigmoid(z: ArrayLike) -> float | np.ndarray:
    """The sigmoid function sigma(z) = 1 / (1 + e^-z), which squashes z into (0, 1).

    >>> sigmoid(0)
    0.5
    >>> print(round(sigmoid(1.3), 4))
    0.7858
    >>> print(np.round(sigmoid([-1000, 0, 1000]), 4))
    [0.  0.5 1. ]
    """
    z_arr = as_floats(z, "z")
    # Same formula, written with e^-|z| so that e^-z never overflows for z = -1000.
    e = np.exp(-np.abs(z_arr))
    y = np.where(z_arr >= 0, 1 / (1 + e), e / (1 + e))
    return _out(z, y)


def sigmoid_prime(z: ArrayLike) -> float | np.ndarray:
    """The derivative of the sigmoid: sigma'(z) = sigma(z) (1 - sigma(z)).

    >>> sigmoid_prime(0)
    0.25
    """
    s = np.asarray(sigmoid(z))
    return _out(z, s * (1 - s))


def relu(z: ArrayLike) -> float | np.ndarray:
    """The rectified linear unit R(z) = max(0, z).

    >>> relu(-2.0), relu(1.5)
    (0.0, 1.5)
    """
    z_arr = as_floats(z, "z")
    return _out(z, np.maximum(0.0, z_arr))


def relu_prime(z: ArrayLike) -> float | np.ndarray:
    """The derivative of ReLU: 1 for z > 0, else 0 (we take 0 at z = 0).

    >>> relu_prime(-2.0), relu_prime(1.5)
    (0.0, 1.0)
    """
    z_arr = as_floats(z, "z")
    return _out(z, (z_arr > 0).astype(float))


def linear(z: ArrayLike) -> float | np.ndarray:
    """The identity: y = z (a neuron without activation, like the linear classifier).

    >>> linear(-1.4)
    -1.4
    """
    z_arr = as_floats(z, "z")
    return _out(z, z_arr)


def linear_prime(z: ArrayLike) -> float | np.ndarray:
    """The derivative of the identity: 1 everywhere.

    >>> linear_prime(-1.4)
    1.0
    """
    z_arr = as_floats(z, "z")
    return _out(z, np.ones_like(z_arr))


def softmax(z: ArrayLike) -> np.ndarray:
    """Softmax e^z_i / sum_j e^z_j: turns scores into probabilities that add up to 1.

    z is a vector (n,) or a batch (batch, n); softmax works along the last axis.

    >>> print(np.round(softmax([1.0, 2.0, 3.0]), 4))
    [0.09   0.2447 0.6652]
    >>> print(round(float(softmax([1000.0, 0.0]).sum()), 4))
    1.0
    """
    z_arr = as_floats(z, "z")
    if z_arr.ndim not in (1, 2):
        raise ValueError(f"softmax expects z of shape (n,) or (batch, n); got shape {z_arr.shape}")
    # Subtracting the largest z does not change the result and keeps e^z from overflowing.
    e = np.exp(z_arr - z_arr.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


Activation = Callable[..., "float | np.ndarray"]

# name -> (function, derivative); softmax has no element-wise derivative.
ACTIVATIONS: dict[str, tuple[Activation, Activation | None]] = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "relu": (relu, relu_prime),
    "softmax": (softmax, None),
    "linear": (linear, linear_prime),
}


def check_activation(name: object) -> str:
    """Return name if it is a known activation, else raise naming the known ones."""
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name such as 'sigmoid'; got {type(name).__name__} {name!r:.40}")
    if name not in ACTIVATIONS:
        known = ", ".join(repr(k) for k in ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; expected one of {known}")
    return name
