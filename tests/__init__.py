"""The tests mirror the source: nn/, datasets/, kit/, lessons/<name>/, sweep/ and e2e/."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = REPO_ROOT / "tests" / "data"  # the tutorial's numbers, feature files and rose data
