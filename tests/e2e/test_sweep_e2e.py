"""The Sweep page in a real browser: a small grid on the rose runs on two worker processes,
streams into the table and the scatter, and a clicked row opens in the Rose lesson."""

from playwright.sync_api import Page, expect


def test_sweep_runs_and_a_row_opens_in_its_lesson(page: Page, fresh, screenshot) -> None:
    page.goto("/Sweep")
    expect(page.get_by_role("heading", name="5 · Sweep")).to_be_visible(timeout=30_000)
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Rose: the tutorial's 7-petal rose").click()
    expect(fresh(page, "550 samples to train on").first).to_be_visible(timeout=10_000)
    expect(fresh(page, "12 models").first).to_be_visible()

    page.get_by_role("button", name="Start").click()
    expect(fresh(page, "12 of 12 runs").first).to_be_visible(timeout=60_000)
    table = page.locator('[data-testid="stDataFrame"]')
    expect(table).to_be_visible(timeout=10_000)
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_be_visible()
    expect(page.get_by_role("button", name="Start")).to_be_enabled(timeout=10_000)
    expect(page.get_by_role("button", name="Download the results (CSV)")).to_be_visible()
    page.get_by_role("heading", name="3 · Run").scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(300)
    screenshot(page, "sweep")

    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection cell
    open_button = page.get_by_role("button", name="in the Rose lesson")
    expect(open_button).to_be_visible(timeout=10_000)
    page.get_by_role("heading", name="Results, best first").evaluate("e => e.scrollIntoView()")
    page.wait_for_timeout(300)
    screenshot(page, "sweep_selected")
    open_button.click()
    expect(page.get_by_role("heading", name="3 · Rose")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
