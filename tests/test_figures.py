"""The chapter's figures: every one, in every language, valid, translated, deterministic."""
from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from tests.harness.site import LANGUAGES as BOOK_LANGUAGES

from nnbook.mnist import load_digits
from site_scripts import figures
from site_scripts.figure_labels import LABELS

# The names the chapter's markdown links to (the design contract), typed out here
# rather than read from the module under test.
CONTRACT_FIGURES = {
    "neuron-anatomy.svg", "neuron-simple.svg", "neuron.svg", "sigmoid.svg",
    "relu.svg", "neural-net.svg", "mnist-sample.png", "mnist-input.svg",
}
LANGUAGES = tuple(BOOK_LANGUAGES)  # from mkdocs.yml
SVG_NS = "{http://www.w3.org/2000/svg}"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    docs_dir = tmp_path_factory.mktemp("docs")
    figures.write_figures(docs_dir, LANGUAGES)
    return docs_dir


def texts(path: Path) -> list[str]:
    """The text of every <text> element, tspans joined, as a browser would show it."""
    root = ET.parse(path).getroot()
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG_NS}text")]


def test_figure_names_are_the_contract():
    assert set(figures.FIGURES) == CONTRACT_FIGURES
    assert len(figures.FIGURES) == len(CONTRACT_FIGURES)


def test_every_figure_in_every_language(docs):
    found = {(p.parent.parent.name, p.name) for p in docs.glob("*/figures/*")}
    assert found == {(lang, name) for lang in LANGUAGES for name in CONTRACT_FIGURES}


def test_returns_every_path(tmp_path):
    paths = figures.write_figures(tmp_path, languages=("fr",))
    assert sorted(paths) == sorted(tmp_path / "fr" / "figures" / n for n in CONTRACT_FIGURES)
    assert not (tmp_path / "en").exists()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_svgs_are_valid_small_svg(docs, lang):
    for path in (docs / lang / "figures").glob("*.svg"):
        root = ET.parse(path).getroot()
        assert root.tag == f"{SVG_NS}svg", path.name
        assert root.get("viewBox"), path.name
        assert path.stat().st_size < 60_000, f"{path.name} is {path.stat().st_size} bytes"
        # Text stays text (svg.fonttype "none"), with fallbacks for the reader's fonts.
        assert texts(path), path.name
        svg = path.read_text(encoding="utf-8")
        assert "sans-serif" in svg and "Noto Sans CJK SC" in svg
        assert "¤" not in svg, f"{path.name}: a glyph was missing from the fonts"


def test_mnist_sample_is_a_png_of_real_held_out_digits(docs):
    from PIL import Image

    data = (docs / "en" / "figures" / "mnist-sample.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 150_000
    image = np.asarray(Image.open(io.BytesIO(data)).convert("L"))
    images, _labels = load_digits()
    # Every tile, sampled back to 28 x 28, is one of the bundled digits, unchanged.
    tiles = 0
    for row in range(10):
        for col in range(10):
            y, x = 16 + row * 60, 16 + col * 60
            tile = image[y:y + 56:2, x:x + 56:2]
            assert (images == tile).all(axis=(1, 2)).any(), (row, col)
            tiles += 1
    assert tiles == 100
    for lang in LANGUAGES[1:]:
        assert (docs / lang / "figures" / "mnist-sample.png").read_bytes() == data


def test_same_bytes_in_a_fresh_directory(docs, tmp_path):
    figures.write_figures(tmp_path, LANGUAGES)
    for path in docs.glob("*/figures/*"):
        fresh = tmp_path / path.relative_to(docs)
        assert fresh.read_bytes() == path.read_bytes(), path.relative_to(docs)


def test_second_run_rewrites_nothing(tmp_path):
    figures.write_figures(tmp_path, languages=("en", "zh"))
    old = 1_000_000_000_000_000_000  # 2001, so any rewrite shows in the mtime
    paths = sorted(tmp_path.glob("*/figures/*"))
    for path in paths:
        os.utime(path, ns=(old, old))
    figures.write_figures(tmp_path, languages=("en", "zh"))
    assert [p.stat().st_mtime_ns for p in paths] == [old] * len(paths)
    assert sorted(tmp_path.glob("*/figures/*")) == paths  # no temporary files left


def test_a_changed_file_is_redrawn(tmp_path):
    figures.write_figures(tmp_path, languages=("es",))
    path = tmp_path / "es" / "figures" / "neuron.svg"
    good = path.read_bytes()
    path.write_bytes(b"<svg/>")
    figures.write_figures(tmp_path, languages=("es",))
    assert path.read_bytes() == good


def test_french_anatomy_is_in_french(docs):
    words = texts(docs / "fr" / "figures" / "neuron-anatomy.svg")
    assert {"Axone", "Dendrites", "Gaine de myéline", "Noyau", "Corps cellulaire (soma)"} <= set(words)
    # "Dendrites" is French too; these English words are not.
    assert not {"Axon", "Myelin sheath", "Nucleus", "Cell body (soma)", "Axon terminals"} & set(words)


def test_spanish_and_chinese_anatomy(docs):
    es = texts(docs / "es" / "figures" / "neuron-anatomy.svg")
    assert "Dendritas" in es and "Axón" in es and "Dendrites" not in es
    zh = texts(docs / "zh" / "figures" / "neuron-anatomy.svg")
    assert "树突" in zh and "轴突" in zh
    assert not any(re.search("[A-Za-z]{3,}", w) for w in zh), zh


@pytest.mark.parametrize("name", sorted(LABELS))
def test_every_label_is_drawn_in_its_language(docs, name):
    for lang in LANGUAGES:
        words = " | ".join(texts(docs / lang / "figures" / name))
        for key, entry in LABELS[name].items():
            assert entry[lang] in words, (name, lang, key)
            if lang != "en" and entry["en"] != entry[lang] and entry["en"] not in entry[lang]:
                assert entry["en"] not in words, (name, lang, key)
        assert bool(CJK.search(words)) == (lang == "zh"), (name, lang)


def test_french_numbers_use_a_decimal_comma(docs):
    assert "0,5" in texts(docs / "fr" / "figures" / "sigmoid.svg")
    assert "0.5" in texts(docs / "en" / "figures" / "sigmoid.svg")
    assert "−6" in texts(docs / "en" / "figures" / "sigmoid.svg")  # a real minus sign


def test_the_input_figure_shows_the_first_and_last_input(docs):
    # mathtext draws x_784 as an "x" and a separate subscript "784"
    words = re.sub(r"\s+", "", "".join(texts(docs / "en" / "figures" / "mnist-input.svg")))
    assert "x1=0" in words and "x784=0" in words


def test_the_input_figure_shows_the_whole_network(docs):
    # 784 inputs -> 256 hidden neurons -> 10 outputs labelled like the digits they stand for
    words = texts(docs / "en" / "figures" / "mnist-input.svg")
    assert [str(d) for d in range(10)] == [w for w in words if w in set("0123456789")]
    assert {"Input layer", "Hidden layer", "Output layer", "784 neurons", "256 neurons", "10 neurons"} <= set(words)


def test_overlapping_labels_fail_the_build():
    with figures._style("en"):
        fig, ax = figures._figure(3, 1)
        ax.text(1, 0.5, "Dendrites")
        ax.text(1.1, 0.5, "Axon")
        with pytest.raises(ValueError, match="overlap"):
            figures._check_layout(fig, "test.svg", "en")


def test_unknown_figure_names_the_known_ones():
    with pytest.raises(ValueError, match="neuron.svg"):
        figures.render("neuron.png", "en")
