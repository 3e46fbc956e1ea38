"""The chapter's three demos in a real browser, checked against nnbook run in CPython.

- stepper: every neuron's numbers equal Network.trace of the `network` cell's code run
  here; editing and running the cell changes them; "New example" is Network(seed=k);
- mnist: the predicted class and label shown equal nnbook.mnist.predict and the labels;
- draw: pointer strokes of a 1 and a 0 are read as 1 and 0;
- every demo shows a loading state before Python is there, and speaks fr, es and zh.
"""
from __future__ import annotations

import base64
import contextlib
import io
import math
import re

import numpy as np
import pytest

from nnbook import Network, mnist
from site_scripts.cells import parse_cells
from tests.harness.browser import wait_for
from tests.harness.site import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

CHAPTER = "neural_networks/"
READY = 120_000  # ms: Pyodide's first start on a slow machine
NUMBER = r"-?\d+\.\d\d"


def cell_source(cell_id: str, lang: str = "en") -> str:
    text = (ROOT / "docs" / lang / "neural_networks.md").read_text(encoding="utf-8")
    return next(c.source for c in parse_cells(text) if c.id == cell_id)


def run_cell_here(source: str) -> dict:
    """The cell run by CPython: its net, x and target."""
    scope: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(source, scope)
    return scope


def two(v: float) -> str:
    return f"{round(float(v), 2) + 0.0:.2f}"


def open_chapter(new_page, site_url, lang: str = "", **context):
    page = new_page(**context)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + lang + CHAPTER)
    page.wait_for_selector("[data-nnbook-demo][data-state='ready']", state="attached", timeout=READY)
    for kind in ("stepper", "mnist", "draw"):
        page.wait_for_selector(f"[data-nnbook-demo='{kind}'][data-state='ready']", state="attached", timeout=READY)
    page.errors = errors
    return page


def narration(demo) -> str:
    """What the demo announces (plain text), with typographic minus signs made ASCII."""
    return demo.locator("[data-nnbook-narration]").text_content().replace("−", "-")


def svg_of(img) -> str:
    src = img.get_attribute("src")
    assert src.startswith("data:image/svg+xml;base64,"), src[:40]
    # the drawings write a true minus sign, as the narration does; made ASCII for comparing
    return base64.b64decode(src.split(",", 1)[1]).decode("utf-8").replace("\u2212", "-")


# ------------------------------------------------------------------------- stepper
def read_neuron(text: str) -> dict:
    """The numbers of one neuron step: products w·input, bias, z and y."""
    m = re.search(r"z = [^=]*\+ b = (.*?) = (" + NUMBER + r")\b", text)
    assert m, text
    terms, z = m.group(1), m.group(2)
    products = re.findall(r"\(?(" + NUMBER + r")\)?·\(?(" + NUMBER + r")\)?", terms)
    bias = re.search(r"([+-]) (\d+\.\d\d)$", terms)
    y = re.search(r"σ\(z\) = σ\((" + NUMBER + r")\) = (" + NUMBER + r")", text)
    assert bias and y, text
    return {"w": [w for w, _ in products], "inputs": [i for _, i in products],
            "b": two(float(bias.group(2)) * (-1 if bias.group(1) == "-" else 1)), "z": z, "y_z": y.group(1), "y": y.group(2)}


def check_walk(page, net: Network, x, target) -> None:
    """Walk every step of the stepper and compare its numbers with net.trace(x) in CPython."""
    demo = page.locator("[data-nnbook-demo='stepper']")
    trace = net.trace(x)
    n_layers = len(net.layers)
    expected_steps = 1 + n_layers + 1 + len(trace) + 1 + (target is not None)
    assert demo.get_attribute("data-steps") == str(expected_steps)
    while demo.get_attribute("data-step") != "0":
        demo.locator("[data-nnbook-action='prev']").click()
    seen = set()
    for k in range(expected_steps):
        assert demo.get_attribute("data-step") == str(k)
        text = narration(demo)
        if k == 0:
            assert "x = (" + ", ".join(two(v) for v in x) + ")" in text, text
            if target is not None:
                assert f"t = {two(target)}" in text, text
        if demo.get_attribute("data-nnbook-layer"):
            layer, index = int(demo.get_attribute("data-nnbook-layer")), int(demo.get_attribute("data-nnbook-index"))
            step = next(s for s in trace if (s.layer, s.index) == (layer, index))
            shown = read_neuron(text)
            assert shown["w"] == [two(v) for v in step.w], text
            assert shown["inputs"] == [two(v) for v in step.inputs], text
            assert shown["b"] == two(step.b), text
            assert shown["z"] == shown["y_z"] == two(step.z), text
            assert shown["y"] == two(step.y), text
            # the picture highlights this neuron and writes its numbers
            svg = svg_of(demo.locator("img"))
            plain = re.sub(r"<[^>]+>", "", svg)  # the picture writes an italic z in a tspan
            assert f"z = {two(step.z)}" in plain and two(step.y) in plain
            seen.add((layer, index))
        if k == expected_steps - 1 and target is not None:
            y = trace[-1].y
            assert f"(y - t)² = {two((y - target) ** 2)}" in text, text
            assert f"= {two(y - target)}" in text, text
        if k < expected_steps - 1:
            demo.locator("[data-nnbook-action='next']").click()
    assert seen == {(s.layer, s.index) for s in trace}
    assert demo.locator("[data-nnbook-action='next']").is_disabled()


def test_stepper_walks_the_cells_network(new_page, site_url):
    page = open_chapter(new_page, site_url)
    scope = run_cell_here(cell_source("network"))
    demo = page.locator("[data-nnbook-demo='stepper']")
    assert demo.get_attribute("data-nnbook-origin") == "book"
    check_walk(page, scope["net"], scope["x"], scope["target"])
    # The visible narration is typeset by MathJax; the image has a text alternative.
    wait_for(page, "document.querySelector('[data-nnbook-demo=stepper] .nnbook-demo-narration mjx-container')", timeout=60)
    assert demo.locator("img").get_attribute("alt")
    # Keyboard: ← and → move when the demo has the focus.
    last = int(demo.get_attribute("data-step"))
    demo.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert demo.get_attribute("data-step") == str(last - 2)
    page.keyboard.press("ArrowRight")
    assert demo.get_attribute("data-step") == str(last - 1)
    assert page.errors == []


def test_stepper_follows_the_edited_cell(new_page, site_url):
    page = open_chapter(new_page, site_url)
    edited = (cell_source("network")
              .replace("[[0.5, -0.6, 0.1]", "[[0.9, -0.2, 0.4]")
              .replace("b2 = [0.05]", "b2 = [-0.35]")
              .replace("x = [1.0, 0.5, -1.0]", "x = [0.3, -0.7, 0.6]")
              .replace("target = 0.8", "target = 0.1"))
    assert edited.count("0.9, -0.2, 0.4") == 1 and "-0.35" in edited and "0.3, -0.7" in edited
    cell = page.locator("[data-nnbook-cell='network']")
    cell.locator(".nnbook-editor").click()
    wait_for(page, "document.querySelector(\"[data-nnbook-cell='network'] .cm-content\")")
    editor = cell.locator(".cm-content, textarea.nnbook-plain-editor").first
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(edited)
    cell.locator("[data-nnbook-action='run']").click()
    page.wait_for_selector("[data-nnbook-cell='network'][data-state='done']", timeout=60_000)
    demo = page.locator("[data-nnbook-demo='stepper']")
    page.wait_for_selector("[data-nnbook-demo='stepper'][data-nnbook-origin='cell']", state="attached", timeout=30_000)
    scope = run_cell_here(edited)
    check_walk(page, scope["net"], scope["x"], scope["target"])

    # "New example": random weights from Network([3, 2, 1], seed=k), a new input and target.
    demo.locator("[data-nnbook-action='new']").click()
    page.wait_for_selector("[data-nnbook-demo='stepper'][data-nnbook-origin='example']", state="attached")
    while demo.get_attribute("data-step") != "0":
        demo.locator("[data-nnbook-action='prev']").click()
    text = narration(demo)
    x = [float(v) for v in re.search(r"x = \((.*?)\)", text).group(1).split(", ")]
    target = float(re.search(r"t = (" + NUMBER + ")", text).group(1))
    assert x != scope["x"]
    check_walk(page, Network([3, 2, 1], seed=1), x, target)

    # Running the cell again brings its network back.
    cell.locator("[data-nnbook-action='run']").click()
    page.wait_for_selector("[data-nnbook-demo='stepper'][data-nnbook-origin='cell']", state="attached", timeout=30_000)
    check_walk(page, scope["net"], scope["x"], scope["target"])
    assert page.errors == []


# ------------------------------------------------------------------------- MNIST
def test_mnist_predictions_match_cpython(new_page, site_url):
    page = open_chapter(new_page, site_url)
    images, labels = mnist.load_digits()
    demo = page.locator("[data-nnbook-demo='mnist']")
    field = demo.locator("input[type='number']")
    right = seen = 0
    for i in (0, 7, 123, 1999):
        field.fill(str(i))
        field.press("Enter")
        page.wait_for_selector(f"[data-nnbook-demo='mnist'][data-nnbook-index='{i}']", state="attached")
        predicted = mnist.predict(images[i])
        assert demo.get_attribute("data-nnbook-prediction") == str(predicted)
        assert demo.get_attribute("data-nnbook-label") == str(int(labels[i]))
        result = demo.locator(".nnbook-demo-result").inner_text()
        assert ("✓" in result) == (predicted == labels[i]) and ("✗" in result) == (predicted != labels[i])
        seen += 1
        right += predicted == labels[i]
        assert f"{right} of {seen} right" in demo.inner_text()
        # the pictures: this digit, and bars with ✓ (and ✗ if wrong)
        digit = svg_of(demo.locator(".nnbook-demo-digit img"))
        assert digit.count("<path") >= 3
        bars = svg_of(demo.locator(".nnbook-demo-bars img"))
        assert "✓" in bars and ("✗" in bars) == (predicted != labels[i])
        assert all(demo.locator("img").nth(k).get_attribute("alt") for k in range(3))
    # Buttons: next wraps from the last digit to the first; previous goes back.
    demo.locator("[data-nnbook-action='next']").click()
    page.wait_for_selector("[data-nnbook-demo='mnist'][data-nnbook-index='0']", state="attached")
    demo.locator("[data-nnbook-action='prev']").click()
    page.wait_for_selector("[data-nnbook-demo='mnist'][data-nnbook-index='1999']", state="attached")
    demo.locator("[data-nnbook-action='random']").click()
    wait_for(page, "document.querySelector('[data-nnbook-demo=mnist]').dataset.nnbookIndex !== '1999'")
    i = int(demo.get_attribute("data-nnbook-index"))
    wait_for(page, f"document.querySelector('[data-nnbook-demo=mnist] input').value === '{i}'")
    assert demo.get_attribute("data-nnbook-prediction") == str(mnist.predict(images[i]))
    assert page.errors == []


# ------------------------------------------------------------------------- draw
def stroke(page, canvas, points) -> None:
    """Draw through points given as fractions (0..1) of the canvas, like a mouse."""
    box = canvas.bounding_box()
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for p in xy[1:]:
        page.mouse.move(*p, steps=2)
    page.mouse.up()


def drawn(page, demo) -> str:
    # the answer to the whole drawing (after the pen is lifted), not one given mid-stroke
    wait_for(page, "(d => d.dataset.nnbookPrediction !== undefined && d.dataset.nnbookBusy === undefined)"
                   "(document.querySelector('[data-nnbook-demo=draw]'))")
    return demo.get_attribute("data-nnbook-prediction")


def test_drawn_digits_are_classified(new_page, site_url):
    page = open_chapter(new_page, site_url)
    demo = page.locator("[data-nnbook-demo='draw']")
    canvas = demo.locator("[data-nnbook-canvas]")
    canvas.evaluate("c => c.scrollIntoView({block: 'center', behavior: 'instant'})")
    assert canvas.get_attribute("tabindex") == "0" and canvas.get_attribute("aria-label")

    stroke(page, canvas, [(0.5, 0.15 + 0.7 * k / 20) for k in range(21)])  # a "1"
    assert drawn(page, demo) == "1"
    assert demo.locator("[data-nnbook-narration]").text_content().startswith("The network reads: 1")
    image = svg_of(demo.locator(".nnbook-demo-digit img"))
    assert 'viewBox="0 0 28 28"' in image

    demo.locator("[data-nnbook-action='clear']").click()
    assert demo.get_attribute("data-nnbook-prediction") is None
    ellipse = [(0.5 + 0.22 * math.sin(a), 0.5 - 0.33 * math.cos(a)) for a in np.linspace(0, 2.1 * math.pi, 48)]
    stroke(page, canvas, ellipse)  # a "0"
    assert drawn(page, demo) == "0"

    # The keyboard clears too (Delete on the focused canvas).
    canvas.focus()
    page.keyboard.press("Delete")
    assert demo.get_attribute("data-nnbook-prediction") is None
    assert page.errors == []


# ------------------------------------------------------------------------- before Python, and languages
def test_demos_show_loading_before_python(new_page, site_url):
    page = new_page()
    held = []
    page.context.route("**/pyodide/pyodide.js", lambda route: held.append(route))  # never answered
    page.goto(site_url + CHAPTER)
    page.wait_for_timeout(1000)
    assert held, "the test should hold Python back"
    for kind in ("stepper", "mnist", "draw"):
        demo = page.locator(f"[data-nnbook-demo='{kind}']")
        assert demo.get_attribute("data-state") == "loading"
        status = demo.locator("[data-nnbook-status]")
        assert status.is_visible() and status.inner_text().startswith("Python is loading")
        assert demo.bounding_box()["height"] > 100
    assert page.locator("[data-nnbook-demo='stepper'] [data-nnbook-action='next']").is_disabled()
    # The drawing pad already takes strokes; the answer waits for Python.
    canvas = page.locator("[data-nnbook-canvas]")
    canvas.evaluate("c => c.scrollIntoView({block: 'center', behavior: 'instant'})")
    stroke(page, canvas, [(0.5, 0.2), (0.5, 0.8)])
    lit = canvas.evaluate("c => c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data[0]")
    assert lit == 255


ENGLISH = ["Previous", "Next", "New example", "Random", "Clear", "Step", "Python is loading", "Predicted",
           "True label", "right", "wrong", "The network reads", "Diagram", "Neuron", "hidden layer", "output",
           "Draw a digit", "Numbers", "Use the", "Digit number", "probabilities", "weights", "network"]


def visible_words(demo) -> str:
    """The demo's text, its images' alt texts, its labels and titles."""
    return demo.evaluate("""d => [d.innerText, d.getAttribute('aria-label'),
        ...[...d.querySelectorAll('[alt], [aria-label], [title]')].flatMap(n =>
            [n.getAttribute('alt'), n.getAttribute('aria-label'), n.getAttribute('title')]),
        ...[...d.querySelectorAll('img')].map(img => {
            const m = /<title>(.*?)<\\/title>/.exec(atob(img.src.split(',')[1] || ''));
            return m ? decodeURIComponent(escape(m[1])) : '';
        }),
        d.querySelector('[data-nnbook-narration]').textContent].filter(Boolean).join('\\n')""")


@pytest.mark.parametrize("lang", ["fr", "es", "zh"])
def test_demos_speak_the_page_language(new_page, site_url, lang):
    page = open_chapter(new_page, site_url, lang + "/")
    assert page.evaluate("document.documentElement.lang").startswith(lang)
    stepper = page.locator("[data-nnbook-demo='stepper']")
    texts = {"stepper-0": visible_words(stepper)}
    for k in range(1, int(stepper.get_attribute("data-steps"))):
        stepper.locator("[data-nnbook-action='next']").click()
        texts[f"stepper-{k}"] = visible_words(stepper)
    texts["mnist"] = visible_words(page.locator("[data-nnbook-demo='mnist']"))
    draw = page.locator("[data-nnbook-demo='draw']")
    draw.locator("[data-nnbook-canvas]").evaluate("c => c.scrollIntoView({block: 'center', behavior: 'instant'})")
    texts["draw-empty"] = visible_words(draw)
    stroke(page, draw.locator("[data-nnbook-canvas]"), [(0.5, 0.15 + 0.7 * k / 10) for k in range(11)])
    drawn(page, draw)
    texts["draw"] = visible_words(draw)
    for where, text in texts.items():
        found = [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
        assert not found, f"{lang} {where}: English {found} in:\n{text}"
    assert page.errors == []
