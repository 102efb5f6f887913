"""What "Record a GIF" costs in each lesson: a click trains a copy of the run from the start up
to the run's iteration and films it (``lessons/<lesson>/slides.py``'s ``gif_recording``), then
Pillow encodes the frames (``kit.gif.gif_bytes``, at most ``kit.gif.MAX_BYTES``).

Each row films a whole planned run (a paused run films up to its iteration, so this is the
longest a click waits) with the settings a lesson opens with or its presets, on one core, and
prints the seconds to train and draw, the seconds to encode, the frames and the file's size.
The BLAS kernel is printed first: run it again with OPENBLAS_CORETYPE=Haswell for the AMD
machines' kernel.

    .venv/bin/python benchmarks/gif_recording.py
"""

import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core, as on a busy class server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from kit.gif import MAX_BYTES, gif_bytes  # noqa: E402


def rows() -> list[tuple[str, object, object, object]]:
    """(lesson and settings, settings, output, record(run)): what each row films."""
    from lessons.classes import logic as classes
    from lessons.classes import slides as classes_slides
    from lessons.classes import views as classes_views
    from lessons.linear import logic as linear
    from lessons.linear import slides as linear_slides
    from lessons.linear import views as linear_views
    from lessons.mustafar import logic as mustafar
    from lessons.mustafar import slides as mustafar_slides
    from lessons.rose import logic as rose
    from lessons.rose import slides as rose_slides
    from lessons.rose import views as rose_views
    from lessons.titanic import logic as titanic
    from lessons.titanic import slides as titanic_slides
    from lessons.titanic import views as titanic_views

    problem = linear.Problem.of(*linear.points())
    split = titanic.tutorial_split()
    plane = rose.make_plane_data(rose.PlaneChoice())
    plane_output = rose_views.OutputSpec(plane.input_dim, 1, "sigmoid", "cross_entropy")
    picture = mustafar.picture_data(
        mustafar.builtin_picture(mustafar.DEFAULT_TRANSMISSION), "1bit", 0.5,
        mustafar.DEFAULT_RESOLUTION,
    )  # fmt: skip
    classify = classes.make_data(classes.ClassesChoice())
    regress = classes.make_data(classes.ClassesChoice(mode="regress"))
    return [
        ("Linear, tutorial", linear_views.TUTORIAL, linear_views.OUTPUT,
         lambda run: linear_slides.gif_recording(run, problem)),
        ("Titanic, tutorial", titanic_views.TUTORIAL, titanic_views.OUTPUT,
         lambda run: titanic_slides.gif_recording(run, split)),
        ("Titanic, Fast", titanic_views.FAST, titanic_views.OUTPUT,
         lambda run: titanic_slides.gif_recording(run, split)),
        ("Rose, tutorial", rose_views.TUTORIAL, plane_output,
         lambda run: rose_slides.gif_recording(run, plane)),
        ("Rose, Fast", rose_views.FAST, plane_output,
         lambda run: rose_slides.gif_recording(run, plane)),
        ("Mustafar, Fast", mustafar.FAST, mustafar.picture_output(picture),
         lambda run: mustafar_slides.gif_recording(run, picture)),
        ("Many classes, classify", classes_views.DEFAULTS, classify.output(),
         lambda run: classes_slides.gif_recording(run, classify)),
        ("Many classes, regress", classes_views.PRESETS["Gradient descent"], regress.output(),
         lambda run: classes_slides.gif_recording(run, regress)),
    ]  # fmt: skip


def main() -> None:
    print(f"BLAS kernel: {os.environ.get('OPENBLAS_CORETYPE', 'native')}, one thread")
    print(f"{'lesson, settings':<26} {'iterations':>10} {'train+draw s':>12} {'encode s':>8} "
          f"{'frames':>6} {'size':>8}  frame")  # fmt: skip
    for name, settings, output, record in rows():
        # What gif_recording reads of a run: a run not yet trained films its planned maximum.
        run = SimpleNamespace(settings=settings, output=output, iteration=0)
        start = time.perf_counter()
        frames = record(run)()
        filmed = time.perf_counter()
        data = gif_bytes(frames)
        encoded = time.perf_counter()
        shape = "×".join(str(side) for side in np.shape(frames[0]))
        size = f"{len(data) / 1e3:>6.0f} kB"
        print(f"{name:<26} {settings.max_iterations:>10,} {filmed - start:>12.2f} "
              f"{encoded - filmed:>8.2f} {len(frames):>6} {size}  {shape}")  # fmt: skip
    print(f"(the size limit is {MAX_BYTES / 1e6:g} MB)")


if __name__ == "__main__":
    main()
