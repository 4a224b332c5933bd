/* Jeugdinkoop: the little behaviour the pages have, in one static file (the Content-Security-
   Policy allows no inline script or event handler; docs/security.md). Each part looks for its
   own data-attribute and does nothing on a page without it; every form works without it. */
(function () {
  "use strict";

  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  // The region switch in the header: go to the chosen region at once.
  function regionSwitch() {
    each(document, "form[data-region-switch]", function (form) {
      var select = form.querySelector("select");
      if (!select) { return; }
      function go() { if (select.value) { window.location = select.value; } }
      select.addEventListener("change", go);
      form.addEventListener("submit", function (event) {
        if (select.value) { event.preventDefault(); go(); }
      });
    });
  }

  // Forms that ask before they do something that cannot be undone.
  function confirmations() {
    each(document, "form[data-confirm]", function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  // The KPI form: shows only the part of the chosen computation.
  function kpiForm() {
    var form = document.querySelector("[data-kpi-form]");
    if (!form) { return; }
    function update() {
      var checked = form.querySelector("input[name=computation]:checked");
      var c = checked ? checked.value : "";
      each(form, "[data-show-computation]", function (el) {
        el.hidden = el.getAttribute("data-show-computation") !== c;
      });
    }
    each(form, "[data-nojs]", function (el) { el.hidden = true; });
    each(form, "input[name=computation]", function (el) { el.addEventListener("change", update); });
    update();
  }

  // The report form: shows only the subject and period fields that fit the chosen kind.
  function reportForm() {
    var form = document.querySelector("[data-report-form]");
    if (!form) { return; }
    var kind = form.querySelector("[data-report-kind]");
    if (!kind) { return; }
    var cadence = JSON.parse(form.getAttribute("data-cadences") || "{}");
    function update() {
      var k = kind.value;
      each(form, "[data-show-kind]", function (el) {
        el.hidden = el.getAttribute("data-show-kind") !== k;
      });
      each(form, "[data-needs-kind]", function (el) { el.hidden = k === ""; });
      each(form, "[data-show-cadence]", function (el) {
        el.hidden = el.getAttribute("data-show-cadence") !== cadence[k];
      });
    }
    each(form, "[data-nojs]", function (el) { el.hidden = true; });
    kind.addEventListener("change", update);
    update();
  }

  // The API client form: shows only the organisation that fits the chosen kind.
  function clientForm() {
    var form = document.querySelector("[data-client-form]");
    var kind = form && form.querySelector("select[name=kind]");
    if (!kind) { return; }
    function update() {
      each(form, "[data-show-kind]", function (el) {
        el.hidden = el.getAttribute("data-show-kind") !== kind.value;
      });
    }
    kind.addEventListener("change", update);
    update();
  }

  // The status box of a recalculation: polls its JSON status every 2 s while it runs.
  function recalculationStatus() {
    var box = document.querySelector("[data-recalculation]");
    if (!box || !window.fetch || box.getAttribute("data-finished") === "1") { return; }
    var url = box.getAttribute("data-status-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-recalculation-text]");
    var done = box.querySelector("[data-recalculation-done]");
    function show(s) {
      bar.max = s.monthsTotal || 1;
      bar.value = s.monthsTotal ? s.monthsDone : (s.status === "done" ? 1 : 0);
      bar.textContent = s.monthsDone + " / " + s.monthsTotal;
      if (text.textContent !== s.text) { text.textContent = s.text; }
      box.className = "import-status recalculation-status recalculation-status--" + s.status;
      done.hidden = s.status !== "done";
    }
    function poll() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (s) { show(s); if (!s.finished) { window.setTimeout(poll, 2000); } })
        .catch(function () { window.setTimeout(poll, 10000); });
    }
    window.setTimeout(poll, 2000);
  }

  // The portal's submission form: checks the coverage rule as care forms are ticked.
  function coverageCheck() {
    var box = document.getElementById("coverage-result");
    var inputs = document.querySelectorAll('input[name="care_forms"]');
    if (!box || !inputs.length || !window.fetch) { return; }
    function check() {
      var params = new URLSearchParams();
      Array.prototype.forEach.call(inputs, function (i) {
        if (i.checked) { params.append("zorgvorm", i.value); }
      });
      fetch(box.getAttribute("data-url") + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          box.textContent = "";
          box.className = data.ok ? "notice" : "notice notice--warn";
          if (data.ok) { box.textContent = box.getAttribute("data-ok-text"); return; }
          var list = document.createElement("ul");
          data.problems.forEach(function (p) {
            var li = document.createElement("li");
            li.textContent = p;
            list.appendChild(li);
          });
          box.appendChild(list);
        });
    }
    Array.prototype.forEach.call(inputs, function (i) { i.addEventListener("change", check); });
    check();
  }

  function start() {
    regionSwitch();
    confirmations();
    kpiForm();
    reportForm();
    clientForm();
    recalculationStatus();
    coverageCheck();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
