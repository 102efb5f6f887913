// The live view of one lesson: buttons, counters, and panels (pictures, curves, plots, unit
// maps, the diagram) drawn on canvases that stay on the page from frame to frame.
//
// The server sends a payload: `full` (the scene and the current state: start again) or a batch
// of `frames` to append. The player shows one frame per `ms` on requestAnimationFrame (the one
// clock), and asks for the next batch (trigger "ask") when what is buffered runs low, at most
// one ask in flight. Clicks and keys become commands sent with the next ask. Text only: nothing
// here renders HTML from data.

const POSITIVE = [8, 119, 189];
const NEGATIVE = [245, 147, 34];
const SERIES_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"];
const ASK_TIMEOUT_MS = 3000; // at least, before an ask with no answer is sent again

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let live = parentElement.__live;
  if (!live) {
    live = parentElement.__live = createLive(parentElement);
  }
  live.send = setTriggerValue;
  if (data) receive(live, data);
  return () => {};
}

// ---- state and protocol --------------------------------------------------------------------
function createLive(root) {
  const live = {
    root, run: null, sceneKey: null, panels: {}, queue: [], nextAt: 0,
    playing: false, asked: 0, answered: 0, inFlight: null, commands: [], latency: 150,
    speed: null, finished: false, stalePage: false, send: null, looping: false,
    stats: { training: 0 }, // the server's training time, summed: benchmarks/live_view.py
  };
  window.__liveStats = live.stats;
  buildFrame(live);
  listenToKeys(live);
  return live;
}

function receive(live, data) {
  live.answered = Math.max(live.answered, data.answered || 0);
  live.asked = Math.max(live.asked, live.answered); // a view drawn anew numbers on from there
  if (live.inFlight && live.answered >= live.inFlight.n) {
    live.latency = 0.7 * live.latency + 0.3 * (performance.now() - live.inFlight.at);
    live.inFlight = null;
  }
  live.speed = data.speed;
  live.speeds = data.speeds;
  live.speedLocked = Boolean(data.speed_locked);
  live.finished = data.finished;
  live.stalePage = Boolean(data.stale_page);
  live.notes = data.notes || [];
  live.status = data.status;
  if (data.full) {
    if (live.sceneKey !== data.scene_key) buildPanels(live, data.scene);
    live.sceneKey = data.scene_key;
    live.run = data.run;
    live.queue = [];
    resetPanels(live, data);
    for (const frame of data.frames) showFrame(live, frame);
  } else if (data.run !== live.run) {
    live.run = null; // frames for a run this view does not hold (it was drawn anew): ask for all
  } else {
    live.queue.push(...data.frames.map((frame) => ({ ...frame, ms: data.frame_ms })));
    live.stats.training += data.training_ms;
  }
  if (!live.inFlight && !live.commands.length) live.playing = data.playing;
  drawControls(live);
  drawNotes(live);
  startLoop(live);
  flush(live);
}

function ask(live, command) {
  if (command) live.commands.push(command);
  flush(live);
}

function flush(live) {
  // Send the oldest waiting command, or ask for frames when the buffer runs low. An ask with no
  // answer in time is sent again as it was: the server answers an ask once (by its number).
  if (!live.send) return;
  if (live.inFlight) {
    if (performance.now() - live.inFlight.at < Math.max(ASK_TIMEOUT_MS, 4 * live.latency)) return;
    live.inFlight.at = performance.now();
    live.send("ask", live.inFlight.ask);
    return;
  }
  const cmd = live.commands.shift() || null;
  const wantsFrames = live.playing && !live.finished && bufferedMs(live) < lowWater(live);
  const pageStale = !cmd && !live.playing && live.stalePage && !live.queue.length;
  const wantsAll = live.run === null; // nothing drawn yet: the server sends everything
  if (!cmd && !wantsFrames && !pageStale && !wantsAll) return;
  const n = ++live.asked;
  if (pageStale) live.stalePage = false;
  const ask = {
    n, cmd: cmd ? cmd.name : pageStale ? "refresh" : null, value: cmd ? cmd.value : null,
    have: live.run, buffered_ms: Math.round(bufferedMs(live)), latency_ms: Math.round(live.latency),
  };
  live.inFlight = { n, ask, at: performance.now() };
  live.send("ask", ask);
}

function lowWater(live) {
  return Math.max(120, 2 * live.latency);
}

function bufferedMs(live) {
  let ms = Math.max(0, live.nextAt - performance.now());
  for (const frame of live.queue) ms += frame.ms;
  return ms;
}

function startLoop(live) {
  if (live.looping) return;
  live.looping = true;
  const tick = (now) => {
    if (!live.root.isConnected) { live.looping = false; return; }
    if (live.queue.length && now >= live.nextAt) {
      const frame = live.queue.shift();
      showFrame(live, frame);
      live.nextAt = Math.max(now, live.nextAt) + frame.ms;
      if (now - live.nextAt > 100) live.nextAt = now + frame.ms;
    }
    flush(live);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

// ---- commands ------------------------------------------------------------------------------
function command(live, name, value) {
  if (name === "play") live.playing = true;
  if (name === "pause" || name === "step" || name === "reset") {
    live.playing = false;
    live.queue = [];
  }
  if (name === "speed") live.speed = value;
  // A later play/pause replaces one still waiting: the server only needs the last word.
  const last = live.commands[live.commands.length - 1];
  if (last && (name === "play" || name === "pause") && (last.name === "play" || last.name === "pause")) {
    live.commands.pop();
  }
  drawControls(live);
  ask(live, { name, value });
}

function togglePlay(live) {
  if (live.finished && !live.playing) return;
  command(live, live.playing ? "pause" : "play");
}

function listenToKeys(live) {
  const onKey = (event) => {
    if (!live.root.isConnected) { document.removeEventListener("keydown", onKey); return; }
    if (event.ctrlKey || event.metaKey || event.altKey || typingIn(live, event)) return;
    if (event.key === " ") togglePlay(live);
    else if (event.key === "ArrowRight") command(live, "step");
    else if (event.key === "r" || event.key === "R") command(live, "reset");
    else return;
    event.preventDefault();
  };
  document.addEventListener("keydown", onKey);
}

function typingIn(live, event) {
  // Keys belong to whatever has focus: a slider's → moves the slider, a button's Space clicks
  // it. Our own buttons (focused after a click) leave → and R to the live view.
  const target = event.composedPath ? event.composedPath()[0] : event.target;
  if (!target || target === document.body || target === document.documentElement) return false;
  if (target.tagName === "BUTTON" && live.root.contains(target)) return event.key === " ";
  const tag = (target.tagName || "").toLowerCase();
  const role = target.getAttribute ? target.getAttribute("role") || "" : "";
  return ["input", "textarea", "select", "button", "a"].includes(tag) || target.isContentEditable
    || ["slider", "combobox", "listbox", "option", "textbox", "spinbutton", "tab", "button",
        "switch", "checkbox", "radio", "menuitem"].includes(role);
}

// ---- the frame: controls, counters, notes, panels -----------------------------------------
function el(tag, className, parent, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function buildFrame(live) {
  const root = el("div", "live", live.root);
  const bar = el("div", "bar", root);
  const controls = el("div", "controls", bar);
  live.playButton = el("button", "primary", controls, "Play");
  live.playButton.onclick = () => togglePlay(live);
  live.stepButton = el("button", "", controls, "Step");
  live.stepButton.title = "One iteration: forward, cost, backward, update (key →)";
  live.stepButton.onclick = () => command(live, "step");
  live.resetButton = el("button", "", controls, "Reset");
  live.resetButton.title = "Fresh weights; this run's curve joins the history (key R)";
  live.resetButton.onclick = () => command(live, "reset");
  const speed = el("label", "speed", controls, "Speed ");
  live.speedSelect = el("select", "", speed);
  live.speedSelect.onchange = () => command(live, "speed", live.speedSelect.value);
  live.counters = el("div", "counters", bar);
  live.statusBadge = el("span", "badge", bar);
  live.notesBox = el("div", "notes", root);
  live.grid = el("div", "grid", root);
}

function drawControls(live) {
  const playing = live.playing;
  live.playButton.textContent = playing ? "Pause" : "Play";
  live.playButton.title = playing ? "Pause (Space)" : "Play (Space)";
  live.playButton.disabled = live.finished && !playing;
  const options = live.speeds || [];
  if (live.speedSelect.options.length !== options.length) {
    live.speedSelect.textContent = "";
    for (const [value, label] of options) {
      const option = el("option", "", live.speedSelect, label);
      option.value = value;
    }
  }
  if (live.speed !== null && live.speed !== undefined) live.speedSelect.value = String(live.speed);
  live.speedSelect.disabled = live.speedLocked;
  live.speedSelect.title = live.speedLocked ? "Locked by the class link" : "Steps a second";
  // The server's word, or what the browser already did and the server has not yet confirmed.
  let status = live.status || ["", "gray"];
  if (live.playing) status = ["training…", "blue"];
  else if (status[0] === "training…") status = ["pausing…", "gray"];
  live.statusBadge.textContent = status[0];
  live.statusBadge.className = `badge ${status[1]}`;
}

function drawNotes(live) {
  live.notesBox.textContent = "";
  for (const [tone, text] of live.notes) el("p", `note ${tone}`, live.notesBox, text);
}

function drawCounters(live, frame) {
  const items = [["Iteration", frame.i.toLocaleString("en-US")],
    ["Cost", frame.cost === null ? "–" : formatNumber(frame.cost)],
    ["Learning rate", formatNumber(frame.lr)], ...Object.entries(frame.read || {})];
  if (live.counters.children.length !== items.length) {
    live.counters.textContent = "";
    for (const [label] of items) {
      const box = el("div", "counter", live.counters);
      el("span", "label", box, label);
      el("span", "value", box);
    }
  }
  items.forEach(([label, value], index) => {
    const box = live.counters.children[index];
    box.children[0].textContent = label;
    box.children[1].textContent = value;
    box.setAttribute("aria-label", `${label} ${value}`);
  });
}

function formatNumber(value) {
  if (typeof value !== "number") return String(value);
  if (value === 0) return "0";
  const digits = Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3 ? value.toExponential(3) : value.toPrecision(4);
  return String(Number(digits)) === digits ? digits : digits.replace(/\.?0+(e|$)/, "$1");
}

function showFrame(live, frame) {
  drawCounters(live, frame);
  for (const [id, panel] of Object.entries(live.panels)) {
    if (panel.points) for (const [name, points] of Object.entries(frame.pts || {})) panel.points(name, points);
    if (frame.v && id in frame.v) panel.update(frame.v[id]);
    if (panel.redraw) panel.redraw();
  }
}

function buildPanels(live, scene) {
  live.grid.textContent = "";
  live.panels = {};
  // layout: rows of panels; an entry that is a list is a column of panels.
  for (const row of scene.layout) {
    const rowBox = el("div", "row", live.grid);
    for (const entry of row) {
      const column = Array.isArray(entry) ? el("div", "column", rowBox) : rowBox;
      for (const id of Array.isArray(entry) ? entry : [entry]) {
        const spec = scene.panels[id];
        const box = el("div", "panel", column);
        box.style.flex = String(spec.flex || 1);
        if (Array.isArray(entry)) column.style.flex = String(spec.flex || 1);
        if (spec.title) el("div", "title", box, spec.title);
        live.panels[id] = PANELS[spec.kind](box, spec, live);
        if (spec.caption) el("div", "caption", box, spec.caption);
      }
    }
  }
}

function resetPanels(live, data) {
  for (const [id, panel] of Object.entries(live.panels)) {
    if (panel.reset) panel.reset(data.scene.panels[id]);
    if (panel.points) for (const [name, points] of Object.entries(data.history || {})) panel.points(name, points);
  }
}

// ---- panels --------------------------------------------------------------------------------
const PANELS = { picture: pictureView, curves: curvesView, plot: plotView, maps: mapsView, diagram: diagramView };

function decodeBytes(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function paint(canvas, image, colormap) {
  // image = {w, h, b64}: one byte a pixel (a value in [0, 1] × 255), or three for "rgb".
  const bytes = decodeBytes(image.b64);
  if (canvas.width !== image.w || canvas.height !== image.h) {
    canvas.width = image.w;
    canvas.height = image.h;
  }
  const context = canvas.getContext("2d");
  const pixels = context.createImageData(image.w, image.h);
  const out = pixels.data;
  const channels = colormap === "rgb" ? 3 : 1;
  const lut = channels === 1 ? colormapTable(colormap) : null;
  for (let p = 0, n = image.w * image.h; p < n; p++) {
    if (channels === 3) {
      out[4 * p] = bytes[3 * p]; out[4 * p + 1] = bytes[3 * p + 1]; out[4 * p + 2] = bytes[3 * p + 2];
    } else {
      const v = 3 * bytes[p];
      out[4 * p] = lut[v]; out[4 * p + 1] = lut[v + 1]; out[4 * p + 2] = lut[v + 2];
    }
    out[4 * p + 3] = 255;
  }
  context.putImageData(pixels, 0, 0);
}

const TABLES = new WeakMap();
function colormapTable(table) {
  // The page's colour map, kit.colormaps.table: r, g, b of entry 0, then of entry 1, ... 255.
  let lut = TABLES.get(table);
  if (!lut) TABLES.set(table, (lut = Uint8ClampedArray.from(table)));
  return lut;
}

function pictureView(box, spec, live) {
  // A raster (per frame, or static `image`) over `extent`, with static `points`, a growing
  // `path` and a `marker`, drawn on an overlay canvas at display resolution. With `clicks`, a
  // click sends the command "point" [fx, fy, shift] (fractions of the picture from its top
  // left) and marks the spot until the page answers with the new data.
  const stack = el("div", "stack", box);
  stack.style.aspectRatio = `${spec.aspect || 1}`;
  stack.style.maxWidth = `${spec.max_width || 9999}px`;
  const raster = el("canvas", "raster", stack);
  raster.style.imageRendering = spec.smooth ? "auto" : "pixelated";
  const overlay = el("canvas", "overlay", stack);
  let path = [];
  let clicked = []; // [fx, fy, shift] sent, not yet answered
  overlay.addEventListener("click", (event) => {
    if (!spec.clicks) return;
    const { left, top, width, height } = overlay.getBoundingClientRect();
    const at = [(event.clientX - left) / width, (event.clientY - top) / height];
    if (!at.every((f) => f >= 0 && f <= 1)) return;
    clicked.push([...at, event.shiftKey]);
    drawOverlay();
    command(live, "point", [...at, event.shiftKey]);
  });
  const view = {
    reset(next) {
      spec = next || spec;
      path = (spec.path || []).slice();
      clicked = [];
      overlay.classList.toggle("clickable", Boolean(spec.clicks));
      overlay.title = spec.clicks ? String(spec.clicks) : "";
      if (spec.image) paint(raster, spec.image, spec.colormap);
      drawOverlay();
    },
    update(value) {
      if (value.image) paint(raster, value.image, spec.colormap);
      if (value.path) { path.push(...value.path); drawOverlay(); }
    },
  };
  function drawOverlay() {
    const context = fitCanvas(overlay);
    if (!context) return;
    const { width, height } = overlay.getBoundingClientRect();
    const [x0, x1, y0, y1] = spec.extent || [0, 1, 0, 1];
    const px = (x) => ((x - x0) / (x1 - x0)) * width;
    const py = (y) => height - ((y - y0) / (y1 - y0)) * height;
    const [negative, positive] = spec.classes || [NEGATIVE, POSITIVE];
    for (const [x, y, group] of spec.points || []) {
      context.beginPath();
      context.arc(px(x), py(y), 3.2, 0, 2 * Math.PI);
      const colour = `rgb(${(group % 2 ? positive : negative).join(",")})`;
      context.fillStyle = group >= 2 ? "rgba(255,255,255,0.9)" : colour;
      context.strokeStyle = group >= 2 ? colour : "white";
      context.lineWidth = 1;
      context.fill();
      context.stroke();
    }
    if (path.length) {
      context.beginPath();
      path.forEach(([x, y], i) => (i ? context.lineTo(px(x), py(y)) : context.moveTo(px(x), py(y))));
      context.strokeStyle = "#d62728";
      context.lineWidth = 2;
      context.stroke();
      const [x, y] = path[path.length - 1];
      context.beginPath();
      context.arc(px(x), py(y), 4, 0, 2 * Math.PI);
      context.fillStyle = "#d62728";
      context.fill();
    }
    if (spec.marker) {
      const [x, y] = spec.marker;
      context.save();
      context.translate(px(x), py(y));
      context.rotate(Math.PI / 4);
      context.fillStyle = "black";
      context.fillRect(-4, -4, 8, 8);
      context.restore();
    }
    for (const [fx, fy, remove] of clicked) {
      context.beginPath();
      context.arc(fx * width, fy * height, 5, 0, 2 * Math.PI);
      context.strokeStyle = remove ? "#d62728" : "#222";
      context.lineWidth = 1.5;
      context.stroke();
    }
    if (spec.axes) {
      context.fillStyle = "#555";
      context.font = "11px sans-serif";
      context.fillText(`${spec.axes[1]} ↑`, 4, 12);
      context.textAlign = "right";
      context.fillText(`${spec.axes[0]} →`, width - 4, height - 4);
    }
  }
  new ResizeObserver(drawOverlay).observe(overlay);
  view.reset(spec);
  return view;
}

function fitCanvas(canvas) {
  // Match the canvas to its displayed size (sharp on any screen) and clear it.
  const { width, height } = canvas.getBoundingClientRect();
  if (!width || !height) return null;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  return context;
}

function curvesView(box, spec) {
  // Lines against iteration: the series named in spec.series grow with the frames; spec.history
  // holds earlier runs, drawn faintly.
  const canvas = el("canvas", "chart", box);
  canvas.style.height = `${spec.height || 200}px`;
  const legend = el("div", "legend", box);
  let series = {};
  let dirty = true;
  const view = {
    reset(next) {
      spec = next || spec;
      series = Object.fromEntries(spec.series.map((name) => [name, []]));
      legend.textContent = "";
      spec.series.forEach((name, index) => {
        const item = el("span", "item", legend, name);
        item.style.setProperty("--color", SERIES_COLORS[index % SERIES_COLORS.length]);
      });
      for (const past of spec.history || []) el("span", "item past", legend, past.name);
      dirty = true;
    },
    points(name, points) {
      if (!(name in series) || !points.length) return;
      const line = series[name];
      for (const point of points) if (!line.length || point[0] > line[line.length - 1][0]) line.push(point);
      if (line.length > 3000) series[name] = line.filter((_, i) => i % 2 === 0 || i === line.length - 1);
      dirty = true;
    },
    update() {},
    redraw() {
      if (!dirty) return;
      dirty = false;
      const lines = spec.series.map((name, index) => ({ points: series[name], color: SERIES_COLORS[index % 5], width: 2 }));
      for (const past of spec.history || []) lines.unshift({ points: past.points, color: "#bbb", width: 1 });
      drawChart(canvas, lines, { logY: spec.log, percent: spec.percent, xLabel: "iteration" });
    },
  };
  new ResizeObserver(() => { dirty = true; view.redraw(); }).observe(canvas);
  view.reset(spec);
  return view;
}

function plotView(box, spec) {
  // y against x: static `scatter` points and `lines`, and one line (spec.xs, value.ys) per frame.
  const canvas = el("canvas", "chart", box);
  canvas.style.height = `${spec.height || 220}px`;
  const legend = el("div", "legend", box);
  let ys = null;
  const view = {
    reset(next) {
      spec = next || spec;
      legend.textContent = "";
      for (const [index, line] of [...spec.lines, { name: spec.live }].entries()) {
        const item = el("span", "item", legend, line.name);
        item.style.setProperty("--color", SERIES_COLORS[(index + 1) % 5]);
      }
      draw();
    },
    update(value) { ys = value.ys; draw(); },
  };
  function draw() {
    const lines = spec.lines.map((line, index) => ({ points: line.xs.map((x, i) => [x, line.ys[i]]), color: SERIES_COLORS[(index + 1) % 5], width: 2, dash: [6, 4] }));
    if (ys) lines.push({ points: spec.xs.map((x, i) => [x, ys[i]]), color: SERIES_COLORS[(spec.lines.length + 1) % 5], width: 2.5 });
    drawChart(canvas, lines, { scatter: spec.scatter, xLabel: spec.x_label, yLabel: spec.y_label, yRange: spec.y_range });
  }
  new ResizeObserver(draw).observe(canvas);
  view.reset(spec);
  return view;
}

function drawChart(canvas, lines, options) {
  const context = fitCanvas(canvas);
  if (!context) return;
  const { width, height } = canvas.getBoundingClientRect();
  const box = { left: 52, right: width - 10, top: 8, bottom: height - 28 };
  const all = lines.flatMap((line) => line.points).concat(options.scatter || []);
  const finite = all.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!options.logY || y > 0));
  if (!finite.length) return;
  const transform = options.logY ? Math.log10 : (y) => y;
  let [xmin, xmax] = extent(finite.map((p) => p[0]));
  let [ymin, ymax] = options.yRange || extent(finite.map((p) => transform(p[1])));
  if (xmax === xmin) xmax = xmin + 1;
  if (ymax === ymin) { ymax += 0.5; ymin -= 0.5; }
  const pad = 0.05 * (ymax - ymin);
  if (!options.yRange) { ymin -= pad; ymax += pad; }
  const px = (x) => box.left + ((x - xmin) / (xmax - xmin)) * (box.right - box.left);
  const py = (y) => box.bottom - ((transform(y) - ymin) / (ymax - ymin)) * (box.bottom - box.top);
  context.font = "11px sans-serif";
  context.fillStyle = "#666";
  context.strokeStyle = "#e6e6e6";
  context.lineWidth = 1;
  context.textAlign = "right";
  for (const tick of ticks(ymin, ymax, 5)) {
    const y = box.bottom - ((tick - ymin) / (ymax - ymin)) * (box.bottom - box.top);
    context.beginPath(); context.moveTo(box.left, y); context.lineTo(box.right, y); context.stroke();
    const value = options.logY ? 10 ** tick : tick;
    context.fillText(options.percent ? `${(100 * value).toFixed(0)} %` : formatNumber(Number(value.toPrecision(3))), box.left - 4, y + 4);
  }
  context.textAlign = "center";
  for (const tick of ticks(xmin, xmax, 6)) {
    context.fillText(formatNumber(tick), px(tick), box.bottom + 14);
  }
  if (options.xLabel) { context.textAlign = "right"; context.fillText(options.xLabel, box.right, height - 2); }
  context.save();
  context.beginPath();
  context.rect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  context.clip();
  for (const [x, y] of options.scatter || []) {
    context.beginPath(); context.arc(px(x), py(y), 4, 0, 2 * Math.PI);
    context.fillStyle = SERIES_COLORS[0]; context.fill();
  }
  for (const line of lines) {
    context.beginPath();
    let drawing = false;
    for (const [x, y] of line.points) {
      if (!Number.isFinite(y) || (options.logY && y <= 0)) { drawing = false; continue; }
      drawing ? context.lineTo(px(x), py(y)) : context.moveTo(px(x), py(y));
      drawing = true;
    }
    context.setLineDash(line.dash || []);
    context.strokeStyle = line.color;
    context.lineWidth = line.width;
    context.stroke();
  }
  context.restore();
}

function extent(values) {
  let low = Infinity, high = -Infinity;
  for (const v of values) { if (v < low) low = v; if (v > high) high = v; }
  return [low, high];
}

function ticks(low, high, count) {
  const step = 10 ** Math.floor(Math.log10((high - low) / count));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (high - low) / s <= count) || 10 * step;
  const out = [];
  for (let t = Math.ceil(low / nice) * nice; t <= high + 1e-9 * nice; t += nice) out.push(Number(t.toPrecision(12)));
  return out;
}

function mapsView(box, spec) {
  // Small pictures side by side (a layer's hidden units), each with its caption.
  const strip = el("div", "maps", box);
  let canvases = [];
  return {
    reset(next) { spec = next || spec; strip.textContent = ""; canvases = []; },
    update(value) {
      if (canvases.length !== value.images.length) {
        strip.textContent = "";
        canvases = value.images.map((_, index) => {
          const figure = el("figure", "", strip);
          const canvas = el("canvas", "", figure);
          el("figcaption", "", figure, (value.names || [])[index] || "");
          return canvas;
        });
      }
      value.images.forEach((image, index) => paint(canvases[index], image, spec.colormap));
    },
  };
}

function diagramView(box, spec, live) {
  // The network (diagram.js). Weights by hand: paused, a click on a line or a unit opens a small
  // editor over the diagram; its value goes to the server as the "weight" command, which
  // changes the network and redraws the page. While playing, a click only says to pause.
  const wrap = el("div", "diagram-wrap", box);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.classList.add("diagram");
  wrap.appendChild(svg);
  const hint = el("div", "diagram-hint", wrap);
  hint.setAttribute("role", "status");
  let editor = null;
  let hintTimer = 0;
  const drawn = typeof drawDiagram === "function";
  const editable = () => Boolean(live) && !live.playing;
  const hitAt = (event) => (drawn ? diagramHit(svg, event.clientX, event.clientY) : null);
  svg.addEventListener("pointermove", (event) => {
    const hit = hitAt(event);
    svg.style.cursor = hit ? "pointer" : "";
    wrap.title = hit ? describeParameter(svg, hit, editable()) : "";
  });
  svg.addEventListener("pointerleave", () => { svg.style.cursor = ""; wrap.title = ""; });
  svg.addEventListener("click", (event) => {
    const hit = hitAt(event);
    if (!hit) return;
    if (editable()) { openEditor(hit, event); return; }
    hint.textContent = "Pause to edit a weight";
    hint.classList.add("shown");
    clearTimeout(hintTimer);
    hintTimer = setTimeout(() => hint.classList.remove("shown"), 2000);
  });

  function openEditor(hit, event) {
    closeEditor();
    const name = diagramParameterName(svg, hit);
    const current = diagramValue(svg, hit);
    const panel = el("div", "diagram-editor", wrap);
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", `Set the ${name}`);
    const label = el("label", "", panel);
    el("span", "name", label, name[0].toUpperCase() + name.slice(1));
    const input = el("input", "", label);
    Object.assign(input, { type: "number", step: "any", min: -100, max: 100 });
    input.value = current === null ? "" : String(current);
    const message = el("div", "message", panel);
    const buttons = el("div", "buttons", panel);
    const ok = el("button", "primary", buttons, "OK");
    const cancel = el("button", "", buttons, "Cancel");
    ok.type = cancel.type = "button";
    const apply = () => {
      const text = input.value.trim();
      const value = Number(text);
      // The server checks too (kit/live/edits.py): this only saves the student a round trip.
      if (!text || !Number.isFinite(value) || Math.abs(value) > 100) {
        message.textContent = "Type a number from -100 to 100, such as 0.5 or -2.";
        input.focus();
        return;
      }
      const where = hit.kind === "bias" ? { unit: hit.unit } : { from: hit.from, to: hit.to };
      closeEditor();
      command(live, "weight", { layer: hit.layer, ...where, value });
    };
    ok.onclick = apply;
    cancel.onclick = closeEditor;
    panel.addEventListener("keydown", (key) => {
      key.stopPropagation(); // typed here: not the live view's Space, → and R
      if (key.key === "Enter") { key.preventDefault(); apply(); }
      else if (key.key === "Escape") { key.preventDefault(); closeEditor(); }
    });
    const outside = (down) => { if (!down.composedPath().includes(panel)) closeEditor(); };
    document.addEventListener("pointerdown", outside, true);
    const selector = hit.kind === "bias"
      ? `circle[data-layer="${hit.layer}"][data-unit="${hit.unit}"]`
      : `line[data-layer="${hit.layer}"][data-from="${hit.from}"][data-to="${hit.to}"]`;
    const marked = svg.querySelector(selector); // drawn in red while its editor is open
    if (marked) marked.classList.add("editing");
    editor = { panel, outside, marked };
    // Beside the click, on the side with more room: the edited line or unit stays in sight.
    const area = wrap.getBoundingClientRect();
    const x = event.clientX - area.left;
    const y = event.clientY - area.top;
    const width = panel.offsetWidth;
    const height = panel.offsetHeight;
    const left = x > area.width / 2 ? x - 16 - width : x + 16;
    panel.style.left = `${Math.max(0, Math.min(left, area.width - width))}px`;
    panel.style.top = `${Math.max(0, Math.min(y - height / 2, area.height - height))}px`;
    input.focus();
    input.select();
  }

  function closeEditor() {
    if (!editor) return;
    document.removeEventListener("pointerdown", editor.outside, true);
    editor.panel.remove();
    if (editor.marked) editor.marked.classList.remove("editing");
    editor = null;
  }

  return {
    reset(next) { spec = next || spec; },
    update(value) {
      if (drawn) drawDiagram(svg, { ...value, sizes: spec.sizes, activations: spec.activations });
      if (live && live.playing) closeEditor();
    },
  };
}

function describeParameter(svg, hit, editable) {
  // The title of a hovered weight or bias: "Weight from input x2 to hidden 1 unit 3: 0.412".
  const name = diagramParameterName(svg, hit);
  const value = diagramValue(svg, hit);
  const shown = `${name[0].toUpperCase()}${name.slice(1)}: ${value === null ? "–" : formatNumber(value)}`;
  return `${shown} (${editable ? "click to edit" : "pause to edit"})`;
}
