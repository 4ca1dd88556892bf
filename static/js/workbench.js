// The need page as a workbench: after a refused submission the server marks that action's
// dialog (data-open-on-load) so it opens again with the person's input and the errors in place.
(function () {
  "use strict";
  var dialog = document.querySelector(".modal[data-open-on-load]");
  if (dialog && window.bootstrap) {
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
  }
})();
