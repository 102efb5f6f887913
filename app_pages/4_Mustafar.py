"""Lesson 4: learn a picture as a function (row, column) -> pixel, then enhance it."""

from lessons.mustafar import views

views.page()
