"""Drawings of networks, digits and output values, as SVG text.

Each function returns an SVG (a str that notebooks and the book's code cells
show as a picture). Drawing only: the numbers come from elsewhere (a Network,
a trace, an image). No matplotlib, no styles from the page: the colours are
explicit mid-tones and light fills that read on light and dark backgrounds.
"""
from __future__ import annotations

from typing import Sequence
from xml.sax.saxutils import escape, quoteattr

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_floats, describe
from .network import Network, TraceStep, _check_sizes

__all__ = ["SVG", "network_svg", "digit_svg", "bars_svg"]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif"
INK = "#1f2937"  # text on light fills
MUTED = "#7d8590"  # strokes and text on the page background: >= 3.7:1 on white and on dark grey
EDGE = "#8a94a3"
FILL = "#f8fafc"
ACCENT = "#2f7de1"
ACCENT_FILL = "#dbe8fb"
GOOD, BAD = "#22a05a", "#e5484d"
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class SVG(str):
    """SVG markup that a notebook or a book cell displays as a picture.

    >>> svg = network_svg([3, 2, 1])
    >>> svg
    SVG(410x180)
    >>> svg.startswith("<svg")
    True
    """

    def __new__(cls, markup: str, width: float, height: float) -> SVG:
        obj = super().__new__(cls, markup)
        obj.width, obj.height = width, height
        return obj

    def _repr_svg_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"SVG({_n(self.width)}x{_n(self.height)})"


def _n(v: float) -> str:
    """A coordinate with at most one decimal: the same text on every platform."""
    text = f"{round(float(v), 1) + 0.0:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _v(v: float) -> str:
    """A value annotation, two decimals, with a true minus sign (as the chapter's formulas)."""
    return f"{round(float(v), 2) + 0.0:.2f}".replace("-", "\u2212")


def _svg(width: float, height: float, title: str, body: list[str], view: float | None = None, extra: str = "") -> SVG:
    """The <svg> element, drawn at width x height px; view, if given, is the side of a square viewBox."""
    box = f"0 0 {_n(view)} {_n(view)}" if view else f"0 0 {_n(width)} {_n(height)}"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" width="{_n(width)}" height="{_n(height)}" '
            f'role="img" aria-label={quoteattr(title)} font-family={quoteattr(FONT)}{extra}><title>{escape(title)}</title>')
    return SVG("\n".join([head, *body, "</svg>"]), width, height)


def _text(x: float, y: float, s: str, size: float = 14, fill: str = INK, anchor: str = "middle", weight: str = "normal") -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{fill}" text-anchor="{anchor}" '
            f'dominant-baseline="central"{bold}>{escape(s)}</text>')


def _pill(x: float, y: float, s: str, size: float = 11, stroke: str = EDGE) -> str:
    """A small label on a light background, readable over edges and on any page."""
    w = 0.6 * size * len(s) + 6
    return (f'<rect x="{_n(x - w / 2)}" y="{_n(y - size * 0.75)}" width="{_n(w)}" height="{_n(size * 1.5)}" rx="3" '
            f'fill="{FILL}" stroke="{stroke}" stroke-width="0.75"/>' + _text(x, y, s, size))


# ---------------------------------------------------------------- networks

MAX_SHOWN = 10  # layers with more neurons are drawn as a sketch: a few, then ⋮, then the last


def _slots(n: int, keep: int | None) -> list[int | None]:
    """Which neurons of a layer of n to draw, None standing for an ellipsis."""
    if n <= MAX_SHOWN:
        return list(range(n))
    shown = sorted({0, 1, 2, n - 1} | ({keep} if keep is not None else set()))
    slots: list[int | None] = []
    for i in shown:
        if slots and i != slots[-1] + 1:
            slots.append(None)
        slots.append(i)
    return slots


def _check_trace(trace: object, sizes: list[int]) -> dict[tuple[int, int], TraceStep]:
    steps = list(trace)  # type: ignore[call-overload]
    expected = sum(sizes[1:])
    if len(steps) != expected or not all(hasattr(s, "layer") and hasattr(s, "y") for s in steps):
        raise ValueError(f"trace must be the list of TraceStep from Network.trace for sizes {sizes}, "
                         f"{expected} steps; got {len(steps)} items")
    by_neuron = {(s.layer, s.index): s for s in steps}
    if set(by_neuron) != {(l, i) for l in range(1, len(sizes)) for i in range(sizes[l])}:
        raise ValueError(f"trace does not match a network with sizes {sizes}: its (layer, index) pairs differ")
    if len(by_neuron[(1, 0)].inputs) != sizes[0]:
        raise ValueError(f"trace does not match a network with sizes {sizes}: it has {len(by_neuron[(1, 0)].inputs)} inputs")
    return by_neuron


def network_svg(net_or_sizes: Network | Sequence[int], trace: Sequence[TraceStep] | None = None,
                highlight: tuple[int, int] | None = None, title: str | None = None,
                shown: int | None = None, labels: Sequence[object] | None = None,
                outputs: ArrayLike | None = None) -> SVG:
    """Draw a network as circles (neurons) and lines (connections), inputs on the left.

    net_or_sizes is a Network or a list of layer sizes such as [3, 2, 1].
    trace (from Network.trace) writes each neuron's output y in its circle and
    its weighted sum z below it; shown=k fills in only the first k steps of the
    trace (the others stay empty, at the same size), as a forward pass goes one
    neuron after the other. labels names the output neurons (e.g. the digits
    "0".."9", instead of y₁…y₁₀), and outputs (values 0..1, one per output
    neuron) shades each output neuron by its value: a network answering.
    highlight=(layer, index) marks one neuron and
    its incoming connections; layers are numbered as in a trace (0 = inputs,
    1 = first layer with incoming connections). Layers of more than 10 neurons
    are sketched: the first three, "⋮", the last one, and the layer size below.
    A single neuron ([n, 1]) is drawn like the chapter's diagram, with its bias b
    and weights w₁…wₙ. title is the accessible name (default: a short English one).

    >>> svg = network_svg([784, 256, 10])
    >>> svg.count("<circle") < 30
    True
    """
    if isinstance(net_or_sizes, Network):
        net: Network | None = net_or_sizes
        sizes = list(net_or_sizes.sizes)
    else:
        net = None
        sizes = _check_sizes(net_or_sizes)
    steps = _check_trace(trace, sizes) if trace is not None else {}
    traced = bool(steps)
    if shown is not None:
        if not isinstance(shown, (int, np.integer)) or isinstance(shown, bool) or not 0 <= shown <= len(steps):
            raise ValueError(f"shown must be a whole number of steps from 0 to {len(steps)} (with a trace); got {shown!r}")
        keep = list(steps)[: int(shown)]
        steps = {key: steps[key] for key in keep}
        inputs = next(iter(_check_trace(trace, sizes).values())).inputs
    else:
        inputs = steps[(1, 0)].inputs if steps else None
    if highlight is not None:
        ok = (isinstance(highlight, tuple) and len(highlight) == 2
              and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in highlight))
        if not ok or not (0 <= highlight[0] < len(sizes) and 0 <= highlight[1] < sizes[highlight[0]]):
            raise ValueError(f"highlight must be (layer, index) with layer 0..{len(sizes) - 1} and index below that "
                             f"layer's size, for sizes {sizes}; got {highlight!r}")
    hl = (int(highlight[0]), int(highlight[1])) if highlight is not None else None
    if labels is not None and (isinstance(labels, (str, bytes)) or len(labels) != sizes[-1]):
        raise ValueError(f"labels must name the {sizes[-1]} output neurons, one each; got {labels!r}")
    shades = None
    if outputs is not None:
        shades = as_floats(outputs, "outputs")
        if shades.shape != (sizes[-1],) or shades.min() < 0 or shades.max() > 1:
            raise ValueError(f"outputs must be {sizes[-1]} values from 0 to 1, one per output neuron; "
                             f"got shape {shades.shape}")
    single = len(sizes) == 2 and sizes[1] == 1 and sizes[0] <= 6
    slots = [_slots(n, hl[1] if hl and hl[0] == l else None) for l, n in enumerate(sizes)]
    sketched = any(None in s for s in slots)

    r, dx = 20, (170 if single or traced else 140)
    dy = 62 if traced else 52
    rows = max(len(s) for s in slots) + (1 if single else 0)
    left, top = (70 if traced else 40), 24
    width = left + dx * (len(sizes) - 1) + r + 70
    height = top + rows * dy + (28 if sketched else 0) + (10 if traced else 0)
    mid = top + rows * dy / 2 - (dy / 2 if single else 0)

    pos: dict[tuple[int, int | None, int], tuple[float, float]] = {}  # (layer, index, slot) -> centre
    for l, col in enumerate(slots):
        for k, i in enumerate(col):
            pos[(l, i, k)] = (left + l * dx, mid + (k - (len(col) - 1) / 2) * dy)
    centre = {(l, i): xy for (l, i, _), xy in pos.items() if i is not None}

    def x_label(i: int) -> str:
        return "x" + str(i + 1).translate(SUB)

    def y_label(i: int) -> str:
        if labels is not None:
            return str(labels[i])
        return "y" if sizes[-1] == 1 else "y" + str(i + 1).translate(SUB)

    body = [f'<g stroke="{EDGE}" stroke-width="1.2" stroke-opacity="0.75">']
    lit = []
    for l in range(1, len(sizes)):
        for (a_l, a_i), (ax, ay) in centre.items():
            if a_l != l - 1:
                continue
            for (b_l, b_i), (bx, by) in centre.items():
                if b_l == l:
                    line = f'<line x1="{_n(ax)}" y1="{_n(ay)}" x2="{_n(bx)}" y2="{_n(by)}"/>'
                    (lit if hl == (b_l, b_i) else body).append(line)
    if single:  # the bias, as in the chapter's neuron diagram
        bx, by = left, mid + (len(slots[0]) + 1) / 2 * dy
        ox, oy = centre[(1, 0)]
        line = f'<line x1="{_n(bx)}" y1="{_n(by)}" x2="{_n(ox)}" y2="{_n(oy)}" stroke-dasharray="4 3"/>'
        (lit if hl == (1, 0) else body).append(line)
    body.append("</g>")
    if lit:
        body += [f'<g stroke="{ACCENT}" stroke-width="2.5">', *lit, "</g>"]

    for l in range(1, len(sizes)):  # arrows out of the output layer
        if l == len(sizes) - 1:
            for (c_l, c_i), (cx, cy) in centre.items():
                if c_l == l:
                    body.append(f'<line x1="{_n(cx + r)}" y1="{_n(cy)}" x2="{_n(cx + r + 26)}" y2="{_n(cy)}" '
                                f'stroke="{MUTED}" stroke-width="1.5"/>'
                                f'<path d="M{_n(cx + r + 32)} {_n(cy)}l-7 -4v8z" fill="{MUTED}"/>')
                    body.append(_text(cx + r + 38, cy, y_label(c_i), 15, MUTED, "start", "bold"))

    if single:  # weights on the edges, bias node
        ox, oy = centre[(1, 0)]
        step = steps.get((1, 0))
        for (c_l, c_i), (cx, cy) in centre.items():
            if c_l == 0:
                s = _v(step.w[c_i]) if step else "w" + str(c_i + 1).translate(SUB)
                body.append(_pill(cx + 0.45 * (ox - cx), cy + 0.45 * (oy - cy), s, 12))
        bx, by = left, mid + (len(slots[0]) + 1) / 2 * dy
        body.append(f'<rect x="{_n(bx - 18)}" y="{_n(by - 15)}" width="36" height="30" rx="6" fill="{FILL}" '
                    f'stroke="{MUTED}" stroke-width="1.5"/>')
        body.append(_text(bx, by, _v(step.b) if step else "b", 12 if step else 15, INK))
        if step:
            body.append(_text(bx - 26, by, "b", 14, MUTED, "end", "bold"))
    elif hl and hl[0] >= 1 and (hl in steps) and len(slots[hl[0] - 1]) <= 6:
        ox, oy = centre[hl]
        for (c_l, c_i), (cx, cy) in centre.items():
            if c_l == hl[0] - 1:
                body.append(_pill(cx + 0.62 * (ox - cx), cy + 0.62 * (oy - cy), _v(steps[hl].w[c_i]), 10, ACCENT))

    for (l, i, k), (cx, cy) in pos.items():
        if i is None:
            body.append(_text(cx, cy, "⋮", 24, MUTED, weight="bold"))
            continue
        on = hl == (l, i)
        body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{r}" fill="{ACCENT_FILL if on else FILL}" '
                    f'stroke="{ACCENT if on else MUTED}" stroke-width="{3 if on else 1.5}"/>')
        if shades is not None and l == len(sizes) - 1:
            body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{r - 2}" fill="{ACCENT}" '
                        f'fill-opacity="{round(float(shades[i]), 2)}"/>')
        step = steps.get((l, i))
        if l == 0 and inputs is not None:
            body.append(_text(cx, cy, _v(inputs[i]), 12))
            body.append(_text(cx - r - 8, cy, x_label(i), 14, MUTED, "end", "bold"))
        elif l == 0:
            body.append(_text(cx, cy, x_label(i), 15))
        elif step is not None:
            body.append(_text(cx, cy, _v(step.y), 12, weight="bold" if on else "normal"))
            body.append(_pill(cx, cy + r + 11, "z = " + _v(step.z), 10, ACCENT if on else "none"))
        elif net is not None:
            symbol = {"sigmoid": "σ", "relu": "R"}.get(net.layers[l - 1].activation, "")
            body.append(_text(cx, cy, symbol, 15, MUTED))
    if sketched:
        for l, n in enumerate(sizes):
            body.append(_text(left + l * dx, height - 16, str(n), 15, MUTED, weight="bold"))

    name = title or ("Neural network " + "-".join(map(str, sizes))
                     + (f", neuron {hl[1]} of layer {hl[0]} highlighted" if hl else ""))
    return _svg(width, height, name, body)


# ---------------------------------------------------------------- digits

def digit_svg(image: ArrayLike, title: str | None = None) -> SVG:
    """Draw a 28 × 28 grey-scale digit: white strokes on black, as in MNIST.

    Pixel 0 is black and 255 (or 1.0) is white, the chapter's convention.
    image is uint8 / whole numbers 0..255 or floats 0..1, of shape (28, 28) or
    (784,). Pixels of the same grey are drawn as one path, so the SVG stays small.

    >>> image = np.zeros((28, 28), dtype=np.uint8)
    >>> image[4:24, 13:15] = 255   # a "1"
    >>> digit_svg(image)
    SVG(140x140)
    """
    pixels = as_floats(image, "image")
    if pixels.shape == (784,):
        pixels = pixels.reshape(28, 28)
    if pixels.shape != (28, 28):
        raise ValueError(f"digit_svg expects an image of shape (28, 28) or (784,); got shape {pixels.shape}")
    if np.issubdtype(np.asarray(image).dtype, np.integer):
        if pixels.min() < 0 or pixels.max() > 255:
            raise ValueError(f"digit_svg expects whole-number pixels 0..255; got values from {pixels.min():g} to {pixels.max():g}")
        grey = pixels.astype(int)
    else:
        if pixels.min() < 0 or pixels.max() > 1:
            raise ValueError(f"digit_svg expects float pixels 0..1 (or uint8 0..255); got values from {pixels.min():g} to {pixels.max():g}")
        grey = np.rint(pixels * 255).astype(int)
    runs: dict[int, list[str]] = {}
    for row in range(28):
        col = 0
        while col < 28:
            g = int(grey[row, col])
            end = col
            while end < 28 and grey[row, end] == g:
                end += 1
            if g:
                runs.setdefault(g, []).append(f"M{col} {row}h{end - col}v1h-{end - col}z")
            col = end
    body = ['<rect width="28" height="28" fill="#000000"/>']
    for g in sorted(runs):
        body.append(f'<path fill="#{g:02x}{g:02x}{g:02x}" d="{"".join(runs[g])}"/>')
    body.append(f'<rect x="0.05" y="0.05" width="27.9" height="27.9" fill="none" stroke="{MUTED}" stroke-width="0.1"/>')
    # 28 viewBox units drawn at 140 px: 5 px per pixel, with crisp pixel edges
    return _svg(140, 140, title or "Handwritten digit, 28 × 28 pixels", body, view=28,
                extra=' shape-rendering="crispEdges"')


# ---------------------------------------------------------------- output values

def bars_svg(values: ArrayLike, labels: Sequence[object], true_label: object = None, title: str | None = None) -> SVG:
    """Draw output values as horizontal bars, one per class, such as the ten digit scores.

    The predicted class (the largest value) is drawn in blue and pointed at with ▶.
    With true_label (one of labels), the true class gets ✓, and a wrong
    prediction gets ✗. Values must be >= 0; bars are to scale 0..1 when all
    values are at most 1 (probabilities), else 0..max.

    >>> bars_svg([0.1, 0.7, 0.2], labels=["0", "1", "2"], true_label="1")
    SVG(299x90)
    """
    y = as_floats(values, "values")
    if y.ndim != 1:
        raise ValueError(f"bars_svg expects values of shape (n,), one per class; got shape {y.shape}")
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence) and not isinstance(labels, np.ndarray):
        raise TypeError(f"bars_svg expects labels as a list, one per value; got {describe(labels)}")
    names = [str(v) for v in labels]
    if len(names) != len(y):
        raise ValueError(f"bars_svg expects one label per value: {len(y)} values; got {len(names)} labels")
    if y.min() < 0:
        raise ValueError(f"bars_svg expects values >= 0 (such as probabilities); got a minimum of {y.min():g}")
    true_row = None
    if true_label is not None:
        if str(true_label) not in names:
            raise ValueError(f"true_label must be one of the labels {names}; got {true_label!r}")
        true_row = names.index(str(true_label))
    best = int(np.argmax(y))
    scale = max(1.0, float(y.max()))

    row_h, bar_len = 30, 170
    x0 = 36 + round(9 * max(len(name) for name in names))  # room for ▶ and the longest label
    width, height = x0 + bar_len + 84, len(y) * row_h
    body = []
    for k, (v, name) in enumerate(zip(y.tolist(), names)):
        cy = k * row_h + row_h / 2
        on = k == best
        weight = "bold" if on else "normal"
        if on:
            body.append(_text(10, cy, "▶", 12, ACCENT))
        body.append(_text(x0 - 10, cy, name, 15, MUTED if not on else ACCENT, "end", weight))
        body.append(f'<rect x="{x0}" y="{_n(cy - 9)}" width="{bar_len}" height="18" rx="2" fill="{EDGE}" fill-opacity="0.18"/>')
        length = bar_len * v / scale
        if length > 0:
            body.append(f'<rect x="{x0}" y="{_n(cy - 9)}" width="{_n(max(length, 1))}" height="18" rx="2" '
                        f'fill="{ACCENT if on else EDGE}"/>')
        body.append(_text(x0 + bar_len + 8, cy, _v(v), 13, ACCENT if on else MUTED, "start", weight))
        if k == true_row:
            body.append(_text(width - 12, cy, "✓", 17, GOOD, weight="bold"))
        elif on and true_row is not None:
            body.append(_text(width - 12, cy, "✗", 17, BAD, weight="bold"))
    name = title or (f"Output values; predicted: {names[best]}"
                     + (f"; true: {names[true_row]}" if true_row is not None else ""))
    return _svg(width, height, name, body)
