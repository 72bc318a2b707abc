"""Views of the metrics app, one module per page family."""
