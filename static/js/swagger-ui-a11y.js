// Swagger UI (/api/v1/docs) for WCAG 2.1 AA, where its markup falls short: every <select>
// gets an accessible name (the servers list, a parameter's list of values) and a scrolling
// example becomes reachable by keyboard. Swagger UI renders with React, so this runs again on
// every change of the page. The names come from data-* attributes of #swagger-ui
// (templates/api/swagger_ui.html), in the page's language.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root) {
    return;
  }
  var labels = root.dataset;

  function fix() {
    root.querySelectorAll("select:not([aria-label])").forEach(function (select) {
      var row = select.closest("tr[data-param-name]");
      if (select.id === "servers") {
        select.setAttribute("aria-label", labels.labelServers);
      } else if (row) {
        select.setAttribute("aria-label", row.getAttribute("data-param-name"));
      } else if (select.closest(".content-type-wrapper, .response-control-media-type")) {
        select.setAttribute("aria-label", labels.labelMediaType);
      }
    });
    root.querySelectorAll("pre:not([tabindex])").forEach(function (pre) {
      if (pre.scrollWidth > pre.clientWidth || pre.scrollHeight > pre.clientHeight) {
        pre.setAttribute("tabindex", "0");
      }
    });
  }

  new MutationObserver(fix).observe(root, { childList: true, subtree: true });
  fix();
})();
