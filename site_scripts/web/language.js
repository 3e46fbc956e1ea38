// @ts-check
/*
 * Switching language keeps the reader's place: the language menu's links carry the number
 * of the section being read (headings have other ids in each language), and the page
 * opened that way scrolls to that section, whose real id then replaces the number.
 *
 * Not for: the menu itself (the theme's, with links the build makes relative).
 */

const SECTION = /^#nnbook-section-(\d+)$/;

function sections() {
  return /** @type {HTMLElement[]} */ ([...document.querySelectorAll("article h2[id]")]);
}

/** The index of the section at the top of the window (-1 above the first one). */
function current() {
  let index = -1;
  sections().forEach((heading, i) => {
    if (heading.getBoundingClientRect().top < 120) index = i;
  });
  return index;
}

export function keepPlaceAcrossLanguages() {
  document.addEventListener("click", (event) => {
    const link = /** @type {HTMLAnchorElement|null} */ (/** @type {Element} */ (event.target).closest?.("a[hreflang]"));
    if (!link || link.origin !== location.origin) return;
    const index = current();
    if (index < 0) return;
    const target = new URL(link.href);
    target.hash = `nnbook-section-${index}`;
    link.href = target.href;
  }, true);
  const wanted = SECTION.exec(location.hash);
  if (!wanted) return;
  const heading = sections()[Number(wanted[1])];
  if (!heading) return;
  history.replaceState(null, "", `#${heading.id}`);
  heading.scrollIntoView();
}
