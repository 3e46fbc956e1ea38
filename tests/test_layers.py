"""Layer against one Neuron per row and a plain loop."""
import math

import numpy as np
import pytest

from nnbook import Layer

W = [[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1]]
B = [0.1, -0.2]
X = [0.8, 0.2, 0.5]


def loop_layer(w, b, x, f):
    return [f(b_j + sum(w_ji * x_i for w_ji, x_i in zip(w_j, x))) for w_j, b_j in zip(w, b)]


def sig(z):
    return 1 / (1 + math.exp(-z))


def test_hand_worked_chapter_layer():
    # z = (0.1 + 0.4 - 0.2 + 1.0, -0.2 - 0.24 + 0.16 + 0.05) = (1.3, -0.23)
    y = Layer(W, B)(X)
    assert y.shape == (2,)
    assert np.allclose(y, [sig(1.3), sig(-0.23)], rtol=1e-12)


def test_relu_and_linear_layers_match_loop():
    assert np.allclose(Layer(W, B, "relu")(X), loop_layer(W, B, X, lambda z: max(0.0, z)))
    assert np.allclose(Layer(W, B, "linear")(X), [1.3, -0.23])


def test_softmax_layer_adds_to_one():
    z = [1.3, -0.23]
    e = [math.exp(v) for v in z]
    assert np.allclose(Layer(W, B, "softmax")(X), [v / sum(e) for v in e])


def test_batch_is_row_by_row():
    rng = np.random.default_rng(2)
    w, b, xs = rng.normal(size=(4, 5)), rng.normal(size=4), rng.normal(size=(6, 5))
    layer = Layer(w, b)
    out = layer(xs)
    assert out.shape == (6, 4)
    for row, x in zip(out, xs):
        assert np.allclose(row, loop_layer(w.tolist(), b.tolist(), x.tolist(), sig))


def test_attributes_and_repr():
    layer = Layer(W, B)
    assert (layer.n_in, layer.n_out) == (3, 2)
    assert layer.w.shape == (2, 3) and layer.b.shape == (2,)
    assert repr(layer) == "Layer(3 -> 2, activation='sigmoid')"
    assert repr(Layer(W, B, "relu")) == "Layer(3 -> 2, activation='relu')"


@pytest.mark.parametrize("call, err, message", [
    (lambda: Layer(W, B)([1.0, 2.0, 3.0, 4.0]), ValueError, r"Layer expects x of shape \(3,\) or \(batch, 3\); got shape \(4,\)"),
    (lambda: Layer(W, B)([[1.0, 2.0]]), ValueError, r"got shape \(1, 2\)"),
    (lambda: Layer(W, B)(np.zeros((2, 2, 3))), ValueError, r"got shape \(2, 2, 3\)"),
    (lambda: Layer(W, B)(0.5), ValueError, r"got shape \(\)"),
    (lambda: Layer(W, B)(np.array(["a", "b", "c"])), TypeError, "x must contain real numbers"),
    (lambda: Layer(W, B)(np.array([1, None, 2], dtype=object)), TypeError, "x must contain real numbers"),
    (lambda: Layer(W, B)([1.0, float("nan"), 2.0]), ValueError, "finite"),
    (lambda: Layer(W, B)(np.zeros((0, 3))), ValueError, "must not be empty"),
    (lambda: Layer([0.5, -1.0, 2.0], [0.1]), ValueError, r"Layer expects w of shape \(n_out, n_in\), one row per neuron; got shape \(3,\)"),
    (lambda: Layer(W, [0.1, 0.2, 0.3]), ValueError, r"Layer expects b of shape \(2,\), one bias per row of w; got shape \(3,\)"),
    (lambda: Layer(W, B, "step"), ValueError, "unknown activation 'step'"),
])
def test_bad_input(call, err, message):
    with pytest.raises(err, match=message):
        call()
