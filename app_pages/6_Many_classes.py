"""Lesson 6: a softmax output tells 3 to 5 classes apart; a linear output learns a surface."""

from lessons.classes import views

views.page()
