/* Suggestions as you type for every form.eg-search: asks /api/search (the label index) and lists the hits.
   Arrow keys move through them, Enter opens one, Escape closes the list. No dependencies. */
(function () {
  "use strict";

  function setup(form) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector(".eg-suggestions");
    var lang = form.getAttribute("data-lang") || document.documentElement.lang || "ru";
    var api = form.getAttribute("data-api") || "/api/search";
    var timer = null, active = -1, asked = 0;

    function items() { return list.querySelectorAll(".eg-suggestion"); }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
    }

    function highlight(index) {
      var all = items();
      active = Math.max(-1, Math.min(index, all.length - 1));
      all.forEach(function (li, i) { li.classList.toggle("eg-active", i === active); });
      if (active >= 0) { all[active].scrollIntoView({ block: "nearest" }); }
    }

    function span(cls, text) {
      var s = document.createElement("span");
      s.className = cls;
      s.textContent = text;
      return s;
    }

    function show(results) {
      list.innerHTML = "";
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.className = "eg-suggestion eg-kind-" + r.kind;
        li.setAttribute("role", "option");
        li.setAttribute("data-iri", r.iri);
        var a = document.createElement("a");
        a.href = r.href || ("/graph?iri=" + encodeURIComponent(r.iri) + "&lang=" + lang);
        a.appendChild(span("eg-suggestion-label", r.label));
        a.appendChild(span("eg-suggestion-kind", r["class"] && r["class"].label ? r["class"].label : r.kind));
        if (r.matched && r.matched !== r.label) { a.appendChild(span("eg-suggestion-matched", r.matched)); }
        li.appendChild(a);
        li.addEventListener("mouseenter", function () { highlight(i); });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }

    function suggest() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var mine = ++asked;
      var url = api + "?limit=8&lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(q);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (mine === asked) { show(data.results || []); } })
        .catch(function () { if (mine === asked) { close(); } });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    });
    input.addEventListener("focus", function () { if (input.value.trim() && !items().length) { suggest(); } });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { highlight(active + 1); event.preventDefault(); }
      else if (event.key === "ArrowUp") { highlight(active - 1); event.preventDefault(); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = items()[active].querySelector("a").href;
      }
    });
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) { close(); } });
  }

  function start() { document.querySelectorAll("form.eg-search").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
