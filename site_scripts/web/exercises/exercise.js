// @ts-check
/*
 * One exercise: a live cell (cells/cell.js: editor, Run, Reset, saved edits) with Check,
 * Hint and Solution.
 *
 * The build (site_scripts/exercises.py) writes the cell's element with, besides the cell's
 * own parts: data-nnbook-exercise="ID", a title (data-nnbook-exercise-title), the public
 * checks shown and in <textarea data-nnbook-checks>, the hidden ones in <textarea
 * data-nnbook-hidden-checks>, the solution in <textarea data-nnbook-solution> (and shown
 * highlighted, hidden, in data-nnbook-solution-shown), and the hints (data-nnbook-hint,
 * hidden, in order).
 *
 * Check runs the reader's code as Run does, then, if it ran without an error, the checks in
 * the page's Python: nnbook_kernel.exercises.check, called by name and queued behind the
 * run. Its verdict is data that words.js puts in the page's language.
 * Hooks (stable, for tests and styles): buttons data-nnbook-action="check|hint|solution|
 * use-solution"; data-result="pass|fail" on the exercise after a check; the verdict
 * data-nnbook-verdict; the progress mark data-nnbook-progress="solved|tried"; a shown hint
 * loses its hidden attribute; the solution shown data-nnbook-solution-shown.
 *
 * Not for: running code (the cell does) or wording a failure (words.js).
 */
import { button, element } from "../dom.js";
import { t } from "../strings.js";
import { loadProgress, saveProgress } from "./progress.js";
import { failureNodes } from "./words.js";

const MODULE = "nnbook_kernel.exercises";

export class Exercise {
  /**
   * @param {HTMLElement} root @param {import("../cells/cell.js").Cell} cell
   * @param {import("../book.js").Book} book
   */
  constructor(root, cell, book) {
    this.root = root;
    this.cell = cell;
    this.book = book;
    this.id = root.dataset.nnbookExercise || cell.id;
    const text = (/** @type {string} */ selector) =>
      /** @type {HTMLTextAreaElement|null} */ (root.querySelector(selector))?.value ?? "";
    this.checks = text("[data-nnbook-checks]");
    this.hidden = text("[data-nnbook-hidden-checks]");
    this.solution = text("[data-nnbook-solution]");
    this.hints = /** @type {HTMLElement[]} */ ([...root.querySelectorAll("[data-nnbook-hint]")]);
    this.progress = loadProgress(this.id);
    this.checking = false;
    /** @type {any} the error of the cell's last run, if it failed */
    this.runError = null;
    this.build();
    this.restore();
  }

  build() {
    const cell = this.cell;
    const title = this.root.querySelector("[data-nnbook-exercise-title]");
    this.mark = element("span", { class: "nnbook-exercise-progress", hidden: "" });
    title?.append(" ", this.mark);
    if (title) this.root.setAttribute("aria-label", title.textContent?.trim() || "");

    this.buttons = {
      check: button("check", t("exercises.check"), t("exercises.checkTitle")),
      hint: button("hint", t("exercises.hint"), t("exercises.hintTitle")),
      solution: button("solution", t("exercises.solution"), t("exercises.solutionTitle")),
    };
    this.buttons.check.classList.add("nnbook-button-primary");
    this.buttons.check.addEventListener("click", () => this.check());
    this.buttons.hint.addEventListener("click", () => this.nextHint());
    this.buttons.solution.addEventListener("click", () => this.askSolution());
    if (!this.hints.length) this.buttons.hint.hidden = true;
    cell.editedMark.before(this.buttons.check, this.buttons.hint, this.buttons.solution);

    // The cell's Reset puts back the starting code: said as the exercise says it.
    const reset = cell.buttons.reset;
    const label = reset.querySelector("span");
    if (label) label.textContent = t("exercises.reset");
    reset.title = t("exercises.resetTitle");
    reset.addEventListener("click", () => this.startAgain());

    // A failed run is shown by the cell; the verdict names its error too.
    const failed = cell.failed.bind(cell);
    cell.failed = (/** @type {any} */ error, /** @type {any} */ job) => {
      this.runError = error;
      failed(error, job);
    };

    this.verdict = element("div", { class: "nnbook-exercise-verdict", "data-nnbook-verdict": "", role: "status", hidden: "" });
    this.note = element("p", { class: "nnbook-exercise-note", "data-nnbook-note": "", hidden: "" });
    this.hintBox = element("div", { class: "nnbook-exercise-hints" });
    for (const [i, hint] of this.hints.entries()) {
      hint.prepend(element("p", { class: "nnbook-exercise-hint-label" }, t("exercises.hintN", { n: i + 1, total: this.hints.length })));
      this.hintBox.append(hint);
    }
    this.lastHint = element("p", { class: "nnbook-exercise-note", hidden: "" }, t("exercises.noMoreHints"));
    this.hintBox.append(this.lastHint);
    this.solutionBox = this.buildSolution();
    const toolbar = cell.buttons.run.parentElement || cell.root;
    toolbar.after(this.verdict, this.note, this.hintBox, this.solutionBox);
  }

  buildSolution() {
    const box = element("div", { class: "nnbook-exercise-solution", "data-nnbook-solution-box": "", hidden: "" });
    const shown = /** @type {HTMLElement|null} */ (this.root.querySelector("[data-nnbook-solution-shown]"));
    const code = shown || element("pre", {}, this.solution);
    code.hidden = false;
    // No icon: the book's icons (dom.js) have none that means "put into the editor".
    const use = element("button", { type: "button", class: "nnbook-button", "data-nnbook-action": "use-solution" }, t("exercises.useSolution"));
    use.addEventListener("click", () => {
      this.cell.editor.setCode(this.solution);
      this.cell.changed();
      this.cell.editor.focus();
    });
    box.append(element("p", { class: "nnbook-exercise-solution-heading" }, t("exercises.solutionHeading")), code, use);
    return box;
  }

  restore() {
    this.showProgress();
    for (let i = 0; i < Math.min(this.progress.hints, this.hints.length); i++) this.hints[i].hidden = false;
    this.lastHint.hidden = !(this.hints.length && this.progress.hints >= this.hints.length);
    this.buttons.hint.disabled = this.progress.hints >= this.hints.length;
    if (this.progress.solution && this.progress.status) this.solutionBox.hidden = false;
  }

  save() {
    saveProgress(this.id, this.progress);
  }

  showProgress() {
    const status = this.progress.status;
    this.mark.hidden = !status;
    this.mark.textContent = status === "solved" ? t("exercises.statusPassed") : status === "tried" ? t("exercises.statusTried") : "";
    if (status) this.mark.dataset.nnbookProgress = status;
    else delete this.mark.dataset.nnbookProgress;
    this.buttons.solution.setAttribute("aria-disabled", String(!status));
  }

  /** @param {"pass"|"fail"|null} result @param {(Node|string)[]} nodes */
  showVerdict(result, nodes) {
    if (result) this.root.dataset.result = result;
    else delete this.root.dataset.result;
    this.verdict.dataset.state = result || "checking";
    this.verdict.replaceChildren(...nodes);
    this.verdict.hidden = nodes.length === 0;
  }

  /** @param {"solved"|"tried"} status */
  noteTry(status) {
    if (this.progress.status !== "solved") this.progress.status = status;
    this.save();
    this.showProgress();
  }

  async check() {
    if (this.checking) return;
    this.checking = true;
    this.note.hidden = true;
    const cell = this.cell;
    const code = cell.code;
    this.runError = null;
    this.showVerdict(null, [t("exercises.checking")]);
    this.buttons.check.disabled = true;
    cell.run();
    try {
      // Queued behind the run: when it starts, the run has ended.
      const verdict = await this.book.call(MODULE, "check", { exercise: this.id, checks: this.checks, hidden: this.hidden });
      if (cell.ranCode !== code) {
        if (!this.runError) throw Object.assign(new Error("Stopped"), { name: "Stopped" });
        this.showVerdict("fail", [t("exercises.error", { name: String(this.runError.name || "Error") })]);
        this.noteTry("tried");
      } else if (verdict?.passed === true) {
        this.showVerdict("pass", [t("exercises.passed")]);
        this.noteTry("solved");
      } else {
        this.showVerdict("fail", failureNodes(verdict?.failure));
        this.noteTry("tried");
      }
    } catch (/** @type {any} */ error) {
      if (error?.name === "Stopped" || error?.name === "KeyboardInterrupt") this.showVerdict(null, [t("cells.stopped")]);
      else this.showVerdict("fail", [t("exercises.failed", { message: `${error?.name || "Error"}: ${error?.message || ""}` })]);
    } finally {
      this.checking = false;
      this.buttons.check.disabled = false;
    }
  }

  nextHint() {
    const shown = this.hints.filter((hint) => !hint.hidden).length;
    if (shown >= this.hints.length) return;
    this.hints[shown].hidden = false;
    this.progress.hints = shown + 1;
    this.lastHint.hidden = shown + 1 < this.hints.length;
    this.buttons.hint.disabled = shown + 1 >= this.hints.length;
    this.save();
  }

  askSolution() {
    if (!this.progress.status) {
      this.note.textContent = t("exercises.solutionAfterTry");
      this.note.hidden = false;
      return;
    }
    this.note.hidden = true;
    this.solutionBox.hidden = false;
    this.progress.solution = true;
    this.save();
  }

  startAgain() {
    this.showVerdict(null, []);
    this.note.hidden = true;
    this.solutionBox.hidden = true;
  }
}
