import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_renders_in_both_languages(client):
    assert "Log in" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "登录" in client.get(reverse("login")).content.decode()


def test_each_role_sees_its_home_with_its_partner(client, cast):
    client.force_login(cast.zj_staff)
    page = client.get(reverse("home")).content.decode()
    assert "Zhejiang Enterprise Federation" in page
    assert "Sichuan Enterprise Federation" not in page
    assert "Workplace Cooperation" in page  # the module catalogue panel


def test_programme_manager_home_lists_all_partners(client, cast):
    client.force_login(cast.programme)
    page = client.get(reverse("home")).content.decode()
    assert "Zhejiang Enterprise Federation" in page and "Sichuan Enterprise Federation" in page


def test_home_in_chinese_shows_chinese_names(client, cast):
    client.force_login(cast.zj_manager)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "浙江省企业联合会" in page
    assert "模块一 工作场所合作" in page


def test_user_without_role_is_told_so(client, cast):
    client.force_login(cast.norole)
    assert "no role" in client.get(reverse("home")).content.decode()


def test_navigation_shows_catalogue_management_only_to_programme_managers(client, cast):
    client.force_login(cast.zj_staff)
    assert "Add a module" not in client.get(reverse("catalogue:module-list")).content.decode()
    client.force_login(cast.programme)
    assert "Add a module" in client.get(reverse("catalogue:module-list")).content.decode()


def test_logout_is_a_post(client, cast):
    client.force_login(cast.zj_staff)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_home_renders_in_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    client.force_login(cast.programme)
    # The headline panel reads four grouped indicator queries (enterprises, workshops with
    # participants, visits, enrolments) instead of one query of per-partner correlated
    # subqueries; tests/reports/test_indicators_queries.py pins it at two data sizes.
    with django_assert_max_num_queries(11):
        client.get(reverse("home"))
