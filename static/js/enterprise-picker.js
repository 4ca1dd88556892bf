// The registration form's enterprise picker (hqzt/enterprises/picker.py): HTMX lists the
// station's enterprises matching what is typed; choosing one sets the hidden value and fills the
// contact fields from the enterprise's saved contacts (never over what the person typed);
// an enterprise registered in the dialog ("新建企业") is chosen the same way.
(function () {
  "use strict";

  function fillContacts(form, contacts) {
    if (!form || !contacts || !contacts.length) return;
    var first = contacts[0];
    [["contact_name", first.name], ["contact_phone", first.phone]].forEach(function (pair) {
      var input = form.querySelector('[name="' + pair[0] + '"]');
      if (input && pair[1] && (!input.value || input.dataset.filled === "1")) {
        input.value = pair[1];
        input.dataset.filled = "1";
      }
    });
  }

  function choose(picker, id, name, contacts) {
    picker.querySelector("[data-picker-value]").value = id;
    var search = picker.querySelector("[data-picker-search]");
    search.value = name;
    search.setAttribute("aria-expanded", "false");
    picker.querySelector("[data-picker-chosen]").textContent = "已选择：" + name;
    picker.querySelector('[role="listbox"]').innerHTML = "";
    fillContacts(picker.closest("form"), contacts);
  }

  document.addEventListener("click", function (event) {
    var option = event.target.closest ? event.target.closest("[data-pick-enterprise]") : null;
    if (!option) return;
    choose(
      option.closest("[data-enterprise-picker]"),
      option.dataset.pickEnterprise,
      option.dataset.name,
      JSON.parse(option.dataset.contacts || "[]")
    );
  });

  // Typed contact fields are the person's own: a later pick does not overwrite them.
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el.name === "contact_name" || el.name === "contact_phone") el.dataset.filled = "";
    if (el.matches && el.matches("[data-picker-search]")) {
      var picker = el.closest("[data-enterprise-picker]");
      picker.querySelector("[data-picker-value]").value = "";
      picker.querySelector("[data-picker-chosen]").textContent = "";
    }
  });

  // Enter in the search box picks the only match instead of submitting the whole form.
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || !el.matches || !el.matches("[data-picker-search]")) return;
    event.preventDefault();
    var options = el.closest("[data-enterprise-picker]").querySelectorAll("[data-pick-enterprise]");
    if (options.length === 1) options[0].click();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.getAttribute("role") !== "listbox") return;
    var picker = event.detail.target.closest("[data-enterprise-picker]");
    var any = event.detail.target.children.length > 0;
    picker.querySelector("[data-picker-search]").setAttribute("aria-expanded", any ? "true" : "false");
  });

  document.body.addEventListener("enterpriseCreated", function (event) {
    var picker = document.querySelector("[data-enterprise-picker]");
    if (picker) choose(picker, event.detail.id, event.detail.name, event.detail.contacts);
    var dialog = document.getElementById("enterprise-create-dialog");
    if (dialog && window.bootstrap) {
      window.setTimeout(function () {
        window.bootstrap.Modal.getOrCreateInstance(dialog).hide();
      }, 800);
    }
  });
})();
