"""Pages of the trainers app, one module per concern (mounted by ``trainers/urls.py``)."""
