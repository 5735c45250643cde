"""Screenshots of each role's dashboard in Chinese, from the seeded demo data.

    .venv/bin/python bench/screenshots.py            # writes docs/screenshots/*.png

Builds a throwaway SQLite database under a temporary VAR_DIR (migrate + seed_demo), starts
the development server on 127.0.0.1:8799, logs in as each demo user with Debian's Chromium
(headless, through Playwright), switches to 中文 and takes a full-page screenshot of the
dashboard (the trainer: of the home page). The server is stopped afterwards.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PORT = 8799
BASE = f"http://127.0.0.1:{PORT}"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SHOTS = [
    ("programme", "/reports/dashboard/", "dashboard-programme-zh.png"),
    ("zj-manager", "/reports/dashboard/", "dashboard-partner-manager-zh.png"),
    ("zj-staff", "/reports/dashboard/", "dashboard-partner-staff-zh.png"),
    ("zj-trainer", "/", "home-trainer-zh.png"),
]


def _manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _wait_for_server(timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{BASE}/accounts/login/", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the development server did not start")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="score-shots-") as var_dir:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "CELERY_BROKER_URL"}
        }
        env.update(
            VAR_DIR=var_dir,
            DJANGO_ENV="development",
            DEBUG="false",
            ALLOWED_HOSTS="127.0.0.1,localhost",
        )
        _manage(env, "migrate", "-v0")
        _manage(env, "seed_demo")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            cwd=ROOT,
            env={**env, "DEBUG": "true"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_server()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    headless=True,
                    args=[
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                    ],
                )
                for username, path, name in SHOTS:
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.goto(f"{BASE}/accounts/login/")
                    page.fill("#id_username", username)
                    page.fill("#id_password", "demo")
                    page.click("main button[type=submit]")
                    page.wait_for_load_state()
                    page.click(".language-switch button[lang=zh-hans]")
                    page.wait_for_load_state()
                    page.goto(f"{BASE}{path}")
                    page.screenshot(path=str(OUT / name), full_page=True)
                    print(f"{username:<12} → docs/screenshots/{name}")
                    page.set_viewport_size({"width": 375, "height": 800})
                    page.reload()
                    width = page.evaluate("document.documentElement.scrollWidth")
                    print(
                        f"{'':<12}   at 375 px the page is {width} px wide"
                        + ("" if width <= 375 else "  ← wider than the phone")
                    )
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
