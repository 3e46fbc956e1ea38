"""Run a page's live cells in CPython the way the browser runs them.

Cells of one page share a namespace and run top to bottom. A cell's text output
is what it prints (stdout and stderr, in order) followed by the ``repr`` of its
last expression when that is not ``None`` and not rich (SVG, PNG, a matplotlib
object), exactly as the notebook-like runner in the browser shows it.
"""
from __future__ import annotations

import ast
import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from site_scripts.cells import Cell, parse_cells

DOCS = Path(__file__).resolve().parent.parent / "docs"


def is_rich(value) -> bool:
    if any(hasattr(value, name) for name in ("_repr_svg_", "_repr_png_")):
        return True
    return type(value).__module__.split(".")[0] == "matplotlib" or (
        isinstance(value, list) and value and type(value[0]).__module__.split(".")[0] == "matplotlib"
    )


def run_cell(source: str, namespace: dict, filename: str) -> str:
    tree = ast.parse(source, filename)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        exec(compile(tree, filename, "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
            if value is not None and not is_rich(value):
                print(repr(value))
    return out.getvalue()


def normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n")).strip("\n")


@dataclass
class Mismatch:
    where: str
    cell: Cell
    expected: str
    actual: str

    def __str__(self) -> str:
        return (
            f"{self.where}: cell '{self.cell.id}' printed something else than its ```output block.\n"
            f"--- expected\n{self.expected}\n--- actual\n{self.actual}"
        )


def check_page(path: Path) -> list[Mismatch]:
    """Run every cell of the page; return the cells whose output differs from the page."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rel = path.relative_to(DOCS.parent).as_posix()
    namespace: dict = {"__name__": "__main__"}
    mismatches = []
    try:
        for cell in parse_cells(path.read_text(encoding="utf-8"), rel):
            try:
                actual = run_cell(cell.source, namespace, f"<cell {cell.id}>")
            except Exception as exc:  # the page's own examples must not raise
                raise AssertionError(f"{rel}:{cell.line}: cell '{cell.id}' raised {exc!r}") from exc
            expected = normalize(cell.expected or "")
            if normalize(actual) != expected:
                line = cell.output_line or cell.line
                mismatches.append(Mismatch(f"{rel}:{line}", cell, expected, normalize(actual)))
    finally:
        plt.close("all")
    return mismatches
