"""Lesson 3: a straight line cannot separate the rose's petals; 4 tanh units draw the flower."""

from lessons.rose import views

views.page()
