"""Load test: the usual clicks of the three kinds of users, logged in as the demo users.

Run by `make load` (seed_demo, gunicorn with 4 workers on 127.0.0.1:8765 against PostgreSQL,
50 users for 60 s). By hand: `.venv/bin/locust -f bench/locustfile.py --host
http://127.0.0.1:8765` (install with `pip install -e ".[bench]"`). Only ever point it at
127.0.0.1 or a test server of your own.
"""

import random
import re

from locust import HttpUser, between, task

PASSWORD = "demo"  # noqa: S105 - the demo users' password (seed_demo); never a real server
ENTERPRISE_LINK = re.compile(r'href="/enterprises/(\d+)/"')
VISIT_LINK = re.compile(r'href="/visits/(\d+)/"')
WORKSHOP_LINK = re.compile(r'href="/workshops/(\d+)/"')


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    usernames: tuple[str, ...] = ()

    def on_start(self):
        self.username = random.choice(self.usernames)
        response = self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            name="login",
            catch_response=True,
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": response.url},
        ) as login:
            if "/accounts/login/" in login.url:
                login.failure(f"login of {self.username} refused")

    def ids(self, path: str, pattern, name: str) -> list[str]:
        response = self.client.get(path, name=name)
        return pattern.findall(response.text) if response.ok else []


class PartnerStaff(PortalUser):
    """Federation staff: enterprise lists with filters, an enterprise, the workshops."""

    weight = 3
    usernames = ("zj-staff", "sc-staff")

    @task(3)
    def enterprise_list(self):
        params = random.choice(
            [
                {},
                {"status": "active"},
                {"sector": "C13"},
                {"q": "Co"},
                {"status": "active", "sort": "-employees"},
                {"page": "2"},
            ]
        )
        ids = self.ids(
            "/enterprises/?" + "&".join(f"{k}={v}" for k, v in params.items()),
            ENTERPRISE_LINK,
            "enterprise list (filtered)",
        )
        if ids:
            self.client.get(f"/enterprises/{random.choice(ids)}/", name="enterprise page")

    @task(1)
    def workshops(self):
        ids = self.ids("/workshops/", WORKSHOP_LINK, "workshop list")
        if ids:
            self.client.get(f"/workshops/{random.choice(ids)}/", name="workshop page")


class Trainer(PortalUser):
    """Trainers: their home page (today's visits, their enterprises) and visit pages."""

    weight = 2
    usernames = ("zj-trainer", "sc-trainer")

    @task
    def home_and_visit(self):
        ids = self.ids("/", VISIT_LINK, "home (trainer)")
        if ids:
            self.client.get(f"/visits/{random.choice(ids)}/", name="visit page")


class Manager(PortalUser):
    """Partner and programme managers: the home page figures and the reports."""

    weight = 1
    usernames = ("zj-manager", "sc-manager", "programme")

    @task(2)
    def home(self):
        self.client.get("/", name="home (manager)")

    @task(1)
    def reports(self):
        self.client.get("/reports/", name="reports list")
