"""The chapter as a Jupyter notebook to take home, in each language, made at build time.

``write_notebooks`` makes one ``.ipynb`` (nbformat 4) per chapter page and language (every
page with live cells or exercises but the book's home page), next to the page:
``neural_networks/neural_networks-en.ipynb``, ``fr/neural_networks/neural_networks-fr.ipynb``.
A notebook holds, in order:

1. the install cell: ``%pip install`` of matplotlib and of nnbook's wheel as the book
   publishes it (``wheels/`` at the site's root; the address is the book's ``site_url``
   or, when the book has none, an example address a comment asks the reader to replace);
2. a few words on what the notebook is (``notebook.intro``);
3. the exercises' checks (the notebook part of ``nnbook_kernel/exercises.py``, as it is,
   with the sentences of the page's language);
4. the page: prose as Markdown cells (equations kept as ``$...$``, figures as attachments,
   a demo as a note), each live cell as a code cell with its outputs (text, and figures
   as images: the cells are run at build time in CPython by the book's kernel, in a
   process of their own, and the outputs cached in ``.cache/notebooks/``), each exercise
   as its starting code, a cell of checks (``with checking(): ...``) and its hints and
   solution folded away.

Running the page, the build also runs each exercise's checks on its starting code (they
must fail) and on its solution (they must pass), and stops if one does not
(``check_exercises``). ``add_link`` puts the page's "Download notebook" link
(``a[data-nnbook-notebook]``) under its title. tests/test_notebook.py runs the notebooks top to bottom and compares their
outputs with the page's.

Not for: running the reader's code in the browser (the kernel) or the page's cells (cells.py).
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import strings
from .cells import Cell, parse_cells
from .exercises import Exercise, parse_exercises

ROOT = Path(__file__).resolve().parent.parent
KERNEL_DIR = ROOT / "site_scripts" / "kernel"
WHEELS = "wheels/"  # where the site publishes nnbook's wheel, for the notebooks' first cell
CACHE_NAME = "notebooks"

ADMONITION = re.compile(r'^!!! \w+(?: "(?P<title>[^"]*)")?\n(?P<body>(?:[ \t]*\n|    .*\n?)*)', re.M)
FIGURE = re.compile(r'<figure[^>]*>\s*!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)\s*'
                    r'(?:<figcaption>(?P<caption>.*?)</figcaption>\s*)?</figure>', re.S)
DEMO = re.compile(r'<div class="nnbook-demo" data-nnbook-demo="(?P<kind>[a-z]+)"></div>')
CARDS = re.compile(r'^<div class="grid cards" markdown>\n|^</div>\n?', re.M)
IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


class NotebookError(RuntimeError):
    """A notebook that cannot be made; the message says why and what to do."""


class ExerciseError(NotebookError):
    """An exercise whose starting code passes its checks, or whose solution fails them."""


# ----------------------------------------------------------------------- the page's pieces
@dataclass(frozen=True)
class Piece:
    kind: str  # "prose", "cell" or "exercise"
    text: str = ""
    cell: Cell | None = None
    exercise: Exercise | None = None


def pieces(markdown: str, name: str = "<page>") -> list[Piece]:
    """The page in order: prose, live cells and exercises."""
    lines = markdown.split("\n")
    blocks = [(c.start, c.end, Piece("cell", cell=c)) for c in parse_cells(markdown, name)]
    blocks += [(e.start, e.end, Piece("exercise", exercise=e)) for e in parse_exercises(markdown, name)]
    found: list[Piece] = []
    pos = 0
    for start, end, piece in sorted(blocks, key=lambda b: b[0]):
        found.append(Piece("prose", "\n".join(lines[pos:start])))
        found.append(piece)
        pos = end
    found.append(Piece("prose", "\n".join(lines[pos:])))
    return [p for p in found if p.kind != "prose" or p.text.strip()]


def chapter_pages(docs: Path, lang: str) -> list[Path]:
    """The pages of a language that get a notebook: those with code, but the home page."""
    folder = docs / lang
    return [path for path in sorted(folder.rglob("*.md"))
            if path.relative_to(folder).as_posix() != "index.md" and _has_code(path.read_text(encoding="utf-8"))]


def _has_code(markdown: str) -> bool:
    return bool(re.search(r"^`{3,}python[ \t]+(?:cell|exercise)\b", markdown, re.M))


def notebook_path(page: str, lang: str, default_language: str, directory_urls: bool = True) -> str:
    """Where the notebook of ``page`` (e.g. "neural_networks.md") is, from the site's root."""
    stem = page[: -len(".md")]
    prefix = "" if lang == default_language else f"{lang}/"
    folder = f"{stem}/" if directory_urls else (stem.rsplit("/", 1)[0] + "/" if "/" in stem else "")
    return f"{prefix}{folder}{stem.rsplit('/', 1)[-1]}-{lang}.ipynb"


def add_link(page_html: str, href: str, words: dict) -> str:
    """The "Download notebook" link, under the page's title."""
    link = (f'<p class="nnbook-notebook"><a class="nnbook-notebook-link" data-nnbook-notebook href="{href}" '
            f'download title="{html.escape(words["title"])}">{html.escape(words["download"])}</a></p>')
    end = page_html.find("</h1>")
    if end < 0:
        return link + page_html
    end += len("</h1>")
    return page_html[:end] + link + page_html[end:]


# ----------------------------------------------------------------------- prose
def prose(text: str, page_dir: Path, words: dict) -> tuple[str, dict]:
    """Markdown a notebook shows as the page does, and its attachments (the figures)."""
    attachments: dict = {}

    def admonition(m: re.Match) -> str:
        body = "\n".join(line[4:] if line.startswith("    ") else line for line in m["body"].rstrip().split("\n"))
        lines = ([f"**{m['title']}**", ""] if m["title"] else []) + body.strip("\n").split("\n")
        return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"

    def figure(m: re.Match) -> str:
        src = m["src"]
        path = page_dir / src
        mime = IMAGE_TYPES.get(path.suffix.lower())
        if mime is None or not path.is_file():
            raise NotebookError(f"the figure {src} is not in the built site at {path}: the notebook embeds "
                                "its figures, so build the figures first (the nnbook plugin's `figures` option)")
        name = path.name
        attachments[name] = {mime: base64.b64encode(path.read_bytes()).decode("ascii")}
        caption = f"\n\n*{m['caption'].strip()}*" if m["caption"] else ""
        return f"![{m['alt']}](attachment:{name}){caption}"

    def demo(m: re.Match) -> str:
        label = words["demos"].get(f"{m['kind']}Label", m["kind"])
        return "> *" + words["notebook"]["demo"].replace("{demo}", label) + "*"

    text = ADMONITION.sub(admonition, text + "\n")
    text = FIGURE.sub(figure, text)
    text = DEMO.sub(demo, text)
    text = CARDS.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n"), attachments


# ----------------------------------------------------------------------- running the cells
def _code_key() -> str:
    """A fingerprint of what a cell's output depends on besides its code: nnbook and the kernel."""
    digest = hashlib.sha256()
    for folder in (ROOT / "nnbook", KERNEL_DIR):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run_pages(pages: list[list[list]], cache: Path) -> list[list[dict]]:
    """What each page's cells show, run top to bottom; each page in a fresh namespace.

    A page is a list of [cell id, source, exercise or None] (``page_runs``); a result is
    {"events": [[kind, ...]], "reply": {...}}, and for an exercise also the verdicts of its
    checks on its starting code and on its solution ("starter", "solution"). Results are
    cached by the page's code and the code it runs on.
    """
    key = _code_key()
    folder = cache / CACHE_NAME
    keys = [hashlib.sha256((key + json.dumps(page)).encode()).hexdigest()[:32] for page in pages]
    results: dict[str, list[dict]] = {}
    missing = []
    for k, page in zip(keys, pages):
        path = folder / f"{k}.json"
        if path.is_file():
            results[k] = json.loads(path.read_text(encoding="utf-8"))
        elif k not in [m[0] for m in missing]:
            missing.append((k, page))
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="nnbook-notebook-") as tmp:
            src, dest = Path(tmp) / "pages.json", Path(tmp) / "outputs.json"
            src.write_text(json.dumps([page for _, page in missing]), encoding="utf-8")
            env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
            done = subprocess.run([sys.executable, "-m", "site_scripts.notebook", "run", str(src), str(dest)],
                                  cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
            if done.returncode != 0:
                raise NotebookError("running the chapter's cells for its notebook failed "
                                    f"(python -m site_scripts.notebook run):\n{done.stderr[-3000:]}")
            outputs = json.loads(dest.read_text(encoding="utf-8"))
        for (k, _), result in zip(missing, outputs):
            results[k] = result
            (folder / f"{k}.json").write_text(json.dumps(result), encoding="utf-8")
    return [results[k] for k in keys]


def _run_in_this_process(pages: list[list[list]]) -> list[list[dict]]:
    """Run pages with the book's kernel (this process then belongs to it: run it alone)."""
    import asyncio

    sys.path.insert(0, str(KERNEL_DIR))
    from nnbook_kernel import display, runner
    from nnbook_kernel.exercises import run_checks

    events: list[list] = []

    def emit(kind, data, mime=None, alt=None):
        if kind == "image":
            events.append(["image", data, mime, alt or ""])
        elif events and events[-1][0] == kind:
            events[-1][1] += data
        else:
            events.append([kind, data])

    runner.start(emit, json.dumps({"limits": {}}))
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    def run(source: str, cell_id: str) -> dict:
        events.clear()
        reply = runner.run_cell(source, cell_id)
        if not isinstance(reply, str):
            reply = loop.run_until_complete(reply)
        return {"events": [list(e) for e in events], "reply": json.loads(reply)}

    def verdict(ran: dict, exercise: dict, cell_id: str) -> dict:
        if "error" in ran["reply"]:
            error = ran["reply"]["error"]
            return {"passed": False, "failure": {"kind": "error", "call": "", "name": error["name"],
                                                 "message": error["message"]}}
        return run_checks(runner.namespace, exercise["checks"], exercise["hidden"], cell_id)

    results = []
    for page in pages:
        runner.namespace.clear()
        runner.namespace["__name__"] = "__main__"
        display.close_figures()
        shown = []
        for cell_id, source, exercise in page:
            result = run(source, cell_id)
            if exercise:
                result["starter"] = verdict(result, exercise, cell_id)
                result["solution"] = verdict(run(exercise["solution"], cell_id), exercise, cell_id)
                run(source, cell_id)  # the page goes on with the starting code, as a reader's does
            shown.append(result)
        results.append(shown)
    return results


def outputs(result: dict, count: int) -> list:
    """A cell's result as nbformat outputs: streams, images, then its value."""
    from nbformat import v4

    made = []
    for event in result["events"]:
        if event[0] in ("stdout", "stderr"):
            made.append(v4.new_output("stream", name=event[0], text=event[1]))
        elif event[0] == "image":
            _, data, mime, alt = event
            if mime == "image/svg+xml":
                data = base64.b64decode(data).decode("utf-8")
            made.append(v4.new_output("display_data", data={mime: data, "text/plain": alt or f"<{mime}>"}))
    reply = result["reply"]
    if "error" in reply:
        error = reply["error"]
        made.append(v4.new_output("error", ename=error["name"], evalue=error["message"],
                                  traceback=error["traceback"].split("\n")))
    elif isinstance(reply.get("value"), str):
        made.append(v4.new_output("execute_result", data={"text/plain": reply["value"]}, execution_count=count))
    return made


def text_of(cell_outputs: list) -> str:
    """The text a notebook cell's outputs show, as a page's ```output block has it."""
    text = ""
    for out in cell_outputs:
        if out["output_type"] == "stream":
            text += out["text"]
        elif out["output_type"] == "execute_result":
            text += out["data"]["text/plain"] + "\n"
    return text


# ----------------------------------------------------------------------- the notebook
def _indent(source: str) -> str:
    return "\n".join(f"    {line}" if line.strip() else "" for line in source.split("\n"))


def _comment(text: str) -> str:
    return f"# {text}"


EXAMPLE_ADDRESS = "https://example.org/nnbook/"  # in the install cell of a book without site_url


def install_source(words: dict, site_url: str, wheel: str) -> str:
    """The first code cell: nnbook from the book's own wheel (and matplotlib), with %pip.

    The address is written out in the %pip line: JupyterLite's %pip (piplite) takes its
    arguments as they are, without IPython's {variable} expansion.
    """
    install = _comment(words["install"])
    if not site_url:
        install += "\n" + _comment(words["setAddress"].replace("{example}", EXAMPLE_ADDRESS))
    base = site_url or EXAMPLE_ADDRESS
    base = base if base.endswith("/") else base + "/"
    return f"{install}\n%pip install -q matplotlib {base}{WHEELS}{wheel}"


@lru_cache(maxsize=1)
def _checks_module():
    """nnbook_kernel/exercises.py on its own: importing the kernel package would choose
    matplotlib's backend for the whole build."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("nnbook_checks", KERNEL_DIR / "nnbook_kernel" / "exercises.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def helpers_source(words: dict) -> str:
    """The exercises' checks, as nnbook_kernel/exercises.py has them, in the page's language."""
    checks = _checks_module()
    sentences = {key: words["exercises"][key] for key in ("passed", "failed", "fail")}
    table = json.dumps(sentences, ensure_ascii=False, indent=1)
    return f"{_comment(words['notebook']['helpers'])}\n{checks.notebook_source()}\nWORDS.update({table})\n"


def checks_source(exercise: Exercise, words: dict) -> str:
    body = _indent(exercise.checks.strip("\n"))
    if exercise.hidden.strip():
        body += f"\n    {_comment(words['moreChecks'])}\n{_indent(exercise.hidden.strip(chr(10)))}"
    return f"{_comment(words['checks'])}\nwith checking():\n{body}\n"


def hints_markdown(exercise: Exercise, words: dict) -> str:
    parts = []
    for n, hint in enumerate(exercise.hints, 1):
        summary = words["hintN"].replace("{n}", str(n)).replace("{total}", str(len(exercise.hints)))
        parts.append(f"<details><summary>{html.escape(summary)}</summary>\n\n{hint}\n\n</details>")
    parts.append(f"<details><summary>{html.escape(words['solutionHeading'])}</summary>\n\n"
                 f"```python\n{exercise.solution.strip(chr(10))}\n```\n\n</details>")
    return "\n\n".join(parts)


def page_title(markdown: str) -> str:
    m = re.search(r"^# (.+)$", markdown, re.M)
    return m.group(1).strip() if m else ""


def make_notebook(markdown: str, name: str, lang: str, page_dir: Path, results: list[dict], *,
                  book: str, site_url: str, wheel: str):
    """The notebook of one page (``results``: what its cells and exercises' starters showed)."""
    import nbformat
    from nbformat import v4

    words = strings.load(lang)
    nb_words = words["notebook"]
    cells = [
        v4.new_code_cell(install_source(nb_words, site_url, wheel), id="install",
                         metadata={"nnbook": {"role": "install"}}),
        v4.new_markdown_cell(nb_words["intro"].replace("{title}", page_title(markdown)).replace("{book}", book),
                             id="about"),
        v4.new_code_cell(helpers_source(words), id="checks-helpers", metadata={"nnbook": {"role": "checks"}}),
    ]
    run = iter(results)
    count = 0
    for n, piece in enumerate(pieces(markdown, name)):
        if piece.kind == "prose":
            text, attachments = prose(piece.text, page_dir, words)
            if text:
                cell = v4.new_markdown_cell(text, id=f"text-{n}")
                if attachments:
                    cell["attachments"] = attachments
                cells.append(cell)
        elif piece.kind == "cell":
            count += 1
            c = piece.cell
            cells.append(v4.new_code_cell(c.source, id=c.id, execution_count=count,
                                          outputs=outputs(next(run), count), metadata={"nnbook": {"cell": c.id}}))
        else:
            e = piece.exercise
            next(run)  # the starter ran, as on the page, but a notebook shows it unrun
            label = words["exercises"]["label"].replace("{title}", e.title)
            meta = {"exercise": e.id}
            cells += [
                v4.new_markdown_cell(f"**{label}**", id=f"{e.id}-title", metadata={"nnbook": meta}),
                v4.new_code_cell(e.starter, id=e.id, metadata={"nnbook": {**meta, "role": "starter"}}),
                v4.new_code_cell(checks_source(e, nb_words), id=f"{e.id}-checks",
                                 metadata={"nnbook": {**meta, "role": "checks"}}),
                v4.new_markdown_cell(hints_markdown(e, words["exercises"]), id=f"{e.id}-help",
                                     metadata={"nnbook": {**meta, "role": "help"}}),
            ]
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "nnbook": {"lang": lang, "page": name},
    })
    nbformat.validate(nb)
    return nb


def page_code(markdown: str, name: str) -> list[tuple[str, str]]:
    """What runs when a reader runs the whole page: its cells and exercises' starters, in order."""
    return [(p.cell.id, p.cell.source) if p.kind == "cell" else (p.exercise.id, p.exercise.starter)
            for p in pieces(markdown, name) if p.kind != "prose"]


def page_runs(markdown: str, name: str) -> list[list]:
    """``page_code``, with each exercise's solution and checks (the build checks them too)."""
    exercises = {e.id: e for e in parse_exercises(markdown, name)}
    return [[block_id, source, {"solution": e.solution, "checks": e.checks, "hidden": e.hidden}
             if (e := exercises.get(block_id)) and e.starter == source else None]
            for block_id, source in page_code(markdown, name)]


def check_exercises(markdown: str, name: str, lang: str, results: list[dict]) -> None:
    """Every starting code fails its checks and every solution passes them, or the build stops."""
    checks = _checks_module()
    words = strings.load(lang)["exercises"]
    lines = {e.id: e.line for e in parse_exercises(markdown, name)}
    for (block_id, _, exercise), result in zip(page_runs(markdown, name), results):
        if not exercise:
            continue
        where = f"{name}:{lines[block_id]}: exercise '{block_id}'"
        if result["starter"]["passed"]:
            raise ExerciseError(f"{where}: its starting code passes its checks; start the reader further "
                                "from the answer, or check more")
        if not result["solution"]["passed"]:
            raise ExerciseError(f"{where}: its solution fails its checks: "
                                f"{checks.word(result['solution']['failure'], words)}")


_made: dict[Path, str] = {}  # notebook -> fingerprint of what it was made from, in this process


def write_notebooks(site: Path, docs: Path, languages: list[str], default_language: str, *, books: dict,
                    site_url: str, runtime: Path, cache: Path, directory_urls: bool = True) -> list[Path]:
    """Publish nnbook's wheel under wheels/ and write the notebook of every chapter page built so far.

    The cells of every language run at the first call (one process), so later calls only write.
    """
    import nbformat

    wheels = sorted(runtime.glob("nnbook-*-py3-none-any.whl"))
    if not wheels:
        raise NotebookError(f"no nnbook wheel in the runtime ({runtime}): the notebooks install it from the site")
    wheel = wheels[-1]
    _publish(wheel.read_bytes(), site / WHEELS / wheel.name)
    jobs = []
    for lang in languages:
        for path in chapter_pages(docs, lang):
            page = path.relative_to(docs / lang).as_posix()
            markdown = path.read_text(encoding="utf-8")
            jobs.append((lang, page, markdown, f"docs/{lang}/{page}"))
    results = run_pages([page_runs(markdown, name) for _, _, markdown, name in jobs], cache)
    for (lang, _, markdown, name), result in zip(jobs, results):
        check_exercises(markdown, name, lang, result)
    written = []
    for (lang, page, markdown, name), result in zip(jobs, results):
        prefix = "" if lang == default_language else f"{lang}/"
        stem = page[: -len(".md")]
        if not (site / prefix / (f"{stem}/index.html" if directory_urls else f"{stem}.html")).is_file():
            continue  # not built yet (the i18n plugin builds one language after the other)
        page_dir = site / prefix / (page.rsplit("/", 1)[0] if "/" in page else "")
        dest = site / notebook_path(page, lang, default_language, directory_urls)
        figures = [page_dir / m["src"] for m in FIGURE.finditer(markdown)]
        inputs = json.dumps([markdown, result, books.get(lang, ""), site_url, wheel.name,
                             [(str(f), f.stat().st_mtime_ns if f.is_file() else 0) for f in figures]])
        digest = hashlib.sha256(inputs.encode()).hexdigest()
        if _made.get(dest) == digest and dest.is_file():
            continue  # made by an earlier call of this build (one per language)
        nb = make_notebook(markdown, name, lang, page_dir, result, book=books.get(lang, ""), site_url=site_url,
                           wheel=wheel.name)
        _publish(nbformat.writes(nb).encode("utf-8") + b"\n", dest)
        _made[dest] = digest
        written.append(dest)
    return written


def _publish(data: bytes, dest: Path) -> None:
    """Write ``dest`` unless it already holds ``data`` (an unchanged file keeps its date)."""
    if dest.is_file() and dest.read_bytes() == data:
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    """``python -m site_scripts.notebook run PAGES.json OUTPUTS.json``: run pages' cells (the build's helper)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3 or args[0] != "run":
        print(main.__doc__, file=sys.stderr)
        return 2
    pages = json.loads(Path(args[1]).read_text(encoding="utf-8"))
    Path(args[2]).write_text(json.dumps(_run_in_this_process(pages)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
