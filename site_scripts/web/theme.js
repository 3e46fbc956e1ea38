// @ts-check
/*
 * Touches on the theme: the search dialog gets a name (the one its input shows as
 * placeholder, so it is in the page's language).
 * Not for: anything of the book's own (cells/, demos/).
 */
export function nameSearchDialog() {
  const dialog = document.querySelector(".md-search");
  const input = document.querySelector(".md-search__input");
  if (dialog && input && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", input.getAttribute("aria-label") || input.getAttribute("placeholder") || "Search");
  }
}
