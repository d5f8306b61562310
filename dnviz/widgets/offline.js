// A kernel-free page: the map's state lives in a small model in the page instead of a kernel.
// The page's data (the map bundle, cards, names, questions) is JSON in <script type="application/json">.
import { createMap } from "./map.js";

class PageModel {
  constructor(state, bundle) {
    this.state = { ...state };
    this.bundle = bundle;
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
  const model = new PageModel({ ...page.state, controls }, page.bundle);
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

function quiz(page, root) {
  const model = new PageModel({ ...page.state, hide_names: true }, page.bundle);
  const layout = document.createElement("div");
  layout.className = "dv-layout";
  root.appendChild(layout);
  const controls = document.createElement("div");
  controls.className = "dv-controls";
  layout.appendChild(controls);
  const mapHost = document.createElement("div");
  mapHost.className = "dv-map";
  layout.appendChild(mapHost);
  const heading = document.createElement("div");
  heading.className = "dv-question";
  controls.appendChild(heading);
  const options = document.createElement("div");
  options.className = "dv-options";
  controls.appendChild(options);
  const feedback = document.createElement("div");
  feedback.className = "dv-status";
  controls.appendChild(feedback);
  const score = document.createElement("div");
  score.className = "dv-score";
  controls.appendChild(score);
  const nav = document.createElement("div");
  controls.appendChild(nav);
  let i = 0;
  let right = 0;
  let answered = new Set();
  function ask() {
    const q = page.questions[i];
    answered = answered || new Set();
    model.set("muscle", q.muscle);
    model.set("hide_names", true);
    model.set("title", `Question ${i + 1} of ${page.questions.length}: which muscle refers pain in this pattern?`);
    heading.textContent = `Question ${i + 1} of ${page.questions.length}`;
    feedback.textContent = "";
    options.replaceChildren();
    for (const id of q.options) {
      button(page.bundle.muscles[id].name, options, () => {
        if (answered.has(i)) return;
        answered.add(i);
        const ok = id === q.muscle;
        if (ok) right += 1;
        feedback.textContent = ok ? `Right: ${page.bundle.muscles[q.muscle].name}.` : `Not quite: this is ${page.bundle.muscles[q.muscle].name}.`;
        model.set("hide_names", false);
        model.set("title", `${page.bundle.muscles[q.muscle].name}: trigger points and referral zones`);
        score.textContent = `Score: ${right} of ${answered.size}`;
      });
    }
    score.textContent = `Score: ${right} of ${answered.size}`;
  }
  button("Next question", nav, () => { i = (i + 1) % page.questions.length; ask(); });
  createMap(model, mapHost, page.bundle);
  ask();
  window.dnvizModel = model;
}

const page = JSON.parse(document.getElementById("dnviz-page").textContent);
const root = document.getElementById("dnviz-root");
(page.kind === "quiz" ? quiz : muscleExplorer)(page, root);
document.body.dataset.ready = "1";
