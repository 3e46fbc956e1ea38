// @ts-check
/*
 * Small DOM helpers shared by cells and demos: elements with attributes and text (never
 * markup), buttons with inline icons (Material Design icons, Apache-2.0, drawn as SVG
 * paths so no font is needed).
 *
 * Not for: behaviour (cells/, demos/).
 */

/**
 * @param {string} tag @param {Record<string, string>} [attributes] @param {string} [text]
 * @returns {HTMLElement}
 */
export function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

const ICONS = {
  run: "M8,5.14V19.14L19,12.14L8,5.14Z",
  "run-all": "M13,6V18L21.5,12M4,18L12.5,12L4,6V18Z",
  "run-above": "M13,6V18L21.5,12M4,18L12.5,12L4,6V18Z",
  stop: "M18,18H6V6H18V18Z",
  reset: "M12.5,8C9.85,8 7.45,9 5.6,10.6L2,7V16H11L7.38,12.38C8.77,11.22 10.54,10.5 12.5,10.5C16.04,10.5 19.05,12.81 20.1,16L22.47,15.22C21.08,11.03 17.15,8 12.5,8Z",
  copy: "M19,21H8V7H19M19,5H8A2,2 0 0,0 6,7V21A2,2 0 0,0 8,23H19A2,2 0 0,0 21,21V7A2,2 0 0,0 19,5M16,1H4A2,2 0 0,0 2,3V17H4V3H16V1Z",
  retry: "M17.65,6.35C16.2,4.9 14.21,4 12,4A8,8 0 0,0 4,12A8,8 0 0,0 12,20C15.73,20 18.84,17.45 19.73,14H17.65C16.83,16.33 14.61,18 12,18A6,6 0 0,1 6,12A6,6 0 0,1 12,6C13.66,6 15.14,6.69 16.22,7.78L13,11H20V4L17.65,6.35Z",
  restart: "M17.65,6.35C16.2,4.9 14.21,4 12,4A8,8 0 0,0 4,12A8,8 0 0,0 12,20C15.73,20 18.84,17.45 19.73,14H17.65C16.83,16.33 14.61,18 12,18A6,6 0 0,1 6,12A6,6 0 0,1 12,6C13.66,6 15.14,6.69 16.22,7.78L13,11H20V4L17.65,6.35Z",
  "download-output": "M5,20H19V18H5M19,9H15V3H9V9H5L12,16L19,9Z",
  check: "M21,7L9,19L3.5,13.5L4.91,12.09L9,16.17L19.59,5.59L21,7Z",
  hint: "M12,2A7,7 0 0,0 5,9C5,11.38 6.19,13.47 8,14.74V17A1,1 0 0,0 9,18H15A1,1 0 0,0 16,17V14.74C17.81,13.47 19,11.38 19,9A7,7 0 0,0 12,2M9,21A1,1 0 0,0 10,22H14A1,1 0 0,0 15,21V20H9V21Z",
  solution: "M12,9A3,3 0 0,0 9,12A3,3 0 0,0 12,15A3,3 0 0,0 15,12A3,3 0 0,0 12,9M12,17A5,5 0 0,1 7,12A5,5 0 0,1 12,7A5,5 0 0,1 17,12A5,5 0 0,1 12,17M12,4.5C7,4.5 2.73,7.61 1,12C2.73,16.39 7,19.5 12,19.5C17,19.5 21.27,16.39 23,12C21.27,7.61 17,4.5 12,4.5Z",
};

/** @param {string} name */
export function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "nnbook-icon");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", /** @type {any} */ (ICONS)[name] || ICONS.run);
  svg.append(path);
  return svg;
}

/** A cell or page button: icon and label; `action` is its data-nnbook-action hook. */
export function button(/** @type {string} */ action, /** @type {string} */ label, /** @type {string} */ title = "") {
  const node = element("button", { type: "button", class: "nnbook-button", "data-nnbook-action": action });
  if (title) node.title = title;
  node.append(icon(action), element("span", {}, label));
  return node;
}

/** Runs `fn` when the browser is idle (or soon, where it cannot tell). */
export function idle(/** @type {() => void} */ fn, timeout = 2000) {
  if (window.requestIdleCallback) requestIdleCallback(fn, { timeout });
  else setTimeout(fn, 50);
}
