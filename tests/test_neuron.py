"""Weighted sum and Neuron against plain loops with math.exp."""
import math

import numpy as np
import pytest

from nnbook import Neuron, weighted_sum

X, W, B = [0.8, 0.2, 0.5], [0.5, -1.0, 2.0], 0.1


def loop_z(x, w, b):
    z = b
    for w_i, x_i in zip(w, x):
        z += w_i * x_i
    return z


def test_weighted_sum_hand_worked():
    assert weighted_sum(x=[1, 2], w=[0.5, -1], b=0.1) == -1.4  # 0.1 + 0.5 - 2
    assert math.isclose(weighted_sum(X, W, B), 1.3)  # 0.1 + 0.4 - 0.2 + 1.0
    assert type(weighted_sum(X, W, B)) is float


def test_weighted_sum_matches_loop_random():
    rng = np.random.default_rng(1)
    for n in (1, 3, 50):
        x, w, b = rng.normal(size=n), rng.normal(size=n), float(rng.normal())
        assert math.isclose(weighted_sum(x, w, b), loop_z(x.tolist(), w.tolist(), b), rel_tol=1e-9, abs_tol=1e-12)


def test_neuron_sigmoid_relu_linear():
    z = loop_z(X, W, B)
    assert math.isclose(Neuron(W, B)(X), 1 / (1 + math.exp(-z)))
    assert math.isclose(Neuron(W, B, "relu")(X), max(0.0, z))
    assert math.isclose(Neuron(W, -5.0, "relu")(X), 0.0)
    assert math.isclose(Neuron(W, B, "linear")(X), z)
    assert type(Neuron(W, B)(X)) is float


def test_neuron_attributes_and_repr():
    n = Neuron(w=[0.5, -1, 2], b=0.1)
    assert isinstance(n.w, np.ndarray) and n.w.dtype == float
    assert n.b == 0.1 and n.activation == "sigmoid"
    assert repr(n) == "Neuron(w=[0.5, -1.0, 2.0], b=0.1, activation='sigmoid')"
    big = Neuron(w=np.zeros(784), b=0)
    assert repr(big) == "Neuron(w=[0.0, 0.0, ..., 0.0] (784 values), b=0.0, activation='sigmoid')"


def test_bias_shifts_firing():
    # a larger bias makes the same inputs give a larger output
    assert Neuron(W, 2.0)(X) > Neuron(W, -2.0)(X)


@pytest.mark.parametrize("call, err, message", [
    (lambda: weighted_sum([1, 2, 3], [1, 2], 0), ValueError, "3 inputs and 2 weights"),
    (lambda: weighted_sum([[1, 2]], [1, 2], 0), ValueError, r"x must be a vector of shape \(n,\); got shape \(1, 2\)"),
    (lambda: weighted_sum([1, 2], [1, 2], [0.5]), TypeError, "b must be a real number; got list"),
    (lambda: weighted_sum([1, 2], [1, 2], "0.5"), TypeError, "b must be a real number"),
    (lambda: weighted_sum([1, 2], [1, 2], float("nan")), ValueError, "b must be a finite number"),
    (lambda: weighted_sum([], [], 0), ValueError, "x must not be empty"),
    (lambda: Neuron(W, B)([1.0, 2.0, 3.0, 4.0]), ValueError, r"Neuron expects x of shape \(3,\), one value per weight; got shape \(4,\)"),
    (lambda: Neuron(W, B)(["a", "b", "c"]), TypeError, "x must contain real numbers"),
    (lambda: Neuron(W, B)([1.0, float("inf"), 0.0]), ValueError, "finite"),
    (lambda: Neuron(W, B, "tanh"), ValueError, "unknown activation 'tanh'; expected one of 'sigmoid', 'relu', 'softmax', 'linear'"),
    (lambda: Neuron(W, B, None), TypeError, "activation must be a name"),
    (lambda: Neuron(W, B, "softmax"), ValueError, "cannot use 'softmax'"),
    (lambda: Neuron([[0.5, 1.0]], B), ValueError, r"w must be a vector of shape \(n,\); got shape \(1, 2\)"),
])
def test_bad_input(call, err, message):
    with pytest.raises(err, match=message):
        call()
