// The live view's network diagram in plain SVG: drawDiagram(svg, spec) draws a dense network as
// columns of circles (the layers), lines between them (the weights: blue positive, orange
// negative, as wide as |w| relative to the layer's largest |w|), circles filled by their bias,
// and a label under each column ("hidden 3" above "16 relu").
//
// Elements are built once per shape (sizes and activations); a later call with the same shape
// only restyles the existing lines and circles, so ~30 redraws a second stay cheap.
//
// diagramHit(svg, clientX, clientY) finds the weight or bias under a click (thin lines are hard
// to hit, so a near miss counts); diagramValue and diagramParameterName say what it holds now.
//
// The live view concatenates this file before its own module code: it holds only top-level
// declarations, all named diagram*/DIAGRAM*. No library, no network access.

const DIAGRAM = Object.freeze({
  svgNamespace: "http://www.w3.org/2000/svg",
  // kit/diagram.py's POSITIVE_COLOR, NEGATIVE_COLOR, NEUTRAL_COLOR and NODE_STROKE.
  positive: "#0877bd",
  negative: "#f59322",
  neutral: "#9aa5b1",
  ink: "#3b4652",
  width: 420, // viewBox units, about a panel's width in pixels: the svg scales to it, keeping the ratio
  height: 240,
  maxUnitsDrawn: 12, // wider columns: the first 6 and last 6 units around a "+N more" hint
  padTop: 12, // above the top circles (at least the largest radius)
  padBottom: 4, // below the labels
  labelClearance: 14, // from the lowest circles' centres down to the labels (radius and a gap)
  maxSlotPitch: 44, // vertical distance between circles in short columns
  maxRadius: 10,
  minRadius: 2.5,
  nameFont: 12,
  nameLine: 14,
  detailFont: 11,
  detailLine: 13,
  charWidthEm: 0.6, // upper estimate of a sans-serif glyph's average width, in font sizes
  labelGap: 8, // least free space between two labels on the same row
  labelRowGap: 4, // between the two rows of alternating labels
  minLineWidth: 0.5,
  maxLineWidth: 4.5,
  hitTolerance: 6, // viewBox units around a line or a circle that still hit it
});

// svg element -> its scene: { key (sizes and activations), sizes, root <g>, edges[l] and
// nodes[l] (records of layer l's lines and circles, restyled by diagramPaint), inputs (the input
// column's circles), hints, labels, and the weights and biases painted last }.
const DIAGRAM_SCENES = new WeakMap();

/**
 * Draw `spec` into `svg` (an <svg> element; the caller sets its CSS width, e.g. 100%).
 *
 * spec = { sizes: [2, 4, 1], activations: ["tanh", "sigmoid"], weights, biases }:
 * - sizes: units per column, input first (at least 2 columns, each >= 1);
 * - activations (optional): one name per layer after the input;
 * - weights (optional): weights[l] is layer l's flat row-major (inputs x units) matrix, so the
 *   weight from input i to unit j is weights[l][i * sizes[l + 1] + j];
 * - biases (optional): biases[l] holds sizes[l + 1] values.
 * Missing weights draw thin grey lines; zero weights grey lines; diverged ones (null, which is
 * how the live view sends NaN, or non-finite) wide grey lines. Missing biases leave circles
 * white; zero or diverged ones fill them grey.
 * Only the first call for a shape builds elements; later calls restyle them.
 */
function drawDiagram(svg, spec) {
  const sizes = diagramCheckedSizes(spec.sizes);
  const activations = spec.activations ? Array.from(spec.activations, String) : null;
  const key = JSON.stringify([sizes, activations]);
  let scene = DIAGRAM_SCENES.get(svg);
  if (!scene || scene.key !== key || scene.root.parentNode !== svg) {
    scene = diagramBuild(svg, sizes, activations);
    scene.key = key;
    scene.sizes = sizes;
    DIAGRAM_SCENES.set(svg, scene);
  }
  diagramPaint(scene, spec.weights, spec.biases);
}

function diagramCheckedSizes(sizes) {
  const checked = Array.from(sizes || [], Number);
  if (checked.length < 2 || !checked.every((size) => Number.isInteger(size) && size >= 1)) {
    throw new TypeError(
      `drawDiagram: sizes=${JSON.stringify(sizes)} must list an input and an output size, ` +
        "each an integer >= 1, e.g. [2, 4, 1]",
    );
  }
  return checked;
}

// ---- building: once per shape --------------------------------------------------------------

function diagramBuild(svg, sizes, activations) {
  const columns = sizes.map(diagramSlots);
  const labels = diagramLayoutLabels(sizes, activations);
  const rows = diagramRows(columns, labels);
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${DIAGRAM.width} ${DIAGRAM.height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", diagramDescription(labels));
  const root = diagramElement("g", { class: "diagram-root" }, svg);
  const edgeGroup = diagramElement(
    "g", { class: "diagram-edges", "stroke-linecap": "round" }, root,
  );
  const nodeGroup = diagramElement("g", { class: "diagram-units" }, root);
  const textGroup = diagramElement("g", { class: "diagram-texts", fill: DIAGRAM.ink }, root);
  const at = (column, slot) => [labels.xs[column], rows.y(column, slot)];
  const nodes = diagramBuildNodes(nodeGroup, columns, labels.names, rows.radius, at);
  return {
    root,
    edges: diagramBuildEdges(edgeGroup, columns, sizes, at),
    nodes: nodes.slice(1),
    inputs: nodes[0],
    hints: diagramBuildHints(textGroup, columns, sizes, labels.pitch, at),
    labels: diagramBuildLabels(textGroup, labels, rows.labelTop),
  };
}

/** Unit index per drawn slot, top to bottom; -1 marks the "+N more" slot of a wide column. */
function diagramSlots(size) {
  const units = Array.from({ length: size }, (_, unit) => unit);
  if (size <= DIAGRAM.maxUnitsDrawn) return units;
  const head = Math.floor(DIAGRAM.maxUnitsDrawn / 2);
  const tail = DIAGRAM.maxUnitsDrawn - head;
  return [...units.slice(0, head), -1, ...units.slice(size - tail)];
}

function diagramLayerName(column, count) {
  if (column === 0) return "input";
  return column === count - 1 ? "output" : `hidden ${column}`;
}

/** The line under a column's name: its units, then its activation ("16 relu"). */
function diagramDetail(column, sizes, activations) {
  const activation = column > 0 && activations ? activations[column - 1] || "" : "";
  return `${sizes[column]} ${activation}`.trim();
}

/**
 * Where the labels go: the first layout whose labels fit in DIAGRAM.width with one-line details
 * side by side, broken details (one word per line) side by side, then the same on alternating
 * rows (the last one is kept regardless). xs are the columns' centres, pitch their distance.
 */
function diagramLayoutLabels(sizes, activations) {
  const names = sizes.map((_, column) => diagramLayerName(column, sizes.length));
  const details = sizes.map((_, column) => diagramDetail(column, sizes, activations));
  let layout;
  for (const staggered of [false, true]) {
    for (const broken of [false, true]) {
      const widths = names.map((name, column) => diagramLabelWidth(name, details[column], broken));
      const pitch = diagramColumnPitch(widths, DIAGRAM.width);
      const left = Math.max(pitch / 2, widths[0] / 2);
      const xs = names.map((_, column) => left + column * pitch);
      layout = { names, details, broken, staggered, pitch, xs };
      if (diagramLabelsFit(widths, pitch, staggered)) return layout;
    }
  }
  return layout;
}

function diagramDetailLines(detail, broken) {
  return broken ? detail.split(" ") : [detail];
}

/** Estimated width of `text`: generous, so that real fonts fit inside it. */
function diagramTextWidth(text, fontSize) {
  return text.length * fontSize * DIAGRAM.charWidthEm;
}

function diagramLabelWidth(name, detail, broken) {
  const lines = diagramDetailLines(detail, broken);
  return Math.max(
    diagramTextWidth(name, DIAGRAM.nameFont),
    ...lines.map((line) => diagramTextWidth(line, DIAGRAM.detailFont)),
  );
}

/**
 * Distance between columns when the outer columns keep half a pitch or half their label,
 * whichever is more, to the edges: width = pitch * (n - 1) + left + right. Each candidate
 * solves this for one choice of the two maxima; the true pitch is the smallest of them.
 */
function diagramColumnPitch(widths, width) {
  const n = widths.length;
  const first = widths[0] / 2;
  const last = widths[n - 1] / 2;
  return Math.min(
    width / n,
    (width - first) / (n - 0.5),
    (width - last) / (n - 0.5),
    (width - first - last) / (n - 1),
  );
}

/** Whether labels on the same row keep DIAGRAM.labelGap apart. */
function diagramLabelsFit(widths, pitch, staggered) {
  const step = staggered ? 2 : 1; // alternating rows: a label's row neighbour is 2 columns away
  return widths
    .slice(step)
    .every((width, index) => (widths[index] + width) / 2 + DIAGRAM.labelGap <= step * pitch);
}

/** Vertical layout: circles fill the height above the labels, each column centred. */
function diagramRows(columns, labels) {
  const lines = Math.max(...labels.details.map((d) => diagramDetailLines(d, labels.broken).length));
  const block = DIAGRAM.nameLine + lines * DIAGRAM.detailLine;
  const area = labels.staggered ? 2 * block + DIAGRAM.labelRowGap : block;
  const labelTop = DIAGRAM.height - DIAGRAM.padBottom - area;
  const top = DIAGRAM.padTop;
  const bottom = labelTop - DIAGRAM.labelClearance;
  const tallest = Math.max(...columns.map((slots) => slots.length));
  const pitch = tallest > 1 ? Math.min(DIAGRAM.maxSlotPitch, (bottom - top) / (tallest - 1)) : 0;
  const radius = tallest > 1
    ? diagramClamp(0.36 * pitch, DIAGRAM.minRadius, DIAGRAM.maxRadius)
    : DIAGRAM.maxRadius;
  const middle = (top + bottom) / 2;
  return {
    radius,
    labelTop: labels.staggered ? [labelTop, labelTop + block + DIAGRAM.labelRowGap] : [labelTop],
    y: (column, slot) => middle + (slot - (columns[column].length - 1) / 2) * pitch,
  };
}

function diagramClamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

function diagramDescription(labels) {
  const columns = labels.names.map((name, column) => `${name} ${labels.details[column]}`);
  return `Network diagram: ${columns.join(" → ")}`;
}

function diagramElement(tag, attributes, parent) {
  const element = document.createElementNS(DIAGRAM.svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (parent) parent.appendChild(element);
  return element;
}

/**
 * One line per pair of drawn units; edges[l][k].index is its weight's index in weights[l], and
 * from, to, ends ([x1, y1, x2, y2]) where it goes, for diagramHit.
 */
function diagramBuildEdges(group, columns, sizes, at) {
  return columns.slice(1).map((targets, layer) => {
    const edges = [];
    columns[layer].forEach((source, sourceSlot) => {
      if (source < 0) return;
      const [x1, y1] = at(layer, sourceSlot);
      targets.forEach((target, targetSlot) => {
        if (target < 0) return;
        const [x2, y2] = at(layer + 1, targetSlot);
        const element = diagramElement("line", {
          class: "diagram-edge",
          x1, y1, x2, y2,
          "data-layer": layer,
          "data-from": source,
          "data-to": target,
        }, group);
        edges.push({
          element, index: source * sizes[layer + 1] + target,
          from: source, to: target, ends: [x1, y1, x2, y2],
        });
      });
    });
    return edges;
  });
}

/**
 * A circle per drawn unit, per column: column l + 1 holds layer l's units (data-layer l,
 * data-unit), filled by bias; column 0 the inputs. Records keep the centre and radius.
 */
function diagramBuildNodes(group, columns, names, radius, at) {
  return columns.map((slots, column) => {
    const records = [];
    slots.forEach((unit, slot) => {
      if (unit < 0) return;
      const [cx, cy] = at(column, slot);
      const element = diagramElement("circle", {
        class: "diagram-unit", cx, cy, r: radius.toFixed(2),
        fill: "#ffffff", stroke: DIAGRAM.ink, "stroke-width": 1.5,
      }, group);
      if (column > 0) {
        element.setAttribute("data-layer", column - 1);
        element.setAttribute("data-unit", unit);
      }
      const title = column === 0 ? `input x${unit + 1}` : `${names[column]} unit ${unit + 1}`;
      diagramElement("title", {}, element).textContent = title;
      records.push({ element, unit, centre: [cx, cy], radius });
    });
    return records;
  });
}

/** "+52 more" in each wide column's gap ("+52" when the columns are too close). */
function diagramBuildHints(group, columns, sizes, pitch, at) {
  return columns.flatMap((slots, column) => {
    const gap = slots.indexOf(-1);
    if (gap < 0) return [];
    const more = sizes[column] - (slots.length - 1);
    const long = `+${more} more`;
    const fits = diagramTextWidth(long, DIAGRAM.detailFont) + DIAGRAM.labelGap <= pitch;
    const text = fits ? long : `+${more}`;
    const width = diagramTextWidth(text, DIAGRAM.detailFont) + 4;
    const [x, y] = at(column, gap);
    const hint = diagramElement("g", { class: "diagram-more" }, group);
    diagramElement("title", {}, hint).textContent = `${more} units not drawn`;
    diagramElement("rect", {
      x: x - width / 2, y: y - DIAGRAM.detailLine / 2, width, height: DIAGRAM.detailLine,
      rx: 3, fill: "#ffffff", "fill-opacity": 0.9,
    }, hint);
    const label = diagramElement("text", {
      x, y: y + DIAGRAM.detailFont * 0.35, "text-anchor": "middle",
      "font-size": DIAGRAM.detailFont, "font-weight": 600,
    }, hint);
    label.textContent = text;
    return [hint];
  });
}

/** Each column's label: a <g class="diagram-label"> with its name and detail lines. */
function diagramBuildLabels(group, labels, rowTops) {
  return labels.names.map((name, column) => {
    const top = rowTops[labels.staggered ? column % 2 : 0];
    const x = labels.xs[column];
    const label = diagramElement("g", { class: "diagram-label", "text-anchor": "middle" }, group);
    diagramText(label, name, x, top, DIAGRAM.nameFont, DIAGRAM.nameLine, 600);
    diagramDetailLines(labels.details[column], labels.broken).forEach((line, index) => {
      const lineTop = top + DIAGRAM.nameLine + index * DIAGRAM.detailLine;
      diagramText(label, line, x, lineTop, DIAGRAM.detailFont, DIAGRAM.detailLine, 400);
    });
    return label;
  });
}

/** A text line whose box spans [top, top + lineHeight]: baseline at 80% of the line. */
function diagramText(parent, text, x, top, fontSize, lineHeight, weight) {
  const element = diagramElement("text", {
    x, y: top + 0.8 * lineHeight, "font-size": fontSize, "font-weight": weight,
  }, parent);
  element.textContent = text;
  return element;
}

// ---- painting: every call ------------------------------------------------------------------

function diagramPaint(scene, weights, biases) {
  scene.weights = weights || null;
  scene.biases = biases || null;
  scene.edges.forEach((edges, layer) => diagramPaintEdges(edges, weights ? weights[layer] : null));
  scene.nodes.forEach((nodes, layer) => diagramPaintNodes(nodes, biases ? biases[layer] : null));
}

function diagramPaintEdges(edges, values) {
  const largest = diagramLargestAbs(values);
  for (const edge of edges) {
    const value = values ? values[edge.index] : undefined;
    const style = diagramEdgeStyle(value, largest);
    diagramSet(edge, "stroke", style.stroke);
    diagramSet(edge, "stroke-width", style.width);
    diagramSet(edge, "stroke-opacity", style.opacity);
  }
}

function diagramPaintNodes(nodes, values) {
  const largest = diagramLargestAbs(values);
  for (const node of nodes) {
    const value = values ? values[node.unit] : undefined;
    diagramSet(node, "fill", diagramNodeFill(value, largest));
  }
}

/** Largest finite |value| of a layer's array; 1 when there is none (or it is 0). */
function diagramLargestAbs(values) {
  let largest = 0;
  if (values) {
    for (let index = 0; index < values.length; index += 1) {
      const magnitude = Math.abs(values[index]);
      if (magnitude > largest && Number.isFinite(magnitude)) largest = magnitude;
    }
  }
  return largest || 1;
}

/** Stroke of a weight: its sign's colour, width and opacity by |w| / largest. */
function diagramEdgeStyle(value, largest) {
  if (value === undefined) {
    return { stroke: DIAGRAM.neutral, width: DIAGRAM.minLineWidth.toFixed(2), opacity: "0.60" };
  }
  if (!Number.isFinite(value)) {
    return { stroke: DIAGRAM.neutral, width: DIAGRAM.maxLineWidth.toFixed(2), opacity: "0.90" };
  }
  const share = Math.min(Math.abs(value) / largest, 1);
  const width = Math.max(DIAGRAM.minLineWidth, DIAGRAM.maxLineWidth * share);
  return {
    stroke: diagramSignColor(value),
    width: width.toFixed(2),
    opacity: (0.3 + 0.6 * share).toFixed(2),
  };
}

/** A bias's fill: its sign's colour over white, stronger as |b| nears the layer's largest. */
function diagramNodeFill(value, largest) {
  if (value === undefined) return "#ffffff";
  if (!Number.isFinite(value) || value === 0) return DIAGRAM.neutral;
  const share = Math.min(Math.abs(value) / largest, 1);
  const strength = 0.15 + 0.85 * share;
  const channels = diagramChannels(diagramSignColor(value));
  const mixed = channels.map((channel) => Math.round(255 + (channel - 255) * strength));
  return `rgb(${mixed.join(",")})`;
}

function diagramSignColor(value) {
  if (value === 0) return DIAGRAM.neutral;
  return value > 0 ? DIAGRAM.positive : DIAGRAM.negative;
}

/** "#0877bd" -> [8, 119, 189]. */
function diagramChannels(hex) {
  return [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
}

/** Set an attribute only when its value changes (record caches the last value). */
function diagramSet(record, name, value) {
  if (record[name] !== value) {
    record.element.setAttribute(name, value);
    record[name] = value;
  }
}

// ---- finding what a click points at ---------------------------------------------------------

/**
 * The weight or bias drawn under the client point (clientX, clientY) of `svg`, drawn by
 * drawDiagram: {kind: "bias", layer, unit} for a unit's circle (layer l's units are column
 * l + 1), {kind: "weight", layer, from, to} for the line from unit `from` of column `layer` to
 * unit `to` of column `layer + 1`, or null (an input's circle, a label, empty space). A point
 * within DIAGRAM.hitTolerance of a circle picks it; else the nearest line within that distance.
 */
function diagramHit(svg, clientX, clientY) {
  const scene = DIAGRAM_SCENES.get(svg);
  const matrix = svg.getScreenCTM && svg.getScreenCTM();
  if (!scene || !matrix) return null;
  const point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
  const tolerance = DIAGRAM.hitTolerance;
  const onCircle = (node) =>
    Math.hypot(point.x - node.centre[0], point.y - node.centre[1]) <= node.radius + tolerance;
  if (scene.inputs.some(onCircle)) return null;
  for (const [layer, nodes] of scene.nodes.entries()) {
    const node = nodes.find(onCircle);
    if (node) return { kind: "bias", layer, unit: node.unit };
  }
  let best = null;
  let bestDistance = tolerance;
  scene.edges.forEach((edges, layer) => {
    for (const edge of edges) {
      const distance = diagramSegmentDistance(point.x, point.y, edge.ends);
      if (distance <= bestDistance) {
        bestDistance = distance;
        best = { kind: "weight", layer, from: edge.from, to: edge.to };
      }
    }
  });
  return best;
}

/** Distance from (x, y) to the segment [x1, y1] - [x2, y2]. */
function diagramSegmentDistance(x, y, [x1, y1, x2, y2]) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const length2 = dx * dx + dy * dy;
  const t = length2 ? diagramClamp(((x - x1) * dx + (y - y1) * dy) / length2, 0, 1) : 0;
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}

/** The value last painted for `hit` (diagramHit's answer): a number, or null when unknown. */
function diagramValue(svg, hit) {
  const scene = DIAGRAM_SCENES.get(svg);
  if (!scene || !hit) return null;
  const values = hit.kind === "bias" ? scene.biases : scene.weights;
  const layer = values ? values[hit.layer] : null;
  if (!layer) return null;
  const index = hit.kind === "bias" ? hit.unit : hit.from * scene.sizes[hit.layer + 1] + hit.to;
  const value = layer[index];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/**
 * What `hit` names, as the diagram labels it: "weight from input x2 to hidden 1 unit 3",
 * "bias of output unit 1".
 */
function diagramParameterName(svg, hit) {
  const scene = DIAGRAM_SCENES.get(svg);
  if (!scene || !hit) return "";
  const count = scene.sizes.length;
  const unit = hit.kind === "bias" ? hit.unit : hit.to;
  const target = `${diagramLayerName(hit.layer + 1, count)} unit ${unit + 1}`;
  if (hit.kind === "bias") return `bias of ${target}`;
  const source = hit.layer === 0
    ? `input x${hit.from + 1}`
    : `${diagramLayerName(hit.layer, count)} unit ${hit.from + 1}`;
  return `weight from ${source} to ${target}`;
}
