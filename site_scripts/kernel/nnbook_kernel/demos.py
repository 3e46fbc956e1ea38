"""Python side of the chapter's interactive demos (demos.js): numbers and pictures.

The page calls these by name (``runner.call``), with JSON arguments; ``decimal`` is the
page's decimal mark, so the pictures write numbers as the page's text does. Each returns plain
JSON data for one view of a demo: numbers as numbers (the page formats them), and the
drawings of ``nnbook.draw`` as SVG text, which the page shows only as an ``<img>``. The
page passes the translated titles of the pictures, so the SVGs speak its language.

- ``stepper_cell(titles)``: a forward pass through ``net``, ``x`` and ``target`` of the
  page's namespace (the cell the reader ran), neuron by neuron;
- ``stepper_example(k, titles)``: the same for a random 3-2-1 network number ``k``;
- ``stepper_from_source(source, titles)``: the same for a copy of the book's cell;
- ``mnist_digit(i, titles)``: one bundled held-out digit and the network's answer;
- ``mnist_network(title)``: the sketch of the 784-H-10 network;
- ``classify_drawing(pixels, side, titles)``: a drawing (base64 grey bytes) classified.

Not for: the demos' buttons and text (demos.js) or the book's own code (``nnbook``).
"""
from __future__ import annotations

import base64
import contextlib
import io
import time

import numpy as np

from nnbook import Network, draw, mnist

MAX_NEURONS = 40  # a larger network is not something to step through neuron by neuron


def _f(v: float) -> float:
    """A number as the drawings show it: two decimals (and never -0.0)."""
    return round(float(v), 2) + 0.0


def _fill(template: str, **values: object) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


# ----------------------------------------------------------------- the stepper
def stepper(net: object, x: object, target: object, titles: dict, decimal: str = ".") -> dict:
    """What the stepper shows for net, x and target (target may be None).

    titles: {"net": "... {sizes} ...", "values": ..., "neuron": "... {layer} ... {index} ..."},
    the accessible names of the drawings; {index} is 1-based, as the text counts.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnbook Network; got {type(net).__name__}")
    if sum(net.sizes[1:]) > MAX_NEURONS:
        raise ValueError(f"net has {sum(net.sizes[1:])} neurons; the step-by-step demo shows at most {MAX_NEURONS}")
    trace = net.trace(x)
    y = np.array([s.y for s in trace if s.layer == len(net.layers)])
    t = None
    if target is not None:
        t = np.ravel(np.asarray(target, dtype=float))
        if t.shape != y.shape:
            raise ValueError(f"target must have one value per output neuron ({y.size}); got {t.size}")
        if not np.all(np.isfinite(t)):
            raise ValueError("target must be finite numbers")
    sizes = "-".join(map(str, net.sizes))
    # One picture per step, all of the same size: empty neurons before the pass, then
    # filled in one after the other, as the narration goes.
    images = {
        "start": str(draw.network_svg(net, trace=trace, shown=0, decimal=decimal, title=_fill(titles["net"], sizes=sizes))),
        "values": str(draw.network_svg(net, trace=trace, decimal=decimal, title=_fill(titles["values"], sizes=sizes))),
    }
    for k, s in enumerate(trace):
        title = _fill(titles["neuron"], sizes=sizes, layer=s.layer, index=s.index + 1)
        images[f"{s.layer}-{s.index}"] = str(draw.network_svg(net, trace=trace, shown=k + 1, decimal=decimal, highlight=(s.layer, s.index), title=title))
    return {
        "sizes": list(net.sizes),
        "x": [_f(v) for v in trace[0].inputs],
        "layers": [{"w": [[_f(v) for v in row] for row in layer.w], "b": [_f(v) for v in layer.b],
                    "activation": layer.activation} for layer in net.layers],
        "trace": [{"layer": s.layer, "index": s.index, "inputs": [_f(v) for v in s.inputs],
                   "w": [_f(v) for v in s.w], "b": _f(s.b), "z": _f(s.z), "y": _f(s.y),
                   "activation": s.activation} for s in trace],
        "y": [_f(v) for v in y],
        "target": None if t is None else [_f(v) for v in t],
        "error": None if t is None else [_f(v) for v in y - t],
        "squared": None if t is None else _f(np.sum((y - t) ** 2)),
        "images": images,
    }


def stepper_cell(titles: dict, decimal: str = ".") -> dict:
    """The stepper for ``net``, ``x`` and ``target`` as the reader's cell left them."""
    from .runner import namespace

    missing = [name for name in ("net", "x") if name not in namespace]
    if missing:
        raise NameError(f"the cell defines no {' or '.join(missing)}")
    return stepper(namespace["net"], namespace["x"], namespace.get("target"), titles, decimal)


def stepper_example(k: int, titles: dict, decimal: str = ".") -> dict:
    """A random 3-2-1 sigmoid network, input and target, the same for the same k everywhere."""
    net = Network([3, 2, 1], seed=k)
    rng = np.random.default_rng([k, 1])  # its own stream: the weights stay those of seed=k
    x = np.round(rng.uniform(-1, 1, 3), 2).tolist()
    target = round(float(rng.uniform(0, 1)), 2)
    return stepper(net, x, target, titles, decimal)


def stepper_from_source(source: str, titles: dict, decimal: str = ".") -> dict:
    """Run a copy of the book's cell privately (its print()s are dropped) and step through its net."""
    scope: dict = {"__name__": "__main__", "np": np}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, "<cell network>", "exec"), scope)
    return stepper(scope["net"], scope["x"], scope.get("target"), titles, decimal)


# ----------------------------------------------------------------- MNIST
_digits: tuple[np.ndarray, np.ndarray] | None = None
DIGIT_LABELS = [str(d) for d in range(10)]


def _held_out() -> tuple[np.ndarray, np.ndarray]:
    global _digits
    if _digits is None:
        _digits = mnist.load_digits()
    return _digits


def mnist_network(title: str, decimal: str = ".") -> dict:
    """The sketch of the bundled network, and its hidden layer's size."""
    sizes = mnist.load_model().sizes
    return {"sizes": list(sizes),
            "image": str(draw.network_svg(sizes, labels=DIGIT_LABELS, title=_fill(title, hidden=sizes[1])))}


def mnist_digit(i: int, titles: dict, shade: bool = False, decimal: str = ".") -> dict:
    """Held-out digit number i, its label, and what the network says about it; with
    ``shade``, also the network's sketch with its ten output neurons shaded by their value."""
    images, labels = _held_out()
    if not 0 <= i < len(images):
        raise ValueError(f"digit number must be 0..{len(images) - 1}; got {i}")
    p = mnist.probabilities(images[i])
    prediction, label = int(np.argmax(p)), int(labels[i])
    sketch = None
    if shade:
        sizes = mnist.load_model().sizes
        sketch = str(draw.network_svg(sizes, labels=DIGIT_LABELS, outputs=p, decimal=decimal,
                                       title=_fill(titles.get("network", ""), hidden=sizes[1], prediction=prediction)))
    return {
        "network": sketch,
        "index": i,
        "count": len(images),
        "label": label,
        "prediction": prediction,
        "probabilities": [round(float(v), 4) for v in p],
        "digit": str(draw.digit_svg(images[i], title=_fill(titles["digit"], index=i, label=label))),
        "bars": str(draw.bars_svg(p, DIGIT_LABELS, true_label=str(label), decimal=decimal,
                                   title=_fill(titles["bars"], prediction=prediction, label=label))),
    }


def classify_drawing(pixels: str, side: int, titles: dict, decimal: str = ".") -> dict:
    """A drawing (side x side grey bytes, base64, ink bright on dark) brought to MNIST form and classified."""
    started = time.perf_counter()
    drawing = np.frombuffer(base64.b64decode(pixels), dtype=np.uint8)
    if drawing.size != side * side:
        raise ValueError(f"expected {side} x {side} = {side * side} pixels; got {drawing.size}")
    image = mnist.center_digit(drawing.reshape(side, side))
    if not image.any():
        return {"blank": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    p = mnist.probabilities(image)
    prediction = int(np.argmax(p))
    return {
        "blank": False,
        "prediction": prediction,
        "probabilities": [round(float(v), 4) for v in p],
        "digit": str(draw.digit_svg(image, title=titles["digit"])),
        "bars": str(draw.bars_svg(p, DIGIT_LABELS, decimal=decimal, title=_fill(titles["bars"], prediction=prediction))),
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
