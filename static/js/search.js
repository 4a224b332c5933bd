/* A small type-ahead for the header search: after a pause in typing it asks the JSON endpoint
   (data-search-suggest, scoped like the results page) and lists up to five hits a kind as
   links under the box; the count is announced (aria-live). ArrowDown moves into the list,
   Escape closes it. Without JavaScript the box is a plain GET form. No inline script (CSP). */
(function () {
  "use strict";
  function setup(form) {
    var input = form.querySelector('input[type="search"]');
    if (!input || !window.fetch) { return; }
    var box = document.createElement("div");
    box.className = "search-suggest";
    box.id = input.id + "-suggest";
    box.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    form.appendChild(status);
    form.appendChild(box);
    var timer = null;
    var last = "";
    function close() { box.hidden = true; box.innerHTML = ""; }
    function render(data) {
      box.innerHTML = "";
      var results = data.results || [];
      status.textContent = (form.dataset.suggestCount || "{n}").replace("{n}", String(results.length));
      if (!results.length) { box.hidden = true; return; }
      var list = document.createElement("ul");
      results.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = r.url;
        a.textContent = r.title;
        var kind = document.createElement("span");
        kind.className = "search-suggest__kind";
        kind.textContent = r.label;
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(kind);
        list.appendChild(li);
      });
      box.appendChild(list);
      box.hidden = false;
    }
    input.addEventListener("input", function () {
      var q = input.value.trim();
      clearTimeout(timer);
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        if (q === last) { return; }
        last = q;
        fetch(form.dataset.searchSuggest + "?q=" + encodeURIComponent(q), {
          headers: { Accept: "application/json" }, credentials: "same-origin"
        }).then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) { if (input.value.trim() === q) { render(data); } })
          .catch(close);
      }, 250);
    });
    form.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(box.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "Escape") { close(); input.focus(); }
      else if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at === 0) { input.focus(); } else { links[at - 1].focus(); }
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) { close(); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-search-suggest]"), setup);
  });
})();
