"""The exercises in a real browser (Pyodide), in the four languages, and the notebook download.

The references are independent of the page's script: the exercise's checks, solution and
hints as the chapter's Markdown has them, and the sentences of strings/<lang>.json filled
in by hand here. Each language gets a wrong answer, an answer made for the public checks
that a hidden check catches, a run that fails, and a right answer; in English every
exercise's solution passes and every starting code fails, as in CPython
(tests/test_exercises.py).
"""
from __future__ import annotations

import json
import re

import nbformat
import pytest

from site_scripts.exercises import parse_exercises
from tests.examples import DOCS
from tests.harness.browser import inject, t, wait_for
from tests.harness.pages import LOAD_TIMEOUT, editor_code, open_page, set_code
from tests.harness.site import LANGUAGES, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

CHAPTER = "neural_networks/"
RELU = "relu-by-hand"
RESULT = "id => document.querySelector(`[data-nnbook-exercise='${id}']`).dataset.result"

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def exercises(lang: str) -> dict:
    return {e.id: e for e in parse_exercises((DOCS / lang / "neural_networks.md").read_text(encoding="utf-8"))}


def exercise(page, ex_id: str):
    return page.locator(f"[data-nnbook-exercise='{ex_id}']")


def check(page, ex_id: str) -> tuple[str, str]:
    """Click Check; the result (pass|fail) and the verdict's text once the check is over."""
    box = exercise(page, ex_id)
    box.locator("[data-nnbook-action='check']").click()
    wait_for(page, RESULT, ex_id, timeout=LOAD_TIMEOUT)
    return box.get_attribute("data-result"), box.locator("[data-nnbook-verdict]").text_content()


def progress(page, ex_id: str) -> dict:
    return page.evaluate("id => JSON.parse(localStorage.getItem(`nnbook:exercise:${location.pathname}#${id}`))", ex_id)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_relu_exercise_checks_a_wrong_a_fitted_and_a_right_answer(new_page, site_url, lang):
    page = open_page(new_page, site_url + LANGUAGES[lang] + CHAPTER)
    relu = exercises(lang)[RELU]
    box = exercise(page, RELU)
    assert box.get_attribute("data-nnbook-cell") == RELU  # an exercise is a cell too
    assert "expect(my_relu(-2), 0" in box.locator("[data-nnbook-checks-shown]").text_content()
    hint = re.search(r'expect\(my_relu\(-2\), 0, hint="([^"]+)"\)', relu.checks).group(1)

    # The solution comes after a first try (the button says so: aria-disabled, which a click still reaches).
    assert box.locator("[data-nnbook-action='solution']").get_attribute("aria-disabled") == "true"
    box.locator("[data-nnbook-action='solution']").click(force=True)
    assert box.locator("[data-nnbook-note]").text_content() == t(page, "exercises.solutionAfterTry")
    assert box.locator("[data-nnbook-solution-box]").is_hidden()

    # A wrong answer: what was checked, what was wanted, what came, and the author's hint.
    set_code(page, RELU, "def my_relu(z):\n    return abs(z)")
    result, verdict = check(page, RELU)
    sentence = t(page, "exercises.fail.value").replace("{call}", "my_relu(-2)").replace("{expected}", "0").replace("{actual}", "2")
    assert result == "fail"
    assert verdict == t(page, "exercises.failed", message=f"{sentence} {t(page, 'exercises.fail.hint', hint=hint)}")
    assert box.locator("[data-nnbook-progress]").text_content() == t(page, "exercises.statusTried")

    # An answer made for the public checks: a hidden check, with other values, catches it.
    set_code(page, RELU, "def my_relu(z):\n    return 0 if z == -2 else z")
    result, verdict = check(page, RELU)
    assert result == "fail"
    assert "my_relu(-0.5)" in verdict and verdict.endswith(t(page, "exercises.fail.hidden"))

    # Code that does not run: the cell shows the error, the verdict names it.
    set_code(page, RELU, "def my_relu(z)\n    return z")
    assert check(page, RELU) == ("fail", t(page, "exercises.error", name="SyntaxError"))

    # The right answer.
    set_code(page, RELU, relu.solution)
    assert check(page, RELU) == ("pass", t(page, "exercises.passed"))
    assert box.locator("[data-nnbook-progress]").text_content() == t(page, "exercises.statusPassed")
    assert progress(page, RELU)["status"] == "solved"

    # Hints one by one, then the solution, which can go into the editor.
    hints = box.locator("[data-nnbook-hint]")
    assert hints.count() == len(relu.hints) == 2 and hints.first.is_hidden()
    box.locator("[data-nnbook-action='hint']").click()
    assert hints.first.is_visible() and hints.nth(1).is_hidden()
    assert hints.first.text_content().startswith(t(page, "exercises.hintN", n=1, total=2))
    box.locator("[data-nnbook-action='hint']").click()
    assert hints.nth(1).is_visible() and t(page, "exercises.noMoreHints") in box.text_content()
    set_code(page, RELU, "def my_relu(z):\n    pass")
    box.locator("[data-nnbook-action='solution']").click()
    shown = box.locator("[data-nnbook-solution-box]")
    assert shown.is_visible() and "return max(0, z)" in shown.text_content()
    shown.locator("[data-nnbook-action='use-solution']").click()
    assert editor_code(page, RELU) == relu.solution

    # Start again: the starting code; the progress stays, also after a reload.
    box.locator("[data-nnbook-action='reset']").click()
    assert editor_code(page, RELU) == relu.starter
    assert box.locator("[data-nnbook-verdict]").is_hidden() and box.get_attribute("data-result") is None
    page.reload()
    wait_for(page, "document.querySelector(`[data-nnbook-progress]`)")
    box = exercise(page, RELU)
    assert box.locator("[data-nnbook-progress]").text_content() == t(page, "exercises.statusPassed")
    assert box.locator("[data-nnbook-hint]").nth(1).is_visible()
    assert not page.page_errors


def test_every_solution_passes_and_every_starter_fails_in_pyodide(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    for ex_id, ex in exercises("en").items():
        result, verdict = check(page, ex_id)
        assert result == "fail", f"the starting code of '{ex_id}' passes in Pyodide"
        assert verdict.startswith(t(page, "exercises.failed", message="").strip()), verdict
        set_code(page, ex_id, ex.solution)
        assert check(page, ex_id) == ("pass", t(page, "exercises.passed")), f"the solution of '{ex_id}' fails"
    assert not page.page_errors


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_exercise_with_its_verdict_hints_and_solution_is_accessible(new_page, site_url, scheme):
    page = open_page(new_page, site_url + CHAPTER, color_scheme=scheme)
    box = exercise(page, RELU)
    set_code(page, RELU, "def my_relu(z):\n    return abs(z)")
    assert check(page, RELU)[0] == "fail"
    box.locator("[data-nnbook-action='hint']").click()
    box.locator("[data-nnbook-action='solution']").click()
    assert box.locator("[data-nnbook-solution-box]").is_visible()
    page.mouse.move(0, 0)
    inject(page, AXE)
    result = page.evaluate("axe.run({include: [['[data-nnbook-exercise]']]}, {resultTypes: ['violations']})")
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    assert result["passes"], "axe checked nothing"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_notebook_downloads_and_is_valid(new_page, site_url, lang):
    page = open_page(new_page, site_url + LANGUAGES[lang] + CHAPTER, ready=False, accept_downloads=True)
    link = page.locator("a[data-nnbook-notebook]")
    assert link.text_content() == t(page, "notebook.download")
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.nnbook.lang == lang
    assert json.loads(open(path, encoding="utf-8").read())["nbformat"] == 4
