"""Pages, one module per concern: workshops, participants (with attendance)."""
