"""Reading a lesson's numbers in the browser: the live view's counters (page text inside its
component, e.g. "Iteration 1,234") or, elsewhere, a current st.metric."""

from playwright.sync_api import Page

# The value labelled `label` as a number: a live-view counter, else the current run's st.metric.
METRIC_JS = """label => {
  const number = (text) => {
    const value = parseFloat(text.replace(/,/g, ''));
    return Number.isNaN(value) ? null : value;
  };
  for (const host of document.querySelectorAll('*')) {
    if (!host.shadowRoot) continue;
    for (const box of host.shadowRoot.querySelectorAll('.counter')) {
      if (box.querySelector('.label').textContent === label) {
        return number(box.querySelector('.value').textContent);
      }
    }
  }
  const metrics = [...document.querySelectorAll(
      '[data-testid="stElementContainer"][data-stale="false"] [data-testid="stMetric"]')]
    .filter(m => m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() === label);
  if (!metrics.length) return null;
  return number(metrics.at(-1).querySelector('[data-testid="stMetricValue"]').innerText);
}"""


# The value wrapped as {v}, or null while none is on screen: a page.wait_for_function predicate.
CURRENT_METRIC_JS = (
    f"label => {{ const v = ({METRIC_JS})(label); return v === null ? null : {{v}}; }}"
)


# Counts every new text of the live view's Iteration counter from now on (``window.statesSeen``):
# the training states a page shows (tests/e2e/classroom.py, benchmarks/live_view.py).
COUNT_STATES_JS = """() => {
  const counter = [...document.querySelectorAll('*')].map((host) => host.shadowRoot)
    .filter(Boolean).map((root) => root.querySelector('.counter .value')).find(Boolean);
  window.statesSeen = 0;
  new MutationObserver(() => { window.statesSeen += 1; })
    .observe(counter, { childList: true, characterData: true, subtree: true });
}"""


def read_metric(page: Page, label: str, timeout: float = 30_000) -> float:
    """The value labelled ``label``; while none is on screen, wait for it."""
    found = page.wait_for_function(CURRENT_METRIC_JS, arg=label, timeout=timeout)
    return found.json_value()["v"]


def wait_for_metric(page: Page, label: str, condition: str, timeout: float = 30_000) -> None:
    """Wait until `value <condition>` holds for the value, e.g. condition='> 50'."""
    page.wait_for_function(
        f"label => {{ const v = ({METRIC_JS})(label); return v !== null && v {condition}; }}",
        arg=label,
        timeout=timeout,
    )
