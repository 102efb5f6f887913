"""The lessons, in teaching order: one folder each (``logic.py`` without Streamlit, ``views.py``
with it), and the list the navigation and Home read. A lesson appears only once its page
script exists: no placeholders.
"""

from dataclasses import dataclass

from kit import REPO_ROOT


@dataclass(frozen=True)
class Lesson:
    """One lesson page: its script (relative to the repo root), the key of its state and
    widgets (``kit.session``), sidebar title and promise."""

    number: int
    key: str
    page: str
    title: str
    icon: str
    promise: str

    @property
    def is_available(self) -> bool:
        """True once a colleague has written the page script."""
        return (REPO_ROOT / self.page).is_file()


LESSONS = (
    Lesson(
        1,
        "linear",
        "app_pages/1_Linear_regression.py",
        "Linear regression",
        ":material/show_chart:",
        "Learn y = 2x + 1 from seven points, then predict 12 → 25.",
    ),
    Lesson(
        2,
        "titanic",
        "app_pages/2_Titanic.py",
        "Titanic",
        ":material/directions_boat:",
        "Logistic regression is a network with no hidden layer: "
        "80.8 % training accuracy on real passengers.",
    ),
    Lesson(
        3,
        "rose",
        "app_pages/3_Rose.py",
        "Rose",
        ":material/local_florist:",
        "A straight line cannot separate the petals; 4 tanh units draw the flower.",
    ),
    Lesson(
        4,
        "mustafar",
        "app_pages/4_Mustafar.py",
        "Mustafar",
        ":material/image:",
        "Learn a 1-bit picture as a function (x, y) → pixel, then enhance it on a finer grid.",
    ),
    Lesson(
        5,
        "sweep",
        "app_pages/5_Sweep.py",
        "Sweep",
        ":material/tune:",
        "The author's 15-hour search for the best network, in minutes on every core.",
    ),
    Lesson(
        6,
        "classes",
        "app_pages/6_Many_classes.py",
        "Many classes",
        ":material/scatter_plot:",
        "A softmax tells 3 to 5 classes apart; a linear output learns a surface over the plane.",
    ),
)


def available_lessons() -> list[Lesson]:
    """The lessons whose page script exists, in teaching order."""
    return [lesson for lesson in LESSONS if lesson.is_available]


def lesson_of(key: str) -> Lesson:
    """The lesson whose state lives under ``key``."""
    return next(lesson for lesson in LESSONS if lesson.key == key)
