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

  // Row selection: the batch buttons wait for at least one ticked need. A need has two boxes, its
  // table row's (computer) and its card's (phone); they are kept in step and counted once (the
  // server takes each id once too). On a phone the bar comes up at the bottom once one is ticked.
  var bar = document.getElementById("batch-form");
  var alls = Array.prototype.slice.call(document.querySelectorAll("[data-select-all]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-select-row]"));
  var count = document.querySelector("[data-selected-count]");
  var ids = rows.map(function (box) { return box.value; }).filter(function (id, i, all) {
    return all.indexOf(id) === i;
  });
  function ticked() {
    return ids.filter(function (id) {
      return rows.some(function (box) { return box.value === id && box.checked; });
    });
  }
  function update() {
    var n = ticked().length;
    if (count) count.textContent = String(n);
    document.querySelectorAll("[data-needs-selection]").forEach(function (button) {
      button.disabled = n === 0;
    });
    alls.forEach(function (all) {
      all.checked = n > 0 && n === ids.length;
      all.indeterminate = n > 0 && n < ids.length;
    });
    if (bar) bar.toggleAttribute("data-selected", n > 0);
    document.body.classList.toggle("has-batch-selection", n > 0);
  }
  rows.forEach(function (box) {
    box.addEventListener("change", function () {
      rows.forEach(function (twin) { if (twin.value === box.value) twin.checked = box.checked; });
      update();
    });
  });
  alls.forEach(function (all) {
    all.addEventListener("change", function () {
      rows.forEach(function (box) { box.checked = all.checked; });
      update();
    });
  });
  var clear = document.querySelector("[data-clear-selection]");
  if (clear) {
    clear.addEventListener("click", function () {
      rows.forEach(function (box) { box.checked = false; });
      update();
    });
  }
  update();
})();
