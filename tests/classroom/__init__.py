"""Tests of the classroom package: the store, access (teacher token, signed links) and scoring."""
