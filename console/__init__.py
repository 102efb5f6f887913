"""The teacher's console: classes, the current challenge and its link, the live class board."""
