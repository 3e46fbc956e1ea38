"""Draw the chapter's figures, in every language of the site, at build time.

For: the eight images the chapter shows (``FIGURES``), redrawn from code so that
their words are translated and nothing is copied from elsewhere. Diagrams and
plots are SVG with real text (small, crisp, translatable); the MNIST sample is a
PNG made from the bundled digits.

Light and dark: each SVG is drawn twice, with the ``LIGHT`` and the ``DARK``
palette, and written as one file in which the colours that differ are CSS
variables, switched by ``@media (prefers-color-scheme: dark)``. A browser gives
an SVG shown by an ``<img>`` the colour scheme of that ``<img>``, which the theme
sets with its light/dark switch: the figure follows the page, with no second file
and no script. The MNIST sample is black tiles on a transparent background, the
same on both pages.

Not for: figures that readers make themselves in code cells (those come from
``nnbook.draw`` and matplotlib at run time).

Output is deterministic (same bytes on every run on a given machine), and
``write_figures`` only rewrites a file whose bytes changed, so ``mkdocs serve``
does not rebuild in a loop. Run it by hand with
``python -m site_scripts.figures [docs_dir]``.
"""

from __future__ import annotations

import io
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from .figure_labels import DECIMAL_SEPARATOR, label

FIGURES = [
    "neuron-anatomy.svg",
    "neuron-simple.svg",
    "neuron.svg",
    "sigmoid.svg",
    "relu.svg",
    "neural-net.svg",
    "mnist-sample.png",
    "mnist-input.svg",
]

@dataclass(frozen=True)
class Palette:
    """The colours of the figures for one colour scheme of the page."""

    ink: str  # text
    muted: str  # secondary text, leader lines
    card: str  # the figure's card
    card_edge: str
    edge: str  # connections, axes
    grid: str  # a plot's grid
    node: str  # the small neurons around the simplified neuron
    blue: str
    blue_fill: str
    orange: str
    orange_fill: str
    green: str
    green_fill: str
    cell: str  # the biological neuron's body
    cell_dark: str
    myelin: str
    myelin_edge: str
    nucleus: str
    nucleus_edge: str


# Mid-tones on a white card for the light page; light strokes on a card just above the
# dark page's background for the dark one. Every text colour keeps 4.5:1 on its card.
LIGHT = Palette(
    ink="#1f2328", muted="#59636e", card="#ffffff", card_edge="#d1d9e0", edge="#8c959f",
    grid="#e6eaef", node="#eef1f4",
    blue="#2f6fce", blue_fill="#dce8fb", orange="#d9711c", orange_fill="#fde5cc",
    green="#23894a", green_fill="#d6f0df",
    cell="#e58f6f", cell_dark="#b9583a", myelin="#f4cf62", myelin_edge="#c79a1e",
    nucleus="#7a4ea3", nucleus_edge="#5b3580",
)
DARK = Palette(
    ink="#e3e6eb", muted="#a3abb6", card="#262a34", card_edge="#3b404d", edge="#848d99",
    grid="#343945", node="#323743",
    blue="#6ea6f5", blue_fill="#1f3558", orange="#f09a52", orange_fill="#4a2f18",
    green="#55c084", green_fill="#1b3d2a",
    cell="#cf7f62", cell_dark="#f0a487", myelin="#d8b450", myelin_edge="#f4d37a",
    nucleus="#9a6fc4", nucleus_edge="#d2b3f0",
)
P = LIGHT  # the palette being drawn with (render() draws each SVG once with each)

# The browser draws the SVG text with its own fonts: DejaVu Sans (what the
# layout was measured with) or the metrically close Verdana, then CJK fonts.
FONT_STACK = (
    "'DejaVu Sans', Verdana, 'Noto Sans CJK SC', 'Source Han Sans SC', "
    "'PingFang SC', 'Microsoft YaHei', sans-serif"
)
CJK_FONT_NAMES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei")
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
)


# --------------------------------------------------------------------------
# Writing files


def write_figures(docs_dir: Path, languages: tuple[str, ...]) -> list[Path]:
    """Write every figure into ``docs_dir/<lang>/figures/`` for every language given.

    The nnbook plugin calls it with a folder of its cache and the book's languages (from
    mkdocs.yml), and publishes the figures with the pages: nothing is written into docs/.

    Returns the paths of all figures (written or already up to date). A file is
    rewritten only when its bytes differ, so its mtime stays put otherwise.
    """
    docs_dir = Path(docs_dir)
    paths = []
    for lang in languages:
        out_dir = docs_dir / lang / "figures"
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in FIGURES:
            path = out_dir / name
            _write_if_changed(path, render(name, lang))
            paths.append(path)
    return paths


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def render(name: str, lang: str) -> bytes:
    """The bytes of figure ``name`` in language ``lang``."""
    if name not in _DRAW:
        raise ValueError(f"unknown figure {name!r}; the figures are {FIGURES}")
    if name.endswith(".png"):
        return _DRAW[name](lang)
    drawings = []
    for palette in (LIGHT, DARK):
        with _style(lang), _palette(palette):
            fig = _DRAW[name](lang)
            if palette is LIGHT:  # the same layout in both
                _check_layout(fig, name, lang)
            drawings.append(_svg_text(fig))
    return _two_schemes(*drawings, name=name).encode("utf-8")


@contextmanager
def _palette(palette: Palette):
    """Draw with ``palette`` inside the block."""
    global P
    before, P = P, palette
    try:
        yield
    finally:
        P = before


COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b")
ID = re.compile(r'\bid="([^"]+)"')


def _two_schemes(light: str, dark: str, name: str = "figure") -> str:
    """One SVG for both schemes from the same figure drawn with each palette.

    The two texts must differ only in their colours; each colour that differs becomes
    ``var(--cN)``, defined for the light scheme and, in a dark scheme, for the dark one.
    """
    # matplotlib names some shapes (markers, clip paths) by a hash that includes their colour.
    light_ids, dark_ids = ID.findall(light), ID.findall(dark)
    if len(light_ids) == len(dark_ids):
        rename = {d: l for l, d in zip(light_ids, dark_ids) if l != d}
        if rename:
            dark = re.sub(r"(?<=[\"#])(" + "|".join(map(re.escape, rename)) + r")(?=[\")])",
                          lambda m: rename[m.group(1)], dark)
    between, dark_between = COLOUR.split(light), COLOUR.split(dark)
    if between != dark_between:
        raise ValueError(f"{name}: the light and dark drawings differ in more than their colours")
    names: dict[tuple[str, str], str] = {}
    out = [between[0]]
    for a, b, rest in zip(COLOUR.findall(light), COLOUR.findall(dark), between[1:]):
        a, b = a.lower(), b.lower()
        if a == b:
            out.append(a)
        else:
            text = "".join(out)
            if text.rfind('"') != text.rfind('style="') + 6:  # a variable works in CSS only
                raise ValueError(f"{name}: colour {a} is not in a style attribute, so it cannot follow the scheme")
            out.append(f"var({names.setdefault((a, b), f'--c{len(names)}')})")
        out.append(rest)
    light_vars = " ".join(f"{v}: {a};" for (a, _), v in names.items())
    dark_vars = " ".join(f"{v}: {b};" for (_, b), v in names.items())
    style = (f'<style type="text/css">:root {{ {light_vars} }}\n'
             f"@media (prefers-color-scheme: dark) {{ :root {{ {dark_vars} }} }}</style>")
    svg = "".join(out)
    if "</defs>" not in svg:
        raise ValueError(f"{name}: no <defs> to put the colours in")
    return svg.replace("</defs>", f" {style}\n </defs>", 1)


# --------------------------------------------------------------------------
# Matplotlib set-up, shared by every SVG figure


def _style(lang: str):
    import matplotlib

    families = ["DejaVu Sans"]
    if lang == "zh":
        families.append(_cjk_font_name())
    return matplotlib.rc_context(
        {
            "svg.fonttype": "none",  # text stays text: small, crisp, translatable
            "svg.hashsalt": "nnbook",  # stable ids, hence stable bytes
            "font.family": families,
            "font.size": 11,
            "mathtext.fontset": "dejavusans",
            "axes.unicode_minus": True,
            "path.simplify": True,
        }
    )


@lru_cache(maxsize=None)
def _cjk_font_name() -> str:
    from matplotlib import font_manager

    def known() -> set[str]:
        return {f.name for f in font_manager.fontManager.ttflist}

    for name in CJK_FONT_NAMES:
        if name in known():
            return name
    for file in CJK_FONT_FILES:
        if Path(file).exists():
            font_manager.fontManager.addfont(file)
    for name in CJK_FONT_NAMES:
        if name in known():
            return name
    raise RuntimeError(
        "the Chinese figures need a CJK font that matplotlib can measure: install "
        "Noto Sans CJK (Debian/Ubuntu: `apt-get install fonts-noto-cjk`), then "
        "delete matplotlib's font cache (`python -c \"import matplotlib; "
        "print(matplotlib.get_cachedir())\"`)"
    )


def _figure(width: float, height: float, card: bool = True):
    """A figure whose data units are inches, on a rounded card (white on a light page)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    fig.patch.set_alpha(0)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    if card:
        ax.add_patch(
            FancyBboxPatch(
                (0.02, 0.02), width - 0.04, height - 0.04,
                boxstyle="round,pad=0,rounding_size=0.12",
                facecolor=P.card, edgecolor=P.card_edge, linewidth=1, zorder=-10,
            )
        )
    return fig, ax


def _svg_text(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue().decode("utf-8")
    # matplotlib names only the fonts it measured with; give the browser fallbacks.
    return re.sub(r"(font: [^;\"']*?)'[^;\"]*'", lambda m: m.group(1) + FONT_STACK, svg)


def _check_layout(fig, name: str, lang: str) -> None:
    """Fail the build when two labels overlap or one leaves the figure."""
    from matplotlib.text import Text

    fig.draw_without_rendering()  # axis labels find their place while drawing
    renderer = fig.canvas.get_renderer()
    boxes = []
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            boxes.append((text.get_text(), text.get_window_extent(renderer)))
    frame = fig.bbox
    for i, (s, box) in enumerate(boxes):
        if box.x0 < frame.x0 or box.y0 < frame.y0 or box.x1 > frame.x1 or box.y1 > frame.y1:
            raise ValueError(f"{name} ({lang}): label {s!r} leaves the figure; shorten it")
        for t, other in boxes[i + 1:]:
            if box.overlaps(other):
                raise ValueError(f"{name} ({lang}): labels {s!r} and {t!r} overlap; shorten one")


# --------------------------------------------------------------------------
# Drawing helpers (coordinates in inches)


def _circle(ax, xy, r, face, edge, lw=1.6, z=3):
    from matplotlib.patches import Circle

    ax.add_patch(Circle(xy, r, facecolor=face, edgecolor=edge, linewidth=lw, zorder=z))


def _arrow(ax, start, end, color=None, lw=1.3, z=2, head=11, style="-|>"):
    from matplotlib.patches import FancyArrowPatch

    color = color or P.edge

    ax.add_patch(
        FancyArrowPatch(
            start, end, arrowstyle=style, mutation_scale=head, color=color,
            linewidth=lw, shrinkA=0, shrinkB=0, zorder=z,
        )
    )


def _towards(a, b, r):
    """The point at distance ``r`` from ``a`` on the way to ``b``."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = b - a
    return tuple(a + d * (r / np.hypot(*d)))


def _leader(ax, text_xy, target, text, ha="center", va="center", color=None):
    """A label joined to the part it names by a thin line."""
    color = color or P.muted
    ax.annotate(
        text, xy=target, xytext=text_xy, ha=ha, va=va, color=P.ink, fontsize=10.5,
        arrowprops=dict(arrowstyle="-", color=color, linewidth=0.9, shrinkA=3, shrinkB=0),
        zorder=8,
    )
    ax.add_patch(_dot(target, color))


def _dot(xy, color, r=0.028):
    from matplotlib.patches import Circle

    return Circle(xy, r, facecolor=color, edgecolor="none", zorder=9)


def _lines(ax, segments, color, lw, alpha=1.0, z=2):
    """Straight segments [(start, end), ...] drawn as one SVG path (small files)."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    verts = np.round(np.asarray(segments, float).reshape(-1, 2), 4)
    codes = [MPath.MOVETO, MPath.LINETO] * len(segments)
    ax.add_patch(PathPatch(MPath(verts, codes), fill=False, edgecolor=color, linewidth=lw,
                           alpha=alpha, zorder=z))


def _smooth_closed(points, tension=0.5):
    """A closed Catmull-Rom curve through ``points``, as a matplotlib Path."""
    from matplotlib.path import Path as MPath

    p = np.asarray(points, float)
    n = len(p)
    verts, codes = [p[0]], [MPath.MOVETO]
    for i in range(n):
        p0, p1, p2, p3 = p[i - 1], p[i], p[(i + 1) % n], p[(i + 2) % n]
        c1 = p1 + (p2 - p0) * tension / 3
        c2 = p2 - (p3 - p1) * tension / 3
        verts += [c1, c2, p2]
        codes += [MPath.CURVE4] * 3
    verts.append(p[0])
    codes.append(MPath.CLOSEPOLY)
    return MPath(np.round(verts, 4), codes)


def _number(value: float, lang: str) -> str:
    """At most two decimals, with the language's decimal separator and a real minus sign."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace("-", "\u2212").replace(".", DECIMAL_SEPARATOR[lang])


# --------------------------------------------------------------------------
# The figures


def draw_neuron_anatomy(lang: str):
    """A biological neuron: dendrites, soma with nucleus, myelinated axon, terminals."""
    from matplotlib.patches import FancyBboxPatch, PathPatch

    L = lambda key: label("neuron-anatomy.svg", key, lang)  # noqa: E731
    fig, ax = _figure(7.6, 3.5)
    cx, cy, r = 2.0, 1.72, 0.42

    # Dendrites: a small deterministic tree on each trunk, tapering outwards.
    rng = np.random.default_rng(7)
    trunks = [48, 100, 140, 178, 216, 255, 300]
    tips = []

    def branch(x, y, angle, length, width, depth):
        a = np.radians(angle)
        x2, y2 = x + length * np.cos(a), y + length * np.sin(a)
        ax.plot([x, x2], [y, y2], color=P.cell, linewidth=width, solid_capstyle="round", zorder=2)
        if depth == 0:
            tips.append((x2, y2))
            return
        for turn in (-26, 24):
            branch(x2, y2, angle + turn + rng.uniform(-8, 8), length * rng.uniform(0.6, 0.75),
                   width * 0.62, depth - 1)

    for angle in trunks:
        a = np.radians(angle)
        branch(cx + 0.8 * r * np.cos(a), cy + 0.8 * r * np.sin(a), angle, 0.42, 5.5, 2)

    # Soma: a rounded blob pulled out towards each trunk and towards the axon.
    angles = np.radians(np.arange(0, 360, 15))
    pulls = {0: 1.35, 345: 1.12, 15: 1.12, **{t - t % 15: 1.16 for t in trunks}}
    pts = [
        (cx + r * pulls.get(int(round(np.degrees(a))), 1.0) * np.cos(a),
         cy + r * pulls.get(int(round(np.degrees(a))), 1.0) * np.sin(a))
        for a in angles
    ]
    ax.add_patch(PathPatch(_smooth_closed(pts), facecolor=P.cell, edgecolor=P.cell_dark,
                           linewidth=1.2, zorder=4))
    _circle(ax, (cx - 0.04, cy + 0.04), 0.17, P.nucleus, P.nucleus_edge, lw=1, z=5)

    # Axon, with myelin segments separated by nodes of Ranvier.
    x0, x1 = cx + r * 1.3, 6.05
    ax.plot([x0 - 0.1, x1], [cy, cy], color=P.cell, linewidth=4, solid_capstyle="round", zorder=2)
    seg, gap, start = 0.62, 0.12, 2.85
    sheaths = []
    for i in range(4):
        x = start + i * (seg + gap)
        sheaths.append(x)
        ax.add_patch(FancyBboxPatch(
            (x, cy - 0.11), seg, 0.22, boxstyle="round,pad=0,rounding_size=0.11",
            facecolor=P.myelin, edgecolor=P.myelin_edge, linewidth=1, zorder=3))

    # Axon terminals: short branches ending in boutons.
    ends = [(6.78, cy + 0.62), (6.9, cy + 0.2), (6.86, cy - 0.24), (6.66, cy - 0.64)]
    for ex, ey in ends:
        mx = (x1 + ex) / 2
        ax.plot([x1, mx, ex], [cy, cy + (ey - cy) * 0.7, ey], color=P.cell, linewidth=2,
                solid_capstyle="round", solid_joinstyle="round", zorder=2)
        _circle(ax, (ex, ey), 0.07, P.cell, P.cell_dark, lw=1, z=4)

    # A synapse: the next cell's dendrite just across a small gap.
    sx, sy = ends[1]
    t = np.linspace(-1, 1, 9)
    ax.plot(sx + 0.16 + 0.1 * t**2 + 0.05 * (t + 1), sy + 0.34 * t, color=P.edge, linewidth=3.2,
            solid_capstyle="round", zorder=2)

    # The axon is everything from the soma to the terminals: a bracket above it.
    bracket_y = cy + 0.42
    ax.plot([x0, x0, x1, x1], [bracket_y - 0.08, bracket_y, bracket_y, bracket_y - 0.08],
            color=P.muted, linewidth=0.9, zorder=2)
    ax.text((x0 + x1) / 2, bracket_y + 0.08, L("axon"), ha="center", va="bottom", color=P.ink,
            fontsize=10.5)

    top, bottom = 3.12, 0.3
    tip = max(tips, key=lambda t: t[1] - 0.4 * t[0])
    _leader(ax, (0.75, top), tip, L("dendrites"))
    _leader(ax, (2.55, top), (cx - 0.02, cy + 0.12), L("nucleus"))
    _leader(ax, (6.6, top), (sx + 0.12, sy + 0.05), L("synapse"))
    _leader(ax, (1.55, bottom), (cx - 0.12, cy - r * 0.75), L("soma"))
    _leader(ax, (3.3, bottom), (sheaths[0] + seg / 2, cy - 0.11), L("myelin"))
    _leader(ax, (4.95, bottom), (sheaths[2] - gap / 2, cy - 0.02), L("ranvier"))
    _leader(ax, (6.65, bottom), (ends[3][0], ends[3][1] - 0.07), L("terminals"))
    return fig


def draw_neuron_simple(lang: str):
    """Gurney's simplified neuron: weighted inputs, a summing body with a threshold, one output."""
    L = lambda key: label("neuron-simple.svg", key, lang)  # noqa: E731
    fig, ax = _figure(7.4, 3.3)
    body, r = (3.45, 1.6), 0.58

    # Inputs from other neurons, each meeting the body at a synapse.
    sources = [(0.85, y) for y in (0.55, 1.1, 1.65, 2.2, 2.75)]
    for i, src in enumerate(sources):
        angle = np.radians(180 + (2 - i) * 24)
        syn = (body[0] + (r + 0.06) * np.cos(angle), body[1] + (r + 0.06) * np.sin(angle))
        _circle(ax, src, 0.13, P.node, P.edge, lw=1.2)
        _arrow(ax, _towards(src, syn, 0.13), syn, color=P.edge, lw=1.3, head=9)
        _circle(ax, syn, 0.045, P.blue, P.blue, lw=0.5, z=6)

    # Body: sum, then threshold (a step drawn inside).
    _circle(ax, body, r, P.orange_fill, P.orange, lw=2)
    ax.text(body[0], body[1] + 0.17, "Σ", ha="center", va="center", fontsize=20, color=P.ink, zorder=5)
    bx, by = body[0] - 0.24, body[1] - 0.26
    ax.plot([bx, bx + 0.24, bx + 0.24, bx + 0.48], [by, by, by + 0.2, by + 0.2],
            color=P.orange, linewidth=1.8, zorder=5, solid_joinstyle="miter")

    # One output, copied to every neuron downstream.
    fork = (5.45, body[1])
    ax.plot([body[0] + r, fork[0]], [body[1], body[1]], color=P.green, linewidth=2.2, zorder=2)
    for y in (0.9, 1.6, 2.3):
        dst = (6.75, y)
        _arrow(ax, fork, _towards(dst, fork, 0.13), color=P.green, lw=1.6, head=10)
        _circle(ax, dst, 0.13, P.node, P.edge, lw=1.2)

    ax.text(0.5, 3.08, L("inputs"), ha="left", va="center", color=P.ink, fontsize=10.5)
    _leader(ax, (2.05, 0.3), (body[0] - r - 0.06, body[1] - 0.02), L("synapses"))
    _leader(ax, (4.2, 0.3), (body[0] + 0.3, body[1] - r * 0.85), L("body"))
    ax.text((body[0] + r + fork[0]) / 2, body[1] + 0.1, L("output"), ha="center", va="bottom",
            color=P.ink, fontsize=10.5)
    ax.text(7.25, 3.08, L("targets"), ha="right", va="center", color=P.ink, fontsize=10.5)
    return fig


def draw_neuron(lang: str):
    """The artificial neuron: x1..x3 weighted by w1..w3, plus b, summed, then σ, giving y."""
    L = lambda key: label("neuron.svg", key, lang)  # noqa: E731
    fig, ax = _figure(6.8, 3.4)
    body, r = (3.65, 1.85), 0.55
    xs = [(0.95, 2.75), (0.95, 1.85), (0.95, 0.95)]
    for i, (x, y) in enumerate(xs, start=1):
        _circle(ax, (x, y), 0.26, P.blue_fill, P.blue)
        ax.text(x, y, f"$x_{i}$", ha="center", va="center", fontsize=14, color=P.ink, zorder=5)
        start, end = _towards((x, y), body, 0.26), _towards(body, (x, y), r)
        _arrow(ax, start, end, color=P.edge, lw=1.4)
        t = 0.42
        mx, my = start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t
        ax.text(mx, my, f"$w_{i}$", ha="center", va="center", fontsize=12.5, color=P.blue,
                zorder=6, bbox=dict(boxstyle="round,pad=0.12", facecolor=P.card, edgecolor="none"))

    # Body: Σ (weighted sum) on the left half, σ (activation) on the right.
    _circle(ax, body, r, P.orange_fill, P.orange, lw=2)
    ax.plot([body[0], body[0]], [body[1] - r, body[1] + r], color=P.orange, linewidth=1.4, zorder=4)
    ax.text(body[0] - r / 2, body[1], "Σ", ha="center", va="center", fontsize=19, color=P.ink, zorder=5)
    ax.text(body[0] + r / 2, body[1], "$\\sigma$", ha="center", va="center", fontsize=19, color=P.ink, zorder=5)

    # Bias from above, output to the right.
    _arrow(ax, (body[0], 3.05), (body[0], body[1] + r), color=P.edge, lw=1.4)
    ax.text(body[0] + 0.1, 3.02, "$b$", ha="left", va="center", fontsize=14, color=P.ink)
    ax.text(body[0] - 0.1, 3.02, L("bias"), ha="right", va="center", fontsize=10.5, color=P.muted)
    _arrow(ax, (body[0] + r, body[1]), (5.65, body[1]), color=P.green, lw=1.8)
    ax.text(5.8, body[1], "$y$", ha="left", va="center", fontsize=15, color=P.ink)
    ax.text(5.4, body[1] + 0.2, L("output"), ha="center", va="bottom", fontsize=10.5, color=P.muted)

    ax.text(0.95, 0.4, L("inputs"), ha="center", va="center", fontsize=10.5, color=P.muted)
    ax.text(2.2, 2.92, L("weights"), ha="center", va="bottom", fontsize=10.5, color=P.blue)
    # The two steps of the body, each word beside its formula.
    for dy, word, formula in (
        (0.0, L("sum"), r"$z = b + \sum_i\, w_i x_i$"),
        (-0.36, L("activation"), r"$y = \sigma(z)$"),
    ):
        y = 0.72 + dy
        ax.text(body[0] - 0.08, y, word, ha="right", va="center", fontsize=10.5, color=P.muted)
        ax.text(body[0] + 0.08, y, formula, ha="left", va="center", fontsize=12, color=P.ink)
    return fig


def _plot_axes(fig):
    ax = fig.add_axes((0.13, 0.17, 0.82, 0.76))
    ax.patch.set_alpha(0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(P.edge)
    ax.tick_params(colors=P.muted, labelcolor=P.ink, labelsize=10)
    ax.grid(True, color=P.grid, linewidth=0.8)
    ax.set_axisbelow(True)
    return ax


def _number_ticks(ax, lang):
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: _number(v, lang))
    ax.xaxis.set_major_formatter(fmt)
    ax.yaxis.set_major_formatter(fmt)


def draw_sigmoid(lang: str):
    """σ(z) over z in [-6, 6], computed with nnbook.sigmoid."""
    from nnbook import sigmoid

    fig, _ = _figure(6.0, 3.3)
    ax = _plot_axes(fig)
    z = np.linspace(-6, 6, 241)
    ax.axhline(0.5, color=P.edge, linewidth=0.9, linestyle=(0, (4, 3)))
    ax.plot(z, sigmoid(z), color=P.blue, linewidth=2.4)
    ax.plot([0], [sigmoid(0.0)], "o", color=P.blue, markersize=6)
    ax.set_xlim(-6, 6)
    ax.set_ylim(-0.06, 1.06)
    ax.set_xticks(range(-6, 7, 2))
    ax.set_yticks([0, 0.5, 1])
    _number_ticks(ax, lang)
    ax.set_xlabel("$z$", fontsize=13, color=P.ink)
    ax.set_ylabel(r"$\sigma(z)$", fontsize=13, color=P.ink)
    ax.text(-5.7, 0.84, r"$\sigma(z) = \dfrac{1}{1 + e^{-z}}$", fontsize=13, color=P.ink, va="center")
    return fig


def draw_relu(lang: str):
    """R(z) = max(0, z) over z in [-3, 3], computed with nnbook.relu."""
    from nnbook import relu

    fig, _ = _figure(6.0, 3.3)
    ax = _plot_axes(fig)
    z = np.linspace(-3, 3, 241)
    ax.plot(z, relu(z), color=P.blue, linewidth=2.4)
    ax.set_xlim(-3, 3)
    ax.set_ylim(-0.2, 3.1)
    ax.set_xticks(range(-3, 4))
    ax.set_yticks(range(0, 4))
    _number_ticks(ax, lang)
    ax.set_xlabel("$z$", fontsize=13, color=P.ink)
    ax.set_ylabel("$R(z)$", fontsize=13, color=P.ink)
    ax.text(-2.8, 2.5, r"$R(z) = \max(0,\, z)$", fontsize=13, color=P.ink, va="center")
    return fig


def draw_neural_net(lang: str):
    """The chapter's 3-2-1 network: input, hidden and output layers."""
    L = lambda key: label("neural-net.svg", key, lang)  # noqa: E731
    fig, ax = _figure(6.4, 3.4)
    r = 0.25
    columns = [
        (1.15, [2.45, 1.6, 0.75], P.blue, P.blue_fill, "input"),
        (3.2, [2.05, 1.15], P.orange, P.orange_fill, "hidden"),
        (5.25, [1.6], P.green, P.green_fill, "output"),
    ]
    for (xa, ya, *_), (xb, yb, *_) in zip(columns, columns[1:]):
        for y0 in ya:
            for y1 in yb:
                _arrow(ax, _towards((xa, y0), (xb, y1), r), _towards((xb, y1), (xa, y0), r),
                       color=P.edge, lw=1.2, head=9)
    for x, ys, edge, face, key in columns:
        for y in ys:
            _circle(ax, (x, y), r, face, edge)
        ax.text(x, 3.05, L(key), ha="center", va="center", fontsize=11, color=edge)
    for i, y in enumerate(columns[0][1], start=1):
        ax.text(columns[0][0], y, f"$x_{i}$", ha="center", va="center", fontsize=13.5, color=P.ink, zorder=5)
    ax.text(columns[2][0], columns[2][1][0], "$y$", ha="center", va="center", fontsize=14, color=P.ink, zorder=5)
    return fig


def draw_mnist_input(lang: str):
    """The MNIST network: a 28x28 digit unrolled into 784 inputs, 256 hidden neurons, 10 outputs.

    A few neurons of each big layer are drawn, with dots for the rest. Input and
    output neurons are filled with their value as a brightness (0 black, 1 white):
    the inputs are the digit's pixels divided by 255, the outputs are what the
    bundled network answers for this digit. Connections are drawn only between the
    neurons shown, and lightly: the point is that every neuron of a layer feeds
    every neuron of the next.
    """
    from matplotlib.patches import Rectangle

    L = lambda key: label("mnist-input.svg", key, lang)  # noqa: E731
    image = _input_digit()
    fig, ax = _figure(7.6, 4.3)

    # The digit, 0.09 inch per pixel, on its pixel grid.
    x0, y0, size = 0.28, 1.0, 2.52
    pixel = size / 28
    ax.imshow(image, cmap="gray", vmin=0, vmax=255, extent=(x0, x0 + size, y0, y0 + size),
              interpolation="none", zorder=1)
    grid = [[(x0 + i * pixel, y0), (x0 + i * pixel, y0 + size)] for i in range(29)]
    grid += [[(x0, y0 + i * pixel), (x0 + size, y0 + i * pixel)] for i in range(29)]
    _lines(ax, grid, "#3a4048", lw=0.3)
    ax.add_patch(Rectangle((x0, y0), size, size, fill=False, edgecolor=P.edge, linewidth=1, zorder=3))

    # Three columns of neurons; None is a gap drawn as three dots.
    bright = _bright_pixel(image)
    inputs = [1, 2, 3, None, bright, None, 782, 783, 784]
    hidden = [1, 2, 3, None, 255, 256]
    in_x, hid_x, out_x = 4.02, 5.45, 6.7
    in_top, in_step, r_in = 3.74, 0.33, 0.11
    hid_top, hid_step, r_hid = 3.5, 0.41, 0.13
    out_top, out_step, r_out = 3.8, 0.3, 0.105
    in_y = [in_top - i * in_step for i in range(len(inputs))]
    hid_y = [hid_top - i * hid_step for i in range(len(hidden))]
    out_y = [out_top - d * out_step for d in range(10)]

    def dots(x, y):
        for dy in (-0.07, 0, 0.07):
            ax.add_patch(_dot((x, y + dy), P.muted, r=0.022))

    # Every neuron shown feeds every neuron shown in the next layer.
    links = [
        [_towards((in_x, a), (hid_x, b), r_in), _towards((hid_x, b), (in_x, a), r_hid)]
        for a, k in zip(in_y, inputs) if k is not None
        for b, h in zip(hid_y, hidden) if h is not None
    ]
    links += [
        [_towards((hid_x, a), (out_x, b), r_hid), _towards((out_x, b), (hid_x, a), r_out)]
        for a, h in zip(hid_y, hidden) if h is not None
        for b in out_y
    ]
    _lines(ax, links, P.edge, lw=0.5, alpha=0.55)

    # Inputs: each fed by its pixel, named x_k with its value.
    label_x = 2.98
    for y, k in zip(in_y, inputs):
        if k is None:
            dots(in_x, y)
            continue
        row, col = divmod(k - 1, 28)
        value = image[row, col] / 255
        px = (x0 + (col + 0.5) * pixel, y0 + size - (row + 0.5) * pixel)
        color = P.orange if k == bright else P.blue
        ax.add_patch(Rectangle((px[0] - pixel / 2, px[1] - pixel / 2), pixel, pixel, fill=False,
                               edgecolor=color, linewidth=1.3, zorder=4))
        _arrow(ax, px, (label_x - 0.04, y), color=color, lw=0.9, head=6, z=4)
        ax.text(label_x, y, f"$x_{{{k}}}$", ha="left", va="center", fontsize=11, color=P.ink)
        ax.text(label_x + 0.43, y, "= " + _number(value, lang), ha="left", va="center",
                fontsize=9.5, color=P.muted)
        _circle(ax, (in_x, y), r_in, str(round(value, 3)), color, lw=1.3, z=5)

    # Hidden neurons: their values depend on the weights, so they are not shown.
    for y, h in zip(hid_y, hidden):
        if h is None:
            dots(hid_x, y)
        else:
            _circle(ax, (hid_x, y), r_hid, P.orange_fill, P.orange, lw=1.3, z=5)

    # Outputs: one per digit, as bright as the bundled network's answer for this image.
    answer = _network_answer()
    for digit, y in enumerate(out_y):
        _circle(ax, (out_x, y), r_out, str(answer[digit]), P.green, lw=1.3, z=5)
        ax.text(out_x + 0.2, y, str(digit), ha="left", va="center", fontsize=10.5, color=P.ink)

    top, bottom = 4.06, 0.62
    ax.text(x0 + size / 2, bottom, L("pixels"), ha="center", va="center", fontsize=10.5, color=P.ink)
    ax.text(x0 + size / 2, top, L("unroll"), ha="center", va="center", fontsize=10.5, color=P.muted)
    for x, key, color in ((in_x, "input_layer", P.blue), (hid_x, "hidden_layer", P.orange),
                          (out_x + 0.08, "output_layer", P.green)):
        ax.text(x, top, L(key), ha="center", va="center", fontsize=10.5, color=color)
    ax.text(in_x - 0.35, bottom, L("inputs"), ha="center", va="center", fontsize=10.5, color=P.ink)
    ax.text(in_x - 0.35, 0.3, L("brightness"), ha="center", va="center", fontsize=9, color=P.muted)
    ax.text(hid_x, bottom, L("hidden"), ha="center", va="center", fontsize=10.5, color=P.ink)
    ax.text(out_x + 0.08, bottom, L("outputs"), ha="center", va="center", fontsize=10.5, color=P.ink)
    return fig


@lru_cache(maxsize=1)
def _network_answer() -> tuple[float, ...]:
    """The bundled network's ten output probabilities for the figure's digit, 3 decimals."""
    from nnbook.mnist import probabilities

    return tuple(round(float(p), 3) for p in probabilities(_input_digit()))


def _input_digit() -> np.ndarray:
    images, labels = _digits()
    return images[np.flatnonzero(labels == 5)[0]]


def _bright_pixel(image: np.ndarray) -> int:
    """The 1-based index of a bright pixel near the middle row, to show a non-zero input."""
    row = 14
    cols = np.flatnonzero(image[row] > 200)
    col = int(cols[len(cols) // 2]) if len(cols) else 14
    return row * 28 + col + 1


@lru_cache(maxsize=1)
def _digits():
    from nnbook.mnist import load_digits

    return load_digits()


def draw_mnist_sample(lang: str) -> bytes:
    """A 10 x 10 grid of held-out MNIST digits, white on black tiles, on a transparent background (PNG)."""
    return _mnist_sample_png()  # no words in it: the same image in every language


@lru_cache(maxsize=1)
def _mnist_sample_png() -> bytes:
    from PIL import Image

    images, _labels = _digits()
    rows = cols = 10
    pick = np.random.default_rng(2017).choice(len(images), rows * cols, replace=False)
    scale, gap, margin = 2, 4, 16
    tile = 28 * scale
    width = cols * tile + (cols - 1) * gap + 2 * margin
    height = rows * tile + (rows - 1) * gap + 2 * margin
    grey = np.zeros((height, width), dtype=np.uint8)
    alpha = np.zeros((height, width), dtype=np.uint8)  # only the tiles are painted: any page shows through
    for n, i in enumerate(pick):
        r, c = divmod(n, cols)
        y, x = margin + r * (tile + gap), margin + c * (tile + gap)
        grey[y:y + tile, x:x + tile] = np.kron(images[i], np.ones((scale, scale), np.uint8))
        alpha[y:y + tile, x:x + tile] = 255
    rgba = Image.merge("LA", (Image.fromarray(grey, "L"), Image.fromarray(alpha, "L")))
    buf = io.BytesIO()
    rgba.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


_DRAW: dict[str, Callable] = {
    "neuron-anatomy.svg": draw_neuron_anatomy,
    "neuron-simple.svg": draw_neuron_simple,
    "neuron.svg": draw_neuron,
    "sigmoid.svg": draw_sigmoid,
    "relu.svg": draw_relu,
    "neural-net.svg": draw_neural_net,
    "mnist-sample.png": draw_mnist_sample,
    "mnist-input.svg": draw_mnist_input,
}
assert list(_DRAW) == FIGURES


def main(argv: list[str] | None = None) -> int:
    import time

    args = sys.argv[1:] if argv is None else argv
    docs_dir = Path(args[0]) if args else Path(__file__).resolve().parent.parent / ".cache" / "figures"
    before = {p: p.stat().st_mtime_ns for p in docs_dir.glob("*/figures/*")}
    started = time.perf_counter()
    from .plugin import languages_in

    paths = write_figures(docs_dir, tuple(languages_in(Path(__file__).resolve().parent.parent / "mkdocs.yml")))
    seconds = time.perf_counter() - started
    changed = [p for p in paths if before.get(p) != p.stat().st_mtime_ns]
    print(f"{len(paths)} figures in {docs_dir} ({len(changed)} rewritten) in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
