// The need page as a workbench: after a refused submission the server marks that action's
// dialog (data-open-on-load) so it opens again with the person's input and the errors in place;
// a link from a home page's to-do table names its action (#action-dispatch) and opens that dialog.
(function () {
  "use strict";
  if (!window.bootstrap) {
    return;
  }
  var dialog = document.querySelector(".modal[data-open-on-load]");
  if (!dialog && /^#action-[a-z_]+$/.test(window.location.hash)) {
    dialog = document.querySelector(".modal" + window.location.hash);
  }
  if (dialog) {
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
  }
})();
