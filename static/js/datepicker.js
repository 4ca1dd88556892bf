// Date fields (issue 15 item 4): every DateInput (core/widgets.py, data-datepicker) gets the
// vendored flatpickr calendar with Chinese month and weekday names, whatever the browser's
// language — headless or en-US Chromium would show its own mm/dd/yyyy otherwise. Progressive
// enhancement: without this script the field stays the browser's <input type="date">; with it the
// value is still yyyy-mm-dd, typed or picked, so the forms and filters read the same thing.
(function () {
  "use strict";
  if (!window.flatpickr) return;
  var zh = window.flatpickr.l10ns.zh || {};
  var locale = Object.assign({}, zh, {
    firstDayOfWeek: 1, // 周一 first, as on Chinese calendars
    yearAriaLabel: "年",
    monthAriaLabel: "月",
    hourAriaLabel: "时",
    minuteAriaLabel: "分",
  });

  function enhance(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var inputs = Array.prototype.slice.call(scope.querySelectorAll("input[data-datepicker]"));
    if (scope.matches && scope.matches("input[data-datepicker]")) inputs.push(scope);
    inputs.forEach(function (input) {
      if (input._flatpickr) return;
      window.flatpickr(input, {
        locale: locale,
        dateFormat: "Y-m-d", // the submitted value, as the native field's
        ariaDateFormat: "Y年n月j日",
        allowInput: true, // a date may still be typed
        disableMobile: true, // the same Chinese calendar on a phone
        // In a dialog or the filter drawer the calendar sits beside its field: appended to the
        // body it would be outside their focus trap and off their moving frame.
        static: !!input.closest(".modal, .offcanvas, .offcanvas-md"),
        minDate: input.min || null,
        maxDate: input.max || null,
      }); // flatpickr fires the field's own change event, as the native picker does
      input.setAttribute("autocomplete", "off");
      if (!input.placeholder) input.placeholder = "年-月-日";
    });
  }

  // Dialogs and fragments loaded by HTMX are enhanced as they arrive; the page itself at once.
  if (window.htmx) window.htmx.onLoad(enhance);
  else enhance(document);
})();
