"""Turn the chapter's ```python cell``` fences into live-cell HTML.

Authors write a cell as a fenced block with an id, optionally followed by its
expected output::

    ```python cell id="weighted-sum"
    print(1 + 1)
    ```

    ```output
    2
    ```

This module parses that syntax (also used by the doctests of the chapter) and
renders the HTML the front-end (``docs/assets/nnbook/cells.js``) turns into an
editor.  It does not run any Python: expected outputs are written by authors and
checked by ``tests/test_examples.py``.
"""
from __future__ import annotations

import ast
import html
import re
from dataclasses import dataclass

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

# ```python cell id="name"   (the id is required; letters, digits, - and _)
CELL_OPEN = re.compile(r'^(?P<fence>`{3,})python[ \t]+cell(?P<attrs>[^\n`]*)$')
ID_ATTR = re.compile(r'\bid="(?P<id>[A-Za-z0-9_-]+)"')
OUTPUT_OPEN = re.compile(r"^(?P<fence>`{3,})output[ \t]*$")


class CellSyntaxError(ValueError):
    """A cell fence that cannot be understood; the message says how to fix it."""


@dataclass(frozen=True)
class Cell:
    """One live cell of a page: its id, source, expected output and where it starts."""

    id: str
    source: str
    expected: str | None
    line: int  # 1-based line of the opening fence in the markdown file
    output_line: int | None = None  # 1-based line of the first output line, if any
    start: int = 0  # index of the first markdown line the cell spans (0-based)
    end: int = 0  # index one past the last line (its output fence included)


def read_fence(lines: list[str], start: int, fence: str, where: str,
               error: type[CellSyntaxError] = CellSyntaxError) -> tuple[str, int]:
    """Return the body of the fence opened at ``lines[start]`` and the index after it."""
    for j in range(start + 1, len(lines)):
        if lines[j].strip() == fence:
            return "\n".join(lines[start + 1 : j]), j + 1
    raise error(f"{where}: the fence opened here is never closed; add a line '{fence}'")


def next_opening(lines: list[str], start: int, opening: re.Pattern) -> tuple[int, re.Match | None]:
    """The index and match of the first line from ``start`` that ``opening`` matches (or the end, None)."""
    for i in range(start, len(lines)):
        m = opening.match(lines[i])
        if m:
            return i, m
    return len(lines), None


def opening_after_blanks(lines: list[str], start: int, opening: re.Pattern) -> tuple[int, re.Match | None]:
    """The first line from ``start`` that is not blank, and ``opening``'s match on it (or None)."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start, (opening.match(lines[start]) if start < len(lines) else None)


def parse_cells(markdown: str, name: str = "<page>") -> list[Cell]:
    """Find every live cell in ``markdown``, in order.

    >>> page = 'Text\\n\\n```python cell id="a"\\nprint(2)\\n```\\n\\n```output\\n2\\n```\\n'
    >>> [(c.id, c.source, c.expected, c.line) for c in parse_cells(page)]
    [('a', 'print(2)', '2', 3)]
    """
    lines = markdown.split("\n")
    cells: list[Cell] = []
    seen: dict[str, int] = {}
    i, m = next_opening(lines, 0, CELL_OPEN)
    while m:
        where = f"{name}:{i + 1}"
        id_match = ID_ATTR.search(m["attrs"])
        if not id_match:
            raise CellSyntaxError(
                f'{where}: a live cell needs an id, e.g. ```python cell id="sigmoid-plot"'
            )
        cell_id = id_match["id"]
        if cell_id in seen:
            raise CellSyntaxError(
                f"{where}: the cell id '{cell_id}' is already used on line {seen[cell_id]};"
                " give each cell of a page its own id"
            )
        seen[cell_id] = i + 1
        source, after = read_fence(lines, i, m["fence"], where)
        expected = output_line = None
        k, out = opening_after_blanks(lines, after, OUTPUT_OPEN)
        if out:
            expected, after = read_fence(lines, k, out["fence"], f"{name}:{k + 1}")
            output_line = k + 2
        cells.append(Cell(cell_id, source, expected, i + 1, output_line, i, after))
        i, m = next_opening(lines, after, CELL_OPEN)
    return cells


def defined_names(source: str) -> list[str]:
    """The names a cell defines at its top level (assignments, imports, def, class, for).

    The page uses them to tell a reader who runs a cell too early which cell above
    defines a name it lacks.

    >>> defined_names("import numpy as np\\nfrom nnbook import sigmoid\\nx, y = 1, 2\\ndef f(): z = 3")
    ['f', 'np', 'sigmoid', 'x', 'y']
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: set[str] = set()

    def targets(node) -> None:
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for item in node.elts:
                targets(item)
        elif isinstance(node, ast.Starred):
            targets(node.value)

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*":
                    names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                targets(target)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
            targets(node.target)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    targets(item.optional_vars)
    return sorted(names)


_FORMATTER = HtmlFormatter(nowrap=True)
# Where a cell that draws a figure says, without JavaScript, that it needs it to run (the
# plugin puts the sentence in the page's language there).
NO_SCRIPT_FIGURE = "<!--nnbook:no-script-figure-->"
PLOTS = re.compile(r"\bplt\.show\(\)|_svg\(")


def cell_html(cell: Cell) -> str:
    """The HTML of one cell: highlighted code, its source, and the expected output.

    The source is kept in a hidden ``<textarea>`` because its text content is
    decoded by the browser exactly once (unlike a ``<script>``), so the editor gets
    the author's code byte for byte.
    """
    code = highlight(cell.source, PythonLexer(), _FORMATTER)
    expected = cell.expected if cell.expected is not None else ""
    # One span per line (the static code numbers its lines as the editor does), and no
    # blank line: it would end the raw HTML block in Markdown.
    code = "".join(f'<span class="nnbook-line">{line}&#10;</span>' for line in code.rstrip("\n").split("\n"))
    source = html.escape(cell.source).replace("\n", "&#10;")
    expected_html = html.escape(expected).replace("\n", "&#10;")
    return (
        f'<div class="nnbook-cell" data-nnbook-cell="{cell.id}" data-state="idle" '
        f'data-nnbook-defines="{" ".join(defined_names(cell.source))}">'
        f'<div class="nnbook-cell-source language-python highlight" tabindex="0"><pre><code>{code}</code></pre></div>'
        f'<textarea hidden data-nnbook-source aria-hidden="true">{source}</textarea>'
        f'<pre class="nnbook-output" data-nnbook-output data-nnbook-expected>{expected_html}</pre>'
        f'{NO_SCRIPT_FIGURE if PLOTS.search(cell.source) else ""}'
        "</div>"
    )


def replace_spans(markdown: str, spans: list, html_of) -> str:
    """Replace the lines each of ``spans`` covers (its ``start`` to ``end``) by ``html_of(span)``."""
    if not spans:
        return markdown
    lines = markdown.split("\n")
    out: list[str] = []
    pos = 0
    for span in spans:
        out.extend(lines[pos : span.start])
        out.extend(["", html_of(span), ""])
        pos = span.end
    out.extend(lines[pos:])
    return "\n".join(out)


def render_cells(markdown: str, name: str = "<page>") -> str:
    """Replace each cell (and its output fence) in ``markdown`` by its HTML."""
    return replace_spans(markdown, parse_cells(markdown, name), cell_html)
