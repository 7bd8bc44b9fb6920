"""Chinese is the default language: every interface string has a translation, and the compiled file matches."""

from pathlib import Path

import polib
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_string_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    missing = [e.msgid for e in po if not (e.msgstr or any(e.msgstr_plural.values())) or "fuzzy" in e.flags]
    assert missing == []


def test_compiled_catalogue_matches_the_source():
    po = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(CATALOGUE / "django.po")) if not e.msgid_plural}
    mo = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(CATALOGUE / "django.mo")) if not e.msgid_plural}
    assert po == mo, "run `make messages` to compile locale/zh_Hans"


def test_the_interface_speaks_chinese_by_default(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("zh-hans"):
        assert translation.gettext("Organisation") == "组织架构"
        assert translation.pgettext("weekday", "Mon") == "一"


def test_every_interface_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Run makemessages on a copy of the code: no msgid may be missing from the committed catalogue."""
    import shutil
    import subprocess
    import sys

    assert shutil.which("xgettext"), "gettext is needed: `make test` installs it (apt-get install gettext)"
    root = Path(__file__).resolve().parent.parent
    copy = tmp_path / "code"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(
        ".venv", "node_modules", ".git", "artifacts", "staticfiles", "tests", "*.pyc", "db.sqlite3"))
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"], cwd=copy,
                   check=True, capture_output=True, env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE":
                                                         "salesops.settings.local", "PYTHONPATH": str(copy)})
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE / "django.po"))}
    assert sorted(fresh - committed, key=str) == [], "run `make messages` and translate the new strings"
