"""The reading experience in a real Chromium, as a reader finds it (issue 11): what a test
can see of plots, demos, code, phones, dark mode, Chinese and the theme's words.

- a plot is shown whole in its output box;
- the stepper keeps its height and its controls' place at every step; the drawing pad
  does not move while a stroke is drawn and answered;
- the static code shown before the editor loads and the editor have the same size;
- every control of cells, demos and the run bar is at least 44 px at 390 px width;
- no English word of the book's or the theme's interface on fr/es/zh pages;
- a demo's buttons never drop the focus to <body>;
- Chinese text is never slanted, and the Chinese pages name CJK fonts;
- in the dark scheme figures are dark (also after the theme's switch), and light ones in
  the light scheme;
- the run bar stays in view among the cells; no "Back to top" pill over them; the book's
  title is not its package's name and page titles are not grey.

Each test measures the page (boxes, computed styles, pixels), never the code's own idea
of it.
"""
from __future__ import annotations

import io
import json
import re

import pytest

from tests.harness.browser import wait_for
from tests.harness.pages import cell, open_page, run, set_code, wait_demo, demo
from tests.harness.site import LANGUAGES, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

CHAPTER = "neural_networks/"
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def url(site_url: str, lang: str = "en", page: str = CHAPTER) -> str:
    return site_url + LANGUAGES[lang] + page


def box(locator) -> dict:
    """A bounding box in page coordinates (independent of scrolling)."""
    return locator.evaluate("""e => { const r = e.getBoundingClientRect();
        return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }""")


def wait_still(page, locator) -> None:
    """Until the element has stayed put for half a second (the page above it has settled)."""
    wait_for(page, "e => new Promise(r => { const y = e.getBoundingClientRect().top; "
             "setTimeout(() => r(Math.abs(e.getBoundingClientRect().top - y) < 0.5), 500); })",
             locator.element_handle(), timeout=30)


def luminance(png: bytes) -> float:
    """Mean relative luminance (0 black .. 1 white) of a screenshot."""
    from PIL import Image

    grey = Image.open(io.BytesIO(png)).convert("L")
    hist = grey.histogram()
    return sum(i * n for i, n in enumerate(hist)) / (255 * sum(hist))


# ----------------------------------------------------------------------------- plots
@pytest.mark.parametrize("context", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_plot_is_shown_whole(new_page, site_url, context):
    page = open_page(new_page, url(site_url), **context)
    run(page, "sigmoid")
    run(page, "sigmoid-plot", timeout=180)
    out = cell(page, "sigmoid-plot").locator("[data-nnbook-output]")
    img = out.locator("img")
    wait_for(page, "e => e.complete && e.naturalHeight > 0", img.element_handle(), timeout=30)
    shown = out.evaluate("""o => { const i = o.querySelector('img'), b = o.getBoundingClientRect(),
        r = i.getBoundingClientRect();
        return {imgTop: r.top, imgBottom: r.bottom, imgRight: r.right, imgHeight: r.height,
                natural: [i.naturalWidth, i.naturalHeight], boxTop: b.top, boxBottom: b.bottom,
                boxRight: b.right, scroll: o.scrollHeight, client: o.clientHeight}; }""")
    assert shown["imgHeight"] > 200, shown
    # the whole figure inside its box, and nothing to scroll to
    assert shown["imgBottom"] <= shown["boxBottom"] + 0.5, shown
    assert shown["imgRight"] <= shown["boxRight"] + 0.5, shown
    assert shown["scroll"] <= shown["client"] + 1, shown
    # shown at its own proportions (not squeezed to fit)
    ratio = shown["natural"][1] / shown["natural"][0]
    width = img.evaluate("i => i.getBoundingClientRect().width")
    assert shown["imgHeight"] == pytest.approx(width * ratio, abs=1.5)


# ----------------------------------------------------------------------------- demos
@pytest.mark.parametrize("context", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_stepper_keeps_its_height_and_its_controls_still(new_page, site_url, context):
    page = open_page(new_page, url(site_url), **context)
    wait_demo(page, "stepper")
    stepper = demo(page, "stepper")
    stepper.scroll_into_view_if_needed()
    # every step's formulas typeset (their final height), then walk them all
    wait_for(page, "document.querySelector('[data-nnbook-demo=stepper]').hasAttribute('data-nnbook-typeset')", timeout=60)
    steps = int(stepper.get_attribute("data-steps"))
    assert steps >= 8
    nxt = stepper.locator("[data-nnbook-action='next']")
    wait_still(page, nxt)
    seen = []
    for k in range(steps):
        assert stepper.get_attribute("data-step") == str(k)
        # heights, and where Next is in the window (under the reader's pointer)
        seen.append((box(stepper)["height"], nxt.bounding_box()["y"], box(stepper.locator("img"))["height"]))
        if k < steps - 1:
            nxt.click()
    heights, next_at, pictures = zip(*seen)
    assert max(heights) - min(heights) <= 1, f"the stepper's height changes from step to step: {heights}"
    assert max(next_at) - min(next_at) <= 1, f"Next moves: {next_at}"
    assert max(pictures) - min(pictures) <= 1, f"the picture's box changes: {pictures}"
    # on a phone the picture and its controls are in one view
    view = page.viewport_size["height"]
    top, bottom = box(stepper.locator("img"))["y"], box(nxt)["y"] + box(nxt)["height"]
    assert bottom - top < view - 100, (top, bottom, view)


@pytest.mark.parametrize("context", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_drawing_pad_does_not_move_during_a_stroke(new_page, site_url, context):
    page = open_page(new_page, url(site_url), **context)
    for kind in ("stepper", "mnist", "draw"):  # the page above has settled
        wait_demo(page, kind)
    draw = demo(page, "draw")
    canvas = draw.locator("[data-nnbook-canvas]")
    clear = draw.locator("[data-nnbook-action='clear']")
    # Where the pointer is: the boxes in the window (what the reader sees move).
    where = lambda: (canvas.bounding_box(), clear.bounding_box())  # noqa: E731
    canvas.evaluate("c => c.scrollIntoView({block: 'center', behavior: 'instant'})")
    wait_still(page, canvas)
    before = where()
    seen = []
    view = before[0]
    x, y = view["x"] + view["width"] * 0.5, view["y"] + view["height"] * 0.15
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 15):
        page.mouse.move(x, y + view["height"] * 0.05 * k, steps=2)
        seen.append(where())
    page.mouse.up()
    wait_for(page, "document.querySelector('[data-nnbook-demo=draw]').hasAttribute('data-nnbook-prediction')", timeout=60)
    page.wait_for_timeout(300)
    seen.append(where())
    for canvas_box, clear_box in seen:
        for key in ("x", "y", "width", "height"):
            assert canvas_box[key] == pytest.approx(before[0][key], abs=0.5), (key, before[0], canvas_box)
            assert clear_box[key] == pytest.approx(before[1][key], abs=0.5), (key, before[1], clear_box)


def test_a_demo_never_drops_the_focus_to_the_page(new_page, site_url):
    page = open_page(new_page, url(site_url), **DESKTOP)
    for kind in ("stepper", "mnist", "draw"):
        wait_demo(page, kind)
    focus = """k => { const a = document.activeElement, d = document.querySelector(`[data-nnbook-demo='${k}']`);
        return a && a !== document.body && d.contains(a) ? a.dataset.nnbookAction || a.tagName : null; }"""
    stepper = demo(page, "stepper")
    stepper.locator("[data-nnbook-action='next']").focus()
    last = int(stepper.get_attribute("data-steps")) - 1
    for _ in range(last):  # to the last step with the keyboard, where Next is disabled
        page.keyboard.press("Enter")
        assert page.evaluate(focus, "stepper"), "the focus fell out of the stepper"
    assert stepper.get_attribute("data-step") == str(last)
    assert page.evaluate(focus, "stepper") == "prev"
    for _ in range(last):  # and back to the first, where Previous is
        page.keyboard.press("Enter")
        assert page.evaluate(focus, "stepper"), "the focus fell out of the stepper"
    assert stepper.get_attribute("data-step") == "0"
    assert page.evaluate(focus, "stepper") == "next"
    stepper.locator("[data-nnbook-action='new']").focus()
    page.keyboard.press("Enter")
    wait_for(page, "document.querySelector('[data-nnbook-demo=stepper]').dataset.nnbookOrigin === 'example'", timeout=30)
    assert page.evaluate(focus, "stepper") == "new"
    mnist = demo(page, "mnist")
    for action in ("next", "prev", "random"):
        mnist.locator(f"[data-nnbook-action='{action}']").focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
        assert page.evaluate(focus, "mnist") == action
    demo(page, "draw").locator("[data-nnbook-action='clear']").focus()
    page.keyboard.press("Enter")
    assert page.evaluate(focus, "draw") == "CANVAS"


# ----------------------------------------------------------------------------- code
EDITOR_BOXES = """() => [...document.querySelectorAll('[data-nnbook-cell]')].map(c => {
    const box = c.querySelector('.nnbook-editor').getBoundingClientRect();
    const editor = c.querySelector('.cm-content');
    const text = editor ? editor.querySelector('.cm-line') : c.querySelector('.nnbook-cell-source code');
    const range = document.createRange();
    const first = document.createTreeWalker(text, NodeFilter.SHOW_TEXT, {acceptNode: n => /\\S/.test(n.data) ? 1 : 3}).nextNode();
    range.setStart(first, first.data.search(/\\S/)); range.setEnd(first, first.data.search(/\\S/) + 1);
    const r = range.getBoundingClientRect();
    return {id: c.dataset.nnbookCell, editor: !!editor, height: box.height, left: r.left - box.left, top: r.top - box.top};
})"""


@pytest.mark.parametrize("context", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_static_code_and_the_editor_have_the_same_size(new_page, site_url, context):
    page = new_page(**context)
    page.set_default_timeout(120_000)
    page.goto(url(site_url), wait_until="domcontentloaded")
    before = page.evaluate(EDITOR_BOXES)
    assert before and not any(c["editor"] for c in before), "the editors were there before the page settled"
    # Every editor, made and measured in view (CodeMirror measures its lines there).
    for c in before:
        cell(page, c["id"]).locator(".nnbook-editor").scroll_into_view_if_needed()
        wait_for(page, "id => document.querySelector(`[data-nnbook-cell='${id}'] .cm-content`)", c["id"], timeout=120)
    page.wait_for_timeout(300)
    after = {c["id"]: c for c in page.evaluate(EDITOR_BOXES)}
    for static in before:
        editor = after[static["id"]]
        assert editor["editor"]
        assert editor["height"] == pytest.approx(static["height"], abs=1), (static, editor)
        # the code starts at the same place: the editor replaces it line for line
        assert editor["left"] == pytest.approx(static["left"], abs=1), (static, editor)
        assert editor["top"] == pytest.approx(static["top"], abs=1), (static, editor)


def test_the_keyboard_hint_shows_only_in_the_focused_editor_and_moves_nothing(new_page, site_url):
    page = open_page(new_page, url(site_url), **DESKTOP)
    first = cell(page, "weighted-sum")
    hint = first.locator(".nnbook-keys-hint")
    run_button = first.locator("[data-nnbook-action='run']")
    first.scroll_into_view_if_needed()
    visible = "e => { const s = getComputedStyle(e); return s.display !== 'none' && s.visibility === 'visible' && +s.opacity > 0.5; }"
    assert not hint.evaluate(visible), "the hint shows in a cell nobody is editing"
    at = box(run_button)
    first.locator(".nnbook-editor").click()
    wait_for(page, "document.activeElement?.classList.contains('cm-content')", timeout=60)
    page.wait_for_timeout(200)
    assert hint.evaluate(visible), "the hint is not shown while the editor has focus"
    assert box(run_button) == at, "showing the hint moved the cell's buttons"
    assert not cell(page, "sigmoid").locator(".nnbook-keys-hint").evaluate(visible)
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    page.wait_for_timeout(200)
    assert not hint.evaluate(visible)


# ----------------------------------------------------------------------------- phones
TARGETS = """() => [...document.querySelectorAll(
    '[data-nnbook-runbar] :is(button, input, select, a[href]), [data-nnbook-cell] :is(button, input, select, a[href]), ' +
    '[data-nnbook-demo] :is(button, input, select, a[href])')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .map(e => { const r = e.getBoundingClientRect();
    return {what: (e.dataset.nnbookAction || e.tagName) + ' in ' + (e.closest('[data-nnbook-cell]')?.dataset.nnbookCell
      || e.closest('[data-nnbook-demo]')?.dataset.nnbookDemo || 'run bar'), width: r.width, height: r.height}; })"""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_control_is_a_44_px_target_on_a_phone(new_page, site_url, lang):
    page = open_page(new_page, url(site_url, lang), **PHONE)
    for kind in ("stepper", "mnist", "draw"):
        wait_demo(page, kind)
    run(page, "weighted-sum")  # a cell that has run shows its whole toolbar
    targets = page.evaluate(TARGETS)
    kinds = {t["what"].split(" in ")[1] for t in targets}
    assert {"run bar", "weighted-sum", "stepper", "mnist", "draw"} <= kinds, kinds
    small = [t for t in targets if t["width"] < 44 - 0.01 or t["height"] < 44 - 0.01]
    assert not small, f"{len(small)} of {len(targets)} controls are smaller than 44 x 44 px: {small[:8]}"
    # and nothing sticks out sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


# ----------------------------------------------------------------------------- languages
def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def strings(lang: str) -> dict[str, str]:
    return _flatten(json.loads((ROOT / "site_scripts" / "strings" / f"{lang}.json").read_text(encoding="utf-8")))


# The theme's own words (Material for MkDocs), as the English build writes them.
THEME_ENGLISH = ["Switch to dark mode", "Switch to light mode", "Permanent link", "Made with", "Back to top",
                 "Skip to content", "Table of contents", "Copy to clipboard", "Type to start searching",
                 "Initializing search", "Search", "Previous", "Next", "Share", "Clear"]

UI_TEXT = """() => {
  const skip = '.nnbook-cell-source, .cm-editor, textarea, [data-nnbook-output], script, style, .md-content__inner > :not([data-nnbook-runbar], [data-nnbook-cell], [data-nnbook-demo], .nnbook-exercise, [data-nnbook-exercise])';
  const scopes = document.querySelectorAll('header, footer, nav, .md-top, .md-search, .md-dialog, [data-nnbook-runbar], [data-nnbook-cell], [data-nnbook-demo], [data-nnbook-exercise]');
  const texts = new Set();
  for (const scope of scopes) {
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest(skip)) continue;
      const t = n.data.replace(/\\s+/g, ' ').trim();
      if (t) texts.add(t);
    }
  }
  for (const e of document.querySelectorAll('[title], [aria-label], [placeholder], [alt], [data-md-tooltip]')) {
    if (e.closest('.nnbook-cell-source, .cm-editor, [data-nnbook-output]')) continue;
    for (const a of ['title', 'aria-label', 'placeholder', 'alt', 'data-md-tooltip']) {
      const v = e.getAttribute(a);
      if (v && v.trim()) texts.add(v.replace(/\\s+/g, ' ').trim());
    }
  }
  return [...texts];
}"""


def english_left(texts: list[str], lang: str) -> list[tuple[str, str]]:
    """The English interface strings found in ``texts`` that ``lang`` says otherwise."""
    english, own = strings("en"), strings(lang)
    found = []
    candidates = [(k, v) for k, v in english.items() if own.get(k) != v]
    candidates += [(f"theme:{w}", w) for w in THEME_ENGLISH]
    for key, value in candidates:
        fragments = [f.strip() for f in re.split(r"\{[^}]+\}", value) if f.strip()]
        longest = max(fragments, key=len, default="")
        for text in texts:
            # a whole label ("Run", "Next") or, for a sentence, its longest literal part
            if text == value or text.strip("◀▶⟳⌫⤨ ") == value or (len(longest) >= 12 and longest in text):
                found.append((key, text))
                break
    return found


def ui_texts(page) -> list[str]:
    # Material's palette toggles and the search are labelled, the cells have their toolbars
    return page.evaluate(UI_TEXT)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_english_interface_on_translated_pages(new_page, site_url, lang):
    for path in (CHAPTER, ""):
        page = open_page(new_page, url(site_url, lang, path), **DESKTOP)
        if path == CHAPTER:
            for kind in ("stepper", "mnist", "draw"):
                wait_demo(page, kind)
        left = english_left(ui_texts(page), lang)
        assert not left, f"English left on the {lang} page {path or 'home'}: {left[:10]}"


def test_the_english_detector_finds_the_english_interface(new_page, site_url):
    """The check above is not vacuous: on the English page it finds the English words."""
    page = open_page(new_page, url(site_url, "en"), **DESKTOP)
    wait_demo(page, "stepper")
    found = {key for key, _ in english_left(ui_texts(page), "fr")}
    assert {"cells.runAll", "cells.run", "demos.next", "theme:Search"} <= found, found


CJK = "[\\u3400-\\u9fff\\uf900-\\ufaff\\u3000-\\u303f\\uff00-\\uffef]"
SLANTED = """cjk => { const re = new RegExp(cjk); const out = [];
  const walker = document.createTreeWalker(document.querySelector('.md-content'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!re.test(n.data) || !n.parentElement.getClientRects().length) continue;
    const s = getComputedStyle(n.parentElement);
    if (s.fontStyle !== 'normal') out.push([n.parentElement.tagName, n.parentElement.className, n.data.trim().slice(0, 30), s.fontStyle]);
  }
  return out; }"""


def test_chinese_is_never_slanted_and_its_fonts_are_named(new_page, site_url):
    page = open_page(new_page, url(site_url, "zh"), **DESKTOP)
    for kind in ("stepper", "mnist", "draw"):
        wait_demo(page, kind)
    checked = page.evaluate("""cjk => { const re = new RegExp(cjk);
        return [...document.querySelectorAll('figcaption, .md-content em, [data-nnbook-output], [data-nnbook-demo] p')]
          .filter(e => re.test(e.textContent)).length; }""", CJK)
    assert checked >= 10, "too few Chinese captions and outputs to check"
    slanted = page.evaluate(SLANTED, CJK)
    assert not slanted, f"slanted Chinese text: {slanted[:8]}"
    fonts = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontFamily")
    assert re.search(r"Noto Sans CJK SC|PingFang SC|Source Han Sans SC|Microsoft YaHei", fonts), fonts
    code = page.evaluate("getComputedStyle(document.querySelector('.nnbook-editor')).fontFamily")
    assert "CJK" in code or "YaHei" in code, code


# ----------------------------------------------------------------------------- dark mode
FIGURES = "article figure img[src*='figures/']"


def figure_luminances(page) -> list[tuple[str, float]]:
    out = []
    images = page.locator(FIGURES)
    for i in range(images.count()):
        img = images.nth(i)
        img.scroll_into_view_if_needed()
        wait_for(page, "e => e.complete && e.naturalWidth > 0", img.element_handle(), timeout=30)
        out.append((img.get_attribute("src"), luminance(img.screenshot())))
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_are_dark_in_the_dark_scheme(new_page, site_url, lang):
    page = new_page(url(site_url, lang), color_scheme="dark", **DESKTOP)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    found = figure_luminances(page)
    assert len(found) >= 8
    bright = [(src, round(v, 2)) for src, v in found if v > 0.3]
    assert not bright, f"bright figures on the dark page: {bright}"


def test_figures_follow_the_themes_switch(new_page, site_url):
    """Not the system's preference: the page's own light/dark switch."""
    page = new_page(url(site_url), color_scheme="light", **DESKTOP)
    light = dict(figure_luminances(page))
    # the diagrams and plots are light on the light page (the MNIST sample is black tiles on both)
    assert all(v > 0.6 for src, v in light.items() if src.endswith(".svg")), light
    page.locator("label[for='__palette_1']").first.click()  # the theme's switch, to dark
    wait_for(page, "document.body.dataset.mdColorScheme === 'slate'", timeout=10)
    page.wait_for_timeout(300)
    dark = dict(figure_luminances(page))
    assert all(v < 0.3 for v in dark.values()), dark


def test_drawings_in_cells_and_demos_are_dark_in_the_dark_scheme(new_page, site_url):
    page = open_page(new_page, url(site_url), color_scheme="dark", **DESKTOP)
    set_code(page, "weighted-sum", "from nnbook import network_svg\nnetwork_svg([3, 2, 1])")
    run(page, "weighted-sum")
    drawing = cell(page, "weighted-sum").locator("[data-nnbook-output] img")
    wait_for(page, "e => e.complete && e.naturalWidth > 0", drawing.element_handle(), timeout=30)
    assert luminance(drawing.screenshot()) < 0.3
    wait_demo(page, "stepper")
    stepper = demo(page, "stepper").locator("img")
    stepper.scroll_into_view_if_needed()
    assert luminance(stepper.screenshot()) < 0.3


# ----------------------------------------------------------------------------- the page
def test_the_run_bar_stays_in_view_among_the_cells(new_page, site_url):
    page = open_page(new_page, url(site_url), **DESKTOP)
    bar = page.locator("[data-nnbook-runbar]")
    for cell_id in ("sigmoid-plot", "network", "mnist-predict"):
        cell(page, cell_id).evaluate("c => c.scrollIntoView({block: 'center', behavior: 'instant'})")
        page.wait_for_timeout(150)
        where = bar.evaluate("""b => { const r = b.getBoundingClientRect(),
            h = document.querySelector('.md-header').getBoundingClientRect();
            const run = b.querySelector("[data-nnbook-action='run-all']").getBoundingClientRect();
            const hit = document.elementFromPoint(run.left + run.width / 2, run.top + run.height / 2);
            return {top: r.top, headerBottom: h.bottom, reachable: !!hit?.closest("[data-nnbook-action='run-all']")}; }""")
        assert where["top"] == pytest.approx(where["headerBottom"], abs=2), (cell_id, where)
        assert where["reachable"], (cell_id, where)
    # above the first cell, the bar is in its place in the text, not pinned
    page.evaluate("scrollTo(0, 0)")
    page.wait_for_timeout(150)
    assert bar.evaluate("b => b.getBoundingClientRect().top") > 300


def test_loading_shows_a_bar_with_the_total(new_page, site_url):
    page = new_page(**DESKTOP)
    held = []
    page.route("**/pyodide/pyodide.asm.wasm*", lambda route: held.append(route))
    page.goto(url(site_url), wait_until="domcontentloaded")
    try:
        wait_for(page, "document.querySelector('[data-nnbook-runtime]')?.dataset.state === 'loading'", timeout=30)
        shown = page.evaluate("""() => { const r = document.querySelector('[data-nnbook-runtime]'),
            p = r.querySelector('progress'), b = p.getBoundingClientRect();
            return {text: r.textContent, width: b.width, height: b.height, visible: !p.hidden}; }""")
        assert shown["visible"] and shown["width"] >= 80 and shown["height"] >= 4, shown
        total = page.evaluate("JSON.parse(document.getElementById('nnbook-config').textContent).runtime.startBytes") / 1e6
        assert f"{total:.1f}" in shown["text"], shown  # "... 0.0 of 12.8 MB"
    finally:
        for route in held:
            route.continue_()


def test_no_back_to_top_pill_over_the_cells_and_demos(new_page, site_url):
    page = open_page(new_page, url(site_url), **DESKTOP)
    wait_demo(page, "stepper")
    demo(page, "stepper").evaluate("d => scrollTo(0, d.getBoundingClientRect().top + scrollY + 300)")
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -250)  # the theme shows its pill when the reader scrolls up
    page.wait_for_timeout(600)
    covered = page.evaluate("""() => { const pills = [...document.querySelectorAll('.md-top')]
        .filter(p => !p.hidden && p.getClientRects().length && getComputedStyle(p).opacity > 0 && getComputedStyle(p).visibility !== 'hidden');
      const things = [...document.querySelectorAll('[data-nnbook-cell], [data-nnbook-demo], [data-nnbook-runbar]')];
      const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      return pills.flatMap(p => things.filter(t => meet(p.getBoundingClientRect(), t.getBoundingClientRect()))
        .map(t => t.dataset.nnbookCell || t.dataset.nnbookDemo || 'run bar')); }""")
    assert not covered, f"the Back to top pill covers: {covered}"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_book_has_a_title_and_its_pages_titles_are_not_grey(new_page, site_url, lang):
    page = new_page(url(site_url, lang, ""), **DESKTOP)
    name = page.locator(".md-header__topic").first.text_content().strip()
    assert name and "nnbook" not in name.lower(), name
    assert "nnbook" not in page.title().lower(), page.title()
    colours = page.evaluate("""() => ({h1: getComputedStyle(document.querySelector('.md-typeset h1')).color,
        text: getComputedStyle(document.querySelector('.md-typeset p')).color})""")
    assert colours["h1"] == colours["text"], colours
