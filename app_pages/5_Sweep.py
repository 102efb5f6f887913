"""Lesson 5: the author's 15-hour hyper-parameter search, in minutes, on every core."""

from lessons.sweep import views

views.page()
