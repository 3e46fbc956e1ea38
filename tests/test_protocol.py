"""One protocol between the page and its worker, checked on both sides.

Kernel layer: the kernel's replies (what the worker passes on as results or errors) fit
protocol.json. Browser layer: every message the page and the worker exchanged during a
real session (start, cells, an error, a demo call, a figure) fits it too, recorded by a
script Playwright puts in the page before the book's own.
"""
from __future__ import annotations

import json

import pytest

from tests.harness.kernel import KernelSession
from tests.harness.pages import cell_ids, open_page, run, set_code, wait_demo
from tests.harness.protocol import SPEC, check_fields, check_message


def test_the_checker_refuses_what_does_not_fit():
    assert check_message({"type": "result", "id": 3, "result": {"value": "1", "hiddenImages": 0}}, "run") is None
    assert check_message({"type": "result", "id": 3, "result": {"value": 1, "hiddenImages": 0}}, "run") == "value is not string or null"
    assert check_message({"type": "error", "id": 3, "error": {"name": "E"}}) == "error is not error"
    assert check_message({"type": "stdout", "id": "3", "text": ""}) == "no integer id"
    assert check_message({"id": 3, "result": {}}) == "unknown type None"  # a reply always says its type
    assert check_message({"type": "run", "id": 1, "code": "1", "cell": "a"}, direction="out") is None


def test_kernel_replies_fit_the_protocol():
    with KernelSession() as kernel:
        for code in ("x = 1", "print(2)\nx + 1", "1 / 0", "import sys; sys.exit(4)", "def f(:\n pass"):
            reply = kernel.run(code).reply
            kind = "error" if "error" in reply else "result"
            message = {"type": kind, "id": 1, **({"error": reply["error"]} if kind == "error" else {"result": reply})}
            assert check_message(message, "run") is None, (code, reply)
        for name, kwargs in (("mnist_network", {"title": "t"}), ("nope", {})):
            reply = kernel.call("nnbook_kernel.demos", name, **kwargs)
            assert check_fields(reply["error"], SPEC["shapes"]["error"]) is None if "error" in reply else \
                check_fields(reply, SPEC["results"]["call"]) is None


RECORD = """(() => {
    window.__messages = [];
    const Native = window.Worker;
    window.Worker = function (url, options) {
        const worker = new Native(url, options);
        if (!options || options.name !== 'nnbook-python') return worker;  // the theme's search worker
        const send = worker.postMessage.bind(worker);
        worker.postMessage = (message, transfer) => {
            window.__messages.push(['out', JSON.parse(JSON.stringify(message, (k, v) => (k === 'interruptBuffer' ? null : v)))]);
            return send(message, transfer);
        };
        worker.addEventListener('message', (event) => window.__messages.push(['in', event.data]));
        return worker;
    };
})();"""


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_every_message_of_a_session_fits_the_protocol(new_page, site_url):
    page = new_page()
    page.add_init_script(RECORD)
    page.goto(site_url + "neural_networks/")
    page = open_page(lambda url, **k: page, site_url)  # already opened: wait for Python
    ids = cell_ids(page)
    run(page, ids[0])
    set_code(page, ids[1], "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n1 / 0")
    run(page, ids[1], expect="error")
    wait_demo(page, "stepper")
    messages = page.evaluate("window.__messages")
    types = {}
    problems = []
    for direction, message in messages:
        if direction == "out":
            types[message["id"]] = message["type"]
        problem = check_message(message, types.get(message.get("id")), direction)
        if problem:
            problems.append((direction, json.dumps(message)[:200], problem))
    assert not problems, problems
    kinds = {(d, m["type"]) for d, m in messages}
    for expected in [("out", "init"), ("out", "run"), ("out", "call"), ("in", "progress"), ("in", "mark"),
                     ("in", "stdout"), ("in", "image"), ("in", "result"), ("in", "error")]:
        assert expected in kinds, expected
