"""nnbook: the small neural-network package the chapter teaches with.

Neurons, layers and feedforward networks in plain numpy, small enough to read
next to the chapter, plus SVG drawings of them. Not a deep-learning library:
no training, no GPU, no speed tricks. The MNIST functions live in nnbook.mnist
(imported on demand, as they load data files).

>>> from nnbook import Neuron
>>> print(round(Neuron(w=[0.5, -1.0, 2.0], b=0.1)([0.8, 0.2, 0.5]), 4))
0.7858
"""
from __future__ import annotations

from . import draw
from .activations import ACTIVATIONS, linear, relu, relu_prime, sigmoid, sigmoid_prime, softmax
from .draw import SVG, bars_svg, digit_svg, network_svg
from .layers import Layer
from .network import Network, TraceStep
from .neuron import Neuron, weighted_sum

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS", "sigmoid", "sigmoid_prime", "relu", "relu_prime", "softmax", "linear",
    "weighted_sum", "Neuron", "Layer", "Network", "TraceStep",
    "draw", "SVG", "network_svg", "digit_svg", "bars_svg",
]
