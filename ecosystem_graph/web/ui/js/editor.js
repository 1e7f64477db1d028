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
  window.ecosystemGraphEditor = { yasgui: yasgui, open: openQuery };
})();
