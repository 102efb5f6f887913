"""Reading a page's st.metric values in the browser, for the lesson tests."""

from playwright.sync_api import Page

# The value of the metric labelled `label`, from the current run's elements, as a number.
METRIC_JS = """label => {
  const metrics = [...document.querySelectorAll(
      '[data-testid="stElementContainer"][data-stale="false"] [data-testid="stMetric"]')]
    .filter(m => m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() === label);
  if (!metrics.length) return null;
  const text = metrics.at(-1).querySelector('[data-testid="stMetricValue"]').innerText;
  const value = parseFloat(text.replace(/,/g, ''));
  return Number.isNaN(value) ? null : value;
}"""


# The metric's value wrapped as {v}, or null while a frame replaces it (none current on screen):
# a page.wait_for_function predicate that waits for the value.
CURRENT_METRIC_JS = (
    f"label => {{ const v = ({METRIC_JS})(label); return v === null ? null : {{v}}; }}"
)


def read_metric(page: Page, label: str, timeout: float = 30_000) -> float:
    """The metric's value; while a frame replaces it (none current on screen), wait for it."""
    found = page.wait_for_function(
        CURRENT_METRIC_JS,
        arg=label,
        timeout=timeout,
    )
    return found.json_value()["v"]


def wait_for_metric(page: Page, label: str, condition: str, timeout: float = 30_000) -> None:
    """Wait until `value <condition>` holds for the metric, e.g. condition='> 50'."""
    page.wait_for_function(
        f"label => {{ const v = ({METRIC_JS})(label); return v !== null && v {condition}; }}",
        arg=label,
        timeout=timeout,
    )
