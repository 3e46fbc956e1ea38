"""Medians, formatted figures, text tables and waterfalls: how every benchmark reports.

One place for the arithmetic and the layout, so that the benchmarks print the same way:

- ``median(values)``: the median, or None for no values (a figure that was not measured);
- ``seconds``, ``milliseconds``, ``megabytes``: a median with its spread, "—" when empty;
- ``ratio(value, reference)``: "0.62×" against a baseline;
- ``verdict(value, limit)``: "met", "MISSED" or "?" (not measured);
- ``table(headers, rows)``: aligned columns, one line per row;
- ``waterfall(phases, ...)``: one row per phase, a bar of characters from the end of the
  previous phase to the end of this one, on one time scale;
- ``exit_status(problems)``: what was not measured, printed, and the benchmark's exit code.

Not for: measuring anything (the benchmarks do) or deciding what a target is.
"""
from __future__ import annotations

import statistics
import sys
from collections.abc import Iterable, Sequence

MB = 1e6
EMPTY = "—"


def median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def spread(values: Sequence[float], scale: float = 1.0, digits: int = 2) -> str:
    present = [v for v in values if v is not None]
    if len(present) < 2:
        return ""
    return f" ({min(present) / scale:.{digits}f}–{max(present) / scale:.{digits}f})"


def seconds(values: Sequence[float | None], with_spread: bool = True) -> str:
    """Seconds: "1.23 s (1.10–1.40)"."""
    m = median(values)
    if m is None:
        return EMPTY
    return f"{m:.2f} s" + (spread(values) if with_spread else "")


def milliseconds(values: Sequence[float | None], digits: int = 0) -> str:
    """Milliseconds: "12 ms (max 30)"."""
    present = [v for v in values if v is not None]
    if not present:
        return EMPTY
    return f"{median(present):.{digits}f} ms (max {max(present):.{digits}f})"


def megabytes(values: Sequence[float | None]) -> str:
    m = median(values)
    return EMPTY if m is None else f"{m / MB:.1f} MB"


def ratio(value: float | None, reference: float | None) -> str:
    if value is None or not reference:
        return ""
    return f"{value / reference:.2f}×"


def verdict(value: float | None, limit: float | None) -> str:
    if value is None or limit is None:
        return "?"
    return "met" if value <= limit else "MISSED"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], indent: str = "") -> str:
    """The rows under their headers, columns padded to the widest cell."""
    cells = [[str(c) for c in headers]] + [[("" if c is None else str(c)) for c in row] for row in rows]
    n = max(len(r) for r in cells)
    cells = [r + [""] * (n - len(r)) for r in cells]
    widths = [max(len(r[i]) for r in cells) for i in range(n)]
    line = lambda r: indent + " | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    out = [line(cells[0]), indent + "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    return "\n".join(out)


def waterfall(phases: Sequence[tuple[str, float | None, str]], width: int = 60, scale_to: float | None = None,
              indent: str = "  ") -> str:
    """phases: (name, time in ms since navigation or None, note), in the order they happen.

    Each row: the name, the time, and a bar from the previous phase's time to this one
    ("█") after spaces for the time before it; an axis under the rows marks every 500 ms.
    A phase that ends before the one above it (medians of different runs) gets "▏".
    """
    times = [t for _, t, _ in phases if t is not None]
    end = scale_to or (max(times) if times else 1.0) or 1.0
    per_char = end / width
    name_w = max((len(n) for n, _, _ in phases), default=0)
    rows = []
    previous = 0.0
    for name, t, note in phases:
        if t is None:
            rows.append(f"{indent}{name.ljust(name_w)}  {'—':>7}  {note}".rstrip())
            continue
        start_c = int(round(previous / per_char))
        end_c = int(round(t / per_char))
        if end_c > start_c:
            bar = " " * start_c + "█" * (end_c - start_c)
        else:
            bar = " " * end_c + "▏"
        rows.append(f"{indent}{name.ljust(name_w)}  {t:7.0f}  {bar.ljust(width + 1)}  {note}".rstrip())
        previous = max(previous, t)
    ticks = int(end // 500)
    axis = "".join("|" if i in {int(round(k * 500 / per_char)) for k in range(1, ticks + 1)} else " "
                   for i in range(width + 1))
    rows.append(f"{indent}{'':{name_w}}  {'ms':>7}  {axis.rstrip()}  (| every 500 ms; {per_char:.0f} ms per character)")
    return "\n".join(rows)


def exit_status(problems: Sequence[str]) -> int:
    """Print what could not be measured (to stderr); 1 if anything, else 0: a benchmark's exit code."""
    if not problems:
        return 0
    print("\nnot measured / problems:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1
