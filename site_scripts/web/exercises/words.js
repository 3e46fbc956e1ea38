// @ts-check
/*
 * A failed check in a sentence of the page's language. The kernel's verdict is data
 * (nnbook_kernel.exercises): {kind, call, expected, actual, type, low, high, min, name,
 * message, hint, hidden}; the sentence comes from strings "exercises.fail.<kind>", and the
 * code in it (what was checked, the values) is shown as code. Everything from Python goes
 * in as text.
 *
 * Not for: running the checks (exercise.js) or the reader's own errors (cells/cell.js).
 */
import { element } from "../dom.js";
import { parts, raw, t } from "../strings.js";

const CODE = new Set(["call", "expected", "actual", "type", "low", "high", "name"]);
const TEXT = new Set(["min", "message", "hint"]);

/** The verdict's values, as text or <code> nodes. @param {any} failure */
function values(failure) {
  /** @type {Record<string, Node|string>} */
  const found = {};
  for (const [name, value] of Object.entries(failure || {})) {
    if (typeof value !== "string") continue;
    if (CODE.has(name)) found[name] = element("code", {}, value);
    else if (TEXT.has(name)) found[name] = value;
  }
  return found;
}

/**
 * The nodes of "Not yet: <what failed>. <(a hidden check)> <Hint: ...>".
 * @param {any} failure @returns {(Node|string)[]}
 */
export function failureNodes(failure) {
  const kind = typeof failure?.kind === "string" && raw(`exercises.fail.${failure.kind}`) ? failure.kind : "custom";
  const vars = values(failure);
  if (kind === "custom" && !vars.message) vars.message = String(failure?.kind || "?");
  /** @type {(Node|string)[]} */
  const message = [...parts(`exercises.fail.${kind}`, vars)];
  if (failure?.hidden === true) message.push(" ", t("exercises.fail.hidden"));
  if (typeof failure?.hint === "string" && failure.hint) message.push(" ", t("exercises.fail.hint", { hint: failure.hint }));
  return parts("exercises.failed", { message }).flat();
}
