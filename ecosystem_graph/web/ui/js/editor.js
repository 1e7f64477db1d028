/* The query editor on "/": YASGUI over this server's SPARQL endpoint, offline.
   Reads its settings from the JSON block #editor-config written by the server (endpoint, the default query
   with the project prefixes, and the named queries of sparql/*.rq). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("editor-config").textContent);
  var Yasgui = window.Yasgui;
  if (!Yasgui) { return; }

  // No lookups outside this server: the class and property autocompleters query the LOV web service.
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  Yasgui.Yasqe.defaults.value = config.defaultQuery;
  Yasgui.Yasqe.defaults.createShortLink = undefined;
  Yasgui.Yasqe.defaults.collapsePrefixesOnLoad = true;
  Yasgui.Yasqe.defaults.editorHeight = "360px";

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: config.method },
    copyEndpointOnNewTab: true,
    persistenceId: config.persistenceId,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: config.endpoint }]; }
    }
  });

  function openQuery(query) {
    // Named queries declare their own prefixes; new tabs start from the default query with all of them.
    return yasgui.addTab(true, {
      name: query.title,
      yasqe: { value: query.sparql },
      requestConfig: { endpoint: config.endpoint, method: config.method }
    }, { avoidDuplicateTabs: true });
  }

  var byName = {};
  config.queries.forEach(function (q) { byName[q.name] = q; });
  Array.prototype.forEach.call(document.querySelectorAll(".ed-example"), function (button) {
    button.addEventListener("click", function () { openQuery(byName[button.getAttribute("data-name")]); });
  });
  // YASGUI has no i18n: on a Russian page its own words are replaced, as they appear, from the table the server
  // sends (views/words.py). The query text and the result cells are data and are left alone. Links to our IRIs
  // in the results open the local page in the same tab instead of the w3id.org address in a new one.
  var tr = config.translations || { strings: {}, patterns: [] };
  var patterns = (tr.patterns || []).map(function (p) { return [new RegExp(p[0]), p[1]]; });
  var ATTRIBUTES = ["title", "placeholder", "aria-label"];

  function translated(text) {
    var key = text.trim();
    if (!key) { return null; }
    if (Object.prototype.hasOwnProperty.call(tr.strings, key)) { return text.replace(key, tr.strings[key]); }
    for (var i = 0; i < patterns.length; i++) {
      if (patterns[i][0].test(key)) { return text.replace(key, key.replace(patterns[i][0], patterns[i][1])); }
    }
    return null;
  }

  function isData(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    return !element || element.closest(".CodeMirror-lines, .dataTable tbody, pre, .CodeMirror-hints");
  }

  function localHref(href) {
    if (config.pagePrefix && href.indexOf(config.pagePrefix) === 0) {
      return "/page/" + href.slice(config.pagePrefix.length) + "?lang=" + config.lang;
    }
    if (config.ontologyPrefix && href.indexOf(config.ontologyPrefix) === 0) {
      return "/ontology?lang=" + config.lang + href.slice(config.ontologyPrefix.length);
    }
    return null;
  }

  function localise(root) {
    if (root.nodeType === 3) { root = root.parentElement; }
    if (!root || !root.querySelectorAll) { return; }
    Array.prototype.forEach.call(root.querySelectorAll("a[href]"), function (a) {
      var local = localHref(a.getAttribute("href"));
      if (local) { a.setAttribute("href", local); a.removeAttribute("target"); a.classList.add("ed-local"); }
    });
    if (config.lang !== "ru") { return; }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (isData(node)) { continue; }
      var text = translated(node.nodeValue);
      if (text !== null) { node.nodeValue = text; }
    }
    var elements = [root].concat(Array.prototype.slice.call(root.querySelectorAll("[title], [placeholder], [aria-label]")));
    elements.forEach(function (element) {
      if (element.closest(".CodeMirror-lines, .dataTable tbody")) { return; }
      ATTRIBUTES.forEach(function (name) {
        var value = element.getAttribute && element.getAttribute(name);
        var text = value && translated(value);
        if (text) { element.setAttribute(name, text); }
      });
    });
  }

  var host = document.getElementById("yasgui");
  localise(host);
  new MutationObserver(function (mutations) {
    mutations.forEach(function (m) {
      if (m.type === "attributes") { localise(m.target); return; }
      Array.prototype.forEach.call(m.addedNodes, localise);
      if (m.type === "characterData") { localise(m.target); }
    });
  }).observe(host, { childList: true, subtree: true, characterData: true, attributes: true,
                     attributeFilter: ATTRIBUTES.concat(["href"]) });
  host.dataset.localised = "true";

  window.ecosystemGraphEditor = { yasgui: yasgui, open: openQuery, translate: translated };
})();
