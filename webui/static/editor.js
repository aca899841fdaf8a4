// The SPARQL editor: YASGUI on /sparql, the gallery of saved questions, and
// result IRIs that open our own entity pages.  Configuration comes from the
// JSON block the page carries (no inline script: the CSP forbids them).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("editor-config").textContent);

  // Only the prefixes a query uses, so the text stays short yet portable.
  function withPrefixes(text) {
    const declared = new Set(Array.from(text.matchAll(/PREFIX\s+([\w-]*):/gi), (m) => m[1]));
    const lines = Object.entries(config.prefixes)
      .filter(([p]) => !declared.has(p) && new RegExp("(^|[\\s(/^|,;{])" + p + ":", "m").test(text))
      .map(([p, ns]) => "PREFIX " + p + ": <" + ns + ">");
    return lines.length ? lines.join("\n") + "\n\n" + text : text;
  }

  const firstQuery = "SELECT ?defender ?name WHERE {\n  ?defender a hrd:HumanRightsDefender ; rdfs:label ?name .\n}\nORDER BY ?name\nLIMIT 100";
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null, // no state kept in localStorage: each visit starts clean
    endpointCatalogueOptions: { getData: () => [{ endpoint: config.endpoint }] },
    // the class/property completers ask a remote service: keep the local ones only
    yasqe: { autocompleters: ["prefixes", "variables"], value: withPrefixes(firstQuery) },
  });

  function run(name) {
    const saved = config.queries.find((q) => q.name === name);
    if (!saved) return;
    const yasqe = yasgui.getTab().getYasqe();
    yasqe.setValue(withPrefixes(saved.query));
    yasqe.query();
    document.querySelectorAll(".run-saved").forEach((b) => b.classList.toggle("active", b.dataset.name === name));
  }
  document.querySelectorAll(".run-saved").forEach((button) => {
    button.addEventListener("click", () => run(button.dataset.name));
  });
  if (config.start) run(config.start);
  else yasgui.getTab().getYasqe().setValue(withPrefixes(firstQuery));

  // Result tables link IRIs to themselves; ours resolve here, so point them at our pages.
  function relink(root) {
    root.querySelectorAll("a[href^='" + config.base + "']").forEach((a) => {
      a.href = config.entity + a.getAttribute("href").slice(config.base.length);
      a.removeAttribute("target");
    });
  }
  new MutationObserver(() => relink(document.getElementById("yasgui")))
    .observe(document.getElementById("yasgui"), { childList: true, subtree: true });
})();
