/*
 * The code editor of the live cells: CodeMirror 6 with Python, bundled by the build into
 * one ES module (assets/nnbook/editor.js) that cells/editor.js imports when the first
 * editor is needed. It exports one function, `create(parent, doc, options)`; nothing about
 * CodeMirror leaks out.
 *
 * Keyboard, as CodeMirror's documentation advises for editors that indent with Tab: a
 * reader who tabs into a cell is not trapped and changes nothing (Tab and Shift+Tab move
 * on until they type something); once they type, Tab indents; Escape, then Tab, leaves.
 * The cell shows this as a visible hint while its editor has focus.
 *
 * Not for: running code or talking to Python (cells/).
 */
import { EditorView, keymap, lineNumbers, drawSelection, Decoration } from "@codemirror/view";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab, simplifySelection } from "@codemirror/commands";
import { indentOnInput, bracketMatching, syntaxHighlighting, indentUnit } from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { python } from "@codemirror/lang-python";
import { classHighlighter } from "@lezer/highlight";

// The line of a traceback is marked in the editor until the code changes.
const setErrorLine = StateEffect.define();
const errorLineMark = Decoration.line({ class: "nnbook-error-line" });
const errorLine = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    if (tr.docChanged) return Decoration.none;
    for (const effect of tr.effects) {
      if (!effect.is(setErrorLine)) continue;
      const n = effect.value;
      if (!Number.isInteger(n) || n < 1 || n > tr.state.doc.lines) return Decoration.none;
      return Decoration.set([errorLineMark.range(tr.state.doc.line(n).from)]);
    }
    return marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const QUIET_KEYS = new Set(["Tab", "Shift", "Control", "Alt", "Meta", "Escape", "CapsLock"]);

/**
 * Create an editor in `parent` holding `doc`.
 * options: label (accessible name), describedBy (id of the help text), onRun() for
 *          Ctrl/Cmd+Enter, onRunNext() for Shift+Enter, onChange() after each change.
 * Returns {getCode, setCode, focus, markLine(n or null)}.
 */
export function create(parent, doc, options = {}) {
  let pointer = 0; // time of the last pointer press in the editor
  const runKeys = [
    { key: "Shift-Enter", run: () => { options.onRunNext?.(); return true; } },
    { key: "Mod-Enter", run: () => { options.onRun?.(); return true; } },
    { key: "Escape", run: (view) => { simplifySelection(view); view.setTabFocusMode(true); return true; } },
  ];
  const attributes = { "aria-label": options.label || "Python code" };
  if (options.describedBy) attributes["aria-describedby"] = options.describedBy;

  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        indentUnit.of("    "),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        python(),
        syntaxHighlighting(classHighlighter),
        errorLine,
        keymap.of([...runKeys, ...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of(attributes),
        // Long lines wrap, as the static code before the editor does: no sideways scrolling
        // on a phone, and the box keeps its size when the editor replaces the static code.
        EditorView.lineWrapping,
        EditorView.domEventHandlers({
          pointerdown() { pointer = Date.now(); },
          focus(event, v) {
            // Reached with the keyboard: Tab moves on until the reader types.
            if (Date.now() - pointer > 500) v.setTabFocusMode(true);
          },
          keydown(event, v) {
            if (!QUIET_KEYS.has(event.key)) v.setTabFocusMode(false);
          },
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange?.();
        }),
      ],
    }),
  });

  return {
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    focus: () => view.focus(),
    markLine(n) {
      view.dispatch({ effects: setErrorLine.of(n || null) });
    },
  };
}
