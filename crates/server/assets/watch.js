// Watching a crisis: the New situation page (code a situation against the factors' anchors, see the
// probability move, save it as a version, download its file), a situation's history, and the
// watchlist's change since the previous version. Uses the helpers of app.js (h, api, pct, ...).
"use strict";

// ---- the watchlist ------------------------------------------------------------------------
// The change since the previous version, as a tag: "▲ +12 pts since v2".
function moverTag(s) {
  if (!s.previous) return null;
  const d = Math.round(100 * s.probability) - Math.round(100 * s.previous.probability); // as the percents shown
  const cls = d === 0 ? "" : d > 0 ? "force" : "noforce";
  return h("span", { class: "tag " + cls, "data-testid": "change", title: `version ${s.previous.version} (as of ${s.previous.as_of}): ${pct(s.previous.probability)}` },
    d === 0 ? `±0 pts since v${s.previous.version}` : `${d > 0 ? "▲ +" : "▼ −"}${Math.abs(d)} pts since v${s.previous.version}`);
}
// Situations whose latest version moved the risk by 5 points or more, largest move first.
function bigMovers(list) {
  const movers = list.filter(s => s.previous && Math.abs(s.previous.change) >= 0.05)
    .sort((a, b) => Math.abs(b.previous.change) - Math.abs(a.previous.change));
  if (!movers.length) return null;
  return h("div", { class: "card", "data-testid": "movers" }, h("h2", {}, "Big movers"),
    h("p", { class: "small muted" }, "Situations whose latest version moved the risk by 5 points or more."),
    h("table", {}, h("tr", {}, h("th", {}, "situation"), h("th", { class: "num" }, "then"), h("th", { class: "num" }, "now"), h("th", {}, "change")),
      movers.map(s => h("tr", { class: "click", onclick: () => location.hash = `#/history/${encodeURIComponent(s.id)}` },
        h("td", {}, s.title), h("td", { class: "num" }, `${pct(s.previous.probability)} (${s.previous.as_of})`),
        h("td", { class: "num" }, `${pct(s.probability)} (${s.as_of})`), h("td", {}, moverTag(s))))));
}

// ---- the New situation page -----------------------------------------------------------------
// One factor's control: unknown, a value, or a range, with its anchors; and its evidence rows.
function factorControl(f, v, onchange) {
  const mode = h("select", { "data-mode": f.name, "aria-label": `${f.label}: how it is coded` },
    h("option", { value: "unknown" }, "unknown"), h("option", { value: "value" }, "a value"), h("option", { value: "range" }, "a range"));
  const num = (attr, x) => h("input", { type: "number", min: 0, max: 1, step: 0.05, value: x, [attr]: f.name, class: "num01" });
  const point = num("data-value", typeof v === "number" ? v : 0.5);
  const low = num("data-low", v && typeof v === "object" ? v.low : 0.25);
  const high = num("data-high", v && typeof v === "object" ? v.high : 0.75);
  mode.value = v === undefined || v === null ? "unknown" : typeof v === "object" ? "range" : "value";
  const inputs = h("span", { class: "fvals" });
  const reading = h("div", { class: "reading" });
  const anchorAt = x => f.anchors[x < 0.25 ? 0 : x < 0.75 ? 1 : 2];
  // Re-placing the inputs only when the mode changes keeps the focus while the analyst types.
  function place() { inputs.replaceChildren(...(mode.value === "value" ? [point] : mode.value === "range" ? [low, " – ", high] : [])); }
  function show() {
    reading.textContent = mode.value === "value" ? `reads as: ${anchorAt(+point.value)}`
      : mode.value === "range" ? `between "${anchorAt(+low.value)}" and "${anchorAt(+high.value)}"` : "unknown: casus integrates over the values seen in history";
  }
  for (const e of [point, low, high]) e.addEventListener("input", () => { show(); onchange(); });
  mode.addEventListener("change", () => { place(); show(); onchange(); });
  place(); show();
  const value = () => mode.value === "value" ? +point.value : mode.value === "range" ? { low: +low.value, high: +high.value } : undefined;
  return { mode, value, el: [h("div", { class: "fctl" }, mode, inputs), reading] };
}

function evidenceRow(ev, onchange, remove) {
  const date = h("input", { type: "date", value: ev.date || "", "data-ev": "date", "aria-label": "date" });
  const text = h("input", { type: "text", value: ev.text || "", "data-ev": "text", placeholder: "What happened, in one sentence", "aria-label": "text" });
  const source = h("input", { type: "text", value: ev.source || "", "data-ev": "source", placeholder: "Source: the publisher's URL or a citation", "aria-label": "source" });
  for (const e of [date, text, source]) e.addEventListener("input", onchange);
  const row = h("div", { class: "evrow", "data-testid": "evidence-row" }, date, text, source,
    h("button", { class: "ghost small", type: "button", onclick: () => { row.remove(); remove(); } }, "Remove"));
  row.read = () => ({ date: date.value, text: text.value, source: source.value });
  return row;
}

async function pageNew(editId) {
  setNav("new");
  const coding = await api("/coding");
  const base = editId ? await api(`/situations/${encodeURIComponent(editId)}`) : null;
  const field = (name, value, attrs) => h("input", Object.assign({ type: "text", value: value ?? "", "data-field": name, "aria-label": name }, attrs || {}));
  const patron = field("patron", base ? base.patron : "RUS", { maxlength: 3, size: 4 });
  const target = field("target", base ? base.target : "", { maxlength: 3, size: 4 });
  const asOf = field("as_of", base ? base.as_of : new Date().toISOString().slice(0, 10), { type: "date" });
  const horizon = field("horizon_days", base ? base.horizon_days : 365, { type: "number", min: 1, max: 3650 });
  const ctype = h("select", { "data-field": "crisis_type" }, coding.crisis_types.map(t => h("option", { value: t.name }, t.label)));
  ctype.value = base ? base.crisis_type : "mass_protest";
  const id = field("id", base ? base.id : "", { readonly: base ? true : undefined, placeholder: "PATRON-TARGET-crisis, kept across versions" });
  const title = field("title", base ? base.title : "", { placeholder: "e.g. Russia and the Belarus protests", size: 40 });
  let idEdited = !!base;
  id.addEventListener("input", () => { idEdited = true; });
  const autoId = () => { if (!idEdited) id.value = `${patron.value.toUpperCase()}-${target.value.toUpperCase()}-${ctype.value}`.replace(/_/g, "-"); };

  const controls = {}, evBoxes = {};
  const groups = [];
  for (const f of coding.factors) {
    if (!groups.length || groups[groups.length - 1].title !== f.group) groups.push({ title: f.group, factors: [] });
    groups[groups.length - 1].factors.push(f);
  }
  const factorCards = groups.map(g => h("div", { class: "card" }, h("h2", {}, g.title[0].toUpperCase() + g.title.slice(1)),
    g.factors.map(f => {
      controls[f.name] = factorControl(f, base && base.factors ? base.factors[f.name] : undefined, changed);
      const box = evBoxes[f.name] = h("div", { class: "evlist" });
      for (const e of (base ? base.evidence : []).filter(e => e.factor === f.name)) box.append(evidenceRow(e, changed, changed));
      return h("div", { class: "factor", "data-factor-row": f.name },
        h("div", { class: "name" }, f.label, h("span", { class: "muted small" }, ` ${f.name}`)),
        h("div", { class: "anchors small muted" }, `0 = ${f.anchors[0]} · 0.5 = ${f.anchors[1]} · 1 = ${f.anchors[2]}`),
        controls[f.name].el, box,
        h("button", { class: "ghost small", type: "button", "data-add-evidence": f.name, onclick: () => { box.append(evidenceRow({ date: asOf.value }, changed, changed)); changed(); } }, "Add evidence"));
    })));

  function situation() {
    const factors = {}, evidence = [];
    for (const [name, c] of Object.entries(controls)) {
      const v = c.value(); if (v !== undefined) factors[name] = v;
      for (const row of evBoxes[name].querySelectorAll("[data-testid=evidence-row]")) evidence.push(Object.assign({ factor: name }, row.read()));
    }
    const s = { id: id.value.trim(), patron: patron.value.trim().toUpperCase(), target: target.value.trim().toUpperCase(),
      crisis_type: ctype.value, as_of: asOf.value, horizon_days: +horizon.value, factors, evidence };
    if (title.value.trim()) s.title = title.value.trim();
    return s;
  }

  const result = h("div", { class: "whatif-result" }, h("div", { class: "small muted" }, "The probability appears here as you code."));
  const msg = h("div", { class: "small", "data-testid": "new-message" });
  const links = h("p", { class: "small" });
  let timer = null, seq = 0;
  function changed() {
    autoId();
    clearTimeout(timer);
    const code = /^[A-Z]{3}$/;
    if (!code.test(patron.value.trim().toUpperCase()) || !code.test(target.value.trim().toUpperCase())) {
      msg.replaceChildren(h("div", { class: "note", "data-testid": "new-error" }, "Give the patron and the target as ISO 3166-1 alpha-3 codes (e.g. RUS, BLR) to see the probability."));
      return;
    }
    timer = setTimeout(async () => {
      const my = ++seq;
      try {
        const a = await api("/assess", situation());
        if (my !== seq) return;
        result.replaceChildren(h("div", { class: "small muted" }, "As coded now"),
          h("div", { class: "headline" }, h("div", { class: "pct", "data-testid": "new-probability" }, pct(a.probability)),
            h("div", {}, h("div", { class: "words", "data-testid": "new-words" }, estimative(a.probability)), h("div", { class: "iv small" }, ivText(a.interval) + ` · ${a.horizon_days} days`))), ivbar(a));
        // Clear a refusal the analyst has now mended, but keep a "Saved" note that arrived meanwhile.
        if (msg.querySelector("[data-testid=new-error]")) msg.replaceChildren();
      } catch (e) { if (my === seq) msg.replaceChildren(h("div", { class: "err", "data-testid": "new-error" }, e.message)); }
    }, 250);
  }
  for (const e of [patron, target, asOf, horizon, title, id]) e.addEventListener("input", changed);
  ctype.addEventListener("change", changed);

  const save = h("button", { "data-testid": "save", onclick: async () => {
    try {
      const r = await api("/situations", situation());
      const q = encodeURIComponent(r.id);
      msg.replaceChildren(h("div", { class: "note", "data-testid": "saved" }, `Saved ${r.id} as version ${r.version}: ${pct(r.probability)}, ${estimative(r.probability)}.`));
      links.replaceChildren(h("a", { href: `#/history/${q}` }, "History"), " · ", h("a", { href: `#/situation/${q}` }, "Explain and what-if"), " · ",
        h("a", { href: `${API}/situations/${q}/toml?version=${r.version}`, download: `${r.id}.toml`, "data-testid": "download" }, `Download version ${r.version} as a situation file`));
      idEdited = true; id.setAttribute("readonly", "");
    } catch (e) { msg.replaceChildren(h("div", { class: "err", "data-testid": "new-error" }, e.status === 401 ? "Saving needs the server's token." : e.message)); }
  } }, "Save");

  const meta = h("div", { class: "card" }, h("h2", {}, "The crisis"),
    h("div", { class: "kv" }, h("dt", {}, "Patron (ISO 3166-1 alpha-3)"), h("dd", {}, patron), h("dt", {}, "Target"), h("dd", {}, target),
      h("dt", {}, "Crisis type"), h("dd", {}, ctype), h("dt", {}, "As of"), h("dd", {}, asOf, h("span", { class: "small muted" }, " code only what was public on this date")),
      h("dt", {}, "Horizon (days)"), h("dd", {}, horizon), h("dt", {}, "Title"), h("dd", {}, title), h("dt", {}, "Id"), h("dd", {}, id)));
  $app.replaceChildren(h("h1", {}, base ? `New version of ${base.title}` : "New situation"),
    h("p", { class: "sub" }, base ? "Re-code the crisis as it stands now: change the date and what changed, and save. Each save is a new version in the situation's history."
      : "Code a crisis against the factors' anchors. Leave a factor unknown rather than guess: casus integrates over it. Give a range where you are unsure."),
    h("div", { class: "cols" }, h("div", {}, meta, factorCards), h("div", {}, result, h("div", { class: "card" }, h("p", {}, save), msg, links))));
  autoId(); changed();
}

// ---- a situation's history --------------------------------------------------------------------
function changeList(c) {
  const items = c.factors.map(x => h("li", {}, `${human(x.factor)}: ${fv(x.from)} → ${fv(x.to)}`));
  for (const e of c.evidence_added) {
    const src = /^https?:\/\//.test(e.source) ? h("a", { href: e.source, rel: "noreferrer" }, "source") : e.source;
    items.push(h("li", { "data-testid": "evidence-added" }, `evidence (${human(e.factor)}, ${e.date}): ${e.text} `, "[", src, "]"));
  }
  if (c.evidence_removed) items.push(h("li", {}, `${c.evidence_removed} earlier piece(s) of evidence no longer cited`));
  return items.length ? h("ul", { class: "small changes" }, items) : h("span", { class: "muted small" }, "nothing re-coded");
}

async function pageHistory(id, version) {
  setNav("situations");
  const hist = await api(`/situations/${encodeURIComponent(id)}/history`);
  const q = encodeURIComponent(id);
  const chart = Charts.history(hist.points.map(p => ({ date: new Date(p.as_of + "T00:00:00Z"), p: p.probability, iv: p.interval,
    href: `#/history/${q}/${p.version}`, label: `v${p.version}, as of ${p.as_of}: ${pct(p.probability)} (${ivText(p.interval)}), ${p.words}` })), { selected: version });
  const rows = hist.points.slice().reverse().map(p => h("tr", { id: `v-${p.version}`, class: p.version === version ? "selected" : "", "data-testid": "history-row" },
    h("td", {}, h("b", {}, `v${p.version}`)), h("td", {}, p.as_of), h("td", { class: "num" }, pct(p.probability)), h("td", { class: "num" }, ivText(p.interval).replace("90% interval ", "")),
    h("td", {}, p.words), h("td", {}, changeList(p.changes)),
    h("td", { class: "small" }, h("a", { href: `#/situation/${q}/${p.version}` }, "open"), " · ", h("a", { href: `${API}/situations/${q}/toml?version=${p.version}`, download: `${id}-v${p.version}.toml` }, "file"))));
  $app.replaceChildren(h("p", {}, h("a", { href: "#/" }, "← Situations")), h("h1", {}, hist.title),
    h("p", { class: "sub" }, `${hist.patron} → ${hist.target}: the chance of force within ${hist.horizon_days} days, version by version, with its 90% interval.`),
    h("div", { class: "card" }, chart, h("p", { class: "small muted" }, "Each point is a saved version at its as-of date; the band is its 90% interval. Click a point for what changed."),
      h("p", {}, h("a", { class: "btn", href: `#/new/${q}` }, "Re-code as of a new date"))),
    h("div", { class: "card" }, h("h2", {}, "Versions"), h("table", {}, h("tr", {}, h("th", {}, "version"), h("th", {}, "as of"), h("th", { class: "num" }, "probability"), h("th", { class: "num" }, "90% interval"), h("th", {}, "words"), h("th", {}, "what changed"), h("th", {}, "")), rows)));
  if (version) { const r = document.getElementById(`v-${version}`); if (r) r.scrollIntoView({ block: "center" }); }
}
