"""The cache is shared by every process of the portal (``CACHE_URL``), so the public pages'
rate limits (``score_portal.ratelimit``) count an address once, whatever the number of web
workers: each request here is counted in a process of its own."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# One "web worker": counts one request of ``address`` against a limit of 2 a minute and
# prints whether it is over the limit, and which cache it counted in. Every worker counts
# in the same minute (a slow machine must not start a new one between two of them).
COUNT_ONE = (
    "import datetime; from unittest import mock; import django; django.setup(); "
    "from django.conf import settings; from django.test import RequestFactory; "
    "from score_portal import ratelimit; "
    "request = RequestFactory().get('/verify/', REMOTE_ADDR='{address}'); "
    "minute = datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.timezone.utc); "
    "patch = mock.patch.object(ratelimit.timezone, 'now', return_value=minute); "
    "patch.start(); "
    "print(settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], "
    "ratelimit.over_limit(request, 'verify', 2))"
)


def _worker(address: str, **env_extra) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env_extra}
    result = subprocess.run(
        [sys.executable, "-c", COUNT_ONE.format(address=address)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_three_processes_share_one_count_in_the_default_file_cache(tmp_path):
    address = f"file-{uuid.uuid4().hex}"
    env = {"VAR_DIR": str(tmp_path), "CACHE_URL": ""}
    answers = [_worker(address, **env) for _ in range(3)]
    assert answers == ["FileBasedCache False", "FileBasedCache False", "FileBasedCache True"]
    assert any((tmp_path / "cache").iterdir())  # under VAR_DIR, beside the database
    # another address has its own count
    assert _worker("10.9.251.8", **env) == "FileBasedCache False"


def test_three_processes_share_one_count_in_redis(redis_url, tmp_path):
    import redis

    address = f"redis-{uuid.uuid4().hex}"  # a count of its own in a Redis that stays
    env = {"VAR_DIR": str(tmp_path), "CACHE_URL": redis_url}
    answers = [_worker(address, **env) for _ in range(3)]
    assert answers == ["RedisCache False", "RedisCache False", "RedisCache True"]
    keys = redis.Redis.from_url(redis_url).keys(f"score:*rate:verify:{address}:*")
    assert len(keys) == 1  # one count, under the portal's prefix
    redis.Redis.from_url(redis_url).delete(*keys)


def test_a_wrong_cache_url_refuses_to_start(tmp_path):
    env = {**os.environ, "VAR_DIR": str(tmp_path), "CACHE_URL": "memcached://127.0.0.1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "CACHE_URL must be redis://" in result.stderr


@pytest.mark.parametrize("url", ["locmem://"])
def test_a_single_process_cache_is_still_possible(url, tmp_path):
    assert _worker("10.7.0.1", VAR_DIR=str(tmp_path), CACHE_URL=url) == "LocMemCache False"
