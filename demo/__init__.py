"""Demo data for trying the portal: ``seed_demo`` and its steps. No app imports this package."""
