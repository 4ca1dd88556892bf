// The staff shell: on a desktop the left menu can be folded away for wide tables, and the choice
// is remembered in this browser. Loaded in <head> so the page is drawn folded from the start.
(function () {
  "use strict";
  var KEY = "hqzt.sidebar-collapsed";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (e) {
      return false;
    }
  }

  if (stored()) {
    root.classList.add("sidebar-collapsed");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-shell-collapse]") : null;
    if (!button) {
      return;
    }
    var collapsed = root.classList.toggle("sidebar-collapsed");
    button.setAttribute("aria-expanded", collapsed ? "false" : "true");
    try {
      window.localStorage.setItem(KEY, collapsed ? "1" : "0");
    } catch (e) {
      // Private windows may refuse storage; the menu still folds for this page.
    }
  });
})();

// Every list's page size (templates/includes/pagination.html): choosing one shows its first page.
document.addEventListener("change", function (event) {
  var form = event.target.closest ? event.target.closest("form[data-page-size]") : null;
  if (form) {
    form.requestSubmit();
  }
});
