"""Activation functions against hand-worked values and math.exp."""
import math

import numpy as np
import pytest

from nnbook import ACTIVATIONS, linear, relu, relu_prime, sigmoid, sigmoid_prime, softmax


def ref_sigmoid(z):
    return 1 / (1 + math.exp(-z))


def test_sigmoid_hand_values():
    assert sigmoid(0) == 0.5  # sigma(0) = 1 / (1 + e^0) = 1/2, as the chapter says
    assert sigmoid_prime(0) == 0.25
    assert math.isclose(sigmoid(1.3), 1 / (1 + math.e ** -1.3))


@pytest.mark.parametrize("z", [-30.0, -5.0, -1.3, -0.1, 0.0, 0.7, 4.6, 30.0])
def test_sigmoid_matches_formula(z):
    assert math.isclose(sigmoid(z), ref_sigmoid(z), rel_tol=1e-12)
    s = ref_sigmoid(z)
    assert math.isclose(sigmoid_prime(z), s * (1 - s), rel_tol=1e-9, abs_tol=1e-300)


def test_scalars_give_python_floats_and_arrays_give_arrays():
    for f in (sigmoid, sigmoid_prime, relu, relu_prime, linear):
        assert type(f(1)) is float
        assert type(f(np.float64(1.0))) is float
        out = f([1.0, -2.0])
        assert isinstance(out, np.ndarray) and out.shape == (2,)


def test_sigmoid_array_elementwise():
    zs = [[-2.0, 0.0], [1.0, 3.0]]
    got = sigmoid(zs)
    assert got.shape == (2, 2)
    for i in range(2):
        for j in range(2):
            assert math.isclose(got[i, j], ref_sigmoid(zs[i][j]), rel_tol=1e-12)


def test_stable_at_extremes():
    # pytest turns RuntimeWarning (overflow) into an error, so no warning may be raised
    assert sigmoid(1000) == 1.0
    assert sigmoid(-1000) == 0.0
    assert sigmoid_prime(1000) == 0.0
    assert list(sigmoid(np.array([-1000.0, 1000.0]))) == [0.0, 1.0]
    p = softmax([1000.0, 0.0, -1000.0])
    assert p[0] == 1.0 and p[2] == 0.0


def test_relu_hand_values():
    assert relu(-2.0) == 0.0 and relu(0.0) == 0.0 and relu(1.5) == 1.5
    assert relu_prime(-2.0) == 0.0 and relu_prime(0.0) == 0.0 and relu_prime(1.5) == 1.0
    assert list(relu([-1, 0, 2])) == [0.0, 0.0, 2.0]


def test_softmax_against_loop():
    z = [1.0, 2.0, 3.0]
    total = sum(math.exp(v) for v in z)
    expected = [math.exp(v) / total for v in z]
    assert np.allclose(softmax(z), expected, rtol=1e-12)
    batch = softmax([z, [0.0, 0.0, 0.0]])
    assert np.allclose(batch[0], expected) and np.allclose(batch[1], [1 / 3] * 3)


def test_linear_is_identity():
    assert linear(-1.4) == -1.4


def test_registry():
    assert set(ACTIVATIONS) == {"sigmoid", "relu", "softmax", "linear"}
    assert ACTIVATIONS["sigmoid"] == (sigmoid, sigmoid_prime)
    assert ACTIVATIONS["softmax"][1] is None


@pytest.mark.parametrize("bad, err, words", [
    ("0.5", TypeError, "number"),
    ([1, "a"], TypeError, "real numbers"),
    ([object()], TypeError, "real numbers"),
    (None, TypeError, "real numbers"),
    ([True, False], TypeError, "real numbers"),
    (float("nan"), ValueError, "finite"),
    ([0.0, float("inf")], ValueError, "finite"),
    ([], ValueError, "empty"),
    ([[1.0], [1.0, 2.0]], ValueError, "rectangular"),
])
def test_bad_input(bad, err, words):
    with pytest.raises(err, match=words):
        sigmoid(bad)
    with pytest.raises(err, match=words):
        relu(bad)


def test_softmax_needs_a_vector():
    with pytest.raises(ValueError, match=r"expects z of shape \(n,\) or \(batch, n\); got shape \(\)"):
        softmax(2.0)
