/* Jeugdinkoop: the little behaviour the pages have, in one static file (the Content-Security-
   Policy allows no inline script or event handler; docs/security.md). Each part looks for its
   own data-attribute and does nothing on a page without it; every form works without it. */
(function () {
  "use strict";

  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  // The region menu (templates/base.html): each group is a disclosure button that opens its
  // list of links; Escape closes it and returns focus to the button, as does a click or focus
  // elsewhere. Below 48rem the whole menu folds behind the "Menu" button. Without this script
  // every group shows its label and its links.
  function regionNav() {
    var nav = document.querySelector("[data-region-nav]");
    if (!nav) { return; }
    document.documentElement.classList.add("js");
    var groups = [];
    function set(group, open) {
      group.button.setAttribute("aria-expanded", open ? "true" : "false");
      group.list.hidden = !open;
    }
    function closeOthers(keep) {
      groups.forEach(function (g) { if (g !== keep) { set(g, false); } });
    }
    each(nav, "[data-nav-group]", function (item) {
      var group = {
        item: item,
        button: item.querySelector(".nav-group__toggle"),
        list: item.querySelector(".nav-group__list")
      };
      if (!group.button || !group.list) { return; }
      groups.push(group);
      group.button.hidden = false;
      set(group, false);
      group.button.addEventListener("click", function () {
        var open = group.button.getAttribute("aria-expanded") !== "true";
        closeOthers(group);
        set(group, open);
      });
      item.addEventListener("focusout", function (event) {
        if (event.relatedTarget && !item.contains(event.relatedTarget)) { set(group, false); }
      });
    });

    var menu = nav.querySelector("[data-nav-menu]");
    var panel = menu && document.getElementById(menu.getAttribute("aria-controls"));
    var narrow = window.matchMedia ? window.matchMedia("(max-width: 48rem)") : null;
    function layout() {
      if (!menu || !panel) { return; }
      var small = narrow && narrow.matches;
      menu.hidden = !small;
      panel.hidden = small && menu.getAttribute("aria-expanded") !== "true";
    }
    function setMenu(open) {
      menu.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        // the group of the current page opens with the menu
        groups.forEach(function (g) { set(g, g.button.getAttribute("aria-current") === "true"); });
      }
      layout();
    }
    if (menu && panel) {
      menu.addEventListener("click", function () {
        setMenu(menu.getAttribute("aria-expanded") !== "true");
      });
      if (narrow && narrow.addEventListener) { narrow.addEventListener("change", layout); }
      else if (narrow && narrow.addListener) { narrow.addListener(layout); }
      layout();
    }

    nav.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" && event.key !== "Esc") { return; }
      // the innermost open part closes: the group that holds the focus, else the menu, else
      // any open group
      var openGroups = groups.filter(function (g) {
        return g.button.getAttribute("aria-expanded") === "true";
      });
      var focused = openGroups.filter(function (g) {
        return g.item.contains(document.activeElement);
      });
      var menuOpen = menu && !menu.hidden && menu.getAttribute("aria-expanded") === "true";
      var open = focused[0] || (menuOpen ? null : openGroups[0]);
      if (open) {
        set(open, false);
        open.button.focus();
        event.preventDefault();
      } else if (menuOpen) {
        setMenu(false);
        menu.focus();
        event.preventDefault();
      }
    });
    document.addEventListener("click", function (event) {
      if (!nav.contains(event.target)) { closeOthers(null); }
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
    regionNav();
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
