"""The teacher's console: only a session opened with the teacher link reaches it."""

from console import views

views.page()
