// Accessibility touches on the theme: the search dialog gets a name, the one its own
// input already shows as placeholder (so it is in the page's language).
(function () {
  "use strict";
  const name = () => {
    const dialog = document.querySelector(".md-search");
    const input = document.querySelector(".md-search__input");
    if (dialog && input && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder || "Search");
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", name);
  else name();
})();
