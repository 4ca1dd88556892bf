// The type suggested under a need's text (hqzt/intake/views.py::suggest_type, via HTMX):
// it selects the need type while the person has not chosen one, and a click on any suggested
// type selects that one. The person's own choice is never overwritten.
(function () {
  "use strict";

  function typeSelect(el) {
    var scope = el.closest("[data-type-scope]");
    return scope ? scope.querySelector('select[name$="need_type"]') : null;
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches('select[name$="need_type"]') && event.isTrusted) {
      el.dataset.chosen = "1";
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-pick-type]") : null;
    if (!button) return;
    var select = typeSelect(button);
    if (select) {
      select.value = button.dataset.pickType;
      select.dataset.chosen = "1";
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var hint = event.detail.target.querySelector("[data-suggest-type]");
    var select = typeSelect(event.detail.target);
    if (hint && select && !select.dataset.chosen) {
      select.value = hint.dataset.suggestType;
    }
  });
})();
