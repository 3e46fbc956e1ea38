"""Network against the chapter's 3-2-1 example worked by plain loops."""
import math

import numpy as np
import pytest

from nnbook import Layer, Network, TraceStep

WEIGHTS = [[[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1]], [[1.5, -2.0]]]
BIASES = [[0.1, -0.2], [0.3]]
X = [0.8, 0.2, 0.5]


def sig(z):
    return 1 / (1 + math.exp(-z))


def loop_forward(weights, biases, x, f=sig):
    for w, b in zip(weights, biases):
        x = [f(b_j + sum(w_ji * x_i for w_ji, x_i in zip(w_j, x))) for w_j, b_j in zip(w, b)]
    return x


def chapter_net():
    return Network.from_params(WEIGHTS, BIASES, "sigmoid")


def test_forward_hand_worked():
    # hidden: z = (1.3, -0.23); output: z = 0.3 + 1.5 sig(1.3) - 2 sig(-0.23)
    z_out = 0.3 + 1.5 * sig(1.3) - 2 * sig(-0.23)
    y = chapter_net().forward(X)
    assert y.shape == (1,)
    assert math.isclose(y[0], sig(z_out), rel_tol=1e-12)
    assert math.isclose(y[0], 0.6441, abs_tol=5e-5)


def test_forward_batch_matches_loop():
    net = Network([4, 5, 3], seed=3)
    xs = np.random.default_rng(4).normal(size=(7, 4))
    out = net.forward(xs)
    assert out.shape == (7, 3)
    ws = [layer.w.tolist() for layer in net.layers]
    bs = [layer.b.tolist() for layer in net.layers]
    for row, x in zip(out, xs):
        assert np.allclose(row, loop_forward(ws, bs, x.tolist()))


def test_trace_one_record_per_neuron_in_order():
    steps = chapter_net().trace(X)
    assert [(s.layer, s.index) for s in steps] == [(1, 0), (1, 1), (2, 0)]
    assert all(isinstance(s, TraceStep) for s in steps)
    h = [sig(1.3), sig(-0.23)]
    s0, s1, s2 = steps
    assert s0.inputs == (0.8, 0.2, 0.5) and s0.w == (0.5, -1.0, 2.0) and s0.b == 0.1
    assert math.isclose(s0.z, 1.3) and math.isclose(s0.y, h[0])
    assert math.isclose(s1.z, -0.23) and math.isclose(s1.y, h[1])
    assert s2.w == (1.5, -2.0) and s2.b == 0.3 and s2.activation == "sigmoid"
    assert np.allclose(s2.inputs, h)
    assert math.isclose(s2.z, 0.3 + 1.5 * h[0] - 2 * h[1])
    assert math.isclose(s2.y, loop_forward(WEIGHTS, BIASES, X)[0])
    for s in steps:  # plain data: Python floats, no numpy scalars
        assert all(type(v) is float for v in (*s.inputs, *s.w, s.b, s.z, s.y))
        assert type(s.layer) is int and type(s.index) is int


def test_trace_softmax_output_and_forward_agree():
    net = Network([3, 4, 10], activation="relu", output_activation="softmax", seed=5)
    steps = net.trace(X)
    assert len(steps) == 14
    out = [s.y for s in steps if s.layer == 2]
    assert np.allclose(out, net.forward(X)) and math.isclose(sum(out), 1.0)
    assert [s.activation for s in steps] == ["relu"] * 4 + ["softmax"] * 10


def test_classify_single_sigmoid_output_threshold():
    net = chapter_net()
    assert net.classify(X) == 1 and type(net.classify(X)) is int
    low = Network.from_params(WEIGHTS, [[0.1, -0.2], [-3.0]], "sigmoid")
    assert low.classify(X) == 0
    # a linear output uses the chapter's rule (1): 1 if f(X) > 0
    lin = Network.from_params([[[1.0, 1.0]]], [[-1.5]], "linear")
    assert lin.classify([1.0, 1.0]) == 1 and lin.classify([0.5, 0.5]) == 0
    assert list(lin.classify([[1.0, 1.0], [0.5, 0.5]])) == [1, 0]


def test_classify_argmax():
    net = Network.from_params([np.eye(3)], [np.zeros(3)], "softmax")
    assert net.classify([0.1, 0.9, 0.3]) == 1
    assert type(net.classify([0.1, 0.9, 0.3])) is int
    assert list(net.classify([[3.0, 0.0, 0.0], [0.0, 0.0, 2.0]])) == [0, 2]


def test_random_network_reproducible():
    a, b = Network([3, 2, 1], seed=0), Network([3, 2, 1], seed=0)
    rng = np.random.default_rng(0)  # the documented recipe: w then b, layer by layer
    w1, b1 = rng.standard_normal((2, 3)), rng.standard_normal(2)
    assert np.array_equal(a.layers[0].w, w1) and np.array_equal(a.layers[0].b, b1)
    assert np.array_equal(a.layers[1].w, b.layers[1].w)
    assert not np.array_equal(Network([3, 2, 1], seed=1).layers[0].w, w1)


def test_attributes_and_reprs():
    net = Network([784, 64, 10], output_activation="softmax", seed=0)
    assert net.sizes == [784, 64, 10]
    assert [type(layer) for layer in net.layers] == [Layer, Layer]
    assert repr(net) == "Network([784, 64, 10], activation='sigmoid', output_activation='softmax')"
    assert repr(chapter_net()) == "Network([3, 2, 1], activation='sigmoid')"
    mixed = Network.from_params(WEIGHTS + [[[1.0]]], BIASES + [[0.0]], ["relu", "sigmoid", "linear"])
    assert repr(mixed) == "Network([3, 2, 1, 1], activations=['relu', 'sigmoid', 'linear'])"


@pytest.mark.parametrize("call, err, message", [
    (lambda: Network([3]), ValueError, "at least an input and an output layer"),
    (lambda: Network("3-2-1"), TypeError, "sizes must be a list of layer sizes"),
    (lambda: Network([3, 2.5, 1]), TypeError, "whole numbers"),
    (lambda: Network([3, 0, 1]), ValueError, "at least one neuron"),
    (lambda: Network([3, 2, 1], activation="tanh"), ValueError, "unknown activation 'tanh'"),
    (lambda: Network([3, 2, 1], output_activation="max"), ValueError, "unknown activation 'max'"),
    (lambda: chapter_net().forward([1.0, 2.0]), ValueError, r"Network expects x of shape \(3,\) or \(batch, 3\); got shape \(2,\)"),
    (lambda: chapter_net().forward("abc"), TypeError, "x must be a number or an array"),
    (lambda: chapter_net().forward([0.1, float("nan"), 0.2]), ValueError, "finite"),
    (lambda: chapter_net().forward([]), ValueError, "empty"),
    (lambda: chapter_net().trace([X, X]), ValueError, r"one input at a time: expected x of shape \(3,\); got shape \(2, 3\)"),
    (lambda: chapter_net().classify([[1.0]]), ValueError, r"got shape \(1, 1\)"),
    (lambda: Network.from_params(WEIGHTS, BIASES[:1]), ValueError, "2 weight matrices and 1 bias vectors"),
    (lambda: Network.from_params(WEIGHTS, [[0.1, -0.2], [0.3, 0.4]]), ValueError, r"Layer expects b of shape \(1,\)"),
    (lambda: Network.from_params([WEIGHTS[0], [[1.0, 2.0, 3.0]]], BIASES), ValueError,
     r"layer 2 has weights of shape \(1, 3\), so it expects 3 inputs, but layer 1 has 2 outputs; expected shape \(1, 2\)"),
    (lambda: Network.from_params(WEIGHTS, BIASES, ["relu"]), ValueError, r"one activation per layer \(2\); got 1"),
    (lambda: Network.from_params([], []), ValueError, "at least one layer"),
    (lambda: Network.from_params(WEIGHTS, BIASES, ["relu", "gelu"]), ValueError, "unknown activation 'gelu'"),
    (lambda: Network.from_params([[["a", "b", "c"]]], [[0.0]]), TypeError, "weights of layer 1 must contain real numbers"),
    (lambda: Network.from_params(np.zeros((1, 2, 3)), [np.zeros(2)]), TypeError, "one array per layer"),
])
def test_bad_input(call, err, message):
    with pytest.raises(err, match=message):
        call()
