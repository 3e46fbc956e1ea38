"""Page objects for the book's cells and demos, shared by the browser tests and benchmarks.

Everything goes through the stable hooks the page documents (data-nnbook-cell,
data-state, data-nnbook-action, data-nnbook-output, data-nnbook-runtime, ...), never
through the theme's classes.
"""
from __future__ import annotations

from .browser import wait_for

LOAD_TIMEOUT = 120.0  # s: Python, numpy and nnbook load in a few seconds; CI may be slower
READY = "document.querySelector('[data-nnbook-runtime]')?.dataset.state === 'ready'"
SETTLED = "ids => ids.every(id => ['done', 'error', 'idle'].includes(document.querySelector(`[data-nnbook-cell='${id}']`).dataset.state))"
STATE = "id => document.querySelector(`[data-nnbook-cell='${id}']`).dataset.state"


def normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.rstrip().split("\n"))


def wait_ready(page, timeout: float = LOAD_TIMEOUT) -> None:
    wait_for(page, READY + " || document.querySelector('[data-nnbook-runtime]')?.dataset.state === 'error'", timeout=timeout)
    state = page.evaluate("document.querySelector('[data-nnbook-runtime]').dataset.state")
    assert state == "ready", page.evaluate("document.querySelector('[data-nnbook-runtime]').textContent")


def open_page(new_page, url: str, ready: bool = True, **context):
    page = new_page(url, **context)
    page.set_default_timeout(LOAD_TIMEOUT * 1000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.page_errors = errors
    if ready:
        wait_ready(page)
    return page


def cell(page, cell_id: str):
    return page.locator(f"[data-nnbook-cell='{cell_id}']")


def cell_ids(page) -> list[str]:
    return page.eval_on_selector_all("[data-nnbook-cell]", "cells => cells.map(c => c.dataset.nnbookCell)")


def state(page, cell_id: str) -> str:
    return page.evaluate(STATE, cell_id)


def output(page, cell_id: str) -> str:
    return cell(page, cell_id).locator("[data-nnbook-output]").text_content()


def original_source(page, cell_id: str) -> str:
    return cell(page, cell_id).locator("[data-nnbook-source]").input_value()


def editor_code(page, cell_id: str) -> str:
    wait_for(page, "id => document.querySelector(`[data-nnbook-cell='${id}'] .cm-content`)", cell_id, timeout=30)
    return "\n".join(cell(page, cell_id).locator(".cm-line").all_text_contents())


def set_code(page, cell_id: str, code: str) -> None:
    box = cell(page, cell_id)
    box.locator(".nnbook-editor").click()
    wait_for(page, "id => document.querySelector(`[data-nnbook-cell='${id}'] .cm-content`)", cell_id, timeout=30)
    box.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)
    assert editor_code(page, cell_id) == code


def settle(page, *ids: str, timeout: float = LOAD_TIMEOUT) -> None:
    # A run first leaves "idle" for "queued"; then it ends in done or error.
    wait_for(page, SETTLED, list(ids), timeout=timeout)


def run(page, cell_id: str, expect: str = "done", timeout: float = LOAD_TIMEOUT) -> str:
    cell(page, cell_id).locator("[data-nnbook-action='run']").click()
    wait_for(page, "id => document.querySelector(`[data-nnbook-cell='${id}']`).dataset.state !== 'idle'", cell_id, timeout=10)
    settle(page, cell_id, timeout=timeout)
    assert state(page, cell_id) == expect, output(page, cell_id)
    return output(page, cell_id)


def python(page, code: str) -> dict:
    """Runs code in the page's Python, as a cell would (window.nnbook.run): its reply."""
    return page.evaluate("code => nnbook.run(code)", code)


def demo(page, kind: str):
    return page.locator(f"[data-nnbook-demo='{kind}']")


def wait_demo(page, kind: str, timeout: float = LOAD_TIMEOUT) -> None:
    wait_for(page, "k => document.querySelector(`[data-nnbook-demo='${k}']`).dataset.state !== 'loading'", kind, timeout=timeout)
    assert demo(page, kind).get_attribute("data-state") == "ready", demo(page, kind).text_content()
