"""The Streamlit pieces every lesson uses; nothing here imports a lesson."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_UPLOAD_MB = 10  # per uploaded file, as server.maxUploadSize in .streamlit/config.toml
