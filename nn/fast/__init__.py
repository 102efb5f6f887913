"""The engine's fast path: what exists for speed, not for reading.

- ``workspace``: every buffer a pass needs, allocated once, feature-major like the tutorial.
- ``passes``: forward and backward over one share of a workspace's columns, into those buffers.
- ``parallel``: one share of a large batch per core, on threads, with single-threaded BLAS.
- ``render``: a network evaluated on a large grid in fixed-size chunks.

``nn.Network`` is built on these. The same math, plain, reads top to bottom in ``nn.tutorial``;
``tests/nn/test_tutorial_path.py`` checks that the two agree to 1e-12 in float64.
"""
