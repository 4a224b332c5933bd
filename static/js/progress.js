/* Jeugdinkoop: the progress of long work (an import, a report) and the busy state of the
   buttons that start it, in a static file (the Content-Security-Policy allows no inline script;
   docs/security.md). Every page works without it: it shows the status of the moment it was
   made and a "Vernieuwen" link.

   [data-progress][data-status-url]: polls the job's JSON status (state, counts, percentage,
   message) every second while it is queued or running; fills the <progress> element and the
   aria-live text ([data-progress-text]); when the job is done it reloads the page, which then
   shows the outcome.
   form[data-busy]: after submit its button is disabled, aria-busy and says the attribute's
   text ("Bezig…"); the form is sent once. */
(function () {
  "use strict";

  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  function poll(box) {
    var url = box.getAttribute("data-status-url");
    if (!url || !window.fetch || box.getAttribute("data-finished") === "1") { return; }
    var every = parseInt(box.getAttribute("data-interval"), 10) || 1000;
    var bar = box.querySelector("progress");
    var percentage = box.querySelector("[data-progress-percentage]");
    var text = box.querySelector("[data-progress-text]");
    each(box, "[data-progress-refresh]", function (el) { el.hidden = true; });

    function show(s) {
      if (typeof s.percentage === "number") {
        if (bar) { bar.value = s.percentage; bar.textContent = s.percentage + "%"; }
        if (percentage) { percentage.textContent = s.percentage + "%"; }
      }
      if (text && s.message && text.textContent !== s.message) { text.textContent = s.message; }
    }

    function tick() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (s) {
          show(s);
          if (s.finished) {
            window.setTimeout(function () { window.location.reload(); }, 500);
          } else {
            window.setTimeout(tick, every);
          }
        })
        .catch(function () { window.setTimeout(tick, every * 5); });
    }
    window.setTimeout(tick, every);
  }

  function busy(form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }  // a confirmation said no
      if (form.getAttribute("data-busy-sent") === "1") { event.preventDefault(); return; }
      var button = event.submitter || form.querySelector("button[type=submit], input[type=submit]");
      form.setAttribute("data-busy-sent", "1");
      form.setAttribute("aria-busy", "true");
      if (!button) { return; }
      // after this turn: a disabled button would not send its own name and value
      window.setTimeout(function () {
        button.setAttribute("data-busy-label", button.tagName === "INPUT" ? button.value : button.textContent);
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        var label = form.getAttribute("data-busy") || "…";
        if (button.tagName === "INPUT") { button.value = label; } else { button.textContent = label; }
      }, 0);
    });
  }

  // back to a page whose form was sent (the browser's page cache): the button works again
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    each(document, "form[data-busy-sent]", function (form) {
      form.removeAttribute("data-busy-sent");
      form.removeAttribute("aria-busy");
      each(form, "[data-busy-label]", function (button) {
        var label = button.getAttribute("data-busy-label");
        if (button.tagName === "INPUT") { button.value = label; } else { button.textContent = label; }
        button.disabled = false;
        button.removeAttribute("aria-busy");
        button.removeAttribute("data-busy-label");
      });
    });
  });

  function start() {
    each(document, "[data-progress][data-status-url]", poll);
    each(document, "form[data-busy]", busy);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
