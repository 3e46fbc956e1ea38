"""SVG drawings: valid, accessible XML whose shapes encode the numbers given."""
import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from nnbook import SVG, Network, bars_svg, digit_svg, network_svg

NS = "{http://www.w3.org/2000/svg}"


def parse(svg):
    assert isinstance(svg, SVG) and isinstance(svg, str)
    root = ET.fromstring(svg)
    assert root.tag == NS + "svg"
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox"))
    assert float(root.get("width")) == svg.width and float(root.get("height")) == svg.height
    assert root.get("role") == "img" and root.get("aria-label")
    title = root.find(NS + "title")
    assert title is not None and title.text == root.get("aria-label")
    # explicit colours only: no page CSS variables, no <style> that would leak into the page
    assert "var(" not in svg and "<style" not in svg and "currentColor" not in svg
    return root


def texts(root):
    return ["".join(t.itertext()) for t in root.iter(NS + "text")]


def sig(z):
    return 1 / (1 + math.exp(-z))


CHAPTER = Network.from_params([[[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1]], [[1.5, -2.0]]], [[0.1, -0.2], [0.3]])
X = [0.8, 0.2, 0.5]


def test_svg_type():
    svg = SVG("<svg/>", 320, 200)
    assert repr(svg) == "SVG(320x200)"
    assert svg._repr_svg_() == "<svg/>" and type(svg._repr_svg_()) is str
    assert svg == "<svg/>"


def test_network_from_sizes():
    root = parse(network_svg([3, 2, 1]))
    assert len(root.findall(f".//{NS}circle")) == 6
    labels = texts(root)
    for name in ("x₁", "x₂", "x₃", "y"):
        assert name in labels
    # 3*2 + 2*1 connections, drawn in the edge group
    edge_group = root.find(NS + "g")
    assert len(edge_group.findall(NS + "line")) == 8


def test_large_network_is_a_sketch():
    svg = network_svg([784, 256, 10])
    root = parse(svg)
    assert len(root.findall(f".//{NS}circle")) == 4 + 4 + 10
    labels = texts(root)
    assert labels.count("⋮") == 2
    assert {"784", "256", "10", "x₇₈₄"} <= set(labels)
    assert len(svg) < 30_000


def test_trace_values_are_written():
    root = parse(network_svg(CHAPTER, trace=CHAPTER.trace(X)))
    labels = texts(root)
    h1, h2 = sig(1.3), sig(-0.23)
    z_out = 0.3 + 1.5 * h1 - 2 * h2
    # worked by hand: y = 0.79, 0.44, 0.64; z = 1.30, -0.23, 0.59
    for value in ("0.80", "0.20", "0.50", f"{h1:.2f}", f"{h2:.2f}", f"{sig(z_out):.2f}"):
        assert value in labels
    assert ["0.79", "0.44", "0.64"] == [f"{v:.2f}" for v in (h1, h2, sig(z_out))]
    for z in ("z = 1.30", "z = \u22120.23", "z = 0.59"):
        assert z in labels


def test_single_neuron_diagram_has_bias_and_weights():
    labels = texts(parse(network_svg([3, 1])))
    assert {"x₁", "x₂", "x₃", "w₁", "w₂", "w₃", "b", "y"} <= set(labels)
    neuron = Network.from_params([[[0.5, -1.0, 2.0]]], [[0.1]])
    labels = texts(parse(network_svg(neuron, trace=neuron.trace(X))))
    # negative numbers are written with a true minus sign, as in the chapter's formulas
    assert {"0.50", "\u22121.00", "2.00", "0.10", "z = 1.30", f"{sig(1.3):.2f}"} <= set(labels)


def accent_lines(root):
    return [e for e in root.iter(NS + "line") if e.get("stroke") == "#2f7de1"] + [
        e for g in root.iter(NS + "g") if g.get("stroke") == "#2f7de1" for e in g.iter(NS + "line")]


def test_highlight_marks_neuron_and_incoming_edges():
    root = parse(network_svg([3, 2, 1], highlight=(1, 0)))
    marked = [c for c in root.iter(NS + "circle") if c.get("stroke") == "#2f7de1"]
    assert len(marked) == 1
    assert len(accent_lines(root)) == 3  # one per input
    # a neuron hidden in a sketch is brought into view
    root = parse(network_svg([784, 256, 10], highlight=(1, 100)))
    assert len(root.findall(f".//{NS}circle")) == 4 + 5 + 10
    assert len(accent_lines(root)) == 4  # from the four inputs drawn
    assert texts(root).count("⋮") == 3


@pytest.mark.parametrize("kwargs, err, message", [
    (dict(net_or_sizes=[3]), ValueError, "at least an input and an output layer"),
    (dict(net_or_sizes="3-2-1"), TypeError, "sizes must be a list"),
    (dict(net_or_sizes=[3, 2, 1], highlight=(3, 0)), ValueError, r"highlight must be \(layer, index\) with layer 0..2"),
    (dict(net_or_sizes=[3, 2, 1], highlight=(1, 2)), ValueError, "got \\(1, 2\\)"),
    (dict(net_or_sizes=[3, 2, 1], highlight="1,0"), ValueError, "highlight must be"),
    (dict(net_or_sizes=[3, 2, 2], trace=CHAPTER.trace(X)), ValueError, r"trace must be the list of TraceStep .* sizes \[3, 2, 2\], 4 steps; got 3"),
    (dict(net_or_sizes=[4, 2, 1], trace=CHAPTER.trace(X)), ValueError, "it has 3 inputs"),
])
def test_network_bad_input(kwargs, err, message):
    with pytest.raises(err, match=message):
        network_svg(**kwargs)


def decode_digit(root):
    """Rebuild the 28 x 28 grey image from the SVG paths (independent of how they were made)."""
    image = np.zeros((28, 28), dtype=int)
    for path in root.iter(NS + "path"):
        g = int(path.get("fill")[1:3], 16)
        assert path.get("fill") == "#" + f"{g:02x}" * 3  # grey
        for col, row, run in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path.get("d")):
            image[int(row), int(col):int(col) + int(run)] = g
    return image


def test_digit_pixels_round_trip():
    rng = np.random.default_rng(0)
    image = np.zeros((28, 28), dtype=np.uint8)
    image[5:20, 8:18] = rng.integers(0, 256, size=(15, 10))
    root = parse(digit_svg(image))
    assert root.get("viewBox") == "0 0 28 28"
    rects = root.findall(NS + "rect")
    assert rects[0].get("fill") == "#000000"  # white on black, like MNIST
    assert np.array_equal(decode_digit(root), image)
    # floats 0..1 and the flat (784,) form draw the same picture
    assert digit_svg(image.astype(float) / 255) == digit_svg(image)
    assert digit_svg(image.reshape(784)) == digit_svg(image)
    assert repr(digit_svg(image)) == "SVG(140x140)"


def test_blank_digit_is_small():
    assert len(digit_svg(np.zeros((28, 28), np.uint8))) < 1000


@pytest.mark.parametrize("image, err, message", [
    (np.zeros((28, 27), np.uint8), ValueError, r"shape \(28, 28\) or \(784,\); got shape \(28, 27\)"),
    (np.zeros(783), ValueError, r"got shape \(783,\)"),
    (np.full((28, 28), 2.0), ValueError, "float pixels 0..1 .* got values from 2 to 2"),
    (np.full((28, 28), 300), ValueError, "0..255; got values from 300 to 300"),
    (np.full((28, 28), "a"), TypeError, "image must contain real numbers"),
    (np.zeros((28, 28), bool), TypeError, "real numbers"),
    (np.full((28, 28), np.nan), ValueError, "finite"),
    (np.zeros((0, 28)), ValueError, "empty"),
])
def test_digit_bad_input(image, err, message):
    with pytest.raises(err, match=message):
        digit_svg(image)


def bar_widths(root):
    return [float(r.get("width")) for r in root.iter(NS + "rect") if r.get("fill-opacity") is None]


VALUES = [0.01, 0.02, 0.05, 0.6, 0.01, 0.0, 0.03, 0.01, 0.22, 0.05]


def test_bars_lengths_and_marks_wrong_prediction():
    root = parse(bars_svg(VALUES, labels=range(10), true_label=8))
    widths = bar_widths(root)
    assert len(widths) == 9  # no bar for the 0.0 value
    nonzero = [v for v in VALUES if v > 0]
    for w, v in zip(widths, nonzero):  # probabilities are drawn to scale 0..1
        assert w == pytest.approx(max(170 * v, 1), abs=0.06)
    labels = texts(root)
    assert labels.count("▶") == 1 and labels.count("✓") == 1 and labels.count("✗") == 1
    assert [f"{v:.2f}" for v in VALUES] == [t for t in labels if re.fullmatch(r"\d\.\d\d", t)]
    rows = {t.text: float(t.get("y")) for t in root.iter(NS + "text")}
    assert rows["✓"] == rows["8"] and rows["✗"] == rows["3"] == rows["▶"]


def test_bars_correct_prediction_and_no_true_label():
    labels = texts(parse(bars_svg(VALUES, labels=[str(i) for i in range(10)], true_label="3")))
    assert labels.count("✓") == 1 and "✗" not in labels
    labels = texts(parse(bars_svg([2.0, 4.0], labels=["cat", "dog"])))
    assert "✓" not in labels and labels.count("▶") == 1
    root = parse(bars_svg([2.0, 4.0], labels=["cat", "dog"]))
    assert bar_widths(root) == [85.0, 170.0]  # scaled to the largest value when above 1


@pytest.mark.parametrize("args, err, message", [
    (([0.5, 0.5], ["a"]), ValueError, "2 values; got 1 labels"),
    (([0.5, -0.1], ["a", "b"]), ValueError, "values >= 0"),
    (([[0.5, 0.5]], ["a", "b"]), ValueError, r"values of shape \(n,\), one per class; got shape \(1, 2\)"),
    (([0.5, 0.5], "ab"), TypeError, "labels as a list"),
    ((["x", "y"], ["a", "b"]), TypeError, "values must contain real numbers"),
    (([0.5, float("inf")], ["a", "b"]), ValueError, "finite"),
    (([], []), ValueError, "empty"),
])
def test_bars_bad_input(args, err, message):
    with pytest.raises(err, match=message):
        bars_svg(*args)


def test_bars_true_label_must_be_a_label():
    with pytest.raises(ValueError, match=r"true_label must be one of the labels \['0', '1'\]; got 7"):
        bars_svg([0.2, 0.8], [0, 1], true_label=7)


def test_titles_can_be_translated_and_are_escaped():
    root = parse(network_svg([3, 2, 1], title="Réseau <3-2-1> & co"))
    assert root.find(NS + "title").text == "Réseau <3-2-1> & co"
    assert parse(digit_svg(np.zeros(784), title="数字")).get("aria-label") == "数字"


def test_drawings_are_deterministic():
    a = network_svg(Network([3, 4, 2], seed=1), highlight=(2, 1))
    b = network_svg(Network([3, 4, 2], seed=1), highlight=(2, 1))
    assert a == b


def test_a_forward_pass_fills_in_one_neuron_after_the_other():
    steps = CHAPTER.trace(X)
    full = texts(parse(network_svg(CHAPTER, trace=steps)))
    first = texts(parse(network_svg(CHAPTER, trace=steps, shown=1)))
    none = parse(network_svg(CHAPTER, trace=steps, shown=0))
    # shown=1: the inputs and the first hidden neuron's y and z, not the others'
    assert f"{sig(1.3):.2f}" in first and "z = 1.30" in first
    assert f"{sig(-0.23):.2f}" not in first and "z = \u22120.23" not in first
    assert f"{sig(-0.23):.2f}" in full
    assert "z = 1.30" not in texts(none) and "0.80" in texts(none)
    # the picture keeps its size at every step, so a demo does not jump
    sizes = {(s.width, s.height) for s in (network_svg(CHAPTER, trace=steps, shown=k) for k in range(4))}
    assert len(sizes) == 1
    with pytest.raises(ValueError, match="shown must be"):
        network_svg(CHAPTER, trace=steps, shown=4)
