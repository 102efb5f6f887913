"""Lesson 1: learn y = 2x + 1 from seven points, then predict x = 12 -> 25."""

from lessons.linear import views

views.page()
