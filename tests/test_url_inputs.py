"""Whatever a query string holds, no page answers 500.

Every page of the permission matrix is opened by a programme manager and by partner staff
with each of the parameters the portal reads from the URL (``request.GET``, filters, forms
bound to the query string) set to hostile values: ids past every integer type, negative and
garbage numbers, dates at the calendar's ends. A page may ignore them or say they are wrong
(200 or 400), never fail. Walks the same URL patterns as ``test_url_matrix.py``.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from . import test_url_matrix as matrix

world = matrix.world

# Every name a view reads from the query string (grep request.GET, filters, bound forms).
PARAMETERS = (
    "module",
    "partner",
    "page",
    "month",
    "year",
    "when",
    "sort",
    "selected",
    "format",
    "q",
    "kpi",
    "kind",
    "source",
    "province",
    "sector",
    "size",
    "status",
    "enrolment_status",
    "grade",
    "active",
    "enterprise",
    "trainer",
    "period_from",
    "period_to",
    "date",
    "day",
    "next",
    "trainer",
    "from",
    "to",
    "lang",
    "done",
)

HOSTILE = {
    "huge": "99999999999999999999",
    "int64_edge": "9223372036854775808",
    "negative": "-1",
    "garbage": "garbage",
    "max_date": "9999-12-31",
    "max_month": "9999-12",
    "min_date": "0001-01-01",
    "min_month": "0001-01",
    "zero_month": "2026-00",
    "nul": "a\x00b",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["programme", "zj_staff", "zj_trainer"])
@pytest.mark.parametrize("value", ["huge", "negative", "garbage", "max_date", "min_month"])
@pytest.mark.parametrize("name", [n for n in matrix.ALL_URL_NAMES if n in matrix.MATRIX])
def test_it_survives_hostile_query_strings(client, world, name, role, value):
    client.force_login(getattr(world["cast"], role))
    url = reverse(name, kwargs=matrix.MATRIX[name].kwargs(world))
    query = urlencode(dict.fromkeys(PARAMETERS, HOSTILE[value]))
    response = client.get(f"{url}?{query}")
    assert response.status_code < 500, f"GET {url}?{query} as {role}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("value", list(HOSTILE), ids=list(HOSTILE))
@pytest.mark.parametrize("key", PARAMETERS)
def test_it_survives_each_hostile_parameter_alone_on_list_pages(client, world, key, value):
    client.force_login(world["cast"].programme)
    for name in (
        "enterprises:list",
        "workshops:list",
        "workshops:calendar",
        "trainers:list",
        "reports:dashboard",
        "reports:target-list",
        "reports:target-actuals",
        "enterprises:transfer:export",
    ):
        url = reverse(name)
        response = client.get(url, {key: HOSTILE[value]})
        assert response.status_code < 500, f"GET {url}?{key}={value}: {response.status_code}"
