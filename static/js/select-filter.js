/* A type-ahead for a long list (issue 22: the report form's 275 providers).
 *
 * A <select data-filter-label="…" data-filter-status="%(n)s gevonden"> gets a search box
 * above its field: typing narrows the options to those whose name contains the words typed
 * (accents and case ignored). The select itself is still what the form submits, so it sends
 * the provider's id, works without JavaScript, and keeps its own label. The count of matches
 * is read out through an aria-live region. No library, no inline script (CSP). */
(function () {
  "use strict";

  function plain(text) {
    return text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function setup(select, index) {
    var options = Array.prototype.slice.call(select.options);
    var id = (select.id || "select-" + index) + "-filter";
    var wrap = document.createElement("div");
    wrap.className = "field select-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = select.getAttribute("data-filter-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    var status = document.createElement("p");
    status.className = "help select-filter__status";
    status.id = id + "-status";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(status);
    var field = select.closest(".field") || select;
    field.parentNode.insertBefore(wrap, field);

    function filter() {
      var words = plain(input.value).split(/\s+/).filter(Boolean);
      var chosen = select.value;
      var found = [];
      select.textContent = "";
      options.forEach(function (option) {
        var name = plain(option.text);
        var match = option.value !== "" && words.every(function (w) { return name.indexOf(w) !== -1; });
        if (option.value === "" || option.value === chosen || !words.length || match) {
          select.appendChild(option);
        }
        if (match) { found.push(option); }
      });
      if (words.length && found.length === 1 && !chosen) {
        found[0].selected = true;
      } else {
        select.value = chosen;
      }
      status.textContent = words.length
        ? select.getAttribute("data-filter-status").replace("%(n)s", String(found.length))
        : "";
    }

    input.addEventListener("input", filter);
  }

  function start() {
    var selects = document.querySelectorAll("select[data-filter-label]");
    Array.prototype.forEach.call(selects, setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
