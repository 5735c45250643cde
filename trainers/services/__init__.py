"""Writes of the trainers app, one module per concern: ``trainers`` (profiles and logins),
``certification``, ``teaching`` (teaching teams, completing a workshop), ``assignments``
(consultants) and ``visits`` (planning, recording, cancelling)."""
