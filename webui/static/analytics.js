// The co-defendant network on /analytics, drawn by Cytoscape.js from the
// page's JSON twin: node size = number of co-defendants, colour = community,
// edge width = shared occasions; clicking a person opens their page.
(function () {
  "use strict";
  const box = document.getElementById("codefendants");
  if (!box || typeof cytoscape === "undefined") return;
  const palette = ["#b5482f", "#4a6fa5", "#3d8b5a", "#8a5fb0", "#c48a1b", "#2f8f9d", "#a33c6b", "#6b7a2f"];
  fetch(box.dataset.source, { headers: { Accept: "application/json" } })
    .then((r) => r.json())
    .then((data) => {
      const net = data.network;
      if (!net.nodes.length) {
        box.textContent = "No co-defendants yet.";
        return;
      }
      const elements = net.nodes.map((n) => ({
        data: { id: n.id, label: n.label, href: n.href, size: 16 + 6 * n.degree,
                colour: palette[(n.community - 1 + palette.length) % palette.length] },
      })).concat(net.edges.map((e, i) => ({
        data: { id: "e" + i, source: e.source, target: e.target, width: 1 + 2 * e.weight, weight: e.weight },
      })));
      const cy = cytoscape({
        container: box,
        elements: elements,
        layout: { name: "cose", animate: false, randomize: false, padding: 40, nodeDimensionsIncludeLabels: true,
                  componentSpacing: 80 },
        maxZoom: 1.2,
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 11, width: "data(size)", height: "data(size)",
                                         "background-color": "data(colour)", "text-valign": "bottom", "text-margin-y": 3 } },
          { selector: "edge", style: { width: "data(width)", "line-color": "#9aa3b0", "curve-style": "bezier",
                                         label: "data(weight)", "font-size": 8, color: "#5b6575" } },
        ],
      });
      box.dataset.nodes = String(cy.nodes().length);
      cy.on("tap", "node", (evt) => {
        const href = evt.target.data("href");
        if (href) window.location.assign(href);
      });
      window.hrdkgNetwork = cy; // for tests and the curious
    });
})();
