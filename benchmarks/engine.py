"""Engine speed on the tutorial's Mustafar shape: 9,400 points in [-1, 1]^2, a 2-27-31-31-1
relu network with a sigmoid output, one full-batch step (forward, backward, update).

Prints a table: ms per step for the engine, PyTorch CPU (if installed), a straightforward
implementation of the tutorial's layout, and the engine's ten matrix products alone, run two
ways: on the whole batch with BLAS's threads, and in the engine's shares. The floor is the
faster of the two in each rep. Then the ratios, measured rep by rep in the same run, and
chunked prediction on the 2001 x 2001 enhance grid. Implementations alternate within each
rep, so load from other work hits them alike.

    .venv/bin/python benchmarks/engine.py [--reps 9] [--steps 40]
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nn import Network  # noqa: E402
from nn.fast import parallel  # noqa: E402
from nn.fast.render import grid_size, predict_grid  # noqa: E402

SIZES = [2, 27, 31, 31, 1]
ROWS, COLS = 100, 94
WARM_UP = 10  # steps before each timed block
SETTLE = 0.5  # seconds between candidates: OpenBLAS and OpenMP workers spin ~0.1 s after a call


def task(dtype):
    """The 100 x 94 pixel grid, scaled to [-1, 1], and a disc-and-ring picture as Y."""
    r, c = np.meshgrid(np.linspace(-1, 1, ROWS), np.linspace(-1, 1, COLS), indexing="ij")
    X = np.c_[r.ravel(), c.ravel()]
    radius = np.hypot(X[:, 0], X[:, 1])
    Y = ((radius < 0.4) | ((radius > 0.6) & (radius < 0.8))).astype(float)[:, None]
    return X.astype(dtype), Y.astype(dtype)


def engine_step(dtype):
    net = Network(loss="cross_entropy", init="he", seed=0, dtype=dtype)
    net.add(SIZES[1], "relu", input_dim=2)
    for units in SIZES[2:-1]:
        net.add(units, "relu")
    net.add(1, "sigmoid")
    trainer = net.trainer(*task(dtype), learning_rate=0.01)
    return trainer.step


def tutorial_layout_step(dtype):
    """The tutorial's way: features in rows, a fresh array for every temporary, the sigmoid
    recomputed in backward, and its cross-entropy gradient -(Y/A) + (1-Y)/(1-A)."""
    X, Y = task(dtype)
    A0, Yt = X.T.copy(), Y.T.copy()
    rng = np.random.default_rng(0)
    Ws = [
        (rng.standard_normal((o, i)) * np.sqrt(2 / i)).astype(dtype)
        for i, o in zip(SIZES[:-1], SIZES[1:], strict=True)
    ]
    bs = [np.zeros((o, 1), dtype) for o in SIZES[1:]]
    m = A0.shape[1]

    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    def step():
        As, Zs = [A0], []
        for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            Z = W @ As[-1] + b
            Zs.append(Z)
            As.append(sigmoid(Z) if i == len(Ws) - 1 else np.maximum(Z, 0))
        A = As[-1]
        cost = -np.mean(Yt * np.log(A + 1e-15) + (1 - Yt) * np.log(1 - A + 1e-15))
        dA = -(Yt / A) + (1 - Yt) / (1 - A)
        for i in range(len(Ws) - 1, -1, -1):
            Z = Zs[i]
            dZ = dA * sigmoid(Z) * (1 - sigmoid(Z)) if i == len(Ws) - 1 else dA * (Z > 0)
            dW = 1 / m * dZ @ As[i].T
            db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
            dA = Ws[i].T @ dZ
            Ws[i] = Ws[i] - 0.01 * dW
            bs[i] = bs[i] - 0.01 * db
        return cost

    return step


def gemm_floor_step(dtype, in_shares: bool = False):
    """The engine's ten matrix products alone, on buffers of the engine's shapes: on the whole
    batch with BLAS's own threads, or ``in_shares`` as the engine runs them (one share of the
    columns per core, ``nn.fast.parallel``)."""
    m = ROWS * COLS
    rng = np.random.default_rng(0)
    layers = list(zip(SIZES[:-1], SIZES[1:], strict=True))
    Wa = [rng.standard_normal((o, i + 1)).astype(dtype) for i, o in layers]
    Ain = [rng.standard_normal((i + 1, m)).astype(dtype) for i, o in layers]
    Z = [np.empty((o, m), dtype) for i, o in layers]
    dA = [np.empty((i, m), dtype) for i, o in layers]
    shares = parallel.shares(m) if in_shares else [slice(None)]
    G = [[np.empty_like(W) for W in Wa] for _ in shares]

    def products(share: int) -> None:
        c = shares[share]
        for k in range(len(layers)):
            np.matmul(Wa[k], Ain[k][:, c], out=Z[k][:, c])
        for k in range(len(layers) - 1, -1, -1):
            np.matmul(Z[k][:, c], Ain[k][:, c].T, out=G[share][k])
            if 0 < k < len(layers) - 1:  # the output layer's K = 1 product is not a GEMM
                np.matmul(Wa[k][:, :-1].T, Z[k][:, c], out=dA[k][:, c])

    def step():
        parallel.run(products, range(len(shares)))

    return step


def torch_step(dtype):
    import torch

    X, Y = task(dtype)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 27),
        torch.nn.ReLU(),
        torch.nn.Linear(27, 31),
        torch.nn.ReLU(),
        torch.nn.Linear(31, 31),
        torch.nn.ReLU(),
        torch.nn.Linear(31, 1),
    ).to(getattr(torch, dtype))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(Xt), Yt)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def time_per_step(step, steps: int) -> float:
    for _ in range(WARM_UP):  # wake the threads and warm the caches after the pause
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) / steps * 1e3


def blas_kernel() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (install threadpoolctl)"
    info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return ", ".join(
        f"{i['internal_api']} {i['version']} {i.get('architecture')}, {i['num_threads']} threads"
        for i in info
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--steps", type=int, default=40)
    args = parser.parse_args()

    try:
        import torch

        torch.set_num_threads(2)
        torch_info = f"torch {torch.__version__}, {torch.get_num_threads()} threads"
    except ImportError:
        torch = None
        torch_info = "torch not installed: `make bench` installs it (requirements-bench.txt)"

    print(f"numpy {np.__version__}; BLAS: {blas_kernel()}")
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}; {torch_info}")
    print(f"load average before: {os.getloadavg()[0]:.2f}; {args.reps} reps x {args.steps} steps\n")

    candidates = {}
    for dtype in ("float64", "float32"):
        candidates[f"engine {dtype}"] = engine_step(dtype)
        if torch is not None:
            candidates[f"pytorch {dtype}"] = torch_step(dtype)
        candidates[f"tutorial layout {dtype}"] = tutorial_layout_step(dtype)
        candidates[f"GEMMs, BLAS threads {dtype}"] = gemm_floor_step(dtype)
        candidates[f"GEMMs, engine's shares {dtype}"] = gemm_floor_step(dtype, in_shares=True)

    times = {name: [] for name in candidates}
    for _ in range(args.reps):
        for name, step in candidates.items():
            time.sleep(SETTLE)  # let the last one's spinning BLAS/OpenMP threads go idle
            times[name].append(time_per_step(step, args.steps))
    for dtype in ("float64", "float32"):  # the floor: the faster way to run the ten products
        pairs = zip(
            times[f"GEMMs, BLAS threads {dtype}"],
            times[f"GEMMs, engine's shares {dtype}"],
            strict=True,
        )
        times[f"floor {dtype}"] = [min(pair) for pair in pairs]

    print(f"| {'implementation':<30} | ms per step (median) | min   |")
    print(f"|{'-' * 32}|{'-' * 22}|-------|")
    for name, samples in times.items():
        print(f"| {name:<30} | {statistics.median(samples):20.2f} | {min(samples):5.2f} |")

    def ratio(slow: str, fast: str) -> float:
        return statistics.median(a / b for a, b in zip(times[slow], times[fast], strict=True))

    goals = [(f"engine {d}", f"floor {d}", "≤ 1.3") for d in ("float64", "float32")]
    if torch is not None:
        goals += [(f"pytorch {d}", f"engine {d}", "≥ 1.2") for d in ("float64", "float32")]
    goals += [("tutorial layout float32", "engine float32", "")]
    print("\n| ratio (median of per-rep ratios)          | value | goal  |")
    print("|--------------------------------------------|-------|-------|")
    for slow, fast, goal in goals:
        print(f"| {slow + ' / ' + fast:<42} | {ratio(slow, fast):5.2f} | {goal:<5} |")

    net = engine_step("float32").__self__.network
    side = grid_size(0.001)
    predict_grid(net, 64, 64)
    tracemalloc.start()
    start = time.perf_counter()
    image = predict_grid(net, side, side)
    seconds = time.perf_counter() - start
    extra = tracemalloc.get_traced_memory()[1] - image.nbytes
    tracemalloc.stop()
    print(f"\nChunked prediction, {side} x {side} grid (h = 0.001), float32, 65,536-point chunks:")
    print(f"  {seconds:.2f} s; peak memory beyond the image itself: {extra / 1e6:.0f} MB")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
