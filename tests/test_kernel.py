"""The in-browser kernel (nnbook_kernel) in CPython: the same code the page's worker runs.

Layer: kernel. Each test runs cells through ``runner.run_cell`` exactly as the worker does
and checks the reply and what was shown against hand-written expectations.
"""
from __future__ import annotations

import json
import sys

import pytest

from tests.harness.kernel import KernelSession


@pytest.fixture
def kernel():
    with KernelSession(limits={"output": 1000, "full_output": 5000, "images": 2, "traceback": 400}) as session:
        yield session


def test_cells_share_a_namespace_and_show_the_last_value(kernel):
    assert kernel.run("a = 40").reply == {"value": None, "hiddenImages": 0}
    shown = kernel.run("print('two'); a + 2")
    assert shown.text == "two\n"
    assert shown.reply["value"] == "42"


def test_a_trailing_semicolon_hides_the_value(kernel):
    assert kernel.run("1 + 1;").reply["value"] is None
    assert kernel.run("1 + 1  # a comment").reply["value"] == "2"


def test_top_level_await_works_as_in_jupyter(kernel):
    shown = kernel.run("import asyncio\nawait asyncio.sleep(0)\nawait asyncio.sleep(0, result=7)")
    assert shown.reply["value"] == "7"


def test_background_tasks_are_cancelled_when_the_cell_ends(kernel):
    kernel.run(
        "import asyncio\n"
        "ran = []\n"
        "async def forever():\n"
        "    ran.append(1)\n"
        "    while True:\n"
        "        pass\n"
        "task = asyncio.ensure_future(forever())\n"
    )
    kernel.spin()
    # The task was cancelled before it could start its endless loop.
    assert kernel.namespace["ran"] == []
    assert kernel.namespace["task"].cancelled()
    # The same for a cell with await, whose task started and is still going.
    kernel.run(
        "ticks = []\n"
        "async def ticking():\n"
        "    while True:\n"
        "        ticks.append(1)\n"
        "        await asyncio.sleep(0)\n"
        "task = asyncio.ensure_future(ticking())\n"
        "await asyncio.sleep(0.01)\n"
    )
    started = len(kernel.namespace["ticks"])
    assert started > 0
    kernel.spin()
    assert kernel.namespace["task"].cancelled()
    assert len(kernel.namespace["ticks"]) == started


def test_errors_carry_name_message_traceback_line_and_hints(kernel):
    error = kernel.run("x = 1\nundefined_name + x", "demo-cell").reply["error"]
    assert error["name"] == "NameError"
    assert "undefined_name" in error["message"]
    assert error["line"] == 2
    assert error["missing"] == "undefined_name"
    assert error["traceback"].startswith("Traceback (most recent call last):\n  File \"<cell demo-cell>\", line 2")
    assert "runner.py" not in error["traceback"]


def test_a_forged_syntax_error_line_is_not_passed_on(kernel):
    error = kernel.run('raise SyntaxError("odd", ("<cell cell>", -1, 1, "x"))').reply["error"]
    assert error["name"] == "SyntaxError"
    assert error["line"] is None or error["line"] == 1


def test_huge_messages_and_tracebacks_are_capped(kernel):
    error = kernel.run('raise ValueError("x" * 5_000_000)').reply["error"]
    assert len(error["traceback"]) < 1000
    assert "more characters" in error["traceback"]
    exit_ = kernel.run('import sys; sys.exit("y" * 100_000)').reply
    assert len(exit_["exit"]) < 1000


def test_printed_text_beyond_the_full_limit_is_counted_not_sent(kernel):
    shown = kernel.run("print('z' * 9000)")
    assert len(shown.text) == 5000
    assert shown.reply["dropped"] == 9001 - 5000


def test_sys_exit_ends_the_cell_not_python(kernel):
    shown = kernel.run("print('before')\nimport sys\nsys.exit(3)\nprint('after')")
    assert shown.text == "before\n"
    assert shown.reply["exit"] == "3"
    assert kernel.run("1").reply["value"] == "1"


@pytest.mark.parametrize("line, hint", [
    ("%matplotlib inline", "matplotlib"),
    ("%timeit sum(range(9))", "magic"),
    ("!pip install torch", "shell"),
])
def test_notebook_habits_get_a_hint(kernel, line, hint):
    error = kernel.run(f"import math\n{line}\n").reply["error"]
    assert error["name"] == "SyntaxError"
    assert error["hints"] == [hint]
    assert error["line"] == 2


def test_input_and_missing_packages_are_explained(kernel):
    assert kernel.run("input('name? ')").reply["error"]["hints"] == ["input"]
    assert kernel.run("import torch").reply["error"]["hints"] == ["modules"]
    assert kernel.run("import httpx").reply["error"]["hints"] == ["offline", "modules"]


def test_a_cell_that_breaks_the_kernel_does_not_break_the_next(kernel):
    kernel.run("import sys, builtins\nsys.stdout = None\nbuiltins.print = None")
    assert kernel.run("print('still here')").text == "still here\n"
    kernel.run("import sys\nsys.modules.clear()")
    shown = kernel.run("import json\nprint(json.dumps([1]))")
    assert shown.text == "[1]\n"
    dumps = json.dumps
    try:
        kernel.run("import json\njson.dumps = None")
        assert kernel.run("40 + 2").reply["value"] == "42"
    finally:
        json.dumps = dumps


def test_images_beyond_the_limit_are_counted(kernel):
    shown = kernel.run(
        "class Pic:\n    def _repr_svg_(self): return '<svg xmlns=\"http://www.w3.org/2000/svg\"/>'\n"
        "for _ in range(5): display(Pic())\n"
    )
    assert [mime for mime, _ in shown.images] == ["image/svg+xml"] * 2
    assert shown.reply["hiddenImages"] == 3


def test_call_reaches_only_the_kernels_modules(kernel):
    reply = kernel.call("os", "system", command="true")
    assert reply["error"]["name"] == "ValueError"
    assert "nnbook_kernel.demos" in reply["error"]["message"]
    reply = kernel.call("nnbook_kernel.demos", "_held_out")
    assert reply["error"]["name"] == "ValueError"


def test_the_stepper_follows_the_readers_cell(kernel):
    kernel.run("from nnbook import Network\nnet = Network([3, 2, 1], seed=4)\nx = [1, 0, -1]\ntarget = 0.5")
    data = kernel.call("nnbook_kernel.demos", "stepper_cell", titles={"net": "n", "values": "v", "neuron": "{layer}/{index}"})["value"]
    trace = kernel.namespace["net"].trace([1, 0, -1])
    assert data["sizes"] == [3, 2, 1]
    assert [s["z"] for s in data["trace"]] == [round(float(s.z), 2) + 0.0 for s in trace]
    assert data["images"]["start"].startswith("<svg")
