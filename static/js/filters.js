"use strict";
// Keeps every filter form in step with the address bar. htmx swaps only a table and pushes its
// URL; after that, and after Back or Forward, the form shows the filters the table was made
// with (a header click that sorts, a checkbox restored from htmx's history cache). The links
// that carry the filters are re-rendered by the server with the table (hx-swap-oob).
function syncFilters() {
  const params = new URLSearchParams(window.location.search);
  for (const form of document.querySelectorAll("form.filters")) {
    const seen = {}; // a name given several times (?e=a&e=b) fills its fields in order
    for (const field of form.elements) {
      if (!field.name || field.type === "submit" || field.type === "hidden") continue;
      const index = (seen[field.name] = (seen[field.name] ?? -1) + 1);
      const value = params.getAll(field.name)[index] ?? "";
      if (field.type === "checkbox") {
        field.checked = value === field.value;
      } else if (field !== document.activeElement) {
        field.value = value;
        if (field.tagName === "SELECT" && field.selectedIndex < 0) field.selectedIndex = 0;
      }
    }
  }
}

for (const event of ["htmx:pushedIntoHistory", "htmx:replacedInHistory", "htmx:historyRestore"]) {
  document.addEventListener(event, syncFilters);
}
window.addEventListener("pageshow", syncFilters);
