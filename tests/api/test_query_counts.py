"""Every list endpoint runs the same number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .test_api_matrix import LISTS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_runs_a_fixed_number_of_queries(api, world, tokens, name, django_assert_num_queries):
    client = api(tokens["programme"])  # sees both partners: two rows or more everywhere
    url = reverse(f"api:{name}")
    client.get(url, {"page_size": 1})  # the token's last use is noted once, not every time
    with CaptureQueriesContext(connection) as one:
        small = client.get(url, {"page_size": 1})
    assert small.status_code == 200 and len(small.json()["results"]) == 1, name
    with django_assert_num_queries(len(one.captured_queries)):
        large = client.get(url, {"page_size": 2})
    assert len(large.json()["results"]) == 2, name
