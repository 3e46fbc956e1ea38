"""Notebook habits a reader brings to a cell, and the sentence each one gets.

Jupyter runs ``%matplotlib inline``, ``%timeit x`` or ``!pip install torch``; a cell here
is plain Python, so those lines are syntax errors. ``habit(source, lineno)`` names the habit
on the line where the error is, so the page can explain it in the reader's language:

- ``"matplotlib"``: ``%matplotlib ...`` is not needed, figures show by themselves;
- ``"magic"``: other ``%`` and ``%%`` commands are IPython's, not Python's;
- ``"shell"``: ``!command`` lines would run a shell, and there is none in a browser.

(Top-level ``await`` is no habit to explain: it simply works, as in Jupyter.)

Not for: running anything (runner.py).
"""

from __future__ import annotations


def habit(source: str, lineno: int | None) -> str | None:
    lines = source.splitlines()
    if not lineno or not 1 <= lineno <= len(lines):
        candidates = lines
    else:
        candidates = [lines[lineno - 1]]
    for line in candidates:
        stripped = line.lstrip()
        if stripped.startswith("%matplotlib"):
            return "matplotlib"
        if stripped.startswith("%"):
            return "magic"
        if stripped.startswith("!"):
            return "shell"
    return None
