"""Turn the chapter's ```python exercise``` fences into exercise HTML.

An exercise is written as a cell is, followed by its parts (README, "Writing for the book")::

    ```python exercise id="relu-by-hand" title="ReLU by hand"
    def my_relu(z):
        return z   # the starting code the reader edits
    ```

    ```python solution
    def my_relu(z):
        return max(0, z)
    ```

    ```python check
    expect(my_relu(-2), 0, hint="ReLU sets every negative value to 0.")
    ```

    ```python hidden
    expect(my_relu(-0.5), 0)
    ```

    ```hint
    A negative `z` gives 0.
    ```

The exercise fence (the starting code, with an ``id`` unique on the page among cells and
exercises, and a ``title`` in the page's language) comes first; then, separated only by
blank lines and in any order: one ``python solution``, one ``python check`` (the public
checks, shown to the reader), at most one ``python hidden`` (checks with other values,
not shown), any number of ``hint`` fences (Markdown in the page's language, shown one by
one), and at most one ``output`` (what the starting code prints, as under a cell).

The HTML is a live cell (``data-nnbook-cell``: editor, Run, Reset, saved edits) that is
also an exercise (``data-nnbook-exercise``); exercises/*.js adds Check, Hint and Solution.
Like cells.py this runs no Python: tests/test_exercises.py checks that every solution
passes its checks and every starting code fails them.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import markdown as python_markdown
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from .cells import (
    CellSyntaxError,
    defined_names,
    next_opening,
    opening_after_blanks,
    parse_cells,
    read_fence,
    replace_spans,
)

EXERCISE_OPEN = re.compile(r"^(?P<fence>`{3,})python[ \t]+exercise(?P<attrs>[^\n`]*)$")
PART_OPEN = re.compile(r"^(?P<fence>`{3,})(?:python[ \t]+(?P<code>solution|check|hidden)|(?P<text>hint|output))[ \t]*$")
ID_ATTR = re.compile(r'\bid="(?P<id>[A-Za-z0-9_-]+)"')
TITLE_ATTR = re.compile(r'\btitle="(?P<title>[^"]+)"')
EXAMPLE = '```python exercise id="relu-by-hand" title="ReLU by hand"'


class ExerciseSyntaxError(CellSyntaxError):
    """An exercise that cannot be understood; the message says how to fix it."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a page: its starting code and its parts."""

    id: str
    title: str
    starter: str
    solution: str
    checks: str
    hidden: str = ""
    hints: tuple[str, ...] = ()
    expected: str | None = None  # what the starting code prints
    line: int = 0  # 1-based line of the exercise fence
    lines: dict = field(default_factory=dict)  # 1-based line of the first line of each part's code
    start: int = 0  # index of the first markdown line it spans (0-based)
    end: int = 0  # index one past its last line


def parse_exercises(markdown: str, name: str = "<page>") -> list[Exercise]:
    """Find every exercise in ``markdown``, in order.

    >>> page = ('```python exercise id="e" title="T"\\nx = 0\\n```\\n\\n```python solution\\nx = 1\\n```\\n\\n'
    ...         '```python check\\nexpect(x, 1)\\n```\\n\\n```hint\\nOne.\\n```\\n')
    >>> [(e.id, e.title, e.starter, e.solution, e.checks, e.hints) for e in parse_exercises(page)]
    [('e', 'T', 'x = 0', 'x = 1', 'expect(x, 1)', ('One.',))]
    """
    lines = markdown.split("\n")
    cell_ids = {c.id: c.line for c in parse_cells(markdown, name)}
    found: list[Exercise] = []
    seen: dict[str, int] = {}
    i, m = next_opening(lines, 0, EXERCISE_OPEN)
    while m:
        where = f"{name}:{i + 1}"
        id_match, title_match = ID_ATTR.search(m["attrs"]), TITLE_ATTR.search(m["attrs"])
        if not id_match or not title_match:
            raise ExerciseSyntaxError(f"{where}: an exercise needs an id and a title, e.g. {EXAMPLE}")
        ex_id = id_match["id"]
        other = seen.get(ex_id) or cell_ids.get(ex_id)
        if other:
            raise ExerciseSyntaxError(f"{where}: the id '{ex_id}' is already used on line {other}; give each "
                                      "cell and exercise of a page its own id")
        seen[ex_id] = i + 1
        starter, after = read_fence(lines, i, m["fence"], where, ExerciseSyntaxError)
        parts: dict[str, str] = {}
        part_lines: dict[str, int] = {}
        hints: list[str] = []
        k = after
        while True:
            j, part = opening_after_blanks(lines, k, PART_OPEN)
            if not part:
                break
            kind = part["code"] or part["text"]
            body, k = read_fence(lines, j, part["fence"], f"{name}:{j + 1}", ExerciseSyntaxError)
            after = k
            if kind == "hint":
                hints.append(body.strip())
                continue
            if kind in parts:
                raise ExerciseSyntaxError(f"{name}:{j + 1}: exercise '{ex_id}' has a second '{kind}' fence; "
                                          "give it one (put all its checks in one fence)")
            parts[kind], part_lines[kind] = body, j + 2
        for needed in ("solution", "check"):
            if not parts.get(needed, "").strip():
                raise ExerciseSyntaxError(
                    f"{where}: exercise '{ex_id}' needs a ```python {needed} fence right after it "
                    "(only blank lines between), e.g.\n```python solution\ndef my_relu(z):\n    return max(0, z)\n```"
                )
        found.append(Exercise(ex_id, title_match["title"], starter, parts["solution"], parts["check"],
                              parts.get("hidden", ""), tuple(hints), parts.get("output"), i + 1, part_lines,
                              i, after))
        i, m = next_opening(lines, after, EXERCISE_OPEN)
    return found


_FORMATTER = HtmlFormatter(nowrap=True)


def _one_line(text: str) -> str:
    """No blank line may appear in a raw HTML block, or Markdown would end it there."""
    return text.replace("\n", "&#10;")


def _code(source: str) -> str:
    return _one_line(highlight(source, PythonLexer(), _FORMATTER).rstrip("\n"))


def _source(source: str) -> str:
    return _one_line(html.escape(source))


def exercise_html(exercise: Exercise, words: dict) -> str:
    """The HTML of one exercise; ``words``: the "exercises" strings of the page's language.

    Hooks (for exercises/*.js and the tests): data-nnbook-exercise and data-nnbook-cell
    (the same id), data-nnbook-source (the starting code), data-nnbook-checks,
    data-nnbook-hidden-checks, data-nnbook-solution (and data-nnbook-solution-shown, the same
    highlighted, hidden), data-nnbook-hint (one per hint, hidden).
    """
    label = words["label"].replace("{title}", exercise.title)
    expected = "" if exercise.expected is None else exercise.expected
    expected_attr = " data-nnbook-expected" if exercise.expected is not None else ""
    hints = "".join(
        f'<div class="nnbook-exercise-hint" data-nnbook-hint hidden>{_one_line(python_markdown.markdown(hint))}</div>'
        for hint in exercise.hints
    )
    return (
        f'<div class="nnbook-cell nnbook-exercise" data-nnbook-cell="{exercise.id}" '
        f'data-nnbook-exercise="{exercise.id}" data-state="idle" '
        f'data-nnbook-defines="{" ".join(defined_names(exercise.starter))}">'
        f'<p class="nnbook-exercise-title" data-nnbook-exercise-title>{html.escape(label)}</p>'
        f'<div class="nnbook-cell-source language-python highlight" tabindex="0"><pre><code>{_code(exercise.starter)}</code></pre></div>'
        f'<textarea hidden data-nnbook-source aria-hidden="true">{_source(exercise.starter)}</textarea>'
        f'<div class="nnbook-exercise-checks" data-nnbook-checks-shown>'
        f'<p class="nnbook-exercise-checks-label">{html.escape(words["publicChecks"])}</p>'
        f'<div class="highlight"><pre><code>{_code(exercise.checks)}</code></pre></div></div>'
        f'<textarea hidden data-nnbook-checks aria-hidden="true">{_source(exercise.checks)}</textarea>'
        f'<textarea hidden data-nnbook-hidden-checks aria-hidden="true">{_source(exercise.hidden)}</textarea>'
        f'<textarea hidden data-nnbook-solution aria-hidden="true">{_source(exercise.solution)}</textarea>'
        f'<div class="highlight nnbook-exercise-solution-code" data-nnbook-solution-shown hidden>'
        f'<pre><code>{_code(exercise.solution)}</code></pre></div>'
        f"{hints}"
        f'<pre class="nnbook-output" data-nnbook-output{expected_attr}>{_source(expected)}</pre>'
        "</div>"
    )


def render_exercises(markdown: str, words: dict, name: str = "<page>") -> str:
    """Replace each exercise (and its parts) in ``markdown`` by its HTML."""
    exercises = parse_exercises(markdown, name)
    return replace_spans(markdown, exercises, lambda exercise: exercise_html(exercise, words))
