"""The outline of a chapter page that must be the same in every language.

A page's outline is the ordered list of what a translation must keep: its
headings (level only), live cells (id and code without comments or string
literals), exercises (id, and the code of their starter, solution and checks, in the same
way, and how many hints they have), other code blocks, equations (words inside ``\\mbox``/``\\text`` may be
translated), figures, demos and reading cards. Links are compared as a set of
URLs, since a translation may reorder a sentence.
"""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from site_scripts.cells import parse_cells
from site_scripts.exercises import parse_exercises

FENCE = re.compile(r"^(`{3,})([^\n]*)\n(.*?)^\1[ \t]*$", re.S | re.M)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$")
HEADING = re.compile(r"^(#{1,6}) ")
FIGURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
DEMO = re.compile(r'data-nnbook-demo="([a-z]+)"')
LINK = re.compile(r"\]\((https?://[^\s)]+(?:\([^\s)]*\))?[^\s)]*)\)")
DECIMAL_COMMA = re.compile(r"(\d)\{,\}(\d)")
TEXT_IN_MATH = re.compile(r"\\(mbox|text|textrm)\{[^}]*\}")


def code_shape(source: str) -> str:
    """Python code with comments and string literals taken out."""
    kept = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT or tok.type in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
                continue
            if tok.type == tokenize.STRING or tok.type in _FSTRING_TOKENS:
                kept.append("STR")
                continue
            kept.append(tok.string)
    except (tokenize.TokenError, SyntaxError):
        return " ".join(source.split())
    text = " ".join(kept)
    return re.sub(r"(STR )+STR", "STR", text)


_FSTRING_TOKENS = {getattr(tokenize, n) for n in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END") if hasattr(tokenize, n)}


def math_shape(tex: str) -> str:
    tex = DECIMAL_COMMA.sub(r"\1.\2", tex)  # 0{,}5 (French) is 0.5
    return " ".join(TEXT_IN_MATH.sub(r"\\\1{}", tex).split())


def outline(markdown: str, name: str = "<page>") -> list[tuple]:
    items: list[tuple] = []
    cells = {c.line: c for c in parse_cells(markdown, name)}
    exercises = {e.line: e for e in parse_exercises(markdown, name)}
    # The fences of an exercise's parts (solution, checks, hints, output) are in its item.
    inside = {line for e in exercises.values() for line in range(e.start + 2, e.end + 1)}
    prose_lines: list[tuple[int, str]] = []
    pos = 0
    for m in FENCE.finditer(markdown):
        start_line = markdown.count("\n", 0, m.start()) + 1
        prose_lines.append((markdown.count("\n", 0, pos) + 1, markdown[pos : m.start()]))
        info = m.group(2).strip()
        if start_line in cells:
            cell = cells[start_line]
            items.append((start_line, ("cell", cell.id, code_shape(cell.source))))
        elif start_line in exercises:
            e = exercises[start_line]
            items.append((start_line, ("exercise", e.id, code_shape(e.starter), code_shape(e.solution),
                                       code_shape(e.checks), code_shape(e.hidden), len(e.hints))))
        elif start_line in inside:
            pass
        elif info.startswith("output"):
            pass  # compared through the cells' own examples test, not here
        else:
            items.append((start_line, ("code", info.split()[0] if info else "", m.group(3).strip())))
        pos = m.end()
    prose_lines.append((markdown.count("\n", 0, pos) + 1, markdown[pos:]))
    for first_line, chunk in prose_lines:
        for m in DISPLAY_MATH.finditer(chunk):
            items.append((first_line + chunk.count("\n", 0, m.start()), ("math", math_shape(m.group(1)))))
        no_display = DISPLAY_MATH.sub(lambda m: "\n" * m.group(0).count("\n"), chunk)
        for i, line in enumerate(no_display.split("\n")):
            n = first_line + i
            if h := HEADING.match(line):
                items.append((n, ("heading", len(h.group(1)))))
            for m in INLINE_MATH.finditer(line):
                items.append((n + 0.1, ("math", math_shape(m.group(1)))))
            for m in FIGURE.finditer(line):
                items.append((n + 0.2, ("figure", m.group(1))))
            for m in DEMO.finditer(line):
                items.append((n + 0.3, ("demo", m.group(1))))
            if 'class="grid cards"' in line:
                items.append((n, ("cards",)))
    return [item for _, item in sorted(items, key=lambda t: t[0])]


def links(markdown: str) -> set[str]:
    without_code = FENCE.sub("", markdown)
    return set(LINK.findall(without_code))


EXERCISE_PARTS = ("starting code", "solution", "checks", "hidden checks", "number of hints")


def describe(item: tuple) -> str:
    kind = item[0]
    if kind == "cell":
        return f"cell '{item[1]}' (code: {item[2][:60]}…)" if len(item[2]) > 60 else f"cell '{item[1]}' (code: {item[2]})"
    if kind == "exercise":
        return f"exercise '{item[1]}'"
    if kind == "heading":
        return f"a level-{item[1]} heading"
    if kind == "math":
        return f"equation ${item[1][:60]}$"
    return f"{kind} {' '.join(map(str, item[1:]))[:80]}"


def compare(reference: list[tuple], other: list[tuple]) -> str | None:
    """The first difference between two outlines, in words, or None."""
    for i, (a, b) in enumerate(zip(reference, other)):
        if a[:2] == b[:2] and a[0] == "exercise" and a != b:
            part, x, y = next((p, x, y) for p, x, y in zip(EXERCISE_PARTS, a[2:], b[2:]) if x != y)
            return f"item {i + 1}: exercise '{a[1]}': its {part} differ: expected {str(x)[:80]}, found {str(y)[:80]}"
        if a != b:
            return f"item {i + 1}: expected {describe(a)}, found {describe(b)}"
    if len(reference) > len(other):
        return f"missing after item {len(other)}: {describe(reference[len(other)])} (and {len(reference) - len(other) - 1} more)"
    if len(other) > len(reference):
        return f"extra after item {len(reference)}: {describe(other[len(reference)])}"
    return None


def page_paths(docs: Path, language: str) -> dict[str, Path]:
    return {p.relative_to(docs / language).as_posix(): p for p in sorted((docs / language).glob("**/*.md"))}
