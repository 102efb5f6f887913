"""Data for the lessons: generate, load and validate (numpy, pandas and Pillow; no Streamlit).

Layout everywhere: samples in rows, ``X.shape == (n_samples, n_features)`` and
``Y.shape == (n_samples, n_outputs)``, float64 (the tutorial draws the transpose). Every function
that draws random numbers takes a ``seed``. Errors a student can cause raise ``DatasetError``
(a ``ValueError``) or one of its subclasses ``ImageError`` and ``titanic.PassengerError``, with a
message that says what was given and what is allowed.

- Lesson 1, linear regression: ``make_linear`` (the tutorial's seven points by default).
- Lesson 2, Titanic: the module ``titanic`` (raw passengers, the tutorial's 14 features, splits,
  baselines, ``encode_passenger`` for a "would you survive?" form).
- Lesson 3, the rose and other toy sets: ``make_rose`` (the tutorial's 688 points by default),
  ``make_circle``, ``make_xor``, ``make_gaussians``, ``make_spiral``, ``make_moons``,
  ``make_planar_flower``; ``TOY_DATASETS`` maps picker names to these generators.
- Lesson 4, Mustafar (an image as a dataset): ``load_image`` (checked upload), ``image_to_xy`` and
  ``xy_to_image`` (pixels <-> samples), ``make_grid`` (coordinates for the "enhance" view),
  ``load_tutorial_npz`` (the tutorial's own .npz), ``TRANSMISSIONS`` / ``load_transmission``
  (pictures drawn in code).
- Lesson 6, many classes: the module ``multiclass`` (spiral arms, blobs and the rose's petals in
  3 to 5 classes; smooth surfaces f(x, y) to regress).
- Data by hand (Rose, lesson 6): the module ``hand`` (the points a student clicks, the check of
  a click, the points as JSON and as Python).
"""

from datasets import titanic
from datasets._errors import DatasetError
from datasets.images import (
    ImageError,
    image_to_xy,
    load_image,
    load_tutorial_npz,
    make_grid,
    xy_to_image,
)
from datasets.linear import make_linear
from datasets.mustafar import TRANSMISSIONS, Transmission, load_transmission
from datasets.rose import make_rose
from datasets.titanic import PassengerError
from datasets.toy import (
    TOY_DATASETS,
    make_circle,
    make_gaussians,
    make_moons,
    make_planar_flower,
    make_spiral,
    make_xor,
)

__all__ = [
    "TOY_DATASETS",
    "TRANSMISSIONS",
    "DatasetError",
    "ImageError",
    "PassengerError",
    "Transmission",
    "image_to_xy",
    "load_image",
    "load_transmission",
    "load_tutorial_npz",
    "make_circle",
    "make_gaussians",
    "make_grid",
    "make_linear",
    "make_moons",
    "make_planar_flower",
    "make_rose",
    "make_spiral",
    "make_xor",
    "titanic",
    "xy_to_image",
]
