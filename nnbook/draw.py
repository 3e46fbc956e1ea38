"""Drawings of networks, digits and output values, as SVG text.

Each function returns an SVG (a str that notebooks and the book's code cells
show as a picture). Drawing only: the numbers come from elsewhere (a Network,
a trace, an image). No matplotlib, no styles from the page: the drawings are
shown as pictures, where the page's colours cannot reach them, so they are
drawn to read on a light and on a dark page alike: a transparent background,
mid-tone lines and labels, and numbers written on fills of their own (white on
a mid-tone, or dark on a light chip).
"""
from __future__ import annotations

from typing import Sequence
from xml.sax.saxutils import escape, quoteattr

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_floats, describe
from .network import Network, TraceStep, _check_sizes

__all__ = ["SVG", "network_svg", "digit_svg", "bars_svg"]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Noto Sans CJK SC', sans-serif"
# Contrasts (WCAG) are for the page backgrounds of the book: white, light grey, and the
# dark scheme's #1e2129.
INK = "#1f2937"  # text on light chips
MUTED = "#7d8590"  # lines and labels on the page itself: >= 3.5:1 on white and on the dark page
EDGE = "#8a94a3"
CHIP = "#f3f5f8"  # the light chip under a number written over lines
ACCENT = "#2f7de1"  # the neuron being computed, and its incoming connections
DONE = "#2563c9"  # a computed neuron: white numbers on it, 5.7:1
INPUT = "#56606e"  # an input neuron holding a value: white numbers on it, 6.4:1
WHITE = "#ffffff"
GOOD, BAD = "#22a05a", "#e5484d"
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class SVG(str):
    """SVG markup that a notebook or a book cell displays as a picture.

    >>> svg = network_svg([3, 2, 1])
    >>> svg
    SVG(442x170)
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


def _v(v: float, decimal: str = ".") -> str:
    """A value annotation, two decimals, with a true minus sign (as the chapter's formulas)."""
    return f"{round(float(v), 2) + 0.0:.2f}".replace("-", "\u2212").replace(".", decimal)


def _check_decimal(decimal: object) -> str:
    if decimal not in (".", ","):
        raise ValueError(f'decimal must be "." or "," (the decimal mark of the page); got {decimal!r}')
    return str(decimal)


def _svg(width: float, height: float, title: str, body: list[str], view: float | None = None, extra: str = "") -> SVG:
    """The <svg> element, drawn at width x height px; view, if given, is the side of a square viewBox."""
    box = f"0 0 {_n(view)} {_n(view)}" if view else f"0 0 {_n(width)} {_n(height)}"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" width="{_n(width)}" height="{_n(height)}" '
            f'role="img" aria-label={quoteattr(title)} font-family={quoteattr(FONT)}{extra}><title>{escape(title)}</title>')
    return SVG("\n".join([head, *body, "</svg>"]), width, height)


def _text(x: float, y: float, s: str, size: float = 14, fill: str = INK, anchor: str = "middle",
          weight: str = "normal") -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{fill}" text-anchor="{anchor}" '
            f'dominant-baseline="central"{bold}>{escape(s)}</text>')


def _symbol(x: float, y: float, letter: str, index: int | None = None, size: float = 16, fill: str = MUTED,
            anchor: str = "middle", rest: str = "") -> str:
    """A letter of the chapter's formulas, in italics as there (x₁, w₂, z), then plain ``rest``."""
    sub = str(index).translate(SUB) if index is not None else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{fill}" text-anchor="{anchor}" '
            f'dominant-baseline="central"><tspan font-style="italic">{escape(letter)}</tspan>{sub}{escape(rest)}</text>')


def _chip(x: float, y: float, s: str, size: float = 11, stroke: str = EDGE, letter: str = "") -> str:
    """A small label on a light chip, readable over lines and on any page; ``letter``
    (e.g. "z") is written first, in italics, as in the formulas: "z = 0.59"."""
    text = f"{letter} = {s}" if letter else s
    w = 0.6 * size * len(text) + 8
    rect = (f'<rect x="{_n(x - w / 2)}" y="{_n(y - size * 0.8)}" width="{_n(w)}" height="{_n(size * 1.6)}" rx="3" '
            f'fill="{CHIP}" stroke="{stroke}" stroke-width="{1.5 if stroke == ACCENT else 0.75}"/>')
    if letter:
        return rect + _symbol(x, y, letter, size=size, fill=INK, rest=f" = {s}")
    return rect + _text(x, y, s, size)


def _toward(a: tuple[float, float], b: tuple[float, float], r: float) -> tuple[float, float]:
    """The point at distance r from a on the way to b (a line starts at a circle's edge)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    d = (dx * dx + dy * dy) ** 0.5 or 1.0
    return a[0] + dx * r / d, a[1] + dy * r / d


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
                outputs: ArrayLike | None = None, decimal: str = ".") -> SVG:
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
    and weights w₁…wₙ. title is the accessible name (default: a short English one);
    decimal is the decimal mark of the numbers ("." or ",").

    Every label has one place whatever is shown: the names x₁… left of the inputs,
    values inside the circles, z below them, the outputs' names right of the arrows.

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
    decimal = _check_decimal(decimal)
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
    rows = max(len(s) for s in slots) + (1 if single else 0)
    compact = rows > 6 and not traced  # a sketch of a big network: small circles, large words

    # Geometry (px): r radius, dx between layers, dy between neurons; label sizes.
    if traced:
        r, dx, dy, value_size, label_size = 24, 150, 82, 15, 17  # room for z under each neuron
    elif compact:
        r, dx, dy, value_size, label_size = 12, 84, 30, 14, 19
    else:
        r, dx, dy, value_size, label_size = 20, 140, 52, 14, 17
    if single:
        dx = 170
    left, top = r + 8 + 2.6 * label_size, 14
    chip_room = 30 if traced else 0  # z below the lowest neurons
    longest = max(len(str(name)) for name in (labels or ["y₁₀"]))
    width = round(left + dx * (len(sizes) - 1) + r + 34 + 0.7 * label_size * longest)
    height = round(top + rows * dy + (1.6 * label_size if sketched else 0) + chip_room * 0.5)
    mid = top + rows * dy / 2 - (dy / 2 if single else 0)

    pos: dict[tuple[int, int | None, int], tuple[float, float]] = {}  # (layer, index, slot) -> centre
    for l, col in enumerate(slots):
        for k, i in enumerate(col):
            pos[(l, i, k)] = (left + l * dx, mid + (k - (len(col) - 1) / 2) * dy)
    centre = {(l, i): xy for (l, i, _), xy in pos.items() if i is not None}

    def edge(a: tuple[float, float], b: tuple[float, float], extra: str = "") -> str:
        (x1, y1), (x2, y2) = _toward(a, b, r), _toward(b, a, r)
        return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"{extra}/>'

    body = [f'<g stroke="{EDGE}" stroke-width="1.2" stroke-opacity="0.75">']
    lit = []
    for l in range(1, len(sizes)):
        for (a_l, a_i), a in centre.items():
            if a_l != l - 1:
                continue
            for (b_l, b_i), b in centre.items():
                if b_l == l:
                    (lit if hl == (b_l, b_i) else body).append(edge(a, b))
    if single:  # the bias, as in the chapter's neuron diagram
        bias = (left, mid + (len(slots[0]) + 1) / 2 * dy)
        out = centre[(1, 0)]
        (x1, y1), (x2, y2) = _toward(bias, out, 16), _toward(out, bias, r)
        line = f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke-dasharray="4 3"/>'
        (lit if hl == (1, 0) else body).append(line)
    body.append("</g>")
    if lit:
        body += [f'<g stroke="{ACCENT}" stroke-width="2.5">', *lit, "</g>"]

    last = len(sizes) - 1
    for (c_l, c_i), (cx, cy) in centre.items():  # arrows out of the output layer, and their names
        if c_l != last:
            continue
        body.append(f'<line x1="{_n(cx + r)}" y1="{_n(cy)}" x2="{_n(cx + r + 20)}" y2="{_n(cy)}" '
                    f'stroke="{MUTED}" stroke-width="1.5"/>'
                    f'<path d="M{_n(cx + r + 26)} {_n(cy)}l-7 -4v8z" fill="{MUTED}"/>')
        if labels is not None:
            body.append(_text(cx + r + 32, cy, str(labels[c_i]), label_size, MUTED, "start", "bold"))
        else:
            body.append(_symbol(cx + r + 32, cy, "y", None if sizes[-1] == 1 else c_i + 1, label_size, MUTED, "start"))

    if single:  # weights on the edges, bias node
        ox, oy = centre[(1, 0)]
        step = steps.get((1, 0))
        for (c_l, c_i), (cx, cy) in centre.items():
            if c_l == 0:
                mx, my = cx + 0.45 * (ox - cx), cy + 0.45 * (oy - cy)
                if step:
                    body.append(_chip(mx, my, _v(step.w[c_i], decimal), 12))
                else:
                    w = 0.6 * 13 * 2 + 10
                    body.append(f'<rect x="{_n(mx - w / 2)}" y="{_n(my - 10)}" width="{_n(w)}" height="20" rx="3" '
                                f'fill="{CHIP}" stroke="{EDGE}" stroke-width="0.75"/>'
                                + _symbol(mx, my, "w", c_i + 1, 13, INK))
        bx, by = left, mid + (len(slots[0]) + 1) / 2 * dy
        body.append(f'<rect x="{_n(bx - 22)}" y="{_n(by - 15)}" width="44" height="30" rx="6" '
                    f'fill="{INPUT if step else "none"}" stroke="{MUTED}" stroke-width="1.5"/>')
        if step:
            body.append(_text(bx, by, _v(step.b, decimal), value_size - 2, WHITE))
        body.append(_symbol(bx - r - 8, by, "b", None, label_size, MUTED, "end"))
    elif hl and hl[0] >= 1 and (hl in steps) and len(slots[hl[0] - 1]) <= 6:
        ox, oy = centre[hl]
        for (c_l, c_i), (cx, cy) in centre.items():
            if c_l == hl[0] - 1:
                body.append(_chip(cx + 0.4 * (ox - cx), cy + 0.4 * (oy - cy), _v(steps[hl].w[c_i], decimal), 12, ACCENT))

    for (l, i, k), (cx, cy) in pos.items():
        if i is None:
            body.append(_text(cx, cy, "⋮", 24 if not compact else 22, MUTED, weight="bold"))
            continue
        on = hl == (l, i)
        step = steps.get((l, i))
        has_value = (l == 0 and inputs is not None) or step is not None
        fill = (INPUT if l == 0 else DONE) if has_value else "none"
        if on:  # the neuron being computed: an accent outline and a halo around it
            halo = r + 5
            body.append(f'<path d="M{_n(cx - halo)} {_n(cy)}a{halo} {halo} 0 1 0 {2 * halo} 0a{halo} {halo} 0 1 0 '
                        f'{-2 * halo} 0" fill="none" stroke="{ACCENT}" stroke-opacity="0.4" stroke-width="4"/>')
            body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{r}" fill="{fill}" stroke="{ACCENT}" stroke-width="3"/>')
        else:
            body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{r}" fill="{fill}" '
                        f'stroke="{MUTED if fill == "none" else fill}" stroke-width="1.5"/>')
        if shades is not None and l == last:
            body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{r - 2}" fill="{ACCENT}" '
                        f'fill-opacity="{round(float(shades[i]), 2)}"/>')
        if l == 0:
            body.append(_symbol(cx - r - 8, cy, "x", i + 1, label_size, MUTED, "end"))
            if inputs is not None:
                body.append(_text(cx, cy, _v(inputs[i], decimal), value_size, WHITE))
        elif step is not None:
            body.append(_text(cx, cy, _v(step.y, decimal), value_size, WHITE, weight="bold" if on else "normal"))
            body.append(_chip(cx, cy + r + 15, _v(step.z, decimal), 12, ACCENT if on else EDGE, letter="z"))
        elif net is not None and not compact:
            symbol = {"sigmoid": "σ", "relu": "R"}.get(net.layers[l - 1].activation, "")
            body.append(_text(cx, cy, symbol, 16, MUTED))
    if sketched:
        for l, n in enumerate(sizes):
            body.append(_text(left + l * dx, height - 0.8 * label_size, str(n), label_size, MUTED, weight="bold"))

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

def bars_svg(values: ArrayLike, labels: Sequence[object], true_label: object = None, title: str | None = None,
             decimal: str = ".") -> SVG:
    """Draw output values as horizontal bars, one per class, such as the ten digit scores.

    The predicted class (the largest value) is drawn in blue and pointed at with ▶.
    With true_label (one of labels), the true class gets ✓, and a wrong
    prediction gets ✗. Values must be >= 0; bars are to scale 0..1 when all
    values are at most 1 (probabilities), else 0..max. decimal is the decimal
    mark of the numbers ("." or ",").

    >>> bars_svg([0.1, 0.7, 0.2], labels=["0", "1", "2"], true_label="1")
    SVG(299x90)
    """
    y = as_floats(values, "values")
    decimal = _check_decimal(decimal)
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
        body.append(_text(x0 + bar_len + 8, cy, _v(v, decimal), 13, ACCENT if on else MUTED, "start", weight))
        if k == true_row:
            body.append(_text(width - 12, cy, "✓", 17, GOOD, weight="bold"))
        elif on and true_row is not None:
            body.append(_text(width - 12, cy, "✗", 17, BAD, weight="bold"))
    name = title or (f"Output values; predicted: {names[best]}"
                     + (f"; true: {names[true_row]}" if true_row is not None else ""))
    return _svg(width, height, name, body)
