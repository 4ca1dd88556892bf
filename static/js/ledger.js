// The ledger (issue 15 item 2): 展开/收起 kept in the URL, sort and page size choices, the quick
// range cleared when a date is typed, and row selection for the batch actions.
(function () {
  "use strict";
  var filters = document.getElementById("ledger-filters");
  if (!filters) return;

  // Sort and page size: set the filter form's hidden value and show the first page.
  document.querySelectorAll("select[data-set]").forEach(function (select) {
    select.addEventListener("change", function () {
      filters.elements[select.dataset.set].value = select.value;
      filters.requestSubmit();
    });
  });

  // Typed dates replace a quick range.
  ["date_from", "date_to"].forEach(function (name) {
    var input = filters.elements[name];
    if (input) input.addEventListener("change", function () { filters.elements.period.value = ""; });
  });

  // 展开/收起: remembered in the address, so a shared link opens the same view.
  var more = document.getElementById("ledger-more");
  function remember(open) {
    filters.elements.more.value = open ? "1" : "";
    var url = new URL(window.location.href);
    if (open) url.searchParams.set("more", "1"); else url.searchParams.delete("more");
    window.history.replaceState(null, "", url);
    // The page's own links (quick ranges, sorts, pages) carry it on.
    document.querySelectorAll('#main a[href^="?"]').forEach(function (link) {
      var params = new URLSearchParams(link.getAttribute("href").slice(1));
      if (open) params.set("more", "1"); else params.delete("more");
      link.setAttribute("href", "?" + params.toString());
    });
  }
  if (more) {
    more.addEventListener("shown.bs.collapse", function () { remember(true); });
    more.addEventListener("hidden.bs.collapse", function () { remember(false); });
  }

  // Row selection: the batch buttons wait for at least one ticked row.
  var all = document.querySelector("[data-select-all]");
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-select-row]"));
  var count = document.querySelector("[data-selected-count]");
  function update() {
    var ticked = rows.filter(function (box) { return box.checked; }).length;
    if (count) count.textContent = String(ticked);
    document.querySelectorAll("[data-needs-selection]").forEach(function (button) {
      button.disabled = ticked === 0;
    });
    if (all) {
      all.checked = ticked > 0 && ticked === rows.length;
      all.indeterminate = ticked > 0 && ticked < rows.length;
    }
  }
  rows.forEach(function (box) { box.addEventListener("change", update); });
  if (all) {
    all.addEventListener("change", function () {
      rows.forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  update();
})();
