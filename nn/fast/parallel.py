"""One step on every core: data parallelism.

The cost is a mean over samples, so its gradient is a sum over samples. A large batch is cut
into one share of columns per core; forward and backward run on every share at once, and the
shares' [dW | db] are added. NumPy releases Python's lock inside its loops and BLAS calls, so
plain threads really do run side by side.

While shares run, BLAS does each product on a single thread
(``openblas_set_num_threads_local``, OpenBLAS 0.3.27 and later): two workers that each started
BLAS threads would fight over the same cores. In NumPy's bundled OpenBLAS that setting is
process-wide, not per thread (measured), so it is set when the first run begins and restored
when the last one ends. Without such a BLAS (another build of NumPy), or with one core, every
batch stays in one piece and BLAS threads the products as before. Standard library and NumPy.
"""

import ctypes
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

MIN_SAMPLES = 4096  # a smaller batch gains less than handing it to threads costs (measured)

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_running = 0  # runs in progress, from every thread of this process
_saved_threads = 0


def _blas_threads_setter():
    """OpenBLAS's ``openblas_set_num_threads_local`` (returns the previous value), or None if
    NumPy's BLAS has no such function."""
    bundled = Path(np.__file__).parent.parent / "numpy.libs"  # where NumPy's wheels keep it
    for path in sorted(bundled.glob("*openblas*")):
        try:
            return ctypes.CDLL(str(path)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
    return None


_SET_BLAS_THREADS = _blas_threads_setter()
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
WORKERS = CORES if _SET_BLAS_THREADS is not None else 1


def shares(m: int) -> list[slice]:
    """The column ranges one pass over m samples is cut into: one per core, or one in all."""
    n = WORKERS if m >= MIN_SAMPLES else 1
    bounds = [m * k // n for k in range(n + 1)]
    return [slice(start, stop) for start, stop in zip(bounds, bounds[1:], strict=False)]


def run(function, parts: list) -> list:
    """[function(part) for part in parts], on the worker threads when there are several."""
    if len(parts) == 1:
        return [function(parts[0])]
    global _pool, _running, _saved_threads
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(WORKERS, "nn-share", initializer=_one_blas_thread)
        if _running == 0 and _SET_BLAS_THREADS is not None:
            _saved_threads = _SET_BLAS_THREADS(1)
        _running += 1
    try:
        return list(_pool.map(function, parts))
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _SET_BLAS_THREADS is not None:
                _SET_BLAS_THREADS(_saved_threads)


def _one_blas_thread() -> None:
    if _SET_BLAS_THREADS is not None:  # for a BLAS where the setting is per thread after all
        _SET_BLAS_THREADS(1)
