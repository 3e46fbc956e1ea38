// @ts-check
/*
 * The one message shape between the page and its Python worker, written once in
 * protocol.json (what each request, result, event and reply holds) and checked here.
 *
 *   request  {type: "init"|"run"|"call"|"warm"|"prefetch", id, ...fields}
 *   event    {type: "stdout"|"stderr"|"image"|"progress"|"mark"|"fault", id, ...fields}
 *   reply    {type: "result", id, result} | {type: "error", id, error: ErrorInfo}
 *
 * Both sides build messages with the functions below; the page checks every message it
 * receives (`checkIncoming`), so a worker that sends something else (or a cell that
 * forges a message) can only fail the request it names, never stall the page.
 *
 * Not for: sending anything (client.js, worker/main.js).
 */
import SPEC from "./protocol.json";

/**
 * @typedef {{name: string, message: string, traceback?: string, line?: number|null,
 *   hints?: string[], missing?: string, fatal?: boolean}} ErrorInfo
 * @typedef {{type: string, id: number, [field: string]: any}} Message
 */

export const SPECS = SPEC;

/** @param {any} value @param {string} kind */
function isKind(value, kind) {
  switch (kind) {
    case "string": return typeof value === "string";
    case "number": return typeof value === "number" && Number.isFinite(value);
    case "integer": return Number.isInteger(value);
    case "boolean": return typeof value === "boolean";
    case "array": return Array.isArray(value);
    case "object": return value !== null && typeof value === "object" && !Array.isArray(value);
    case "null": return value === null;
    case "any": return true;
    case "error": return checkFields(value, SPEC.shapes.error) === null;
    default: return false;
  }
}

/**
 * The first field of `value` that does not fit `fields` ({name: "type?"}), or null.
 * @param {any} value @param {Record<string, string>} fields
 * @returns {string|null}
 */
export function checkFields(value, fields) {
  if (value === null || typeof value !== "object") return "not an object";
  for (const [name, spec] of Object.entries(fields)) {
    const optional = spec.endsWith("?");
    const kinds = spec.replace(/\?$/, "").split("|");
    const field = value[name];
    if (field === undefined || (optional && field === null)) {
      if (optional) continue;
      return `${name} is missing`;
    }
    if (!kinds.some((kind) => isKind(field, kind))) return `${name} is not ${kinds.join(" or ")}`;
  }
  return null;
}

/**
 * Why a message from the worker does not fit the protocol, or null when it does.
 * `requestType` is the type of the request it answers (for its result's shape).
 * @param {any} message @param {string|undefined} requestType
 * @returns {string|null}
 */
export function checkIncoming(message, requestType) {
  if (message === null || typeof message !== "object") return "not an object";
  if (!Number.isInteger(message.id)) return "no integer id";
  const { type } = message;
  if (type === "result" || type === "error") {
    const problem = checkFields(message, SPEC.replies[type]);
    if (problem || type === "error" || !requestType) return problem;
    return checkFields(message.result, SPEC.results[requestType] || {});
  }
  if (Object.hasOwn(SPEC.events, type)) return checkFields(message, SPEC.events[type]);
  return `unknown type ${JSON.stringify(String(type)).slice(0, 40)}`;
}

/** @param {string} type @param {number} id @param {object} fields @returns {Message} */
export function request(type, id, fields) {
  return { ...fields, type, id };
}

/** @param {number} id @param {object} result @returns {Message} */
export function result(id, result) {
  return { type: "result", id, result };
}

/** @param {number} id @param {ErrorInfo} error @returns {Message} */
export function failure(id, error) {
  return { type: "error", id, error };
}

/** @param {string} type @param {number} id @param {object} fields @returns {Message} */
export function event(type, id, fields) {
  return { ...fields, type, id };
}

/**
 * An ErrorInfo from anything thrown.
 * @param {any} error @param {Partial<ErrorInfo>} [extra]
 * @returns {ErrorInfo}
 */
export function errorInfo(error, extra = {}) {
  return {
    name: String(error?.name || "Error"),
    message: String(error?.message ?? error),
    ...extra,
  };
}
