"""Run a page's live cells in CPython with the book's own kernel, as the browser runs them.

Cells of one page share a namespace and run top to bottom through ``nnbook_kernel``'s
``run_cell`` (tests/harness/kernel.py), so a cell's text output is exactly what a reader
sees under it: what it prints (stdout and stderr, in order), then the ``repr`` of its last
expression when that is not ``None``, not hidden by a trailing ``;`` and not rich (SVG,
PNG, a matplotlib object).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_scripts.cells import Cell, parse_cells
from tests.harness.kernel import KernelSession

DOCS = Path(__file__).resolve().parent.parent / "docs"


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
    rel = path.relative_to(DOCS.parent).as_posix()
    mismatches = []
    with KernelSession() as kernel:
        for cell in parse_cells(path.read_text(encoding="utf-8"), rel):
            shown = kernel.run(cell.source, cell.id)
            if "error" in shown.reply:  # the page's own examples must not raise
                error = shown.reply["error"]
                raise AssertionError(f"{rel}:{cell.line}: cell '{cell.id}' raised {error['name']}:\n{error['traceback']}")
            expected = normalize(cell.expected or "")
            if normalize(shown.output) != expected:
                line = cell.output_line or cell.line
                mismatches.append(Mismatch(f"{rel}:{line}", cell, expected, normalize(shown.output)))
    return mismatches
