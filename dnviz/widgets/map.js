// dnviz body map: the scene drawn as SVG in the browser.
// createMap(model, host, bundle) draws a map whose state lives in `model` (muscle, side, tp, window,
// marked, ...). In JupyterLab and Voila each BodyMap's loader (dnviz/widgets/map.py) imports this
// module once per page from the shared MapData model and hands it the bundle (every view's body and
// every muscle's pattern); the kernel-free page (offline.js) does the same with its embedded bundle.
// Every text reaches the page through textContent: nothing here is parsed as HTML.

const NS = "http://www.w3.org/2000/svg";
const STYLE_ID = "dnviz-map-style";
const CSS = `
.dnviz-map{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap}
.dnviz-map .dm-figure{position:relative;min-width:0}
.dnviz-map .dm-controls{display:flex;flex-direction:column;gap:10px;width:16em;flex:0 0 auto}
.dnviz-map .dm-controls label{display:flex;flex-direction:column;gap:3px;font-weight:600}
.dnviz-map .dm-controls input,.dnviz-map .dm-controls select{font:inherit;font-weight:400;padding:4px 6px;min-height:2.2em;box-sizing:border-box;width:100%}
.dnviz-map .dm-buttons{display:flex;flex-wrap:wrap;gap:4px}
.dnviz-map button.dm-button{font:inherit;min-height:2.2em;min-width:2.6em;padding:2px 10px;border:1px solid #888;border-radius:4px;background:#f4f4f4;cursor:pointer}
.dnviz-map button.dm-button.dm-on{background:#1f4e79;border-color:#1f4e79;color:#fff}
.dnviz-map.dm-present button.dm-button,.dnviz-map.dm-present .dm-controls select,.dnviz-map.dm-present .dm-controls input{min-height:44px}
.dnviz-map .dm-message{min-height:1.3em;color:#1f4e79}
.dnviz-map .dm-message.dm-error{color:#8b0000}
.dnviz-map{font-family:var(--dnviz-font,DejaVu Sans,Arial,sans-serif);
  font-size:var(--dnviz-font-px,14px);color:#1a1a1a;max-width:100%}
.dnviz-map .dm-title{font-weight:600;font-size:1.2em;margin:2px 0 4px;min-height:1.3em}
.dnviz-map svg.dm-svg{display:block;width:100%;height:auto;background:#fff;touch-action:manipulation}
.dnviz-map .dm-body{fill:var(--dm-skin);stroke:var(--dm-outline);stroke-width:1.4px;vector-effect:non-scaling-stroke}
.dnviz-map .dm-skeleton{fill:none;stroke:var(--dm-skeleton);stroke-width:1px;vector-effect:non-scaling-stroke}
.dnviz-map .dm-region{fill:rgba(0,0,0,0);stroke:var(--dm-region-line);stroke-width:.6px;vector-effect:non-scaling-stroke;cursor:pointer}
.dnviz-map .dm-region.dm-hot{fill:rgba(40,40,40,.14);stroke:#111;stroke-width:2.5px}
.dnviz-map.dm-quiet .dm-region{cursor:default}
.dnviz-map .dm-essential{fill:var(--dm-colour);fill-opacity:.72;stroke:var(--dm-colour);stroke-width:.8px;vector-effect:non-scaling-stroke}
.dnviz-map .dm-spillover{fill:url(#dm-hatch-ID);stroke:var(--dm-colour);stroke-width:1.2px;vector-effect:non-scaling-stroke}
.dnviz-map .dm-weak{fill-opacity:.38;stroke-dasharray:2 2}
.dnviz-map .dm-outline{fill:rgba(139,69,56,.07);stroke:var(--dm-muscle);stroke-width:1.6px;vector-effect:non-scaling-stroke}
.dnviz-map .dm-outline.dm-deep{stroke-dasharray:6 4}
.dnviz-map .dm-pain{fill:var(--dm-pain);fill-opacity:.55;stroke:var(--dm-pain);stroke-width:1.2px;vector-effect:non-scaling-stroke}
.dnviz-map .dm-pain-edge{fill:none;stroke:var(--dm-pain);stroke-width:2.6px;vector-effect:non-scaling-stroke;pointer-events:none}
.dnviz-map .dm-shade{fill:#8a3b12;stroke:none}
.dnviz-map .dm-cross{stroke:var(--dm-cross);stroke-width:2.6px;vector-effect:non-scaling-stroke;fill:none}
.dnviz-map .dm-cross-hit{fill:rgba(0,0,0,0);cursor:help}
.dnviz-map .dm-num{font-weight:700;fill:var(--dm-cross);paint-order:stroke;stroke:#fff}
.dnviz-map .dm-label{fill:#5a2a20;font-style:italic;paint-order:stroke;stroke:#fff}
.dnviz-map .dm-safety-high{fill:var(--dm-high);fill-opacity:.5;stroke:var(--dm-high);stroke-width:1px;vector-effect:non-scaling-stroke}
.dnviz-map .dm-safety-caution{fill:var(--dm-caution);fill-opacity:.45;stroke:var(--dm-caution);stroke-width:1px;vector-effect:non-scaling-stroke}
.dnviz-map .dm-safety-line{fill:none;stroke:var(--dm-high);stroke-width:1.4px;vector-effect:non-scaling-stroke}
.dnviz-map .dm-safety-lung{fill:none;stroke:var(--dm-high);stroke-width:1.2px;stroke-dasharray:5 3;vector-effect:non-scaling-stroke}
.dnviz-map .dm-danger{fill:var(--dm-caution);fill-opacity:.35;stroke:var(--dm-high);stroke-width:1px;stroke-dasharray:3 2;vector-effect:non-scaling-stroke}
.dnviz-map .dm-safety-name{fill:var(--dm-high);font-weight:700;paint-order:stroke;stroke:#fff}
.dnviz-map .dm-site{fill:none;stroke:#000;stroke-width:3px;vector-effect:non-scaling-stroke}
.dnviz-map .dm-pin{fill:#111;stroke:#fff;stroke-width:2px;vector-effect:non-scaling-stroke}
.dnviz-map .dm-pin.dm-answer{fill:var(--dm-colour)}
.dnviz-map .dm-miss{stroke:#111;stroke-width:1.5px;stroke-dasharray:4 3;vector-effect:non-scaling-stroke}
.dnviz-map .dm-side{fill:#444}
.dnviz-map .dm-viewtitle{fill:#222;font-weight:700}
.dnviz-map .dm-tip{position:absolute;pointer-events:none;background:rgba(255,255,255,.96);border:1px solid #999;
  border-radius:4px;padding:4px 8px;max-width:28em;box-shadow:0 1px 4px rgba(0,0,0,.25);display:none;z-index:5;line-height:1.3}
.dnviz-map .dm-tip div:first-child{font-weight:700}
.dnviz-map .dm-hover{min-height:1.4em;color:#1f4e79}
.dnviz-map .dm-legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.9em}
.dnviz-map .dm-legend span{display:inline-flex;align-items:center;gap:5px}
.dnviz-map .dm-key{display:inline-block;width:1.1em;height:.8em;border:1.5px solid var(--dm-colour)}
.dnviz-map .dm-foot{display:flex;gap:12px;align-items:flex-start;margin-top:4px}
.dnviz-map .dm-locator{flex:0 0 auto;width:84px;height:64px;background:#fff;border:1px solid #bbb}
.dnviz-map .dm-locator .dm-body{stroke-width:.8px}
.dnviz-map .dm-locator rect{fill:none;stroke:#d00;stroke-width:2px;vector-effect:non-scaling-stroke}
.dnviz-theme-present{font-size:22px}
.dnviz-theme-present .dnviz-card,.dnviz-theme-present .dnviz-msg,.dnviz-theme-present .widget-html-content,
.dnviz-theme-present .widget-label,.dnviz-theme-present .widget-label-basic,.dnviz-theme-present .widget-radio-box label,
.dnviz-theme-present .widget-inline-hbox .widget-label{font-size:22px;line-height:1.35}
.dnviz-theme-present button.jupyter-button,.dnviz-theme-present .widget-toggle-button{font-size:22px;min-height:44px;height:auto;padding:4px 14px}
.dnviz-theme-present select,.dnviz-theme-present input{font-size:22px;min-height:44px}
.dnviz-theme-present .widget-select select{min-height:auto}
.dnviz-theme-present .widget-radio-box input{width:24px;height:24px}
.dnviz-classroom.dnviz-theme-present .lm-TabBar-tab{font-size:22px;min-height:44px;line-height:44px;flex:0 0 auto !important;max-width:none !important;padding:0 18px}
.dnviz-classroom.dnviz-theme-present .lm-TabBar{min-height:46px}
.dnviz-classroom.dnviz-theme-present > .widget-html p{font-size:18px}
.dnviz-theme-present .widget-slider .noUi-handle{width:28px;height:28px}
.dnviz-theme-present .widget-hslider{height:auto;min-height:48px;align-items:center}
.dnviz-theme-present .widget-hslider .widget-readout{font-size:22px;min-width:2.5em;height:auto}
.dnviz-theme-present .widget-dropdown{height:auto;min-height:44px;align-items:center}
.dnviz-map .dm-disclaimer{font-size:.8em;font-style:italic;color:#444;margin-top:2px}
`;

function ensureStyle() {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  style.textContent = CSS.replaceAll("dm-hatch-ID", "dm-hatch");
  document.head.appendChild(style);
}

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function div(cls, parent, text) {
  const node = document.createElement("div");
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

const lerp = (a, b, t) => a + (b - a) * t;
const ease = (t) => (t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2);

export function createMap(model, host, bundle) {
  ensureStyle();
  const shell = div("dnviz-map", host);
  const panel = div("dm-controls", shell);
  const root = div("dm-figure", shell);
  const title = div("dm-title", root);
  const frameBox = div("", root);
  frameBox.style.position = "relative";
  const svg = el("svg", { class: "dm-svg", role: "img", preserveAspectRatio: "xMinYMid meet" }, frameBox);
  const defs = el("defs", {}, svg);
  const hatch = el("pattern", { id: "dm-hatch", patternUnits: "userSpaceOnUse", width: 1.2, height: 1.2, patternTransform: "rotate(45)" }, defs);
  const hatchLine = el("line", { x1: 0, y1: 0, x2: 0, y2: 1.2, "stroke-width": 0.5 }, hatch);
  const flip = el("g", { transform: "scale(1,-1)" }, svg);
  const over = el("g", {}, svg); // texts, drawn upright
  const viewLabels = el("g", { class: "dm-viewlabels" }, svg);
  const tip = div("dm-tip", frameBox);
  const hover = div("dm-hover", root);
  const foot = div("dm-foot", root);
  const locator = el("svg", { class: "dm-locator", role: "img", "aria-label": "Where the window is on the whole body" }, foot);
  const legend = div("dm-legend", foot);
  const disclaimer = div("dm-disclaimer", root);
  const controls = buildControls(model, panel, bundle);

  const views = {};
  const regionIndex = new Map(); // "view|region|side" -> path data
  for (const [name, v] of Object.entries(bundle.views)) {
    const outer = el("g", { class: "dm-view", "data-view": name }, flip);
    const clip = el("clipPath", { id: `dm-clip-${name}-${Math.random().toString(36).slice(2)}` }, defs);
    const rect = el("rect", {}, clip);
    const inner = el("g", { "clip-path": `url(#${clip.id})` }, outer);
    el("path", { class: "dm-body", d: v.body }, inner);
    el("path", { class: "dm-skeleton", d: v.skeleton || "" }, inner);
    const layers = {};
    for (const layer of ["shade", "pain", "safety", "outline", "spillover", "essential", "painEdge", "regions", "marks", "tps"]) {
      layers[layer] = el("g", { class: `dm-layer-${layer}` }, inner);
    }
    const labels = el("g", { class: "dm-labels", "data-view": name }, over);
    const regions = [];
    for (const [region, side, label, d] of v.regions) {
      regionIndex.set(`${name}|${region}|${side}`, d);
      const p = el("path", { class: "dm-region", d, "data-region": region, "data-side": side, "data-view": name }, layers.regions);
      p.__label = label;
      regions.push(p);
    }
    views[name] = { outer, inner, rect, layers, labels, data: v, panel: null, regions };
  }
  const loc = {};
  for (const name of ["anterior", "posterior"]) {
    if (!bundle.views[name]) continue;
    const g = el("g", { transform: "scale(1,-1)" }, locator);
    loc[name] = { g, body: el("path", { class: "dm-body", d: bundle.views[name].body }, g), rect: el("rect", {}, g) };
  }

  let current = null; // the window shown: {views, panels, frame}
  let anim = 0;
  let scale = 1; // px per cm
  const clickCount = { n: 0 };

  const get = (k) => model.get(k);
  const opt = (k, d) => (get(k) === undefined || get(k) === null ? d : get(k));

  function style() {
    const s = opt("colours", {});
    const vars = {
      "--dm-colour": s.colour || "#D55E00", "--dm-skin": s.skin || "#F6EBE1", "--dm-outline": s.outline || "#8C6D5A",
      "--dm-skeleton": s.skeleton || "rgba(95,110,140,.45)", "--dm-region-line": s.region_line || "rgba(120,100,90,.35)",
      "--dm-pain": s.pain || "#56B4E9", "--dm-cross": s.cross || "#111", "--dm-muscle": s.muscle || "#8B4538",
      "--dm-high": s.high || "#7B2D8E", "--dm-caution": s.caution || "#C17FD0",
      "--dnviz-font-px": `${opt("font_px", 14)}px`,
    };
    for (const [k, v] of Object.entries(vars)) shell.style.setProperty(k, v);
    hatchLine.setAttribute("stroke", vars["--dm-colour"]);
    shell.classList.toggle("dm-quiet", opt("mode", "pattern") === "pattern");
    shell.classList.toggle("dm-present", opt("font_px", 14) >= 24);
    disclaimer.textContent = opt("disclaimer", "");
    const m = bundle.muscles[opt("muscle", "")];
    title.textContent = opt("title", "") || (m && !opt("hide_names", false) ? `${m.name}: trigger points and referral zones` : "");
    root.style.flex = `1 1 ${Math.min(480, opt("width_px", 760))}px`;
    root.style.maxWidth = `${opt("width_px", 760)}px`;
    panel.style.display = opt("controls", []).length ? "" : "none";
    // beside its own controls the map keeps to the left; beside an explorer's panel on the right, centred
    svg.setAttribute("preserveAspectRatio", opt("controls", []).length ? "xMinYMid meet" : "xMidYMid meet");
  }

  function windowOf() {
    const muscle = opt("muscle", null);
    const side = opt("side", "right");
    const win = opt("window", "auto");
    if (win === "auto" && muscle && bundle.muscles[muscle]) return bundle.muscles[muscle].windows[side];
    if (win === "auto" || win === "whole") return bundle.windows.whole;
    if (win === "whole_all") return bundle.windows.whole_all;
    return bundle.windows[`${win}|${side}`] || bundle.windows.whole;
  }

  function place(w, t, from) {
    // move every view to its panel in window w (t in 0..1 between `from` and w)
    const frame = from ? w.frame.map((v, i) => lerp(from.frame[i], v, t)) : w.frame;
    const widthPx = frameBox.clientWidth || opt("width_px", 900);
    const maxH = opt("height_px", 640);
    // room above each view for its title and below for the patient's sides, in px whatever the zoom
    const fontPx = opt("font_px", 14);
    let s0 = Math.min(widthPx / (frame[2] - frame[0]), maxH / (frame[3] - frame[1]));
    s0 = Math.min(widthPx / (frame[2] - frame[0]), maxH / (frame[3] - frame[1] + (3.4 * fontPx) / s0));
    const x0 = frame[0];
    const x1 = frame[2];
    const y0 = frame[1] - (1.7 * fontPx) / s0;
    const y1 = frame[3] + (1.7 * fontPx) / s0;
    svg.setAttribute("viewBox", `${x0} ${-y1} ${x1 - x0} ${y1 - y0}`);
    const aspect = (y1 - y0) / (x1 - x0);
    svg.style.maxHeight = `${maxH}px`;
    scale = Math.min(widthPx / (x1 - x0), maxH / (y1 - y0));
    svg.style.aspectRatio = `${1 / aspect}`;
    for (const [name, v] of Object.entries(views)) {
      const p = w.panels[name];
      const q = from && from.panels[name];
      if (!p) {
        v.outer.style.display = "none";
        v.labels.style.display = "none";
        v.panel = null;
        continue;
      }
      const dx = q ? lerp(q.dx, p.dx, t) : p.dx;
      const dy = q ? lerp(q.dy, p.dy, t) : p.dy;
      const box = q ? p.box.map((b, i) => lerp(q.box[i], b, t)) : p.box;
      v.outer.style.display = "";
      v.labels.style.display = "";
      v.outer.setAttribute("transform", `translate(${dx},${dy})`);
      v.labels.setAttribute("transform", `translate(${dx},${-dy})`);
      v.rect.setAttribute("x", box[0] - dx);
      v.rect.setAttribute("y", box[1] - dy);
      v.rect.setAttribute("width", box[2] - box[0]);
      v.rect.setAttribute("height", box[3] - box[1]);
      v.panel = { dx, dy, box };
    }
    hatch.setAttribute("width", 7 / scale);
    hatch.setAttribute("height", 7 / scale);
    hatchLine.setAttribute("y2", 7 / scale);
    hatchLine.setAttribute("stroke-width", 2.2 / scale);
    hatchLine.setAttribute("x1", 0);
    hatchLine.setAttribute("x2", 0);
    drawLocator(w);
    drawViewLabels(w);
    drawSized();
  }

  function drawViewLabels(w) {
    // each view's title above it, and the patient's sides below it (as the plotly renderer labels them)
    viewLabels.replaceChildren();
    const fontCm = opt("font_px", 14) / scale;
    const text = (cls, x, y, words, size) => {
      const t = el("text", { class: cls, x, y: -y, "text-anchor": "middle", "font-size": size }, viewLabels);
      t.textContent = words;
      return t;
    };
    for (const [name, v] of Object.entries(views)) {
      if (!v.panel) continue;
      const [x0, y0, x1, y1] = v.panel.box;
      // words that fit the panel: a narrow panel gets the short forms (about 0.6 em a character)
      const fits = (words, size, room) => words.length * 0.6 * size <= room;
      const title = v.data.title || name;
      const short = v.data.short || title;
      text("dm-viewtitle", (x0 + x1) / 2, y1 + 0.45 * fontCm, fits(title, fontCm * 1.05, x1 - x0) ? title : short, fontCm * 1.05);
      const low = y0 - 1.25 * fontCm;
      const sides = v.data.sides;
      const sideWords = (side, room) => (fits(`Patient's ${side}`, fontCm * 0.95, room) ? `Patient's ${side}` : side[0].toUpperCase() + side.slice(1));
      if (sides.length === 1) {
        text("dm-side", (x0 + x1) / 2, low, sideWords(sides[0], x1 - x0), fontCm * 0.95);
        continue;
      }
      const mid = v.panel.dx; // the midline: plot x 0 of the view, moved to its panel
      for (const side of ["right", "left"]) {
        const onPlus = (side === "left") === (v.data.left_sign > 0);
        const shown = onPlus ? x1 - Math.max(x0, mid) : Math.min(x1, mid) - x0;
        if (shown < 0.3 * (x1 - x0)) continue; // this side is (almost) out of the window
        const inner = onPlus ? Math.max(x0, mid) : Math.min(x1, mid);
        const room = onPlus ? x1 - inner : inner - x0;
        text("dm-side", onPlus ? (inner + x1) / 2 : (x0 + inner) / 2, low, sideWords(side, room * 0.95), fontCm * 0.95);
      }
    }
  }

  function drawLocator(w) {
    const whole = bundle.windows.whole;
    const show = w.window !== "whole" && Object.keys(loc).length > 0;
    locator.style.display = show ? "" : "none";
    if (!show) return;
    const [x0, y0, x1, y1] = whole.frame;
    locator.setAttribute("viewBox", `${x0 - 2} ${-y1 - 2} ${x1 - x0 + 4} ${y1 - y0 + 4}`);
    for (const [name, l] of Object.entries(loc)) {
      const p = whole.panels[name];
      l.g.setAttribute("transform", `translate(${p.dx},0) scale(1,-1)`);
      const mine = w.panels[name];
      if (!mine) { l.rect.style.display = "none"; continue; }
      const b = mine.box;
      l.rect.style.display = "";
      l.rect.setAttribute("x", b[0] - mine.dx);
      l.rect.setAttribute("y", b[1] - mine.dy);
      l.rect.setAttribute("width", b[2] - b[0]);
      l.rect.setAttribute("height", b[3] - b[1]);
    }
  }

  function show(w) {
    cancelAnimationFrame(anim);
    const from = current;
    current = w;
    const same = from && from.views.length === w.views.length && w.views.every((v) => from.panels[v]);
    if (!from || from === w || !same || !opt("animate", true)) {  // new views: no flight through empty space
      place(w, 1, null);
      return;
    }
    const start = performance.now();
    const step = (now) => {
      const t = Math.min(1, (now - start) / 280);
      place(w, ease(t), from);
      if (t < 1) anim = requestAnimationFrame(step);
    };
    place(w, 0, from);
    anim = requestAnimationFrame(step);
  }

  // --- the pattern -------------------------------------------------------------------------
  function clear(layer) {
    for (const v of Object.values(views)) v.layers[layer].replaceChildren();
  }

  function sidesOf(side) {
    return side === "both" ? ["right", "left"] : [side];
  }

  function drawPattern() {
    for (const layer of ["outline", "spillover", "essential", "tps"]) clear(layer);
    for (const v of Object.values(views)) v.labels.replaceChildren();
    const muscle = opt("muscle", null);
    const m = muscle && bundle.muscles[muscle];
    shell.dataset.muscle = m ? muscle : "";
    if (!m) return;
    const tp = opt("tp", null);
    const shown = opt("layers", {});
    const hideNames = opt("hide_names", false);
    for (const side of sidesOf(opt("side", "right"))) {
      const part = m[side];
      if (shown.outline !== false) {
        for (const [view, d, deep, lx, ly, name] of part.outlines) {
          const v = views[view];
          if (!v) continue;
          const p = el("path", { class: deep ? "dm-outline dm-deep" : "dm-outline", d, "data-side": side }, v.layers.outline);
          p.__tip = [hideNames ? (deep ? "The muscle (deep)" : "The muscle") : name];
          if (deep) {
            const t = el("text", { class: "dm-label", "data-x": lx, "data-y": ly }, v.labels);
            t.textContent = "deep";
          }
        }
      }
      if (shown.zones !== false) {
        for (const [view, region, zside, kind, weak, row] of part.zones) {
          const v = views[view];
          const d = regionIndex.get(`${view}|${region}|${zside}`);
          if (!v || !d) continue;
          const r = m.rows[row];
          if (tp !== null && r[0] !== tp) continue;
          const p = el("path", { class: `dm-${kind}${weak ? " dm-weak" : ""}`, d, "data-region": region, "data-side": zside, "data-kind": kind }, v.layers[kind]);
          p.__tip = [`${hideNames ? "" : m.name + " "}trigger point ${r[0]}: ${kind} zone, ${zside} ${r[3]}`.trim(), r[4]];
        }
      }
      if (shown.tps !== false) {
        for (const [view, x, y, number, tside] of part.tps) {
          const v = views[view];
          if (!v || (tp !== null && number !== tp)) continue;
          const info = m.tps[String(number)] || [];
          const g = el("g", { class: "dm-tp", "data-x": x, "data-y": y, "data-number": number, "data-side": tside }, v.layers.tps);
          el("path", { class: "dm-cross" }, g);
          el("circle", { class: "dm-cross-hit", cx: x, cy: y }, g);
          g.__tip = [`${hideNames ? "" : m.name + " "}trigger point ${number} (${tside})`.trim(), info[1], info[2], info[3]].filter(Boolean);
          const t = el("text", { class: "dm-num", "data-x": x, "data-y": y, "data-number": number }, v.labels);
          t.textContent = String(number);
        }
      }
    }
    drawSized();
  }

  function drawSized() {
    // sizes in px on screen, whatever the zoom: crosses, hit circles, labels (placed apart)
    const fontPx = opt("font_px", 14);
    const cm = 1 / scale;
    const half = (opt("cross_px", 16) / 2) * cm;
    for (const v of Object.values(views)) {
      for (const g of v.layers.tps.children) {
        const x = +g.dataset.x;
        const y = +g.dataset.y;
        g.firstChild.setAttribute("d", `M${x - half} ${y - half}L${x + half} ${y + half}M${x - half} ${y + half}L${x + half} ${y - half}`);
        g.lastChild.setAttribute("r", Math.max(half * 1.6, 22 * cm)); // a 44 px target
      }
      const taken = [];
      for (const g of v.layers.tps.children) taken.push([+g.dataset.x - half, +g.dataset.y - half, +g.dataset.x + half, +g.dataset.y + half]);
      for (const t of v.labels.children) {
        t.setAttribute("font-size", (t.classList.contains("dm-num") ? fontPx * 1.15 : fontPx * 0.9) * cm);
        const x = +t.dataset.x;
        const y = +t.dataset.y;
        if (!t.classList.contains("dm-num")) {
          t.setAttribute("x", x);
          t.setAttribute("y", -y);
          t.setAttribute("text-anchor", "middle");
          continue;
        }
        const w = fontPx * 0.75 * cm * t.textContent.length;
        const h = fontPx * 1.1 * cm;
        const gap = half * 1.2;
        const tries = [[gap, gap], [gap, -gap - h], [-gap - w, gap], [-gap - w, -gap - h], [gap * 2.2, 0 - h / 2], [-gap * 2.2 - w, -h / 2], [-w / 2, gap * 2], [-w / 2, -gap * 2 - h]];
        let best = tries[0];
        for (const [ox, oy] of tries) {
          const b = [x + ox, y + oy, x + ox + w, y + oy + h];
          if (!taken.some((o) => b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3])) { best = [ox, oy]; break; }
        }
        const b = [x + best[0], y + best[1], x + best[0] + w, y + best[1] + h];
        taken.push(b);
        t.setAttribute("x", b[0]);
        t.setAttribute("y", -b[1]);
      }
    }
    for (const v of Object.values(views)) {
      for (const t of v.labels.children) t.setAttribute("stroke-width", 3 * cm);
      for (const n of v.layers.marks.querySelectorAll("circle.dm-pin")) n.setAttribute("r", 7 * cm);
      for (const n of v.layers.marks.querySelectorAll("circle.dm-site")) n.setAttribute("r", 12 * cm);
      for (const t of v.labels.querySelectorAll("text.dm-safety-name,text.dm-side")) {
        t.setAttribute("font-size", fontPx * 0.95 * cm);
        t.setAttribute("x", t.dataset.x);
        t.setAttribute("y", -t.dataset.y);
      }
    }
  }

  function drawMarked() {
    clear("pain");
    clear("painEdge"); // the marked pain's edge, drawn over a muscle's zones so the two can be compared
    const marked = opt("marked", []);
    for (const [region, side] of marked) {
      for (const [name, v] of Object.entries(views)) {
        const d = regionIndex.get(`${name}|${region}|${side}`);
        if (d) el("path", { class: "dm-pain", d, "data-region": region, "data-side": side }, v.layers.pain);
        if (d) el("path", { class: "dm-pain-edge", d }, v.layers.painEdge);
      }
    }
    shell.dataset.marked = String(marked.length);
  }

  function drawShade() {
    clear("shade");
    for (const [region, side, level] of opt("shade", [])) {
      for (const [name, v] of Object.entries(views)) {
        const d = regionIndex.get(`${name}|${region}|${side}`);
        if (d) el("path", { class: "dm-shade", d, "fill-opacity": 0.12 + 0.14 * level }, v.layers.shade);
      }
    }
  }

  function drawSafety() {
    clear("safety");
    for (const v of Object.values(views)) for (const n of [...v.labels.querySelectorAll(".dm-safety-name")]) n.remove();
    if (!opt("safety", false) || !bundle.safety) return;
    const cls = { "safety-high": "dm-safety-high", "safety-caution": "dm-safety-caution", "safety-sternum": "dm-safety-high",
      "safety-apex": "dm-safety-caution", "safety-recess": "dm-safety-caution", "safety-pleura": "dm-safety-line",
      "safety-lung": "dm-safety-lung", "danger-zone": "dm-danger" };
    for (const [view, role, kind, d, name, x, y] of bundle.safety) {
      const v = views[view];
      if (!v) continue;
      if (kind === "text") {
        if (opt("layers", {}).safety_names === false) continue; // hidden: the legend and the areas' hover name them
        const t = el("text", { class: "dm-safety-name", "data-x": x, "data-y": y, "text-anchor": "middle" }, v.labels);
        t.textContent = name;
        continue;
      }
      const p = el("path", { class: cls[role] || "dm-danger", d, "data-role": role }, v.layers.safety);
      p.__tip = name.split("\n");
    }
    drawSized();
  }

  function drawMarks() {
    clear("marks");
    const site = opt("site", null);
    if (site && views[site.view]) {
      const v = views[site.view];
      el("circle", { class: "dm-site", cx: site.x, cy: site.y, "data-site": site.name || "" }, v.layers.marks);
      const c = el("circle", { class: "dm-pin", cx: site.x, cy: site.y }, v.layers.marks);
      c.__tip = [site.name || "Needle site"];
      for (const [ax, ay] of site.also || []) {
        // the same site on the other side of the same view ([[x, y]], plot cm)
        el("circle", { class: "dm-site", cx: ax, cy: ay, "data-site": site.name || "" }, v.layers.marks);
        el("circle", { class: "dm-pin", cx: ax, cy: ay }, v.layers.marks).__tip = [site.name || "Needle site"];
      }
    }
    for (const pin of opt("pins", [])) {
      const v = views[pin.view];
      if (!v) continue;
      if (pin.to) el("line", { class: "dm-miss", x1: pin.x, y1: pin.y, x2: pin.to[0], y2: pin.to[1] }, v.layers.marks);
      const c = el("circle", { class: `dm-pin${pin.answer ? " dm-answer" : ""}`, cx: pin.x, cy: pin.y }, v.layers.marks);
      c.__tip = [pin.name || ""];
    }
    drawSized();
  }

  function drawLegend() {
    legend.replaceChildren();
    const items = [];
    const mode = opt("mode", "pattern");
    if (opt("muscle", null)) {
      items.push(["dm-key", "Essential zone", { background: "var(--dm-colour)", opacity: 0.75 }]);
      items.push(["dm-key", "Spillover zone (hatched)", { background: "repeating-linear-gradient(45deg,var(--dm-colour) 0 2px,#fff 2px 5px)" }]);
      items.push(["dm-key", "Web sources only (lighter, dotted)", { borderStyle: "dotted", opacity: 0.5, background: "var(--dm-colour)" }]);
      items.push(["", "× Trigger point (numbered)", {}]);
      items.push(["dm-key", "Muscle (dashed: deep)", { borderColor: "var(--dm-muscle)" }]);
    }
    if (mode === "pain") items.push(["dm-key", "Marked pain", { background: "var(--dm-pain)", borderColor: "var(--dm-pain)" }]);
    if (opt("safety", false)) {
      items.push(["dm-key", "Lung at risk (high)", { background: "var(--dm-high)", borderColor: "var(--dm-high)" }]);
      items.push(["dm-key", "Lung under bone (caution)", { background: "var(--dm-caution)", borderColor: "var(--dm-caution)" }]);
      items.push(["dm-key", "Other danger zone (dashed; point at it for its name)", { background: "var(--dm-caution)", opacity: 0.6, borderColor: "var(--dm-high)", borderStyle: "dashed" }]);
    }
    if (opt("site", null) && opt("site", null).view) items.push(["dm-key", "Where the published depths were measured", { borderRadius: "50%", borderColor: "#000", borderWidth: "3px", width: ".8em" }]);
    for (const [cls, text, css] of items) {
      const s = document.createElement("span");
      if (cls) Object.assign(div(cls, s).style, css);
      s.appendChild(document.createTextNode(text));
      legend.appendChild(s);
    }
  }

  // --- pointer -----------------------------------------------------------------------------
  let hot = null;
  function tipFor(target) {
    for (let n = target; n && n !== svg; n = n.parentNode) {
      if (n.__tip) return n.__tip;
      if (n.__label) return [n.__label];
    }
    return null;
  }
  function regionAt(evt) {
    // the region under the pointer (regions lie under the trigger points' targets)
    if (evt.target && evt.target.classList && evt.target.classList.contains("dm-region")) return evt.target;
    const hits = document.elementsFromPoint ? document.elementsFromPoint(evt.clientX, evt.clientY) : [evt.target];
    return hits.find((n) => n.classList && n.classList.contains("dm-region")) || null;
  }
  function setHot(region) {
    if (hot === region) return;
    for (const v of Object.values(views)) for (const n of v.layers.regions.querySelectorAll(".dm-hot")) n.classList.remove("dm-hot");
    hot = region;
    if (region) {
      // the same region on every view, this side only
      for (const v of Object.values(views)) {
        for (const n of v.regions) if (n.dataset.region === region.dataset.region && n.dataset.side === region.dataset.side) n.classList.add("dm-hot");
      }
    }
    hover.textContent = region ? region.__label : "";
    shell.dataset.hover = region ? `${region.dataset.region}|${region.dataset.side}` : "";
  }
  svg.addEventListener("pointermove", (evt) => {
    const lines = tipFor(evt.target);
    const region = regionAt(evt);
    setHot(region);
    const text = lines && !(evt.target.classList && evt.target.classList.contains("dm-region")) ? lines : null;
    if (!text) { tip.style.display = "none"; return; }
    tip.replaceChildren(...text.map((line) => div("", null, line)));
    const box = frameBox.getBoundingClientRect();
    tip.style.display = "block";
    const left = Math.min(evt.clientX - box.left + 14, box.width - tip.offsetWidth - 4);
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = `${evt.clientY - box.top + 14}px`;
  });
  svg.addEventListener("pointerleave", () => { setHot(null); tip.style.display = "none"; });
  svg.addEventListener("click", (evt) => {
    const mode = opt("mode", "pattern");
    if (mode === "pattern") return;
    const region = regionAt(evt);
    let view = region ? region.dataset.view : null;
    let local = null;
    for (const [name, v] of Object.entries(views)) {
      if (!v.panel) continue;
      const ctm = v.inner.getScreenCTM();
      if (!ctm) continue;
      const pt = new DOMPoint(evt.clientX, evt.clientY).matrixTransform(ctm.inverse());
      const b = v.panel.box;
      if (pt.x + v.panel.dx >= b[0] && pt.x + v.panel.dx <= b[2] && pt.y + v.panel.dy >= b[1] && pt.y + v.panel.dy <= b[3]) {
        if (!view || view === name) { view = name; local = [Math.round(pt.x * 10) / 10, Math.round(pt.y * 10) / 10]; break; }
      }
    }
    if (mode === "pain" && region) {
      const key = [region.dataset.region, region.dataset.side];
      const marked = opt("marked", []);
      const i = marked.findIndex(([r, s]) => r === key[0] && s === key[1]);
      const next = i >= 0 ? marked.filter((_, j) => j !== i) : [...marked, key];
      model.set("marked", next);
    }
    clickCount.n += 1;
    model.set("last_click", { view, x: local && local[0], y: local && local[1], region: region ? region.dataset.region : null, side: region ? region.dataset.side : null, n: clickCount.n });
    model.save_changes();
  });

  // --- state -------------------------------------------------------------------------------
  function all() {
    style();
    drawPattern();
    drawMarked();
    drawShade();
    drawSafety();
    drawMarks();
    drawLegend();
    show(windowOf());
  }
  const handlers = {
    "change:muscle": () => { style(); drawPattern(); drawLegend(); show(windowOf()); controls.sync(); stamp(); },
    "change:side": () => { drawPattern(); show(windowOf()); controls.sync(); stamp(); },
    "change:tp": () => { drawPattern(); controls.sync(); stamp(); },
    "change:window": () => { show(windowOf()); controls.sync(); stamp(); },
    "change:offers": () => controls.sync(),
    "change:message": () => controls.sync(),
    "change:controls": () => { style(); controls.sync(); },
    "change:layers": () => { drawPattern(); drawSafety(); stamp(); },
    "change:hide_names": () => { style(); drawPattern(); },
    "change:marked": () => { drawMarked(); stamp(); },
    "change:shade": () => { drawShade(); stamp(); },
    "change:safety": () => { drawSafety(); drawLegend(); },
    "change:site": () => { drawMarks(); drawLegend(); stamp(); },
    "change:pins": () => { drawMarks(); stamp(); },
    "change:mode": () => { style(); drawLegend(); },
    "change:colours": style,
    "change:title": style,
    "change:disclaimer": style,
    "change:width_px": () => { style(); place(current || windowOf(), 1, null); },
    "change:height_px": () => place(current || windowOf(), 1, null),
    "change:font_px": () => { style(); drawSized(); },
  };
  function stamp() {
    // the time of the last repaint, for the latency benchmark (performance.now() of this frame)
    shell.dataset.painted = String(performance.now());
  }
  for (const [evt, fn] of Object.entries(handlers)) model.on(evt, fn);
  const resize = typeof ResizeObserver !== "undefined" ? new ResizeObserver(() => current && place(current, 1, null)) : null;
  if (resize) resize.observe(frameBox);
  all();
  stamp();
  return () => {
    cancelAnimationFrame(anim);
    if (resize) resize.disconnect();
    shell.remove();
    for (const [evt, fn] of Object.entries(handlers)) model.off(evt, fn);
  };
}

function buildControls(model, panel, bundle) {
  // the controls the page asks for (trait "controls"): search, area, browse, side, tp, window
  const parts = {};
  const opt = (k, d) => (model.get(k) === undefined || model.get(k) === null ? d : model.get(k));
  const set = (k, v) => { model.set(k, v); model.save_changes(); };
  const label = (text) => { const l = document.createElement("label"); l.textContent = text; panel.appendChild(l); return l; };
  const norm = (t) => String(t).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  const names = new Map(Object.entries(bundle.names || {}).map(([n, id]) => [norm(n), id]));
  const groups = new Map(Object.entries(bundle.groups || {}).map(([n, ids]) => [norm(n), ids]));
  function pick(id) {
    if (id !== opt("muscle", "")) { model.set("tp", null); model.set("message", ""); set("muscle", id); }
  }
  // search: an exact name or nickname is shown at once; anything else goes to Python's search (query)
  const search = document.createElement("input");
  search.type = "search";
  search.placeholder = "upper trap, SCM, QL...";
  search.setAttribute("aria-label", "Find a muscle by any name");
  label("Find a muscle").appendChild(search);
  parts.search = search.parentNode;
  let asked = 0;
  search.addEventListener("keydown", (evt) => {
    if (evt.key !== "Enter") return;
    const text = search.value;
    const id = names.get(norm(text));
    if (id) { pick(id); model.set("offers", []); model.set("message", ""); model.save_changes(); return; }
    const group = groups.get(norm(text));
    if (group) {
      model.set("offers", group);
      model.set("message", `info|${text} is ${group.length} muscles: choose one.`);
      model.save_changes();
      return;
    }
    asked += 1;
    set("query", `${asked}|${text}`);
  });
  const area = document.createElement("select");
  area.setAttribute("aria-label", "Body area");
  for (const [key, text] of [["", "All body areas"], ...Object.entries(bundle.areas || {})]) {
    const o = document.createElement("option");
    o.value = key;
    o.textContent = text;
    area.appendChild(o);
  }
  label("Body area").appendChild(area);
  parts.area = area.parentNode;
  const browse = document.createElement("select");
  browse.className = "dm-browse";
  browse.setAttribute("aria-label", "Muscle");
  label("Muscle").appendChild(browse);
  parts.browse = browse.parentNode;
  function fillBrowse() {
    const keep = opt("muscle", "");
    browse.replaceChildren();
    const none = document.createElement("option");
    none.value = "";
    none.textContent = "Choose a muscle";
    browse.appendChild(none);
    for (const id of bundle.order) {
      const m = bundle.muscles[id];
      if (area.value && m.area !== area.value && id !== keep) continue;
      const o = document.createElement("option");
      o.value = id;
      o.textContent = m.name;
      browse.appendChild(o);
    }
    browse.value = keep;
  }
  area.addEventListener("change", fillBrowse);
  browse.addEventListener("change", () => browse.value && pick(browse.value));
  const offers = div("dm-buttons dm-offers", panel);
  parts.offers = offers;
  function buttons(text, values, key, labelOf) {
    const l = label(text);
    const row = div("dm-buttons", l);
    const out = {};
    for (const v of values) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "dm-button";
      b.textContent = labelOf(v);
      b.addEventListener("click", () => set(key, v));
      row.appendChild(b);
      out[String(v)] = b;
    }
    return { l, row, out };
  }
  const side = buttons("Side", ["right", "left", "both"], "side", (v) => v[0].toUpperCase() + v.slice(1));
  parts.side = side.l;
  const tpRow = label("Trigger point");
  const tps = div("dm-buttons", tpRow);
  parts.tp = tpRow;
  const win = document.createElement("select");
  win.setAttribute("aria-label", "Window");
  const windows = [["auto", "Fit the pattern"], ["whole", "Whole body"], ["whole_all", "Whole body, four views"],
    ["head_neck", "Head and neck"], ["shoulder_arm", "Shoulder and arm"], ["forearm_hand", "Forearm and hand"],
    ["trunk", "Trunk"], ["hip_thigh", "Hip and thigh"], ["leg_foot", "Leg and foot"]];
  for (const [key, text] of windows) {
    const o = document.createElement("option");
    o.value = key;
    o.textContent = text;
    win.appendChild(o);
  }
  win.addEventListener("change", () => set("window", win.value));
  label("Window").appendChild(win);
  parts.window = win.parentNode;
  const msg = div("dm-message", panel);
  msg.setAttribute("role", "status");
  parts.message = msg;
  function sync() {
    const wanted = new Set(opt("controls", []));
    for (const [k, node] of Object.entries(parts)) node.style.display = wanted.has(k) || (k === "message" && wanted.size) || (k === "offers" && wanted.has("search")) ? "" : "none";
    fillBrowse();
    for (const [v, b] of Object.entries(side.out)) b.classList.toggle("dm-on", opt("side", "right") === v);
    const m = bundle.muscles[opt("muscle", "")];
    tps.replaceChildren();
    const numbers = m ? Object.keys(m.tps).map(Number).sort((a, b) => a - b) : [];
    for (const n of [null, ...numbers]) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "dm-button";
      b.textContent = n === null ? "All" : String(n);
      b.classList.toggle("dm-on", opt("tp", null) === n);
      b.addEventListener("click", () => set("tp", n));
      tps.appendChild(b);
    }
    tpRow.style.display = wanted.has("tp") && numbers.length > 1 ? "" : "none";
    win.value = opt("window", "auto");
    offers.replaceChildren();
    for (const id of opt("offers", [])) {
      if (!bundle.muscles[id]) continue;
      const b = document.createElement("button");
      b.type = "button";
      b.className = "dm-button";
      b.textContent = bundle.muscles[id].name;
      b.addEventListener("click", () => { pick(id); set("offers", []); });
      offers.appendChild(b);
    }
    const [kind, text] = String(opt("message", "")).includes("|") ? opt("message", "").split(/\|(.*)/s) : ["info", opt("message", "")];
    msg.textContent = text;
    msg.classList.toggle("dm-error", kind === "error");
  }
  sync();
  return { sync };
}
