"""What each role does in the browser today: log in, home, language, catalogue, log out."""

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Module

from .conftest import BROWSER_ROLES, PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


@pytest.mark.parametrize("role", BROWSER_ROLES)
def test_each_role_logs_in_and_sees_its_home_and_the_catalogue(
    page, live_server, cast, role, csp_violations
):
    user = getattr(cast, role)
    log_in(page, live_server, user.username)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_role("main")).to_contain_text("Zhejiang Enterprise Federation")
    page.get_by_role("link", name="Modules").click()
    expect(page.get_by_role("heading", name="Module catalogue")).to_be_visible()
    expect(page.get_by_role("cell", name="M1", exact=True)).to_be_visible()
    assert not csp_violations


def test_language_switch_to_chinese(page, live_server, cast, csp_violations):
    log_in(page, live_server, cast.zj_staff.username)
    page.get_by_role("button", name="中文").click()
    expect(page).to_have_title(re.compile("首页"))
    expect(page.get_by_role("link", name="模块", exact=True)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("浙江省企业联合会")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_title(re.compile("Home"))
    assert not csp_violations


def test_programme_manager_adds_a_module(page, live_server, cast, csp_violations):
    log_in(page, live_server, cast.programme.username)
    page.goto(f"{live_server.url}/modules/")
    page.get_by_role("link", name="Add a module").click()
    page.get_by_label("Code").fill("M9")
    page.get_by_label("Name (English)").fill("Energy Efficiency")
    page.get_by_label("Name (Chinese)").fill("能源效率")
    page.get_by_label("Classroom days").fill("2")
    page.get_by_label("Planned consulting visits").fill("3")
    page.get_by_label("Order").fill("60")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Module catalogue")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Module M9 saved.")
    expect(page.get_by_role("cell", name="Energy Efficiency")).to_be_visible()
    assert Module.objects.filter(code="M9", planned_visits=3).exists()
    assert not csp_violations


def test_log_out_from_the_user_menu(page, live_server, cast):
    log_in(page, live_server, cast.zj_trainer.username)
    page.get_by_role("button", name=cast.zj_trainer.get_full_name()).click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")  # LOGOUT_REDIRECT_URL
    expect(page.get_by_role("heading", name="Log in to the SCORE Portal")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_wrong_password_five_times_shows_the_lockout_page(page, live_server, cast):
    for _ in range(5):
        log_in(page, live_server, cast.zj_staff.username, "not the password")
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()


@pytest.mark.parametrize("role", ["zj_trainer", "programme"])
def test_home_fits_a_phone_screen(page, live_server, cast, role):
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, live_server, getattr(cast, role).username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
