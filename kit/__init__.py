"""The Streamlit pieces every lesson uses; nothing here imports a lesson."""

import functools
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_UPLOAD_MB = 10  # per uploaded file, as server.maxUploadSize in .streamlit/config.toml


@functools.cache
def one_blas_thread() -> None:
    """One BLAS thread per product, set once per server process (finding the BLAS libraries
    takes a scan of the process's memory map, too slow for every script run).

    The sessions share the server's cores, and BLAS threads fighting over them made one step of
    a 6 × 64 network on 550 samples 40 to 150 times slower under load. A large batch still runs
    on every core (nn.fast.parallel)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
