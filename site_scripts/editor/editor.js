// The code editor of the live cells: CodeMirror 6 with Python, bundled by
// site_scripts/editor_bundle.py into one file that pages load as a classic script.
//
// It exposes one function, `window.nnbookEditor.create(parent, doc, options)`, and
// nothing about CodeMirror leaks out, so cells.js never depends on its API.
// Not for: running code or talking to Python (cells.js and worker.js do that).

import { EditorView, keymap, lineNumbers, drawSelection, Decoration } from "@codemirror/view";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import {
  defaultKeymap, history, historyKeymap, indentWithTab,
  simplifySelection, temporarilySetTabFocusMode,
} from "@codemirror/commands";
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
      if (!n || n > tr.state.doc.lines) return Decoration.none;
      return Decoration.set([errorLineMark.range(tr.state.doc.line(n).from)]);
    }
    return marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

// Escape, then Tab, leaves the editor (Tab otherwise indents): keyboard users are never trapped.
function escapeThenTab(view) {
  simplifySelection(view);
  temporarilySetTabFocusMode(view);
  return true;
}

/**
 * Create an editor in `parent` holding `doc`.
 * options: label (accessible name), describedBy (id of the help text),
 *          onRun() for Ctrl/Cmd+Enter, onRunNext() for Shift+Enter, onChange(code).
 * Returns {getCode, setCode, focus, markLine(n or null)}.
 */
function create(parent, doc, options = {}) {
  const runKeys = [
    { key: "Shift-Enter", run: () => { options.onRunNext?.(); return true; } },
    { key: "Mod-Enter", run: () => { options.onRun?.(); return true; } },
    { key: "Escape", run: escapeThenTab },
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
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange?.(update.state.doc.toString());
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

window.nnbookEditor = { create };
