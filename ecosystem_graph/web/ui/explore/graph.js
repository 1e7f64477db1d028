/* The graph view: Cytoscape.js over /api/graph/neighbourhood (one resource) or /api/graph/overview.
   A click selects a node and expands its neighbourhood; a double click opens its page.
   The Cytoscape instance is window.egGraph (the browser tests read it). */
(function () {
  "use strict";
  var root = document.getElementById("eg-graph");
  if (!root || typeof cytoscape === "undefined") { return; }
  var lang = root.getAttribute("data-lang") || "ru";
  var iri = root.getAttribute("data-iri");
  var status = document.getElementById("eg-graph-status");
  var panel = document.getElementById("eg-graph-selected");
  var css = getComputedStyle(document.documentElement);
  var KINDS = ["organisation", "person", "agreement", "event", "site", "post", "project", "relationship",
               "concept", "source", "quotation", "period", "quantity", "term", "other"];
  var SHAPES = { organisation: "round-rectangle", person: "ellipse", agreement: "diamond", event: "hexagon",
                 site: "triangle", post: "ellipse", project: "pentagon", relationship: "ellipse",
                 concept: "tag", source: "rectangle", quotation: "round-tag", period: "barrel" };
  var SMALL = { post: 1, relationship: 1, quantity: 1, period: 1, quotation: 1 };

  var style = [
    { selector: "node", style: { "label": "data(short)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 110,
      "min-zoomed-font-size": 7, "text-background-color": "#ffffff", "text-background-opacity": .75,
      "text-background-padding": 1,
      "text-valign": "bottom", "text-margin-y": 3, "color": "#1d2733", "width": 26, "height": 26,
      "background-color": "#9aa5b1", "border-width": 1, "border-color": "#ffffff" } },
    { selector: "edge", style: { "width": 1.3, "line-color": "#b8c2cc", "target-arrow-color": "#b8c2cc",
      "target-arrow-shape": "triangle", "arrow-scale": .8, "curve-style": "bezier", "label": "data(label)",
      "font-size": 8, "color": "#7b8794", "text-rotation": "autorotate", "text-background-color": "#ffffff",
      "min-zoomed-font-size": 9,
      "text-background-opacity": .8, "text-background-padding": 1 } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#1d2733" } },
    { selector: "node.eg-center", style: { "width": 40, "height": 40, "font-weight": "bold", "font-size": 12 } },
    { selector: "node.eg-expanded", style: { "border-style": "double", "border-width": 3 } },
    // the overview's clusters: one box per kind, its caption on top
    { selector: "node.eg-cluster", style: { "label": "data(label)", "text-valign": "top", "text-halign": "center",
      "font-size": 14, "font-weight": "bold", "color": "#3d4852", "background-opacity": 0.06, "border-width": 1,
      "border-color": "#cfd8e2", "shape": "round-rectangle", "padding": 18, "text-background-opacity": 0 } }
  ];
  KINDS.forEach(function (kind) {
    var colour = css.getPropertyValue("--eg-" + kind).trim() || "#9aa5b1";
    var s = { "background-color": colour, "shape": SHAPES[kind] || "ellipse" };
    if (SMALL[kind]) { s.width = 14; s.height = 14; s["font-size"] = 8; s.color = "#5d6b7a"; }
    style.push({ selector: "node[kind = '" + kind + "']", style: s });
  });

  var cy = cytoscape({ container: root, style: style, minZoom: 0.1, maxZoom: 3 });
  window.egGraph = cy;

  function shorten(text) { return text.length > 40 ? text.slice(0, 38) + "…" : text; }
  var clusters = JSON.parse(root.getAttribute("data-clusters") || "{}");

  function add(graph, around) {
    var added = [];
    var origin = around && around.length ? around.position() : { x: 0, y: 0 };
    if (!iri) {  // the overview: each kind in a cluster of its own
      graph.nodes.forEach(function (n) {
        var id = "cluster:" + n.kind;
        if (clusters[n.kind] && !cy.getElementById(id).length && !added.some(function (a) { return a.data.id === id; })) {
          added.push({ group: "nodes", classes: "eg-cluster", data: { id: id, label: clusters[n.kind], kind: "cluster" } });
        }
      });
    }
    graph.nodes.forEach(function (n, i) {
      if (cy.getElementById(n.id).length) { return; }
      var angle = 2 * Math.PI * i / Math.max(1, graph.nodes.length);  // new nodes start around the expanded one
      added.push({ group: "nodes", position: { x: origin.x + 80 * Math.cos(angle), y: origin.y + 80 * Math.sin(angle) },
                   data: { id: n.id, label: n.label, short: shorten(n.label), kind: n.kind,
                           cls: n["class"] || "", href: n.href || "",
                           parent: !iri && clusters[n.kind] ? "cluster:" + n.kind : undefined } });
    });
    graph.edges.forEach(function (e) {
      var id = e.source + " " + e.property + " " + e.target;
      if (cy.getElementById(id).length) { return; }
      added.push({ group: "edges", data: { id: id, source: e.source, target: e.target, label: e.label,
                                           property: e.property } });
    });
    cy.add(added);
    return added.length;
  }

  var laidOut = false;
  function layout() {
    if (iri) {  // rings around the resource: its neighbours, then what the facts and expansions add
      // labels count as part of each node, so that the rings leave room for them
      cy.layout({ name: "breadthfirst", circle: true, roots: cy.getElementById(iri), directed: false, spacingFactor: 1.6,
                  padding: 30, animate: false, avoidOverlap: true, nodeDimensionsIncludeLabels: true }).run();
    } else {
      cy.layout({ name: "cose", animate: false, randomize: !laidOut, padding: 30, numIter: 2500,
                  nodeDimensionsIncludeLabels: true, nestingFactor: 0.8,
                  nodeRepulsion: function () { return 60000; }, nodeOverlap: 30, componentSpacing: 120, gravity: 0.8,
                  idealEdgeLength: function () { return 120; } }).run();
    }
    cy.fit(undefined, 20);
    laidOut = true;
  }

  function report(graph) {
    var shown = cy.nodes().not(".eg-cluster");
    var text = status.getAttribute("data-counter").replace("{nodes}", shown.length).replace("{edges}", cy.edges().length);
    status.setAttribute("data-nodes", shown.length);
    status.setAttribute("data-edges", cy.edges().length);
    if (graph && graph.truncated) { text += " · " + status.getAttribute("data-truncated"); }
    status.textContent = text;
  }

  function load(url, centre) {
    root.setAttribute("data-loading", "true");
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
        return response.json();
      })
      .then(function (graph) {
        add(graph, centre ? cy.getElementById(centre) : null);
        if (centre) { cy.getElementById(centre).addClass("eg-expanded"); }
        layout();
        report(graph);
        root.setAttribute("data-ready", "true");
      })
      .catch(function (error) { status.textContent = String(error); root.setAttribute("data-error", String(error)); })
      .then(function () { root.removeAttribute("data-loading"); });
  }

  function expand(node) {
    if (node.hasClass("eg-expanded")) { return Promise.resolve(); }
    return load(root.getAttribute("data-neighbourhood") + "?iri=" + encodeURIComponent(node.id()) +
                "&lang=" + lang, node.id());
  }

  function select(node) {
    panel.hidden = false;
    panel.querySelector(".eg-selected-label").textContent = node.data("label");
    panel.querySelector(".eg-selected-kind").textContent = node.data("cls") || node.data("kind");
    var open = panel.querySelector(".eg-selected-open");
    open.href = node.data("href") || node.id();
    panel.querySelector(".eg-selected-expand").onclick = function () { expand(node); };
  }

  cy.on("tap", "node", function (event) {
    if (event.target.hasClass("eg-cluster")) { return; }
    select(event.target); expand(event.target);
  });
  cy.on("dbltap", "node", function (event) {
    var href = event.target.data("href");
    if (href) { window.location.href = href; }
  });

  if (iri) {
    load(root.getAttribute("data-neighbourhood") + "?iri=" + encodeURIComponent(iri) + "&lang=" + lang, iri)
      .then(function () { cy.getElementById(iri).addClass("eg-center"); });
  } else {
    load(root.getAttribute("data-overview") + "?lang=" + lang, null);
  }
})();
