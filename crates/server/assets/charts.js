// Small SVG charts, no libraries: a line chart over dates and a calibration (reliability) plot.
"use strict";
const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  function el(name, attrs, text) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function frame(w, h) {
    return el("svg", { viewBox: `0 0 ${w} ${h}`, width: "100%", role: "img" });
  }
  // series: [{name, color, points: [[Date, y], ...]}]
  function line(series, opts) {
    const w = 640, h = opts.height || 240, m = { l: 44, r: 14, t: 12, b: 28 };
    const svg = frame(w, h);
    const all = series.flatMap(s => s.points);
    if (!all.length) return svg;
    const xs = all.map(p => +p[0]);
    let x0 = Math.min(...xs), x1 = Math.max(...xs);
    if (x0 === x1) { x0 -= 86400000; x1 += 86400000; }
    const y0 = opts.yMin ?? 0;
    const y1 = opts.yMax ?? Math.max(...all.map(p => p[1]), 1e-9) * 1.08;
    const X = t => m.l + (w - m.l - m.r) * (+t - x0) / (x1 - x0);
    const Y = v => h - m.b - (h - m.t - m.b) * (v - y0) / (y1 - y0);
    for (let i = 0; i <= 4; i++) {
      const v = y0 + (y1 - y0) * i / 4;
      svg.append(el("line", { x1: m.l, x2: w - m.r, y1: Y(v), y2: Y(v), class: "gridl" }));
      svg.append(el("text", { x: m.l - 6, y: Y(v) + 4, "text-anchor": "end" }, opts.yFmt ? opts.yFmt(v) : v.toFixed(2)));
    }
    for (let i = 0; i <= 4; i++) {
      const t = new Date(x0 + (x1 - x0) * i / 4);
      svg.append(el("text", { x: X(t), y: h - 8, "text-anchor": i === 0 ? "start" : i === 4 ? "end" : "middle" }, t.toISOString().slice(0, 10)));
    }
    svg.append(el("line", { x1: m.l, x2: w - m.r, y1: h - m.b, y2: h - m.b, class: "axis" }));
    for (const s of series) {
      if (!s.points.length) continue;
      const d = s.points.map((p, i) => `${i ? "L" : "M"}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join("");
      svg.append(el("path", { d, fill: "none", stroke: s.color, "stroke-width": 2, "stroke-linejoin": "round" }));
      if (s.dots) for (const p of s.points) svg.append(el("circle", { cx: X(p[0]), cy: Y(p[1]), r: 3, fill: s.color }));
    }
    return svg;
  }
  // sources: [{name, color, bins: [{mean_predicted, observed_rate, n}]}], the bins of casus_core::metrics::CalibrationBin
  function calibration(sources) {
    const w = 360, h = 340, m = { l: 44, r: 14, t: 12, b: 38 };
    const svg = frame(w, h);
    svg.setAttribute("class", "calib");
    const X = v => m.l + (w - m.l - m.r) * v, Y = v => h - m.b - (h - m.t - m.b) * v;
    for (let i = 0; i <= 10; i += 2) {
      const v = i / 10;
      svg.append(el("line", { x1: X(0), x2: X(1), y1: Y(v), y2: Y(v), class: "gridl" }));
      svg.append(el("text", { x: m.l - 6, y: Y(v) + 4, "text-anchor": "end" }, `${i * 10}%`));
      svg.append(el("text", { x: X(v), y: h - m.b + 15, "text-anchor": "middle" }, `${i * 10}%`));
    }
    svg.append(el("text", { x: (m.l + w - m.r) / 2, y: h - 4, "text-anchor": "middle" }, "forecast probability"));
    svg.append(el("text", { x: 12, y: (m.t + h - m.b) / 2, "text-anchor": "middle", transform: `rotate(-90 12 ${(m.t + h - m.b) / 2})` }, "observed frequency"));
    svg.append(el("line", { x1: X(0), y1: Y(0), x2: X(1), y2: Y(1), stroke: "#9aa3b5", "stroke-dasharray": "4 4" }));
    for (const s of sources) {
      const pts = s.bins.filter(b => b.n > 0);
      for (const b of pts) {
        const c = el("circle", { cx: X(b.mean_predicted), cy: Y(b.observed_rate), r: Math.min(3 + Math.sqrt(b.n) * 1.6, 12), fill: s.color, "fill-opacity": 0.75, stroke: "#fff" });
        c.append(el("title", {}, `${s.name}: ${b.n} forecasts, mean ${Math.round(100 * b.mean_predicted)}%, observed ${Math.round(100 * b.observed_rate)}%`));
        svg.append(c);
      }
    }
    return svg;
  }
  // A situation's risk over its versions: points [{date, p, iv: [lo, hi], href, label}], the 90%
  // interval as a band, each point a link to its version.
  function history(points, opts) {
    const w = 640, h = 260, m = { l: 44, r: 14, t: 12, b: 28 };
    const svg = frame(w, h);
    svg.setAttribute("class", "history");
    if (!points.length) return svg;
    const pts = points.slice().sort((a, b) => a.date - b.date);
    let x0 = +pts[0].date, x1 = +pts[pts.length - 1].date;
    if (x0 === x1) { x0 -= 86400000 * 7; x1 += 86400000 * 7; }
    const y1 = Math.min(1, Math.max(...pts.map(p => p.iv[1])) * 1.1 || 1);
    const X = t => m.l + (w - m.l - m.r) * (+t - x0) / (x1 - x0);
    const Y = v => h - m.b - (h - m.t - m.b) * v / y1;
    for (let i = 0; i <= 4; i++) {
      const v = y1 * i / 4;
      svg.append(el("line", { x1: m.l, x2: w - m.r, y1: Y(v), y2: Y(v), class: "gridl" }));
      svg.append(el("text", { x: m.l - 6, y: Y(v) + 4, "text-anchor": "end" }, Math.round(v * 100) + "%"));
    }
    for (const [i, p] of [pts[0], pts[pts.length - 1]].entries()) {
      svg.append(el("text", { x: X(p.date), y: h - 8, "text-anchor": i === 0 ? "start" : "end" }, p.date.toISOString().slice(0, 10)));
    }
    svg.append(el("line", { x1: m.l, x2: w - m.r, y1: h - m.b, y2: h - m.b, class: "axis" }));
    const upper = pts.map(p => `${X(p.date).toFixed(1)},${Y(p.iv[1]).toFixed(1)}`);
    const lower = pts.slice().reverse().map(p => `${X(p.date).toFixed(1)},${Y(p.iv[0]).toFixed(1)}`);
    svg.append(el("polygon", { points: upper.concat(lower).join(" "), class: "band", "data-testid": "history-band" }));
    svg.append(el("path", { d: pts.map((p, i) => `${i ? "L" : "M"}${X(p.date).toFixed(1)},${Y(p.p).toFixed(1)}`).join(""), class: "risk" }));
    for (const p of pts) {
      const a = el("a", { href: p.href, "data-testid": "history-point" });
      const c = el("circle", { cx: X(p.date), cy: Y(p.p), r: p.href.endsWith("/" + opts.selected) ? 7 : 5, class: "pt" });
      c.append(el("title", {}, p.label));
      a.append(c);
      svg.append(a);
    }
    return svg;
  }
  return { line, calibration, history };
})();
