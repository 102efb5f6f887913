"""Lesson 2: logistic regression is a network with no hidden layer, on 891 real passengers."""

from lessons.titanic import views

views.page()
