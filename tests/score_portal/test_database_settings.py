"""PostgreSQL sessions run without JIT compilation (config/settings.py, DATABASE_JIT)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_postgresql_sessions_do_not_jit_compile():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
