/* Bulk actions on a list: a "select all" checkbox and the count of chosen rows.
   The form carries data-bulk; its rows' checkboxes (data-bulk-item) name it in their form
   attribute; the count is an aria-live region (data-bulk-count). No inline script (CSP). */
(function () {
  "use strict";
  function setup(form) {
    var items = function () {
      return Array.prototype.slice.call(
        document.querySelectorAll('input[data-bulk-item][form="' + form.id + '"]')
      );
    };
    var all = form.querySelector("[data-bulk-all]");
    var count = form.querySelector("[data-bulk-count]");
    function update() {
      var list = items();
      var n = list.filter(function (i) { return i.checked; }).length;
      var text = n === 0 ? form.dataset.bulkNone : n === 1 ? form.dataset.bulkOne : form.dataset.bulkMany;
      if (count && text) { count.textContent = text.replace("{n}", String(n)); }
      if (all) {
        all.checked = list.length > 0 && n === list.length;
        all.indeterminate = n > 0 && n < list.length;
      }
    }
    if (all) {
      all.addEventListener("change", function () {
        items().forEach(function (i) { i.checked = all.checked; });
        update();
      });
    }
    document.addEventListener("change", function (event) {
      var t = event.target;
      if (t && t.matches && t.matches('input[data-bulk-item][form="' + form.id + '"]')) { update(); }
    });
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-bulk]"), setup);
  });
})();
