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
      added.push({ group: "nodes", classes: n.id === iri ? "eg-center" : "", position: { x: origin.x + 80 * Math.cos(angle), y: origin.y + 80 * Math.sin(angle) },
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

  // --- layout, then label placement: no two label boxes may intersect -----------------------------------
  var GAP = 8;  // free space kept around every node's box (label included), in model units

  // each node's box relative to its position, as Cytoscape measures it in this browser (label text included)
  function measure(nodes) {
    return nodes.map(function (n) {
      var p = n.position(), b = n.boundingBox({ includeLabels: true, includeOverlays: false });
      return { node: n, x: p.x, y: p.y, l: b.x1 - p.x - GAP / 2, r: b.x2 - p.x + GAP / 2,
               t: b.y1 - p.y - GAP / 2, b: b.y2 - p.y + GAP / 2, pinned: n.id() === iri };
    });
  }

  // push intersecting boxes apart along the axis of least overlap, until none intersect or the bound is reached
  function separate(items, rounds) {
    for (var round = 0; round < rounds; round++) {
      var moved = false;
      for (var i = 0; i < items.length; i++) {
        for (var j = i + 1; j < items.length; j++) {
          var a = items[i], b = items[j];
          if (a.pinned && b.pinned) { continue; }
          var ox = Math.min(a.x + a.r, b.x + b.r) - Math.max(a.x + a.l, b.x + b.l);
          var oy = Math.min(a.y + a.b, b.y + b.b) - Math.max(a.y + a.t, b.y + b.t);
          if (ox <= 0 || oy <= 0) { continue; }
          moved = true;
          var share = a.pinned ? 0 : b.pinned ? 1 : 0.5;  // the pinned centre stays where it is
          var horizontal = ox < oy;
          var da = horizontal ? a.x + (a.l + a.r) / 2 : a.y + (a.t + a.b) / 2;
          var db = horizontal ? b.x + (b.l + b.r) / 2 : b.y + (b.t + b.b) / 2;
          var sign = da < db || (da === db && (i + j) % 2) ? -1 : 1;  // stacked boxes: alternate the side
          var step = (horizontal ? ox : oy) + 0.5;
          if (horizontal) { a.x += sign * step * share; b.x -= sign * step * (1 - share); }
          else { a.y += sign * step * share; b.y -= sign * step * (1 - share); }
        }
      }
      if (!moved) { return round; }
    }
    return rounds;
  }

  function place(items) {
    cy.batch(function () { items.forEach(function (it) { it.node.position({ x: it.x, y: it.y }); }); });
  }

  // the overview: each cluster a grid of cells as large as its widest label box (best connected first), the
  // clusters packed in rows; of a few grid shapes and row widths, the one that fits the canvas at the largest zoom
  var MARGIN = 70;  // between clusters: their padding and caption
  function pack(groups, shape, rowWidth) {
    var blocks = groups.map(function (g) {
      var cols = Math.max(1, Math.min(g.items.length, Math.round(Math.sqrt(g.items.length * g.h / g.w * shape))));
      return { group: g, cols: cols, width: cols * g.w, height: Math.ceil(g.items.length / cols) * g.h };
    });
    blocks.sort(function (a, b) { return b.height - a.height; });
    var x = 0, y = 0, rowHeight = 0, width = 0;
    blocks.forEach(function (block) {
      if (x > 0 && x + block.width > rowWidth) { x = 0; y += rowHeight + MARGIN; rowHeight = 0; }
      block.x = x; block.y = y;
      x += block.width + MARGIN; rowHeight = Math.max(rowHeight, block.height); width = Math.max(width, x - MARGIN);
    });
    var height = y + rowHeight + MARGIN;  // the captions above each row
    return { blocks: blocks, zoom: Math.min(root.clientWidth / (width + MARGIN), root.clientHeight / height) };
  }

  function clusterGrid() {
    var byKey = {}, groups = [];
    cy.nodes().not(".eg-cluster").forEach(function (n) {
      var key = n.isChild() ? n.parent().id() : "";
      if (!byKey[key]) { byKey[key] = { nodes: [] }; groups.push(byKey[key]); }
      byKey[key].nodes.push(n);
    });
    groups.forEach(function (g) {
      g.items = measure(cy.collection(g.nodes));
      g.items.sort(function (a, b) {
        return b.node.degree() - a.node.degree() || a.node.data("label").localeCompare(b.node.data("label"));
      });
      g.w = Math.max.apply(null, g.items.map(function (it) { return it.r - it.l; }));
      g.h = Math.max.apply(null, g.items.map(function (it) { return it.b - it.t; }));
    });
    var total = groups.reduce(function (sum, g) { return sum + g.items.length * g.w * g.h; }, 0);
    var best = null;
    [0.8, 1.2, 1.6, 2.2, 3, 4].forEach(function (shape) {
      [0.8, 1, 1.25, 1.5, 1.8, 2.2].forEach(function (scale) {
        var tried = pack(groups, shape, scale * Math.sqrt(total * root.clientWidth / Math.max(1, root.clientHeight)));
        if (!best || tried.zoom > best.zoom) { best = tried; }
      });
    });
    best.blocks.forEach(function (block) {
      block.group.items.forEach(function (it, k) {
        var cx = block.x + (k % block.cols + 0.5) * block.group.w;
        var cyy = block.y + (Math.floor(k / block.cols) + 0.5) * block.group.h;
        it.x = cx - (it.l + it.r) / 2; it.y = cyy - (it.t + it.b) / 2;
      });
      place(block.group.items);
    });
  }

  function layout() {
    if (iri) {  // rings around the resource, kept tight: the placement pass below makes room for the labels
      cy.layout({ name: "breadthfirst", circle: true, roots: cy.getElementById(iri), directed: false, spacingFactor: 1,
                  padding: 30, animate: false, avoidOverlap: true }).run();
    } else {
      clusterGrid();
    }
    var items = measure(cy.nodes().not(".eg-cluster"));
    var rounds = separate(items, 400);
    place(items);
    root.setAttribute("data-placement-rounds", rounds);
    cy.fit(undefined, 20);
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
    load(root.getAttribute("data-neighbourhood") + "?iri=" + encodeURIComponent(iri) + "&lang=" + lang, iri);
  } else {
    load(root.getAttribute("data-overview") + "?lang=" + lang, null);
  }
})();
