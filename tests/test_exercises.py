"""The chapter's exercises in CPython: their syntax, their checks, and the exercises themselves.

Every exercise of every page, in every language, is checked the way a reader meets it: the
page runs top to bottom with the book's kernel (tests/harness/kernel.py), cells and
exercises' starting code in order; at each exercise its starting code must run, print what
the page says and fail its checks with a sentence, and its solution must pass them. The
cells after an exercise must still print what the page shows with its starting code in
place (a reader who runs the whole page does not change the chapter's outputs).
"""
from __future__ import annotations

import json
import re

import pytest

from site_scripts import strings
from site_scripts.exercises import ExerciseSyntaxError, exercise_html, parse_exercises, render_exercises
from tests.examples import DOCS, normalize
from tests.harness.kernel import KernelSession

from nnbook_kernel import exercises as checks  # noqa: E402 - the kernel's path comes with the harness

LANGUAGES = ["en", "fr", "es", "zh"]
PAGES = sorted(p for p in DOCS.glob("*/*.md") if "```python exercise" in p.read_text(encoding="utf-8"))
KINDS = ["value", "none", "type", "shape", "number", "above", "below", "text", "missing", "error", "assert", "custom"]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def page_id(path) -> str:
    return path.relative_to(DOCS).as_posix()


def words(lang: str) -> dict:
    return strings.load(lang)["exercises"]



# ----------------------------------------------------------------------- the fence
EXAMPLE = (
    'Intro\n\n```python exercise id="relu" title="ReLU by hand"\ndef my_relu(z):\n    return z\n```\n\n'
    '```hint\nFirst hint.\n```\n\n```python check\nexpect(my_relu(-2), 0)\n```\n\n'
    '```python solution\ndef my_relu(z):\n    return max(0, z)\n```\n\n'
    '```python hidden\nexpect(my_relu(-0.5), 0)\n```\n\n```hint\nSecond `hint`.\n```\n\nAfter.\n'
)


def test_an_exercise_is_parsed_with_its_parts_in_any_order():
    [e] = parse_exercises(EXAMPLE)
    assert (e.id, e.title, e.line) == ("relu", "ReLU by hand", 3)
    assert e.starter == "def my_relu(z):\n    return z"
    assert e.solution == "def my_relu(z):\n    return max(0, z)"
    assert (e.checks, e.hidden) == ("expect(my_relu(-2), 0)", "expect(my_relu(-0.5), 0)")
    assert e.hints == ("First hint.", "Second `hint`.")
    rendered = render_exercises(EXAMPLE, words("en"))
    assert rendered.startswith("Intro\n\n\n<div ") and rendered.endswith("</div>\n\n\nAfter.\n")


@pytest.mark.parametrize("page,message", [
    ('```python exercise id="a" title="T"\nx = 0\n```\n\n```python check\nexpect(x, 1)\n```\n',
     "exercise 'a' needs a ```python solution fence right after it"),
    ('```python exercise id="a" title="T"\nx = 0\n```\n\n```python solution\nx = 1\n```\n\nText.\n\n'
     '```python check\nexpect(x, 1)\n```\n', "exercise 'a' needs a ```python check fence"),
    ('```python exercise id="a"\nx = 0\n```\n', "an exercise needs an id and a title"),
    ('```python cell id="a"\nx = 0\n```\n\n```python exercise id="a" title="T"\nx = 0\n```\n',
     "the id 'a' is already used on line 1"),
    ('```python exercise id="a" title="T"\nx = 0\n```\n\n```python solution\nx = 1\n```\n\n'
     '```python check\nexpect(x, 1)\n```\n\n```python check\nexpect(x, 1)\n```\n', "has a second 'check' fence"),
    ('```python exercise id="a" title="T"\nx = 0\n', "the fence opened here is never closed"),
])
def test_a_wrong_exercise_says_how_to_fix_it(page, message):
    with pytest.raises(ExerciseSyntaxError, match=re.escape(message)):
        parse_exercises(page, "docs/en/page.md")


def test_the_html_is_a_cell_and_an_exercise_with_its_parts():
    [e] = parse_exercises(EXAMPLE)
    html = exercise_html(e, words("fr"))
    assert "\n" not in html  # one raw HTML block: Markdown must not end it early
    assert 'data-nnbook-cell="relu" data-nnbook-exercise="relu"' in html
    assert "Exercice : ReLU by hand" in html and "Les vérifications" in html

    def textarea(hook):
        body = re.search(rf"<textarea hidden {hook} [^>]*>(.*?)</textarea>", html).group(1)
        return body.replace("&#10;", "\n").replace("&lt;", "<").replace("&gt;", ">").replace("&#x27;", "'")

    assert textarea("data-nnbook-source") == e.starter
    assert textarea("data-nnbook-checks") == e.checks
    assert textarea("data-nnbook-hidden-checks") == e.hidden
    assert textarea("data-nnbook-solution") == e.solution
    assert html.count("data-nnbook-hint hidden") == 2 and "<code>hint</code>" in html



def test_translations_keep_an_exercises_code_checks_and_hints_but_not_its_words():
    import parity  # tests/parity.py, as tests/test_parity.py imports it

    exercise = ('```python exercise id="e" title="{title}"\nx = 0  # {comment}\n```\n\n'
                '```python solution\nx = 1\n```\n\n```python check\nexpect(x, 1, hint="{hint}")\n```\n\n'
                '```hint\n{hint}\n```\n')
    ref = parity.outline(exercise.format(title="T", comment="c", hint="h"))
    assert ref == [("exercise", "e", "x = 0", "x = 1", "expect ( x , 1 , hint = STR )", "", 1)]
    assert parity.compare(ref, parity.outline(exercise.format(title="Titre", comment="cc", hint="indice"))) is None
    fewer_hints = parity.outline(exercise.format(title="T", comment="c", hint="h").replace("```hint\nh\n```\n", ""))
    assert parity.compare(ref, fewer_hints) == "item 1: exercise 'e': its number of hints differ: expected 1, found 0"
    other_check = parity.outline(exercise.format(title="T", comment="c", hint="h").replace("expect(x, 1", "expect(x, 2"))
    assert "exercise 'e': its checks differ" in parity.compare(ref, other_check)


# ----------------------------------------------------------------------- the checks
def failed(namespace: dict, code: str, hidden: str = "") -> dict:
    verdict = checks.run_checks(namespace, code, hidden, "t")
    assert verdict["passed"] is False, "the check should have failed"
    return verdict["failure"]


def reader(code: str) -> dict:
    namespace: dict = {"__name__": "__main__"}
    exec(code, namespace)  # noqa: S102
    return namespace


def test_a_failure_says_what_was_checked_what_was_wanted_and_what_came():
    ns = reader("def my_relu(z):\n    return z\n")
    f = failed(ns, 'expect(my_relu(3), 3)\nexpect(my_relu(-2), 0, hint="negative values become 0")')
    assert f == {"kind": "value", "call": "my_relu(-2)", "expected": "0", "actual": "-2", "type": "int",
                 "hint": "negative values become 0", "hidden": False}
    assert checks.word(f, words("en")) == ("Not yet: my_relu(-2) should be 0, but it is -2. "
                                           "Hint: negative values become 0")
    assert checks.word(f, words("fr")) == ("Pas encore : my_relu(-2) devrait valoir 0, mais vaut -2. "
                                           "Indice : negative values become 0")


def test_hidden_checks_catch_an_answer_made_for_the_public_ones():
    ns = reader("def my_relu(z):\n    return 0 if z == -2 else z\n")
    public = "expect(my_relu(3), 3)\nexpect(my_relu(-2), 0)"
    hidden = 'for z in [-0.5, 1]:\n    expect(my_relu(z), max(0.0, z), call=f"my_relu({z})")'
    assert checks.run_checks(ns, public) == {"passed": True, "failure": None}
    f = failed(ns, public, hidden)
    assert (f["call"], f["expected"], f["actual"], f["hidden"]) == ("my_relu(-0.5)", "0.0", "-0.5", True)
    assert checks.word(f, words("en")).endswith(
        "should be 0.0, but it is -0.5. (That was one of the checks with other values than the ones shown.)")


@pytest.mark.parametrize("reader_code,check,expected", [
    ("def f(x):\n    return None", "expect(f(1), 2)", {"kind": "none", "call": "f(1)", "actual": "None"}),
    ("import numpy as np\ndef f(x):\n    return np.array([1.0, 2.0, 3.0])", "expect(f(1), [1, 2])",
     {"kind": "shape", "expected": "(2,)", "actual": "(3,)"}),
    ("def f(x):\n    return [0.5, 0.75]", "expect(\n    f(1),\n    [0.5, 0.7311],\n    tol=1e-3)",
     {"kind": "value", "call": "f(1)", "expected": "[0.5, 0.7311]", "actual": "[0.5, 0.75]"}),
    ("def f(x):\n    return 'two'", "expect(f(1), 2)", {"kind": "type", "actual": "'two'", "type": "str"}),
    ("def f(x):\n    return 0.25", "expect_range(f(1), low=0.5)", {"kind": "above", "low": "0.5", "actual": "0.25"}),
    ("def f(x):\n    return 0.75", "expect_range(f(1), high=0.5)", {"kind": "below", "high": "0.5", "actual": "0.75"}),
    ("def f(x):\n    return '1'", "expect_range(f(1), low=0)", {"kind": "number", "actual": "'1'"}),
    ("why = 'hard'", "expect_text(why, min_chars=10)", {"kind": "text", "call": "why", "min": "10"}),
    ("x = 1", "expect(my_relu(1), 1)", {"kind": "missing", "name": "my_relu"}),
    ("def f(x):\n    return 1 / x", "expect(f(0) + 1, 2)",
     {"kind": "error", "call": "f(0)", "name": "ZeroDivisionError", "message": "division by zero"}),
    ("def f(x):\n    return undefined_name", "expect(f(0), 2)", {"kind": "error", "call": "f(0)", "name": "NameError"}),
    ("x = 1", "assert x == 2", {"kind": "assert", "call": "assert x == 2"}),
    ("x = 1", "fail('x should be 2')", {"kind": "custom", "message": "x should be 2"}),
    ("x = 1", "expect(actual=x + 1, wanted=3)", {"kind": "value", "call": "x + 1"}),
])
def test_every_kind_of_failure_is_data_with_the_code_it_checked(reader_code, check, expected):
    f = failed(reader(reader_code), check)
    assert {k: f.get(k) for k in expected} == expected
    assert f["kind"] in KINDS


def test_numbers_are_compared_with_a_tolerance_and_arrays_by_shape_and_values():
    ns = reader("import numpy as np\nv = np.array([0.1 + 0.2, 1e-9])\nn = np.float64(0.3)")
    assert checks.run_checks(ns, "expect(v, [0.3, 0])\nexpect(n, 0.3)\nexpect(float(n), 0.3)\n"
                                 "expect(True, True)\nexpect(None, None)\nexpect('a', 'a')")["passed"]
    assert failed(ns, "expect(n, 0.31)")["kind"] == "value"
    assert failed(ns, "expect(float('nan'), 0.3)")["kind"] == "value"
    assert failed(ns, "expect(1, True)")["kind"] == "type"  # 1 is not True, as the reader means it


def test_checks_leave_the_readers_names_and_output_alone(capsys):
    ns = reader("def f(x):\n    print('inside f')\n    return x\nw = 1")
    assert checks.run_checks(ns, "w = 2\nexpect(f(3), 3)\nimport math")["passed"]
    assert ns["w"] == 1 and "math" not in ns
    assert "inside f" not in capsys.readouterr().out


def test_stop_ends_the_checks_as_it_ends_a_cell():
    ns = reader("def f(x):\n    raise KeyboardInterrupt")
    with pytest.raises(KeyboardInterrupt):
        checks.run_checks(ns, "expect(f(1), 1)")


def test_the_page_reaches_the_checks_by_name_through_the_kernel():
    with KernelSession() as kernel:
        assert "error" not in kernel.run("def my_relu(z):\n    return abs(z)", "relu").reply
        reply = kernel.call("nnbook_kernel.exercises", "check", exercise="relu", checks="expect(my_relu(-2), 0)",
                            hidden="")
        assert reply["value"]["failure"]["call"] == "my_relu(-2)"
        assert reply["value"]["failure"]["actual"] == "2"
        kernel.run("def my_relu(z):\n    return max(0, z)", "relu")
        assert kernel.call("nnbook_kernel.exercises", "check", exercise="relu",
                           checks="expect(my_relu(-2), 0)", hidden="")["value"] == {"passed": True, "failure": None}


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_every_failure_has_a_sentence_in_every_language(lang):
    reference, other = words("en")["fail"], strings._read(lang)["exercises"]["fail"]
    for kind in KINDS + ["hidden", "hint"]:
        assert kind in reference and kind in other, f"exercises.fail.{kind} is missing"
        assert set(PLACEHOLDER.findall(other[kind])) == set(PLACEHOLDER.findall(reference[kind])), kind


def test_the_notebook_part_of_the_module_stands_alone():
    namespace: dict = {}
    exec(checks.notebook_source(), namespace)  # noqa: S102 - what a notebook's second cell runs
    assert {"expect", "expect_range", "expect_text", "fail", "checking", "WORDS"} <= set(namespace)
    assert "from .runner" not in checks.notebook_source()


# ----------------------------------------------------------------------- the chapter's exercises
def test_the_chapter_has_five_to_eight_exercises_in_every_language():
    found = {lang: [e.id for e in parse_exercises((DOCS / lang / "neural_networks.md").read_text(encoding="utf-8"))]
             for lang in LANGUAGES}
    assert 5 <= len(found["en"]) <= 8
    assert all(ids == found["en"] for ids in found.values()), found


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_solution_passes_and_every_starter_fails_where_the_page_puts_it(page):
    rel = page.relative_to(DOCS.parent).as_posix()
    lang = page.relative_to(DOCS).parts[0]
    markdown = page.read_text(encoding="utf-8")
    exercises = parse_exercises(markdown, rel)
    from site_scripts.notebook import page_code

    by_id = {e.id: e for e in exercises}
    with KernelSession() as kernel:
        for block_id, source in page_code(markdown, rel):
            exercise = by_id.get(block_id)
            shown = kernel.run(source, block_id)
            assert "error" not in shown.reply, f"{rel}: '{block_id}' raised:\n{shown.reply.get('error')}"
            if exercise is None:
                continue
            where = f"{rel}:{exercise.line}: exercise '{exercise.id}'"
            assert normalize(shown.output) == normalize(exercise.expected or ""), f"{where}: its starting code printed {shown.output!r}"
            verdict = checks.run_checks(kernel.namespace, exercise.checks, exercise.hidden, exercise.id)
            assert not verdict["passed"], f"{where}: the starting code passes the checks"
            sentence = checks.word(verdict["failure"], words(lang))
            assert verdict["failure"]["kind"] in ("value", "none", "above", "below", "shape"), f"{where}: {sentence}"
            assert not PLACEHOLDER.search(sentence), sentence

            solved = kernel.run(exercise.solution, exercise.id)
            assert "error" not in solved.reply, f"{where}: the solution raised {solved.reply.get('error')}"
            verdict = checks.run_checks(kernel.namespace, exercise.checks, exercise.hidden, exercise.id)
            assert verdict["passed"], f"{where}: the solution fails: {checks.word(verdict['failure'], words(lang))}"
            # The reader who runs the whole page has the starting code in place.
            assert "error" not in kernel.run(source, block_id).reply


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_the_starters_leave_the_pages_outputs_as_they_are(page):
    from site_scripts.cells import parse_cells
    from site_scripts.notebook import page_code

    rel = page.relative_to(DOCS.parent).as_posix()
    markdown = page.read_text(encoding="utf-8")
    cells = {c.id: c for c in parse_cells(markdown, rel)}
    with KernelSession() as kernel:
        for block_id, source in page_code(markdown, rel):
            shown = kernel.run(source, block_id)
            cell = cells.get(block_id)
            if cell is not None:
                assert normalize(shown.output) == normalize(cell.expected or ""), (
                    f"{rel}:{cell.line}: cell '{cell.id}' prints otherwise after the exercises' starting code:\n"
                    f"{shown.output}")


def test_a_check_helper_is_never_a_bare_assertion_in_the_chapter():
    for page in PAGES:
        for e in parse_exercises(page.read_text(encoding="utf-8")):
            for code in (e.checks, e.hidden):
                assert not re.search(r"^\s*assert\b", code, re.M), f"{page_id(page)}: '{e.id}' uses a bare assert"


def test_words_of_the_check_module_are_json_for_a_notebook():
    # The notebook's second cell carries these sentences as a Python literal.
    sentences = {key: words("zh")[key] for key in ("passed", "failed", "fail")}
    assert eval(json.dumps(sentences, ensure_ascii=False)) == sentences  # noqa: S307


def test_the_build_stops_on_a_solution_that_fails_or_a_starter_that_passes(tmp_path):
    from site_scripts import notebook

    name = "docs/en/page.md"
    wrong_solution = EXAMPLE.replace("return max(0, z)", "return z")
    passing_starter = EXAMPLE.replace("    return z\n```", "    return max(0, z)\n```", 1)
    pages = [notebook.page_runs(page, name) for page in (EXAMPLE, wrong_solution, passing_starter)]
    good, bad, easy = notebook.run_pages(pages, tmp_path)  # as the build runs them: a process of their own
    notebook.check_exercises(EXAMPLE, name, "en", good)
    with pytest.raises(notebook.ExerciseError, match=re.escape(
            "docs/en/page.md:3: exercise 'relu': its solution fails its checks: "
            "Not yet: my_relu(-2) should be 0, but it is -2.")):
        notebook.check_exercises(wrong_solution, name, "en", bad)
    with pytest.raises(notebook.ExerciseError, match="exercise 'relu': its starting code passes its checks"):
        notebook.check_exercises(passing_starter, name, "en", easy)


def test_code_with_braces_is_shown_as_it_is():
    f = failed(reader("s = 'y'"), "expect('{actual}' + s, 'x')")
    assert checks.word(f, words("en")) == "Not yet: '{actual}' + s should be 'x', but it is '{actual}y'."
