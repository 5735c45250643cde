"""The Simplified Chinese catalogue is complete: every translatable string in the code and
templates has a translation, nothing is fuzzy, and placeholders match."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
PO_PATH = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _translations(po):
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            yield entry, [entry.msgid, entry.msgid_plural], list(entry.msgstr_plural.values())
        else:
            yield entry, [entry.msgid], [entry.msgstr]


def test_committed_catalogue_has_no_untranslated_or_fuzzy_string():
    po = polib.pofile(str(PO_PATH))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]


def test_placeholders_survive_translation():
    po = polib.pofile(str(PO_PATH))
    for entry, sources, targets in _translations(po):
        wanted = set(PLACEHOLDER.findall(sources[-1]))
        for target in targets:
            assert set(PLACEHOLDER.findall(target)) == wanted, entry.msgid


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory):
    """Run makemessages on a copy of the source, as a developer would before committing."""
    copy = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns(
        ".venv", "var", ".git", "node_modules", "__pycache__", "*.mo", "static", "docs"
    )
    shutil.copytree(ROOT, copy / "p", ignore=ignore)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--ignore=tests",
            "--no-obsolete",
            "-v",
            "0",
        ],
        cwd=copy / "p",
        check=True,
        capture_output=True,
        timeout=300,
    )
    return polib.pofile(str(copy / "p" / PO_PATH.relative_to(ROOT)))


def test_every_string_in_the_code_is_translated(fresh_catalogue):
    missing = [e.msgid for e in fresh_catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in fresh_catalogue.fuzzy_entries()]
    assert not missing, f"Strings without a Chinese translation: {missing}"
    assert not fuzzy, f"Fuzzy translations to review: {fuzzy}"


def test_catalogue_compiles():
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(PO_PATH)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
