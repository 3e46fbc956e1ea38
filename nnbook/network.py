"""A feedforward network: layers of neurons, each layer feeding the next.

forward() runs the forward pass; trace() records it neuron by neuron as
plain data (for the step-by-step demo and for drawing); classify() reads the
answer off the output layer. Readable, not optimised, and not trained here:
the weights are random or given.
"""
from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_floats
from .activations import ACTIVATIONS, check_activation
from .layers import Layer
from .neuron import weighted_sum

__all__ = ["Network", "TraceStep"]


class TraceStep(NamedTuple):
    """What one neuron did in a forward pass: z = b + sum_i w_i x_i, y = activation(z).

    >>> TraceStep._fields
    ('layer', 'index', 'inputs', 'w', 'b', 'z', 'y', 'activation')
    """

    layer: int  # 1 = first layer with incoming connections (the input layer is not counted)
    index: int  # 0-based position of the neuron in its layer
    inputs: tuple[float, ...]  # the x_i this neuron reads (outputs of the previous layer)
    w: tuple[float, ...]
    b: float
    z: float
    y: float
    activation: str


def _check_sizes(sizes: object) -> list[int]:
    if isinstance(sizes, np.ndarray) and sizes.ndim == 1:
        sizes = sizes.tolist()
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes must be a list of layer sizes such as [3, 2, 1]; got {type(sizes).__name__} {sizes!r:.40}")
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output layer, such as [3, 1]; got {list(sizes)}")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"sizes must contain whole numbers such as [3, 2, 1]; got {list(sizes)}")
        if n < 1:
            raise ValueError(f"every layer needs at least one neuron; got sizes {list(sizes)}")
    return [int(n) for n in sizes]


class Network:
    """A network of fully connected layers, such as the chapter's 3-2-1 network.

    Network(sizes) makes random weights and biases: standard normal numbers from
    numpy.random.default_rng(seed), w then b for each layer in turn, so the same
    seed gives the same network on every platform.
    Network.from_params(weights, biases, activations) uses given ones.

    >>> net = Network([3, 2, 1], seed=0)
    >>> net
    Network([3, 2, 1], activation='sigmoid')
    >>> net.layers
    [Layer(3 -> 2, activation='sigmoid'), Layer(2 -> 1, activation='sigmoid')]
    >>> net = Network.from_params(
    ...     weights=[[[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1]], [[1.5, -2.0]]],
    ...     biases=[[0.1, -0.2], [0.3]],
    ...     activations="sigmoid")
    >>> x = [0.8, 0.2, 0.5]
    >>> print(np.round(net.forward(x), 4))
    [0.6441]
    >>> net.classify(x)
    1
    """

    def __init__(self, sizes: Sequence[int], activation: str = "sigmoid",
                 output_activation: str | None = None, seed: int | None = None) -> None:
        sizes = _check_sizes(sizes)
        check_activation(activation)
        output_activation = activation if output_activation is None else check_activation(output_activation)
        activations = [activation] * (len(sizes) - 2) + [output_activation]
        rng = np.random.default_rng(seed)
        layers = []
        for n_in, n_out, act in zip(sizes[:-1], sizes[1:], activations):
            w = rng.standard_normal((n_out, n_in))  # one row per neuron, see Layer
            b = rng.standard_normal(n_out)
            layers.append(Layer(w, b, act))
        self._set_layers(layers)

    @classmethod
    def from_params(cls, weights: Sequence[ArrayLike], biases: Sequence[ArrayLike],
                    activations: str | Sequence[str] = "sigmoid") -> Network:
        """A network with given weights (one (n_out, n_in) matrix per layer), biases and activations.

        activations is one name for every layer, or a list with one name per layer.

        >>> Network.from_params([[[1.0, 1.0]]], [[-1.5]], "linear")
        Network([2, 1], activation='linear')
        """
        if isinstance(weights, np.ndarray) or isinstance(biases, np.ndarray):
            raise TypeError("weights and biases must be lists with one array per layer, not single arrays")
        weights, biases = list(weights), list(biases)
        if not weights:
            raise ValueError("from_params needs at least one layer of weights; got an empty list")
        if len(weights) != len(biases):
            raise ValueError(f"from_params needs one bias vector per weight matrix; got {len(weights)} weight matrices and {len(biases)} bias vectors")
        if isinstance(activations, str):
            activations = [activations] * len(weights)
        activations = list(activations)
        if len(activations) != len(weights):
            raise ValueError(f"from_params needs one activation per layer ({len(weights)}); got {len(activations)}: {activations}")
        layers = []
        for i, (w, b, act) in enumerate(zip(weights, biases, activations), start=1):
            layer = Layer(as_floats(w, f"weights of layer {i}"), as_floats(b, f"biases of layer {i}"), act)
            if layers and layer.n_in != layers[-1].n_out:
                raise ValueError(f"layer {i} has weights of shape {layer.w.shape}, so it expects {layer.n_in} inputs, "
                                 f"but layer {i - 1} has {layers[-1].n_out} outputs; expected shape ({layer.n_out}, {layers[-1].n_out})")
            layers.append(layer)
        net = cls.__new__(cls)
        net._set_layers(layers)
        return net

    def _set_layers(self, layers: list[Layer]) -> None:
        self.layers = layers
        self.sizes = [layers[0].n_in] + [layer.n_out for layer in layers]

    def _check_x(self, x: ArrayLike) -> np.ndarray:
        x = as_floats(x, "x")
        if x.ndim not in (1, 2) or x.shape[-1] != self.sizes[0]:
            raise ValueError(f"Network expects x of shape ({self.sizes[0]},) or (batch, {self.sizes[0]}); got shape {x.shape}")
        return x

    def forward(self, x: ArrayLike) -> np.ndarray:
        """The forward pass: each layer's output y is the next layer's input x.

        x (n_in,) gives the outputs (n_out,); a batch (batch, n_in) gives (batch, n_out).
        """
        x = self._check_x(x)
        for layer in self.layers:
            x = layer(x)
        return x

    def trace(self, x: ArrayLike) -> list[TraceStep]:
        """The forward pass for one input, one TraceStep per neuron, layer by layer.

        >>> net = Network.from_params([[[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1]], [[1.5, -2.0]]],
        ...                           [[0.1, -0.2], [0.3]])
        >>> steps = net.trace([0.8, 0.2, 0.5])
        >>> len(steps)
        3
        >>> s = steps[0]
        >>> s.layer, s.index, s.inputs, s.w, s.b
        (1, 0, (0.8, 0.2, 0.5), (0.5, -1.0, 2.0), 0.1)
        >>> print(round(s.z, 4), round(s.y, 4))
        1.3 0.7858
        """
        x = self._check_x(x)
        if x.ndim != 1:
            raise ValueError(f"trace follows one input at a time: expected x of shape ({self.sizes[0]},); got shape {x.shape}")
        steps = []
        for number, layer in enumerate(self.layers, start=1):
            inputs = tuple(float(v) for v in x)
            z = np.array([weighted_sum(x, w_j, b_j) for w_j, b_j in zip(layer.w, layer.b)])
            y = ACTIVATIONS[layer.activation][0](z)
            for j in range(layer.n_out):
                steps.append(TraceStep(number, j, inputs, tuple(float(v) for v in layer.w[j]),
                                       float(layer.b[j]), float(z[j]), float(y[j]), layer.activation))
            x = y
        return steps

    def classify(self, x: ArrayLike) -> int | np.ndarray:
        """The predicted class: the output neuron with the highest value.

        With a single output neuron the chapter's rule (1) applies instead: class 1
        if y > 0.5 for a sigmoid output (y > 0 for others), else 0. A batch gives
        an array of classes.
        """
        y = self.forward(x)
        if self.sizes[-1] == 1:
            threshold = 0.5 if self.layers[-1].activation == "sigmoid" else 0.0
            classes = (y[..., 0] > threshold).astype(np.int64)
        else:
            classes = np.argmax(y, axis=-1).astype(np.int64)
        return int(classes) if classes.ndim == 0 else classes

    def __repr__(self) -> str:
        acts = [layer.activation for layer in self.layers]
        if len(set(acts)) == 1:
            how = f"activation={acts[0]!r}"
        elif len(set(acts[:-1])) == 1:
            how = f"activation={acts[0]!r}, output_activation={acts[-1]!r}"
        else:
            how = f"activations={acts!r}"
        return f"Network({self.sizes}, {how})"
