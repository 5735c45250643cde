"""The Nu HTML Checker (vnu.jar, from the npm package ``vnu-jar``) finds no error on the main
page of every role, in English and in Chinese.

The jar lives in ``.tools/vnu`` (ignored by git): ``npm install --prefix .tools/vnu vnu-jar``
(``.ci/run`` does it). Java 17 runs it. All pages go to one checker run (one JVM start)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from .conftest import service_required
from .url_world import build_world

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / ".tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ["en", "zh-hans"]
# The page each role starts the day on, and the one it lives on.
MAIN_PAGES = {
    "anonymous": ["login"],
    "programme": ["home", "reports:dashboard"],
    "zj_manager": ["home", "reports:dashboard"],
    "zj_staff": [
        "home",
        "enterprises:list",
        "trainers:visits:plan",
        ("enterprises:detail", "enterprise"),
        ("workshops:detail", "workshop"),
        ("workshops:attendance", "workshop"),
        "enterprises:review:queue",
        ("enterprises:kpi:overview", "enterprise"),
    ],
    "zj_trainer": ["home", "trainers:my-schedule"],
}


def _vnu_errors(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        service_required("the Nu HTML Checker", "run: npm install --prefix .tools/vnu vnu-jar")
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stderr.strip() or result.stdout.strip()
    return json.loads(output)["messages"]


def test_main_pages_of_every_role_have_no_html_errors(client, cast, tmp_path):
    world = build_world(cast)
    # A canary the checker must flag, so a checker that does not run cannot pass the test.
    canary = tmp_path / "canary.html"
    canary.write_text('<!DOCTYPE html><html lang="en"><title>c</title><p id="x"><p id="x">')
    files = [canary]
    for role, names in MAIN_PAGES.items():
        for language in LANGUAGES:
            client.logout()
            if role != "anonymous":
                client.force_login(getattr(cast, role))
            client.cookies["django_language"] = language
            for entry in names:
                name, arg = entry if isinstance(entry, tuple) else (entry, None)
                url = reverse(name, args=[world[arg].pk] if arg else [])
                response = client.get(url)
                assert response.status_code == 200, (role, name, response.status_code)
                path = tmp_path / f"{role}-{language}-{name.replace(':', '_')}.html"
                path.write_bytes(response.content)
                files.append(path)
    # and the error pages, in the portal's layout
    client.force_login(cast.zj_staff)
    for language in LANGUAGES:
        client.cookies["django_language"] = language
        response = client.get(reverse("enterprises:detail", args=[world["other_enterprise"].pk]))
        assert response.status_code == 404
        path = tmp_path / f"404-{language}.html"
        path.write_bytes(response.content)
        files.append(path)
    messages = [m for m in _vnu_errors(files) if m.get("type") == "error"]
    assert any(Path(m["url"]).name == "canary.html" for m in messages), messages
    errors = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']} | {m.get('extract', '')!r}"
        for m in messages
        if Path(m["url"]).name != "canary.html"
    ]
    assert len(files) == 1 + sum(len(n) for n in MAIN_PAGES.values()) * len(LANGUAGES) + 2
    assert not errors, "Nu HTML Checker:\n" + "\n".join(errors)
