"""kit/live/diagram.js in headless chromium, on a blank page (no server): drawDiagram lays out
labels that never overlap, caps the drawn units and their lines, and restyles the same elements
on later calls with new weights."""

import itertools
import json
from collections.abc import Iterator

import numpy as np
import pytest
from playwright.sync_api import Browser, Page, Route

from tests.e2e.server import REPO_ROOT

DIAGRAM_JS = REPO_ROOT / "kit" / "live" / "diagram.js"
POSITIVE_COLOR = "#0877bd"  # kit/diagram.py's colours
NEGATIVE_COLOR = "#f59322"
# The panel as the live view styles it (view.css), 600 px wide. DejaVu Sans is the widest
# common sans-serif: labels that fit in it fit in the fonts students' browsers pick.
BLANK_PAGE = """<!doctype html>
<html><head><style>
  body { margin: 0; font-family: "DejaVu Sans", sans-serif; }
  .panel { width: 600px; padding: 20px; }
  .diagram { width: 100%; height: auto; display: block; }
</style></head>
<body><div class="panel"><svg class="diagram" xmlns="http://www.w3.org/2000/svg"></svg></div></body>
</html>"""
# Every box the diagram draws, in CSS pixels: [left, top, right, bottom].
MEASURE = """() => {
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  const svg = document.querySelector("svg.diagram");
  const all = (selector) => [...svg.querySelectorAll(selector)];
  return {
    svg: box(svg),
    labels: all("g.diagram-label").map((g) => [g.textContent, box(g)]),
    hints: all("g.diagram-more").map((g) => [g.querySelector("text").textContent, box(g)]),
    units: all("circle.diagram-unit").map((c) => [c.querySelector("title").textContent, box(c)]),
    edges: all("line.diagram-edge").length,
  };
}"""

Box = list[float]


@pytest.fixture(scope="module")
def requests_made() -> list[str]:
    """URLs the diagram's page asked for (each one refused): it needs none."""
    return []


@pytest.fixture(scope="module")
def module_page(browser: Browser, requests_made: list[str]) -> Iterator[Page]:
    """One page for the module, every request refused and recorded. ``browser`` is
    pytest-playwright's, launched with conftest.py's chromium and arguments; conftest's
    ``page`` would start the Streamlit server, which these tests do not need."""
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()

    def refuse(route: Route) -> None:
        requests_made.append(route.request.url)
        route.abort()

    page.route("**/*", refuse)
    yield page
    context.close()


@pytest.fixture
def blank_page(module_page: Page, requests_made: list[str]) -> Iterator[Page]:
    """The page emptied, with a 600-px <svg class="diagram"> and diagram.js loaded."""
    module_page.set_content(BLANK_PAGE)
    module_page.add_script_tag(content=DIAGRAM_JS.read_text())
    yield module_page
    if requests_made:
        pytest.fail(f"the diagram's page made requests: {requests_made}")


def shape(sizes: list[int], activation: str = "relu") -> dict:
    """drawDiagram's spec without weights: enough for the layout."""
    return {"sizes": sizes, "activations": [activation] * (len(sizes) - 2) + ["sigmoid"]}


def network(sizes: list[int], seed: int = 0) -> dict:
    """drawDiagram's spec with random weights: weights[l] flat row-major (inputs x units)."""
    rng = np.random.default_rng(seed)
    return {
        **shape(sizes),
        "weights": [rng.normal(size=a * b).tolist() for a, b in itertools.pairwise(sizes)],
        "biases": [rng.normal(size=units).tolist() for units in sizes[1:]],
    }


def draw(page: Page, spec: dict) -> dict:
    """Draw ``spec`` (sent as JSON text: much faster than Playwright's argument encoding)."""
    page.evaluate(
        "(text) => drawDiagram(document.querySelector('svg.diagram'), JSON.parse(text))",
        json.dumps(spec),
    )
    return page.evaluate(MEASURE)


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner: Box, outer: Box) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and (inner[3] <= outer[3])
    )


def test_small_network_draws_every_unit_and_line_coloured_by_sign(blank_page: Page) -> None:
    weights = [[1.0, -2.0, 0.5, 0.0, -0.25, 4.0, 3.0, -1.0], [2.0, -0.5, 1.0, -4.0]]
    spec = {"sizes": [2, 4, 1], "activations": ["tanh", "sigmoid"], "weights": weights}
    drawn = draw(blank_page, {**spec, "biases": [[0.1, -0.2, 0.3, 0.0], [-0.7]]})

    assert drawn["edges"] == 2 * 4 + 4 * 1 and len(drawn["units"]) == 2 + 4 + 1
    assert [text for text, _ in drawn["labels"]] == ["input2", "hidden 14 tanh", "output1 sigmoid"]
    left, top, right, bottom = drawn["svg"]
    assert right - left == 600 and bottom - top == pytest.approx(600 * 240 / 420, abs=1)
    style = blank_page.evaluate("""([layer, from, to]) => {
      const line = document.querySelector(
        `line[data-layer="${layer}"][data-from="${from}"][data-to="${to}"]`);
      return [line.getAttribute("stroke"), Number(line.getAttribute("stroke-width"))];
    }""", [0, 1, 1])  # fmt: skip
    assert style[0] == POSITIVE_COLOR  # weights[0][1 * 4 + 1] = 4.0, the layer's largest |w|
    widest = blank_page.evaluate("""() => Math.max(...[...document.querySelectorAll(
      'line[data-layer="0"]')].map((line) => Number(line.getAttribute("stroke-width"))))""")
    assert style[1] == widest
    negative = blank_page.locator('line[data-layer="1"][data-from="3"][data-to="0"]')
    assert negative.get_attribute("stroke") == NEGATIVE_COLOR  # weights[1][3] = -4.0


def test_diverged_weights_draw_wide_grey_lines_and_missing_ones_thin(blank_page: Page) -> None:
    # JSON has no NaN: the live view sends diverged numbers as null.
    spec = {"sizes": [2, 1], "weights": [[None, 1.0]], "biases": [[None]]}
    draw(blank_page, spec)
    strokes = blank_page.evaluate("""() => [...document.querySelectorAll("line")].map(
      (line) => [line.getAttribute("stroke"), Number(line.getAttribute("stroke-width"))])""")
    (diverged, positive) = strokes
    assert diverged[0] not in (POSITIVE_COLOR, NEGATIVE_COLOR) and positive[0] == POSITIVE_COLOR
    assert diverged[1] == positive[1]  # as wide as the layer's largest |w|

    draw(blank_page, {"sizes": [2, 1]})  # no weights: the plain structure
    plain = blank_page.evaluate("""() => [...document.querySelectorAll("line")].map(
      (line) => Number(line.getAttribute("stroke-width")))""")
    assert plain == [min(plain)] * 2 and min(plain) < positive[1] / 4


@pytest.mark.parametrize(
    ("sizes", "activation"),
    [
        ([2, 4, 1], "tanh"),
        ([2, 64, 64, 64, 1], "leaky_relu"),
        ([2, *[64] * 6, 1], "relu"),
        ([2, *[64] * 6, 1], "leaky_relu"),
        ([784, *[64] * 6, 10], "sigmoid"),
    ],
)
def test_labels_and_hints_overlap_nothing_and_stay_inside(
    blank_page: Page, sizes: list[int], activation: str
) -> None:
    drawn = draw(blank_page, shape(sizes, activation))

    texts = drawn["labels"] + drawn["hints"]
    assert len(drawn["labels"]) == len(sizes)
    for (text, box), (other, other_box) in itertools.combinations(texts, 2):
        assert not overlap(box, other_box), f"{text!r} overlaps {other!r}"
    for (text, box), (unit, unit_box) in itertools.product(texts, drawn["units"]):
        assert not overlap(box, unit_box), f"{text!r} overlaps {unit}"
    for text, box in texts:
        assert inside(box, drawn["svg"]), f"{text!r} at {box} leaves the svg {drawn['svg']}"


def test_wide_layers_draw_twelve_units_a_hint_and_the_lines_between_drawn_units(
    blank_page: Page,
) -> None:
    drawn = draw(blank_page, shape([2, *[64] * 6, 1]))

    assert len(drawn["units"]) == 2 + 6 * 12 + 1
    assert drawn["edges"] == 2 * 12 + 5 * 12 * 12 + 12 * 1
    assert [text for text, _ in drawn["hints"]] == ["+52"] * 6  # "+52 more" where it fits
    titles = {title for title, _ in drawn["units"]}
    assert {"hidden 3 unit 1", "hidden 3 unit 6", "hidden 3 unit 59", "hidden 3 unit 64"} <= titles
    assert "hidden 3 unit 7" not in titles


def test_redraw_restyles_the_same_elements_and_a_new_shape_rebuilds(blank_page: Page) -> None:
    sizes = [2, *[64] * 6, 1]
    draw(blank_page, network(sizes, seed=1))
    blank_page.evaluate("""() => {
      const svg = document.querySelector("svg.diagram");
      window.before = [...svg.querySelectorAll("*")];
      window.styles = () => [...svg.querySelectorAll("line")].map((line) =>
        ["stroke", "stroke-width", "stroke-opacity"].map((name) => line.getAttribute(name)));
      window.firstStyles = window.styles();
      window.added = 0;
      new MutationObserver((records) => {
        for (const record of records) window.added += record.addedNodes.length;
      }).observe(svg, { childList: true, subtree: true });
    }""")

    draw(blank_page, network(sizes, seed=2))
    same = blank_page.evaluate("""async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));  // deliver mutation records
      const now = [...document.querySelectorAll("svg.diagram *")];
      const restyled = window.styles().filter(
        (style, index) => style.join() !== window.firstStyles[index].join()).length;
      return {
        identical: now.length === window.before.length
          && now.every((e, i) => e === window.before[i]),
        added: window.added,
        restyled,
        edges: now.filter((e) => e.tagName === "line").length,
      };
    }""")  # fmt: skip
    assert same["identical"] and same["added"] == 0
    assert same["restyled"] > 0.9 * same["edges"]  # new random weights: nearly every line

    rebuilt = draw(blank_page, network([2, 4, 1], seed=3))
    assert rebuilt["edges"] == 12


# diagramHit at a circle's centre or 30 % along a line (clear of crossings), moved by (dx, dy)
# in the diagram's own (viewBox) units.
HIT_AT = """([selector, dx, dy]) => {
  const svg = document.querySelector("svg.diagram");
  const element = svg.querySelector(selector);
  const [x, y] = element.tagName === "circle"
    ? ["cx", "cy"].map((name) => Number(element.getAttribute(name)))
    : ["x", "y"].map((axis) => 0.7 * Number(element.getAttribute(`${axis}1`))
        + 0.3 * Number(element.getAttribute(`${axis}2`)));
  const client = new DOMPoint(x + dx, y + dy).matrixTransform(svg.getScreenCTM());
  return diagramHit(svg, client.x, client.y);
}"""


def hit(page: Page, selector: str, dx: float = 0, dy: float = 0) -> dict | None:
    return page.evaluate(HIT_AT, [selector, dx, dy])


def test_units_name_their_layer_and_a_click_finds_the_weight_or_bias_drawn_there(
    blank_page: Page,
) -> None:
    draw(blank_page, network([2, 4, 1]))
    units = blank_page.evaluate("""() => [...document.querySelectorAll("circle.diagram-unit")]
      .map((c) => [c.getAttribute("data-layer"), c.getAttribute("data-unit")])""")
    assert units == [[None, None]] * 2 + [["0", str(unit)] for unit in range(4)] + [["1", "0"]]

    output = 'circle[data-layer="1"][data-unit="0"]'
    assert hit(blank_page, output) == {"kind": "bias", "layer": 1, "unit": 0}
    assert hit(blank_page, 'circle[data-layer="0"][data-unit="2"]', 0, 10) == {
        "kind": "bias", "layer": 0, "unit": 2,
    }  # fmt: skip
    assert hit(blank_page, "circle:not([data-layer])") is None  # an input: nothing to edit
    for layer, source, target in [(0, 1, 2), (0, 0, 3), (1, 3, 0), (1, 0, 0)]:
        line = f'line[data-layer="{layer}"][data-from="{source}"][data-to="{target}"]'
        expected = {"kind": "weight", "layer": layer, "from": source, "to": target}
        assert hit(blank_page, line) == expected
        assert hit(blank_page, line, 0, 0.5) == expected
    near = 'line[data-layer="1"][data-from="0"]'  # the top hidden unit's line to the output
    assert hit(blank_page, near, 0, -5) == {"kind": "weight", "layer": 1, "from": 0, "to": 0}
    assert hit(blank_page, near, 0, -15) is None  # too far from any line
    corner = blank_page.evaluate("""() => {
      const svg = document.querySelector("svg.diagram");
      const client = new DOMPoint(2, 2).matrixTransform(svg.getScreenCTM());
      return diagramHit(svg, client.x, client.y);
    }""")
    assert corner is None


def test_a_hit_in_a_wide_column_names_the_real_unit_past_the_gap(blank_page: Page) -> None:
    draw(blank_page, shape([2, 64, 1]))

    assert hit(blank_page, 'circle[data-layer="0"][data-unit="63"]') == {
        "kind": "bias", "layer": 0, "unit": 63,
    }  # fmt: skip
    line = 'line[data-layer="1"][data-from="60"][data-to="0"]'
    assert hit(blank_page, line) == {"kind": "weight", "layer": 1, "from": 60, "to": 0}


def test_the_value_and_name_of_a_hit_are_the_ones_painted_last(blank_page: Page) -> None:
    spec = network([2, 4, 1], seed=4)
    draw(blank_page, spec)
    read = """(hit) => {
      const svg = document.querySelector("svg.diagram");
      return [diagramValue(svg, hit), diagramParameterName(svg, hit)];
    }"""
    weight = {"kind": "weight", "layer": 0, "from": 1, "to": 2}
    bias = {"kind": "bias", "layer": 1, "unit": 0}
    assert blank_page.evaluate(read, weight) == [
        spec["weights"][0][1 * 4 + 2], "weight from input x2 to hidden 1 unit 3",
    ]  # fmt: skip
    assert blank_page.evaluate(read, bias) == [spec["biases"][1][0], "bias of output unit 1"]
    later = {"kind": "weight", "layer": 1, "from": 3, "to": 0}
    assert blank_page.evaluate(read, later)[1] == "weight from hidden 1 unit 4 to output unit 1"

    spec["weights"][0][1 * 4 + 2], spec["biases"][1][0] = 8.0, None  # None: a diverged bias
    draw(blank_page, spec)
    assert blank_page.evaluate(read, weight)[0] == 8.0
    assert blank_page.evaluate(read, bias)[0] is None
    draw(blank_page, shape([2, 4, 1]))  # no values sent: none known
    assert blank_page.evaluate(read, weight)[0] is None
