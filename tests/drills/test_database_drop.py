"""Drill: PostgreSQL drops the web process's persistent connection between two requests
(server restart, failover, an idle-connection killer): the next request still succeeds.

With ``DATABASE_URL`` set, connections live ``CONN_MAX_AGE`` seconds and are health-checked
before reuse (``CONN_HEALTH_CHECKS``). Django runs that check when a request starts
(``close_old_connections`` on ``request_started``). The test ``Client`` disconnects exactly
that receiver, so this drill sends its requests through the real WSGI handler, as gunicorn
does.
"""

import io
import json

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.urls import reverse

pytestmark = [pytest.mark.services, pytest.mark.drills]


def _wsgi_get(app, path: str, cookie: str = "") -> tuple[int, bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_COOKIE": cookie,
    }
    status = {}

    def start_response(line, headers, exc_info=None):
        status["code"] = int(line.split()[0])

    response = app(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        response.close()  # fires request_finished, as a WSGI server does
    return status["code"], body


def _terminate(pid: int) -> None:
    db = django_settings.DATABASES["default"]
    other = psycopg2.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
    )
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dropped_database_connection_is_replaced_on_the_next_request(cast, client):
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    client.force_login(cast.zj_staff)
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.session.session_key}"
    app = get_wsgi_application()

    status, _ = _wsgi_get(app, reverse("enterprises:list"), cookie)
    assert status == 200
    assert connection.connection is not None, "the connection should persist between requests"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    _terminate(pid)  # the server ends the session behind Django's back

    status, body = _wsgi_get(app, reverse("enterprises:list"), cookie)
    assert status == 200, body[:2000]
    _, body = _wsgi_get(app, reverse("healthz"))
    assert json.loads(body)["database"] == "ok"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid  # a new session replaced the dead one
