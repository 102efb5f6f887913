"""A 40 MB picture dropped on the Mustafar page in a real browser: refused with the limit, and
the page keeps its picture and still trains."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.metrics import wait_for_metric

FORTY_MB = 40 * 2**20


def test_a_40_mb_picture_is_refused_and_the_page_keeps_working(
    page: Page, fresh, screenshot, tmp_path: Path
) -> None:
    huge = tmp_path / "huge_photo.png"
    huge.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(FORTY_MB - 8))
    page.goto("/Mustafar")
    expect(page.get_by_role("heading", name="4 · Mustafar: enhance!")).to_be_visible(timeout=30_000)
    wait_for_metric(page, "Iteration", "== 0")

    page.get_by_text("Upload a picture").click()
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Your picture")
    expect(uploader).to_be_visible(timeout=30_000)
    uploader.locator('input[type="file"]').set_input_files(huge)

    # Streamlit refuses it in the browser: a red chip, the reason in its tooltip (and an alert
    # for screen readers); the page's caption states the limit in plain sight.
    chip = uploader.locator('[data-testid="stFileChip"]')
    expect(chip).to_have_attribute("aria-invalid", "true", timeout=30_000)
    expect(chip).to_contain_text("huge_photo.png")
    expect(uploader.get_by_role("alert")).to_have_text("Error: File must be 10.0MB or smaller.")
    chip.hover()
    expect(page.get_by_text("File must be 10.0MB or smaller.", exact=True)).to_be_visible()
    expect(fresh(page, "At most 10 MB and 20 megapixels").first).to_be_visible()
    screenshot(page, "mustafar_upload_too_big")
    expect(fresh(page, "9,400 samples").first).to_be_visible()  # still the helmet

    page.get_by_role("button", name="Step").click()
    wait_for_metric(page, "Iteration", "== 1", timeout=60_000)
    expect(fresh(page, "9,400 samples").first).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
