// A kernel-free page: the map's state lives in a small model in the page instead of a kernel.
// The page's data (the map bundle, cards, names, questions) is JSON in <script type="application/json">.
import { createMap } from "./map.js";

class PageModel {
  constructor(state) {
    this.state = { ...state };
    this.handlers = {};
  }
  get(key) { return this.state[key]; }
  set(key, value) {
    if (this.state[key] === value) return;
    this.state[key] = value;
    for (const fn of this.handlers[`change:${key}`] || []) fn();
  }
  on(evt, fn) { (this.handlers[evt] = this.handlers[evt] || []).push(fn); }
  off(evt, fn) { this.handlers[evt] = (this.handlers[evt] || []).filter((f) => f !== fn); }
  save_changes() {}
}

const norm = (s) => String(s).toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, " ").trim();

function button(text, parent, onclick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.className = "dv-button";
  b.addEventListener("click", onclick);
  parent.appendChild(b);
  return b;
}

function muscleExplorer(page, root) {
  const controls = ["search", "area", "browse", "side", "tp", "window"];
  const model = new PageModel({ ...page.state, controls });
  const mapHost = document.createElement("div");
  root.appendChild(mapHost);
  const card = document.createElement("div");
  card.className = "dv-card";
  root.appendChild(card);
  const names = Object.entries(page.bundle.names).map(([n, id]) => [norm(n), id]);
  // with no kernel, a name the map cannot resolve exactly is matched by its words here
  model.on("change:query", () => {
    const q = norm(String(model.get("query")).split("|").slice(1).join("|"));
    const ids = [...new Set(names.filter(([n]) => q && (n.startsWith(q) || n.includes(` ${q}`) || q.split(" ").every((w) => n.includes(w)))).map(([, id]) => id))];
    if (ids.length === 1) { model.set("offers", []); model.set("message", ""); model.set("muscle", ids[0]); }
    else if (ids.length) { model.set("offers", ids.slice(0, 12)); model.set("message", `info|Several muscles fit: choose one.`); }
    else { model.set("offers", []); model.set("message", `error|No muscle is called that here. Try another name, or choose from the list.`); }
  });
  function sync() {
    const id = model.get("muscle");
    card.innerHTML = id ? page.cards[id] : ""; // built and escaped by Python (dnviz.widgets._base.muscle_card)
  }
  model.on("change:muscle", sync);
  createMap(model, mapHost, page.bundle);
  sync();
  window.dnvizModel = model;
}

// The quiz with no kernel: the same questions and the same scoring rules as dnviz.widgets.quiz
// (distance to the nearest trigger point on the view clicked; Jaccard overlap of the marked and the
// essential zones, spillover left out), with the numbers from page.scoring.
const QUIZ_CSS = `
.dv-quiz-layout{display:flex;gap:18px;align-items:flex-start;flex-wrap:wrap}
.dv-quiz-layout .dv-map{flex:1 1 560px;min-width:0;max-width:900px}
.dv-quiz{display:flex;flex-direction:column;gap:10px;flex:0 1 22em;min-width:16em;font-size:17px}
.dv-quiz .dv-progress{font-weight:700}
.dv-quiz .dv-prompt{font-size:1.2em;font-weight:600;line-height:1.3}
.dv-quiz .dv-options .dv-button{text-align:left;width:100%;margin:0}
.dv-quiz .dv-button.dv-right{background:#1b5e20;border-color:#1b5e20;color:#fff}
.dv-quiz .dv-button.dv-wrong{background:#8b0000;border-color:#8b0000;color:#fff}
.dv-quiz .dv-row{display:flex;flex-wrap:wrap;gap:6px}
.dv-quiz .dv-row .dv-button{margin:0}
.dv-quiz label{display:flex;flex-direction:column;gap:4px;font-weight:600}
.dv-quiz select{font-size:1em;padding:6px;min-height:40px}
.dv-quiz .dv-status{line-height:1.35}
.dv-quiz .dv-status.dv-ok{color:#1b5e20}
.dv-quiz .dv-status.dv-warn{color:#7a4a00}
`;

function quiz(page, root) {
  const qs = page.questions;
  const rules = page.scoring;
  const bundle = page.bundle;
  const model = new PageModel({ ...page.state, hide_names: true, controls: [] });
  const style = document.createElement("style");
  style.textContent = QUIZ_CSS;
  document.head.appendChild(style);
  const make = (cls, parent, tag = "div") => {
    const node = document.createElement(tag);
    node.className = cls;
    parent.appendChild(node);
    return node;
  };
  const layout = make("dv-quiz-layout", root);
  const mapHost = make("dv-map", layout);
  const panel = make("dv-quiz", layout);
  const progress = make("dv-progress", panel);
  const prompt = make("dv-prompt", panel);
  const options = make("dv-options", panel);
  const zoomLabel = make("", panel, "label");
  zoomLabel.appendChild(document.createTextNode("Zoom"));
  const zoom = make("dv-zoom", zoomLabel, "select");
  for (const [text, value] of page.zooms) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    zoom.appendChild(o);
  }
  zoom.addEventListener("change", () => model.set("window", zoom.value));
  const row = make("dv-row", panel);
  const check = button("Check", row, () => checkZones());
  check.classList.add("dv-check");
  button("Reveal", row, () => reveal()).classList.add("dv-reveal");
  button("Previous", row, () => { if (i > 0) { i -= 1; ask(); } }).classList.add("dv-previous");
  button("Next", row, () => next()).classList.add("dv-next");
  const feedback = make("dv-status", panel);
  feedback.setAttribute("role", "status");

  const LAYERS = { name: {}, zone: {}, point: { tps: false }, zones: { zones: false } };
  const MODES = { name: "pattern", zone: "pattern", point: "point", zones: "pain" };
  const records = []; // per question: {label, correct, revealed_first, pins, marked}
  const revealed = [];
  let i = 0;
  const nameOf = (id) => bundle.muscles[id].name;
  const regionWords = (pairs) => pairs.map(([r, s]) => `${String(page.regions[r] || r).toLowerCase()} (${s})`).join(", ");
  const other = (side) => (side === "right" ? "left" : "right");
  const say = (text, kind = "info") => {
    feedback.textContent = text;
    feedback.className = `dv-status dv-${kind}`;
  };

  function showProgress() {
    const done = records.filter(Boolean);
    const score = done.filter((r) => r.correct && !r.revealed_first).length;
    progress.textContent = `Question ${i + 1} of ${qs.length} · Score: ${score} / ${done.length}`;
    document.body.dataset.score = `${score}/${done.length}`;
  }

  function answerPins(q) {
    return bundle.muscles[q.muscle][q.side].tps.map(([view, x, y, n]) => ({ view, x, y, name: `${nameOf(q.muscle)} trigger point ${n} (${q.side})`, answer: true }));
  }

  function showAnswer() {
    const q = qs[i];
    const rec = records[i];
    model.set("muscle", q.muscle);
    model.set("hide_names", false);
    model.set("layers", {});
    if (q.kind === "point") model.set("pins", rec ? rec.pins : answerPins(q));
    if (q.kind === "zones" && rec) model.set("marked", rec.marked);
    if (rec) model.set("mode", "pattern");
    const extra = q.kind === "zone" ? `: an essential zone is ${q.answer_label}` : "";
    model.set("title", `Question ${q.number}: ${nameOf(q.muscle)}${extra}`);
    for (const b of options.children) {
      b.classList.toggle("dv-right", b.dataset.value === q.answer);
      b.classList.toggle("dv-wrong", !!rec && b.dataset.value === rec.value && rec.value !== q.answer);
    }
  }

  function ask() {
    const q = qs[i];
    model.set("tp", null);
    model.set("side", q.side);
    model.set("muscle", q.kind === "zone" ? "" : q.muscle);
    model.set("hide_names", true);
    model.set("layers", LAYERS[q.kind]);
    model.set("mode", MODES[q.kind]);
    model.set("pins", []);
    model.set("marked", []);
    model.set("window", q.window);
    model.set("title", `Question ${q.number} of ${qs.length}`);
    zoom.value = q.kind === "zones" ? q.window : "whole";
    prompt.textContent = q.prompt;
    options.replaceChildren();
    for (const [label, value] of q.options) {
      const b = button(label, options, () => answer(value));
      b.dataset.value = value;
    }
    zoomLabel.style.display = q.kind === "zones" ? "" : "none";
    check.style.display = q.kind === "zones" ? "" : "none";
    const hint = q.options.length ? "Click your answer." : page.hints[q.kind]; // no Check: a click answers
    say(`${hint} Reveal shows the answer (it then scores no point).`);
    if (records[i] || revealed[i]) showAnswer();
    if (records[i]) say(records[i].text, records[i].kind);
    showProgress();
  }

  function record(right, text, rec) {
    const first = !!revealed[i];
    const q = qs[i];
    const kind = first ? "warn" : right ? "ok" : "warn";
    if (first) text = `The answer was shown first: recorded, no point. It is ${q.answer_label}.`;
    records[i] = { ...rec, correct: right, revealed_first: first, text, kind };
    revealed[i] = true;
    showAnswer();
    say(text, kind);
    showProgress();
  }

  function answer(value) {
    const q = qs[i];
    if (records[i]) return say("Already answered: press Next.");
    const right = value === q.answer;
    record(right, right ? `Right: ${q.answer_label}.` : `Not quite: the answer is ${q.answer_label}.`, { value });
  }

  function nearest(tps, view, x, y) {
    let best = null;
    for (const [v, tx, ty, n] of tps) {
      if (v !== view) continue;
      const d = Math.hypot(tx - x, ty - y);
      if (!best || d < best.d) best = { d, n, to: [tx, ty] };
    }
    return best;
  }

  model.on("change:last_click", () => {
    const q = qs[i];
    const click = model.get("last_click") || {};
    if (q.kind !== "point") return;
    if (records[i]) return say("Already answered: press Next.");
    if (!click.view || !page.views[click.view]) return say("Click on the body, inside one of the views.", "warn");
    const name = nameOf(q.muscle);
    const tol = rules.tolerance_cm;
    const tps = bundle.muscles[q.muscle][q.side].tps;
    const near = nearest(tps, click.view, click.x, click.y);
    const pin = { view: click.view, x: click.x, y: click.y, answer: false };
    if (!near) {
      const views = [...new Set(tps.map((t) => t[0]))].map((v) => page.views[v]).join(" and ");
      record(false, `Missed: on the ${q.side} side the trigger points of ${name} are drawn on the ${views} view.`, { pins: [{ ...pin, name: "Your click" }, ...answerPins(q)] });
      return;
    }
    const d = Math.round(near.d * 100) / 100;
    const right = d <= tol;
    let text;
    if (right) text = `Right: ${d.toFixed(1)} cm from trigger point ${near.n} of ${name}.`;
    else {
      const twin = nearest(bundle.muscles[q.muscle][other(q.side)].tps, click.view, click.x, click.y);
      text = twin && twin.d <= tol
        ? `Missed: that is where the trigger point lies on the ${other(q.side)} side; this pattern is on the ${q.side} side (${d.toFixed(1)} cm away).`
        : `Not quite: ${d.toFixed(1)} cm from the nearest trigger point (${near.n}); within ${tol} cm counts.`;
    }
    const pins = [
      { ...pin, name: `Your click: ${d.toFixed(1)} cm away`, to: near.to },
      { view: click.view, x: near.to[0], y: near.to[1], name: `${name} trigger point ${near.n}`, answer: true },
    ];
    record(right, text, { pins, distance_cm: d });
  });

  model.on("change:marked", () => {
    const q = qs[i];
    if (q.kind !== "zones" || records[i]) return;
    const marked = model.get("marked") || [];
    say(marked.length ? `Marked ${marked.length}: ${regionWords(marked)}. Check when done.` : page.hints.zones);
  });

  function checkZones() {
    const q = qs[i];
    if (records[i]) return say("Already answered: press Next.");
    const marked = model.get("marked") || [];
    if (!marked.length) return say("Mark at least one zone first: click the regions on the map.", "warn");
    const key = ([r, s]) => `${r}|${s}`;
    const zones = bundle.muscles[q.muscle][q.side].zones;
    const essential = new Set(zones.filter((z) => z[3] === "essential").map((z) => key([z[1], z[2]])));
    const spill = new Set(zones.filter((z) => z[3] === "spillover").map((z) => key([z[1], z[2]])).filter((k) => !essential.has(k)));
    const given = new Set(marked.map(key));
    const counted = [...given].filter((k) => !spill.has(k));
    const union = new Set([...counted, ...essential]);
    const hits = counted.filter((k) => essential.has(k));
    const overlap = union.size ? Math.round((hits.length / union.size) * 1000) / 1000 : 0;
    const right = overlap >= rules.zones_right;
    const pairs = (keys) => regionWords([...keys].sort().map((k) => k.split("|")));
    const parts = [`overlap ${Math.round(overlap * 100)}% with the essential zones`];
    const missed = [...essential].filter((k) => !given.has(k));
    const extra = counted.filter((k) => !essential.has(k));
    const spilled = [...given].filter((k) => spill.has(k));
    if (hits.length) parts.push(`found: ${pairs(hits)}`);
    if (missed.length) parts.push(`missed: ${pairs(missed)}`);
    if (extra.length) parts.push(`not essential: ${pairs(extra)}`);
    if (spilled.length) parts.push(`spillover, not counted: ${pairs(spilled)}`);
    const head = right ? "Right" : `Not quite (at least ${Math.round(rules.zones_right * 100)}% counts)`;
    record(right, `${head}: ${parts.join("; ")}.`, { marked, overlap });
  }

  function reveal() {
    revealed[i] = true;
    showAnswer();
  }

  function next() {
    if (i + 1 >= qs.length) {
      const score = records.filter((r) => r && r.correct && !r.revealed_first).length;
      return say(`Finished: ${score} of ${qs.length} right.`, "ok");
    }
    i += 1;
    ask();
  }

  createMap(model, mapHost, bundle);
  ask();
  window.dnvizModel = model;
  window.dnvizQuiz = { records, get index() { return i; } };
}

const page = JSON.parse(document.getElementById("dnviz-page").textContent);
const root = document.getElementById("dnviz-root");
(page.kind === "quiz" ? quiz : muscleExplorer)(page, root);
document.body.dataset.ready = "1";
