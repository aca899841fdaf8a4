// The neighbourhood drawing on entity pages: nodes within one hop, drawn by
// Cytoscape.js; clicking a node opens its page.
(function () {
  "use strict";
  const box = document.getElementById("graph");
  if (!box || typeof cytoscape === "undefined") return;
  fetch(box.dataset.source, { headers: { Accept: "application/json" } })
    .then((r) => r.json())
    .then((data) => {
      const elements = data.nodes.map((n) => ({ data: { id: n.id, label: n.label, type: n.type, href: n.href } }))
        .concat(data.edges.map((e, i) => ({ data: { id: "e" + i, source: e.source, target: e.target, label: e.label } })));
      const cy = cytoscape({
        container: box,
        elements: elements,
        layout: { name: "cose", animate: false },
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 140,
                                         "background-color": "#4a6fa5", width: 18, height: 18 } },
          { selector: "node[type = 'hrd:HumanRightsDefender'], node[type = 'hrd:Person']", style: { "background-color": "#b5482f" } },
          { selector: "edge", style: { label: "data(label)", "font-size": 8, "curve-style": "bezier", width: 1,
                                         "target-arrow-shape": "triangle", "line-color": "#999", "target-arrow-color": "#999" } },
        ],
      });
      box.dataset.nodes = String(cy.nodes().length);
      cy.on("tap", "node", (evt) => {
        const href = evt.target.data("href");
        if (href) window.location.assign(href);
      });
      window.hrdkgGraph = cy; // for tests and the curious
    });
})();
