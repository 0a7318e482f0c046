"use strict";
(function () {
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const svg = document.getElementById("map");
  const details = document.getElementById("details");
  const sites = new Map();
  data.installations.forEach((inst, i) => inst.sites.forEach((s) => sites.set(s.id, { site: s, installation: inst, index: i })));
  const edgesBySite = new Map();
  const edgesBySpace = new Map();
  svg.querySelectorAll("path.edge").forEach((e) => {
    const push = (m, k) => { if (!m.has(k)) m.set(k, []); m.get(k).push(e); };
    push(edgesBySite, e.dataset.site);
    push(edgesBySpace, e.dataset.space);
    const entry = sites.get(e.dataset.site);
    if (entry && entry.site.findings.length === 0) e.classList.add("quiet");
  });

  // Elements built with text only: nothing from the model is parsed as markup.
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function facts(pairs) {
    const dl = el("dl");
    pairs.forEach(([k, v]) => { if (v !== null && v !== undefined && v !== "") { dl.append(el("dt", k), el("dd", v)); } });
    return dl;
  }
  function findingList(findings) {
    const box = document.createDocumentFragment();
    box.append(el("h3", findings.length ? "Findings (" + findings.length + ")" : "No findings"));
    if (!findings.length) return box;
    const ul = el("ul");
    findings.forEach((f) => {
      const li = el("li");
      li.append(el("b", f.code, "sev-" + f.severity), " ", f.message, f.website_code ? " [website " + f.website_code + "]" : "", " ", el("span", f.at, "at"));
      ul.append(li);
    });
    box.append(ul);
    return box;
  }
  function show(title, pairs, findings, extra) {
    details.replaceChildren(el("h2", title), facts(pairs));
    if (extra) details.append(extra);
    details.append(findingList(findings));
  }
  function listOf(title, items) {
    const box = document.createDocumentFragment();
    box.append(el("h3", title));
    const ul = el("ul");
    items.forEach((t) => ul.append(el("li", t)));
    box.append(ul);
    return box;
  }
  const kind = (k) => ({ production: "Production", testing: "Testing" })[k] || "unknown";

  function select(node) {
    svg.querySelectorAll(".selected").forEach((n) => n.classList.remove("selected"));
    node.classList.add("selected");
    const what = node.dataset.kind;
    if (what === "site") {
      const { site, installation } = sites.get(node.id);
      const links = data.edges.filter((e) => e.site === site.id).map((e) => (e.kind === "alternate" ? "alternate → " : "→ ") + e.data_space + " (" + kind((data.data_spaces.find((d) => d.id === e.data_space) || {}).type) + ")" + (e.at ? " at " + e.at : "") + (e.findings.length ? " " + e.findings.join(" ") : ""));
      show("Site " + site.name, [
        ["installation", installation.name || "."],
        ["repository", installation.repository],
        ["env file", site.env_file],
        ["tier", site.tier],
        ["why", site.tier_evidence],
        ["tier set at", site.tier_at],
        ["edition", installation.edition + " (" + installation.edition_evidence + ")"],
        ["websites", site.website_codes.join(", ")],
      ], site.findings, listOf("Data spaces", links.length ? links : ["none: no services_id/environment_id"]));
    } else if (what === "data-space") {
      const space = data.data_spaces[Number(node.dataset.index)];
      const users = data.edges.filter((e) => e.data_space === space.id).map((e) => {
        const entry = sites.get(e.site);
        return (entry ? (entry.installation.name ? entry.installation.name + "/" : "") + entry.site.name + " [" + entry.site.tier + "]" : e.site) + (e.kind === "alternate" ? " (alternate)" : "") + (e.findings.length ? " " + e.findings.join(" ") : "");
      });
      show("Data space " + space.id, [
        ["name", space.name],
        ["type", kind(space.type)],
        ["why", space.type_evidence],
        ["stated at", space.type_at],
        ["projects", space.projects.join(", ")],
      ], space.findings, listOf("Sites (" + users.length + ")", users));
    } else if (what === "project") {
      const project = data.projects[Number(node.dataset.index)];
      show(project.id ? "SaaS project " + project.id : "No SaaS project known", [["data spaces", project.data_spaces.length]], project.findings, listOf("Data spaces", project.data_spaces));
    } else if (what === "installation") {
      const inst = data.installations[Number(node.dataset.index)];
      show("Installation " + (inst.name || "."), [
        ["repository", inst.repository],
        ["edition", inst.edition],
        ["why", inst.edition_evidence],
        ["sites", inst.sites.length],
      ], inst.findings, listOf("Sites", inst.sites.map((s) => s.name + " [" + s.tier + "]")));
    }
  }

  function light(node, on) {
    const edges = node.dataset.kind === "site" ? edgesBySite.get(node.id) : edgesBySpace.get(node.id);
    svg.classList.toggle("focus", on);
    node.classList.toggle("lit", on);
    (edges || []).forEach((e) => {
      e.classList.toggle("lit", on);
      const other = document.getElementById(node.dataset.kind === "site" ? e.dataset.space : e.dataset.site);
      if (other) other.classList.toggle("lit", on);
    });
  }

  svg.addEventListener("click", (event) => {
    const node = event.target.closest(".site, .data-space, .project, .installation");
    if (node) select(node);
  });
  svg.querySelectorAll(".site, .data-space").forEach((node) => {
    node.addEventListener("mouseenter", () => light(node, true));
    node.addEventListener("mouseleave", () => light(node, false));
    node.addEventListener("keydown", (event) => { if (event.key === "Enter") select(node); });
  });
  document.getElementById("only-findings").addEventListener("change", (event) => svg.classList.toggle("only-findings", event.target.checked));
  document.getElementById("filter").addEventListener("input", (event) => {
    const words = event.target.value.toLowerCase().trim();
    svg.querySelectorAll(".site, .data-space").forEach((node) => {
      const own = node.dataset.search || "";
      const group = node.closest(".installation, .project");
      const hit = !words || own.includes(words) || (group && (group.dataset.search || "").includes(words));
      node.classList.toggle("dimmed", !hit);
    });
  });
  document.body.dataset.ready = String(sites.size);
})();
