// The casus dashboard: a small single page over the JSON API (/api/v1). No libraries, no network
// beyond this server.
"use strict";
const API = "/api/v1";
const $app = document.getElementById("app");
const COLORS = ["#6a5acd", "#c8892b", "#2f7d6d", "#8a4f7d", "#4a7fb5"];

// ---- helpers ------------------------------------------------------------------------------
function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "class") e.className = v;
    else if (k === "style") e.style.cssText = v; // CSSOM, allowed by the page's CSP
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids.flat(Infinity)) if (k !== undefined && k !== null && k !== false) e.append(k instanceof Node ? k : String(k));
  return e;
}
// Same origin, JSON bodies as application/json: what the server's guards let through.
async function api(path, body, method) {
  const opt = { method: method || (body === undefined ? "GET" : "POST"), headers: {} };
  if (body !== undefined) { opt.headers["Content-Type"] = "application/json"; opt.body = JSON.stringify(body); }
  const token = sessionStorage.getItem("casus-token");
  if (token && opt.method !== "GET") opt.headers.Authorization = "Bearer " + token;
  let r = await fetch(API + path, opt);
  // A request shed under load (503 "overloaded") was never run, so it is safe to send again after
  // the server's Retry-After; a few tries, then the error is shown.
  for (let tries = 0; r.status === 503 && r.headers.get("Retry-After") && tries < 5; tries++) {
    const j = await r.clone().json().catch(() => ({}));
    if (!j.error || j.error.code !== "overloaded") break;
    await new Promise(ok => setTimeout(ok, 1000 * (+r.headers.get("Retry-After") || 1)));
    r = await fetch(API + path, opt);
  }
  const j = await r.json().catch(() => ({}));
  if (!r.ok) { const e = new Error((j.error && j.error.message) || r.statusText); e.code = j.error && j.error.code; e.status = r.status; throw e; }
  return j;
}
// Whole percents; the extremes say so rather than rounding to 0 or 100.
function pct(p) {
  if (p === null || p === undefined || isNaN(p)) return "–";
  const v = 100 * p;
  if (v > 0 && v < 0.5) return "<1%";
  if (v < 100 && v > 99.5) return ">99%";
  return Math.round(v) + "%";
}
function ivText(iv) { return `90% interval ${pct(iv[0]).replace("%", "")}–${pct(iv[1])}`; }
function estimative(p) {
  if (p < 0.05) return "almost no chance"; if (p < 0.2) return "very unlikely"; if (p < 0.45) return "unlikely";
  if (p <= 0.55) return "roughly even chance"; if (p <= 0.8) return "likely"; if (p <= 0.95) return "very likely"; return "almost certain";
}
function fv(v) {
  if (v === null || v === undefined) return "unknown";
  if (typeof v === "object") return `${v.low.toFixed(2)}–${v.high.toFixed(2)}`;
  return v.toFixed(2);
}
function mid(v) { return v === null || v === undefined ? null : typeof v === "object" ? (v.low + v.high) / 2 : v; }
function human(s) { return String(s).replace(/_/g, " "); }
function ivbar(a, ghost) {
  const bar = h("div", { class: "ivbar" });
  const r = h("div", { class: "range" }); r.style.left = 100 * a.interval[0] + "%"; r.style.width = 100 * (a.interval[1] - a.interval[0]) + "%";
  bar.append(r);
  if (ghost !== undefined) { const g = h("div", { class: "ghost", title: "before the what-if changes" }); g.style.left = `calc(${100 * ghost}% - 1px)`; bar.append(g); }
  const p = h("div", { class: "point" }); p.style.left = `calc(${100 * a.probability}% - 1px)`; bar.append(p);
  return h("div", {}, bar, h("div", { class: "scale" }, h("span", {}, "0%"), h("span", {}, "50%"), h("span", {}, "100%")));
}
function fail(e) { $app.replaceChildren(h("div", { class: "err" }, e.message || String(e))); }
function setNav(name) { document.querySelectorAll("[data-nav]").forEach(a => a.classList.toggle("active", a.dataset.nav === name)); }

// ---- pages ---------------------------------------------------------------------------------
async function pageSituations() {
  setNav("situations");
  // A watchlist: highest risk first, each with the change since its previous version.
  const list = (await api("/situations")).sort((a, b) => b.probability - a.probability || a.id.localeCompare(b.id));
  const cards = list.map(s => h("a", { class: "card sit", href: `#/situation/${encodeURIComponent(s.id)}`, "data-testid": "situation-card" },
    h("div", { class: "dyad" }, `${s.patron} → ${s.target} · ${human(s.crisis_type)} · as of ${s.as_of}`, s.origin === "uploaded" ? h("span", { class: "tag" }, `uploaded · v${s.version}`) : null,
      s.origin === "uploaded" ? h("button", { class: "ghost small", "data-testid": "delete-situation", onclick: async (ev) => {
        ev.preventDefault(); ev.stopPropagation();
        if (!confirm(`Delete the uploaded situation ${s.id}? Forecasts made from it keep their record.`)) return;
        try { await api(`/situations/${encodeURIComponent(s.id)}`, undefined, "DELETE"); pageSituations(); }
        catch (e) { alert(e.message); }
      } }, "Delete") : null),
    h("div", { class: "title" }, s.title, " ", moverTag(s)),
    h("div", { class: "headline" }, h("div", { class: "pct" }, pct(s.probability)),
      h("div", {}, h("div", { class: "words" }, estimative(s.probability)), h("div", { class: "iv small" }, ivText(s.interval) + ` · ${s.horizon_days} days`))),
    s.origin === "uploaded" ? h("div", { class: "small" }, h("span", { class: "linklike", "data-testid": "history-link", onclick: ev => { ev.preventDefault(); location.hash = `#/history/${encodeURIComponent(s.id)}`; } }, `History of ${s.version} version${s.version === 1 ? "" : "s"}`)) : null));
  const ta = h("textarea", { placeholder: '{"id": "my-crisis", "patron": "RUS", "target": "BLR", "crisis_type": "mass_protest", "as_of": "2020-08-25", "factors": {"protest_scale": 1.0}}' });
  const msg = h("div", { class: "small" });
  const upload = h("div", { class: "card" }, h("h2", {}, "Assess your own situation"),
    h("p", { class: "muted small" }, "Paste a situation in the shape of a situation file, as JSON (dates as strings, uncertain factors as {\"low\": .., \"high\": ..}, unknown factors left out)."),
    ta, h("p", {}, h("button", { onclick: async () => {
      try { const body = JSON.parse(ta.value); const s = await api("/situations", body); location.hash = `#/situation/${encodeURIComponent(s.id)}`; }
      catch (e) { msg.replaceChildren(h("span", { class: "err" }, e.message)); }
    } }, "Upload and assess")), msg);
  $app.replaceChildren(h("h1", {}, "Situations"),
    h("p", { class: "sub" }, "Crises being watched, highest risk first: the chance that the patron uses military force in or against the target within the horizon. ",
      h("a", { href: "#/new" }, "Code a new situation"), " · ", h("a", { href: API + "/alerts.atom" }, "alerts feed (Atom)")),
    bigMovers(list),
    list.length ? h("div", { class: "grid" }, cards) : h("p", { class: "note" }, "No built-in situations in this build. Upload one below."),
    upload);
}

const GROUP_TITLES = {
  regime_security: "Core interest: the patron's regime security", strategic_position: "Core interest: the patron's strategic position",
  escalation_path: "The escalation path", restraints: "Restraints", signals: "Signals of intent and capability",
};
function signed(c) { return (c >= 0 ? "+" : "−") + Math.abs(c).toFixed(2); }
function pts(d) { const v = Math.round(100 * d); return v === 0 ? "±0 pts" : `${v > 0 ? "+" : "−"}${Math.abs(v)} pts`; }

// One factor note (casus-explain's FactorNote): label, value, reading, log-odds contribution.
function driverRow(f, scale) {
  const c = f.contribution ?? 0, w = Math.min(Math.abs(c) / scale, 1) * 50;
  const bar = h("div", { class: "bar" }, h("div", { class: "mid" }));
  const span = h("span", { class: c >= 0 ? "up" : "down" });
  span.style.width = w + "%"; span.style.left = c >= 0 ? "50%" : 50 - w + "%";
  bar.append(span);
  const known = f.value !== null && f.value !== undefined;
  return h("div", { class: "drv" }, h("div", {}, f.label, h("span", { class: "reading" }, known ? `${fv(f.value)} — ${f.reading}` : "unknown: integrated over")), bar,
    h("div", { class: "v" }, f.contribution === null || f.contribution === undefined ? "–" : signed(c)));
}

async function pageSituation(id, version) {
  setNav("situations");
  const sit = await api(`/situations/${encodeURIComponent(id)}` + (version ? `?version=${version}` : ""));
  const ex = await api("/explain", sit);
  // The headline is the explanation's: the same integration as every what-if below.
  const a = { probability: ex.probability, interval: ex.interval };
  const scale = Math.max(...ex.drivers.map(d => Math.abs(d.contribution)), 0.5);
  const notes = {};
  for (const x of [...ex.interests, ...ex.restraints]) for (const f of x.factors) notes[f.factor] = f;

  const headline = h("div", { class: "card" },
    h("div", { class: "headline" },
      h("div", {}, h("div", { class: "pct big", "data-testid": "probability" }, pct(a.probability)), h("div", { class: "iv" }, ivText(a.interval))),
      h("div", {}, h("div", { class: "words" }, `Use of force: ${ex.band}.`),
        h("div", { class: "small muted" }, `Within ${ex.situation.horizon_days} days of ${ex.situation.as_of}. Model: ${ex.model.id} ${ex.model.version}.`), ivbar(a))));

  const interests = h("div", { class: "card" }, h("h2", {}, "Why would the patron intervene?"),
    h("p", { class: "small muted" }, "The two core interests. Each bar is the factor's push on the log-odds of force against a reference situation: red raises the risk, green restrains it."),
    ex.interests.map(i => h("div", { class: "group", "data-testid": "interest" },
      h("h3", {}, h("span", {}, i.title, h("span", { class: "tag" }, human(i.state))), h("span", {}, signed(i.contribution))),
      i.factors.map(f => driverRow(f, scale)))));

  const restraints = h("div", { class: "card" }, h("h2", {}, "What holds the patron back"),
    ex.restraints.map(r => h("div", { class: "group" },
      h("h3", {}, h("span", {}, r.description, h("span", { class: "tag " + (r.in_place === true ? "noforce" : r.in_place === false ? "force" : "") },
        r.in_place === true ? "in place" : r.in_place === false ? "not in place" : "unclear")), h("span", {}, signed(r.contribution))),
      r.factors.map(f => driverRow(f, scale)))));

  const path = h("div", { class: "card" }, h("h2", {}, "The escalation path (Ukraine 2014)"),
    h("ol", { class: "path" }, ex.path.map(s => s.factor === null
      ? h("li", { class: "final" }, s.description, h("div", { class: "lvl" }, `${pct(a.probability)} within the horizon`))
      : h("li", { class: s.state === "reached" ? "reached" : s.state === "partly" ? "partial" : "" }, s.description, h("div", { class: "lvl" }, s.reading)))));

  const an = ex.analogues;
  const analogues = h("div", { class: "card" }, h("h2", {}, "Closest analogues"),
    h("p", { class: "small muted" }, `${an.method.replace(/\.?$/, ".")} Of the ${an.nearest.length} nearest of ${an.compared} cases, ${pct(an.base_rate)} ended in force.`),
    h("table", {}, h("tr", {}, h("th", {}, "case"), h("th", {}, "outcome"), h("th", { class: "num" }, "similarity")),
      an.nearest.map(c => h("tr", { class: "click", onclick: () => location.hash = `#/case/${encodeURIComponent(c.id)}` },
        h("td", {}, c.title), h("td", {}, h("span", { class: "tag " + (c.force ? "force" : "noforce") }, human(c.response))), h("td", { class: "num" }, c.similarity.toFixed(2))))));

  const signposts = h("div", { class: "card" }, h("h2", {}, "Signposts: what would change the answer"),
    ex.signposts.length ? h("table", {}, h("tr", {}, h("th", {}, "watch for"), h("th", { class: "num" }, "now"), h("th", { class: "num" }, "then")),
      ex.signposts.map(s => h("tr", {}, h("td", {}, s.event, s.uncoded ? h("span", { class: "tag" }, "not coded: worth finding out") : null),
        h("td", { class: "num" }, fv(s.from)), h("td", { class: "num" }, `${pct(s.probability_if)} (${pts(s.probability_if - s.probability)})`))))
      : h("p", { class: "muted" }, "No single factor would move the answer noticeably."));

  // What-if: moves and sliders, recomputed live through POST /scenarios.
  const chosen = new Set(), edits = {};
  const result = h("div", { class: "whatif-result", "data-testid": "whatif" });
  // Sliders follow the moves: a factor a move changed shows its new value until the user sets it.
  const rows = {};
  function syncSliders(r) {
    for (const [f, x] of Object.entries(rows)) {
      if (f in edits) continue;
      const v = r && r.factors ? r.factors[f] : x.v;
      const moved = JSON.stringify(v ?? null) !== JSON.stringify(x.v ?? null);
      x.input.value = mid(v) ?? 0.5;
      x.row.classList.toggle("changed", moved);
      x.read.textContent = moved ? `${fv(v)} — after the moves` : x.text;
    }
  }
  function showResult(r) {
    syncSliders(r);
    const d = r ? r.delta : 0, s = r ? r.scenario : a;
    const cls = Math.abs(d) < 0.005 ? "zero" : d > 0 ? "up" : "down";
    result.replaceChildren(
      h("div", { class: "small muted" }, r && (chosen.size || Object.keys(edits).length) ? "With these changes" : "No changes yet: toggle a move or move a slider"),
      h("div", { class: "headline" }, h("div", { class: "pct", "data-testid": "whatif-probability" }, pct(s.probability)),
        h("div", {}, h("div", { class: "delta " + cls }, cls === "zero" ? "no change" : `${d > 0 ? "▲ +" : "▼ −"}${Math.abs(Math.round(100 * d))} pts`),
          h("div", { class: "iv small" }, ivText(s.interval)))), ivbar(s, a.probability));
  }
  let timer = null, seq = 0;
  function recompute() {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const my = ++seq;
      try { const r = await api("/scenarios", { situation: sit, moves: [...chosen], factors: edits }); if (my === seq) showResult(r); }
      catch (e) { result.replaceChildren(h("div", { class: "err" }, e.message)); }
    }, 120);
  }
  showResult(null);
  // Each actor's moves, ranked by their effect alone (casus-explain's options).
  const movesBox = h("div", { class: "moves" }, ex.options.map(o => [h("div", { class: "actor" }, human(o.actor)),
    o.moves.map(m => h("label", {}, h("input", { type: "checkbox", "data-move": m.id, onchange: e => { e.target.checked ? chosen.add(m.id) : chosen.delete(m.id); recompute(); } }),
      h("span", {}, m.description, h("span", { class: "exp " + m.expect, title: `the theory expects this to ${m.expect.replace(/s$/, "")} the risk` }, m.expect === "raises" ? "▲" : "▼"),
        h("span", { class: "eff" + (m.agrees_with_theory ? "" : " odd"), title: m.agrees_with_theory ? "alone, per the model" : "alone, per the model: against the theory's expectation" }, pts(m.delta)))))]));
  const byGroup = {};
  for (const d of ex.drivers) (byGroup[d.group] = byGroup[d.group] || []).push(d);
  const sliders = Object.keys(GROUP_TITLES).filter(g => byGroup[g]).map(g => [h("h3", {}, GROUP_TITLES[g]), byGroup[g].map(d => {
    const n = notes[d.factor], v = sit.factors ? sit.factors[d.factor] : undefined;
    const label = n ? n.label : human(d.factor), v0 = mid(v ?? d.value);
    const read = h("div", { class: "reading" }, n ? (n.value === null ? "unknown" : `${fv(n.value)} — ${n.reading}`) : v0 === null ? "unknown" : fv(v ?? d.value));
    const row = h("div", { class: "slider" });
    const input = h("input", { type: "range", min: 0, max: 1, step: 0.05, value: v0 ?? 0.5, "data-factor": d.factor, "aria-label": label,
      oninput: e => { const x = +e.target.value; edits[d.factor] = x; row.classList.add("changed"); read.textContent = `${x.toFixed(2)} — changed`; recompute(); } });
    row.append(h("div", { class: "name" }, label), input, read);
    rows[d.factor] = { input, read, row, v: v ?? null, text: read.textContent };
    return row;
  })]);
  const reset = h("button", { class: "ghost", onclick: () => route() }, "Reset");
  const record = h("button", { class: "ghost", onclick: async () => {
    try { const f = await api("/forecasts", { situation_id: id }); /* the server records the version assessed */ record.textContent = `Recorded as forecast #${f.id}`; }
    catch (e) { record.textContent = e.status === 401 ? "Writes need a token" : e.message; }
  } }, "Record this forecast");
  const whatif = h("div", {}, result, h("div", { class: "card" }, h("h2", {}, "What if…"),
    h("p", { class: "small muted" }, "Actors' next moves, from the move catalogue, with each move's effect alone."), movesBox),
    h("div", { class: "card" }, h("h2", {}, "Adjust the factors"), sliders, h("p", {}, reset, " ", record)));

  const q = encodeURIComponent(id);
  $app.replaceChildren(h("h1", {}, sit.title),
    h("p", { class: "sub" }, `${sit.patron} → ${sit.target} · ${human(sit.crisis_type)} · as of ${sit.as_of} · horizon ${sit.horizon_days} days`, version ? ` · version ${version}` : "", " · ",
      h("a", { href: `#/history/${q}` }, "history"), " · ", h("a", { href: `#/new/${q}` }, "re-code as of a new date"), " · ",
      h("a", { href: `${API}/situations/${q}/toml` + (version ? `?version=${version}` : ""), download: `${id}.toml` }, "download the file")),
    h("div", { class: "cols" }, h("div", {}, headline, interests, path, restraints, signposts, analogues), whatif));
}

async function pageMonitor(dyad) {
  setNav("monitor");
  const list = await api("/situations");
  const dyads = [...new Set(list.map(s => `${s.patron}/${s.target}`))];
  const pick = dyad || dyads[0] || "RUS/BLR";
  const sel = h("select", { onchange: e => location.hash = `#/monitor/${e.target.value}` }, (dyads.includes(pick) ? dyads : [pick, ...dyads]).map(d => h("option", { value: d, selected: d === pick }, d.replace("/", " → "))));
  const box = h("div", { class: "card" }, h("p", { class: "muted" }, "Loading…"));
  $app.replaceChildren(h("h1", {}, "Dyad monitoring"), h("p", { class: "sub" }, "Daily event-data indicators between the patron and the target: the signals the article says to watch."), h("p", {}, sel), box);
  try {
    const s = await api(`/monitor/${pick}`);
    const dates = s.points.map(p => new Date(p.date + "T00:00:00Z"));
    const series = s.metrics.map((m, i) => ({ name: m, color: COLORS[i % COLORS.length], points: s.points.map((p, j) => [dates[j], p.values[i]]) }));
    box.replaceChildren(h("h2", {}, `${s.patron} → ${s.target}`), Charts.line(series, { yMin: 0, yMax: 1, yFmt: v => Math.round(v * 100) + "%" }),
      h("div", { class: "legend" }, series.map(x => h("span", {}, h("i", { style: `background:${x.color}` }), human(x.name)))),
      h("p", { class: "small muted" }, `Source: ${s.source}.`));
  } catch (e) {
    box.replaceChildren(h("p", { class: "note" }, e.status === 501 ? "No event data is attached to this server. Start it with `casus serve --events DIR --monitor-from DATE --monitor-to DATE` (casus built with `--features events`) to see daily series here." : e.message));
  }
}

async function pageCases(filter) {
  setNav("cases");
  const cases = await api("/cases");
  const q = h("input", { type: "search", class: "filter", placeholder: "Filter by patron, target, title or type", value: filter || "" });
  const tbody = h("tbody");
  function draw() {
    const t = q.value.toLowerCase();
    tbody.replaceChildren(...cases.filter(c => !t || `${c.id} ${c.title} ${c.patron} ${c.target} ${c.crisis_type}`.toLowerCase().includes(t)).map(c =>
      h("tr", { class: "click", onclick: () => location.hash = `#/case/${encodeURIComponent(c.id)}` }, h("td", {}, c.patron + " → " + c.target), h("td", {}, c.title),
        h("td", {}, human(c.crisis_type)), h("td", {}, c.crisis_start.slice(0, 4)), h("td", {}, h("span", { class: "tag " + (c.force ? "force" : "noforce") }, human(c.response))))));
  }
  q.addEventListener("input", draw); draw();
  const nf = cases.filter(c => c.force).length;
  $app.replaceChildren(h("h1", {}, "Case base"), h("p", { class: "sub" }, `${cases.length} crises, ${nf} with force (${pct(nf / Math.max(cases.length, 1))}). Coded at the decision point, against the theory's anchors.`),
    h("p", {}, q), h("div", { class: "card" }, h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "dyad"), h("th", {}, "crisis"), h("th", {}, "type"), h("th", {}, "year"), h("th", {}, "response"))), tbody)));
}

async function pageCase(id) {
  setNav("cases");
  const c = await api(`/cases/${encodeURIComponent(id)}`);
  $app.replaceChildren(h("p", {}, h("a", { href: "#/cases" }, "← Case base")), h("h1", {}, c.title),
    h("p", { class: "sub" }, `${c.patron} → ${c.target} · ${human(c.crisis_type)} · crisis from ${c.crisis_start}, decision point ${c.as_of}`),
    h("div", { class: "card" }, h("h2", {}, "Outcome"), h("p", {}, h("span", { class: "tag " + (c.force ? "force" : "noforce") }, human(c.response)), " ", human(c.direction), c.intervention_date ? ` · ${c.intervention_date}` : ""), h("p", {}, c.summary)),
    h("div", { class: "card" }, h("h2", {}, "Factors as coded"), h("table", {}, h("tr", {}, h("th", {}, "factor"), h("th", { class: "num" }, "value"), h("th", {}, "why")),
      Object.entries(c.factors).map(([k, v]) => h("tr", {}, h("td", {}, human(k), c.uncertain.includes(k) ? h("span", { class: "tag" }, "debatable") : null), h("td", { class: "num" }, fv(v)), h("td", { class: "small" }, c.why[k] || ""))))),
    h("div", { class: "card" }, h("h2", {}, "Sources"), h("ul", {}, c.sources.map(s => h("li", { class: "small" }, s)))));
}

async function pageRecord() {
  setNav("record");
  const [sc, fs] = await Promise.all([api("/scores"), api("/forecasts?limit=200")]);
  const color = {}; sc.sources.forEach((s, i) => color[s.source] = s.source === "casus" ? "#b23a3a" : COLORS[i % COLORS.length]);
  const num = (v, d = 3) => v === null || v === undefined ? "–" : v.toFixed(d);
  const table = h("table", {}, h("tr", {}, h("th", {}, "source"), h("th", { class: "num" }, "forecasts"), h("th", { class: "num" }, "resolved"), h("th", { class: "num" }, "Brier"), h("th", { class: "num" }, "log loss"), h("th", { class: "num" }, "base rate")),
    sc.sources.map(s => h("tr", {}, h("td", {}, h("span", { class: "legend" }, h("span", {}, h("i", { style: `background:${color[s.source]}` }), s.source))), h("td", { class: "num" }, s.forecasts), h("td", { class: "num" }, s.resolved),
      h("td", { class: "num" }, num(s.brier)), h("td", { class: "num" }, num(s.log_loss)), h("td", { class: "num" }, s.base_rate === null ? "–" : pct(s.base_rate)))));
  const cal = Charts.calibration(sc.sources.map(s => ({ name: s.source, color: color[s.source], bins: s.calibration })));
  const byS = {};
  for (const p of sc.timeline) (byS[p.source] = byS[p.source] || []).push([new Date(p.resolved_at), p.mean_brier]);
  const brier = Charts.line(Object.entries(byS).map(([k, pts]) => ({ name: k, color: color[k], points: pts, dots: pts.length < 40 })), { yMin: 0, yFmt: v => v.toFixed(2), height: 300 });
  const paired = sc.paired.map(p => h("div", { class: "card" }, h("h2", {}, `casus beside ${p.crowd}, on the same questions`),
    h("p", { class: "small muted" }, `${p.questions.length} resolved questions. Brier: casus ${num(p.casus_brier)}, ${p.crowd} ${num(p.crowd_brier)}. Log loss: casus ${num(p.casus_log_loss)}, ${p.crowd} ${num(p.crowd_log_loss)}. The crowd is taken at the time of casus's forecast.`),
    h("table", {}, h("tr", {}, h("th", {}, "question"), h("th", { class: "num" }, "casus"), h("th", { class: "num" }, p.crowd), h("th", { class: "num" }, "outcome")),
      p.questions.map(q => h("tr", {}, h("td", {}, q.question), h("td", { class: "num" }, pct(q.casus)), h("td", { class: "num" }, pct(q.crowd)), h("td", { class: "num" }, q.outcome ? "yes" : "no"))))));
  const recent = h("table", {}, h("tr", {}, h("th", { class: "num" }, "#"), h("th", {}, "question"), h("th", {}, "source"), h("th", { class: "num" }, "forecast"), h("th", {}, "made"), h("th", {}, "outcome")),
    fs.slice().reverse().slice(0, 25).map(f => h("tr", {}, h("td", { class: "num" }, f.id), h("td", {}, f.question), h("td", {}, f.source), h("td", { class: "num" }, pct(f.probability) + (f.interval ? ` (${pct(f.interval[0]).replace("%", "")}–${pct(f.interval[1])})` : "")),
      h("td", { class: "small" }, f.created_at.slice(0, 10)), h("td", {}, f.resolution ? (f.resolution.outcome ? "yes" : "no") : h("span", { class: "muted" }, "open")))));
  $app.replaceChildren(h("h1", {}, "Track record"), h("p", { class: "sub" }, "Every forecast is stored when made and scored when it resolves, with proper scores (Brier, log loss: lower is better) — casus beside the crowd."),
    h("div", { class: "card" }, table),
    h("div", { class: "cols2" }, h("div", { class: "card" }, h("h2", {}, "Calibration"), h("p", { class: "small muted" }, "Resolved forecasts binned by probability; on the dashed line, events happen as often as forecast."), cal),
      h("div", { class: "card" }, h("h2", {}, "Brier score over time"), h("p", { class: "small muted" }, "Running mean Brier score by resolution date (lower is better)."), sc.timeline.length ? brier : h("p", { class: "muted" }, "Nothing resolved yet."))),
    paired, h("div", { class: "card" }, h("h2", {}, "Latest forecasts"), fs.length ? recent : h("p", { class: "muted" }, "No forecasts recorded yet.")));
}

// The model's held-out record: how it scores on history it never saw, forward in time and crisis by crisis.
async function pageModel() {
  setNav("model");
  const r = await api("/model");
  const e = r.evaluation, fc = e.forward_chaining;
  const num = (v, d = 3) => v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(d);
  const names = ["model", "base_rate", "patron_base_rate", "checklist", "unregularised_logistic", "unsigned_model"];
  const label = { model: "casus model", base_rate: "base rate", patron_base_rate: "patron's own base rate", checklist: "unweighted checklist", unregularised_logistic: "unregularised logistic", unsigned_model: "same model, no theory signs" };
  const score = (n, loco, fwd) => h("tr", {}, h("td", {}, n === "model" ? h("b", {}, label[n]) : label[n]),
    h("td", { class: "num" }, num(loco && loco.brier)), h("td", { class: "num" }, num(loco && loco.auc)),
    h("td", { class: "num" }, num(fwd && fwd.brier)), h("td", { class: "num" }, num(fwd && fwd.auc)));
  const table = h("table", {}, h("tr", {}, h("th", {}, "forecaster"), h("th", { class: "num" }, "Brier, leave one crisis out"), h("th", { class: "num" }, "AUC"), h("th", { class: "num" }, "Brier, forward in time"), h("th", { class: "num" }, "AUC")),
    names.map(n => score(n, n === "model" ? e.model : e.baselines[n], fc ? (n === "model" ? fc.pooled_model : fc.pooled_baselines[n]) : null)));
  const bins = b => b.filter(x => x.mean_predicted !== null && x.observed_rate !== null);
  const series = [{ name: "leave one crisis out", color: "#2e6da4", bins: bins(e.calibration.model) }];
  if (fc) series.push({ name: "forward chaining", color: "#b23a3a", bins: bins(fc.pooled_calibration) });
  const cal = Charts.calibration(series);
  const fa = fc ? fc.pooled_slices.false_alarms : e.slices.false_alarms;
  const ew = fc ? fc.pooled_slices.early_warning : e.slices.early_warning;
  const cs = e.coding_sensitivity;
  const facts = h("ul", {},
    h("li", {}, `${e.n_crises} crises, ${e.n_cases} decision points, ${e.n_force} with force within a year.`),
    fa && fa.rate !== null ? h("li", {}, `False alarms (forward in time): ${fa.alarms} of ${fa.n} build-ups or threats that ended without force got 50% or more.`) : null,
    ew && ew.auc !== null ? h("li", {}, `Early warning (forward in time): AUC ${num(ew.auc)} for force more than 30 days ahead against every decision point without force.`) : null,
    h("li", {}, `Coding sensitivity: one step (0.25) on one factor moves the probability by ${num(cs.median_ratio, 2)}× at the median; the most sensitive factor, ${human(cs.worst_factor)}, by ${num(cs.worst_factor_median_ratio, 2)}×.`));
  $app.replaceChildren(h("h1", {}, "How far to trust the model"),
    h("p", { class: "sub" }, `Model ${r.model_id} ${r.model_version}. Every forecast below comes from a fit that never saw its crisis; forward in time, from a fit on earlier decades only.`),
    h("div", { class: "card" }, table, h("p", { class: "small muted" }, "Lower Brier is better, higher AUC is better. Held out crisis by crisis, the base rate ranks crises backwards by construction (leaving out a force crisis lowers the rate), so its AUC there is 0."), facts),
    h("div", { class: "cols2" }, h("div", { class: "card" }, h("h2", {}, "Reliability"), h("p", { class: "small muted" }, "Held-out forecasts binned by probability; on the dashed line, force came as often as forecast."), cal),
      h("div", { class: "card" }, h("h2", {}, "Forward in time, by decade"), h("table", {}, h("tr", {}, h("th", {}, "decade"), h("th", { class: "num" }, "crises fitted"), h("th", { class: "num" }, "decision points"), h("th", { class: "num" }, "Brier"), h("th", { class: "num" }, "base rate")),
        (fc ? fc.blocks : []).map(b => h("tr", {}, h("td", {}, `${b.scored_from}s`), h("td", { class: "num" }, b.n_fitted_crises), h("td", { class: "num" }, b.n_scored), h("td", { class: "num" }, num(b.model && b.model.brier)), h("td", { class: "num" }, num(b.baselines.base_rate && b.baselines.base_rate.brier))))))));
}

// ---- router --------------------------------------------------------------------------------
async function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  try {
    if (parts[0] === "situation" && parts[1]) await pageSituation(parts[1], parts[2] ? +parts[2] : undefined);
    else if (parts[0] === "new") await pageNew(parts[1]);
    else if (parts[0] === "history" && parts[1]) await pageHistory(parts[1], parts[2] ? +parts[2] : undefined);
    else if (parts[0] === "monitor") await pageMonitor(parts[1] && parts[2] ? `${parts[1]}/${parts[2]}` : null);
    else if (parts[0] === "cases") await pageCases();
    else if (parts[0] === "case" && parts[1]) await pageCase(parts[1]);
    else if (parts[0] === "record") await pageRecord();
    else if (parts[0] === "model") await pageModel();
    else await pageSituations();
    window.scrollTo(0, 0);
  } catch (e) { fail(e); }
}
window.addEventListener("hashchange", route);
api("/health").then(hl => { document.getElementById("model").textContent = `model ${hl.model.id} ${hl.model.version}`; }).catch(() => {});
route();
