"""Pages, one module per concern: enterprises, enrolments, KPI readings."""
