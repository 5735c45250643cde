"""Forms of the trainers app, one module per concern."""
