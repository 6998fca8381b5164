"""English is the second language (issue 16): a page rendered in English shows no Chinese outside
names and data, and every catalogue is complete and compiled.

Every demo role of several tenants (``load_demo``), the platform administrator and an anonymous
visitor open every page they can reach without parameters, and the detail pages of each tenant's
submitted demo application (the walker of ``tests/test_plain_words.py``); the roles of one tenant
also open every page with parameters, reached with the isolation matrix's objects
(``tests/test_isolation.FOREIGN_KWARGS``); all with the language cookie set to English. A page that
raises is reported with its error. From each page's visible text and its person-facing attributes (placeholder, title,
aria-label, alt, data-label, the value of a button) every piece of data is removed: each run of
Chinese characters that is a whole run of a string stored in the database (every CharField,
TextField and JSONField leaf of every model after the demo is loaded, the tenant documents and rule
sets as committed, names with their masked forms, and each language's name in itself). Any
Chinese that remains is text the page itself says, and it fails, naming the page, the roles that
saw it and the first runs.

One test per URL namespace, so a helper runs its own pages: ``-k review``, ``-k applications``…
(the pages without a namespace, home and dashboard, are ``core``).

The catalogue tests read every ``locale/*/LC_MESSAGES/django.po`` in the repository: no empty or
fuzzy translation, and the ``.mo`` beside it holds exactly the ``.po``'s translations (a forgotten
``compilemessages`` fails).
"""

from __future__ import annotations

import contextlib
import gettext
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import models, transaction
from django.test import override_settings
from django.utils import translation

from accounts.models import Role, User
from tests.test_isolation import FOREIGN_KWARGS, all_routes, foreign_objects, parameters
from tests.test_plain_words import DETAIL_ROUTES, SKIPPED, VisibleText, page_urls, submitted_application
from units.demo import load_demo

ROOT = Path(__file__).resolve().parent.parent
TENANTS = ("zhengzhou", "xuchang", "huzhou", "kunming-panlong")
# The tenant whose pages with parameters are opened too, with the objects the isolation matrix
# builds for them (tests/test_isolation.FOREIGN_KWARGS: a committee, meeting, agenda item,
# certificate, batch, unit procedure, rule set, registration, roster import…).
WITH_PARAMETERS = "xuchang"
ANONYMOUS = "anonymous"

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Attributes a person reads or hears: tooltips, placeholders, screen-reader labels, the labels the
# narrow-screen table shows (site.css: td[data-label]::before) and the caption of a button.
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "data-label", "aria-description"}
BUTTON_INPUTS = {"submit", "button", "reset"}


def namespace_of(name: str) -> str:
    return name.split(":")[0] if ":" in name else "core"


NAMESPACES = sorted({namespace_of(name) for name, route in all_routes() if not route.startswith("api/")}
                    - {"certificates_api", "committees_api", "review_api", "rules_api"})


class ReadText(VisibleText):
    """The visible text of ``test_plain_words`` plus the attributes people read."""

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if self.hidden:
            return
        values = dict(attrs)
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES:
                self.parts.append(value)
        if tag == "input" and (values.get("type") or "").lower() in BUTTON_INPUTS and values.get("value"):
            self.parts.append(values["value"])

    handle_startendtag = handle_starttag


def read_text(html: str) -> str:
    parser = ReadText()
    parser.feed(html)
    return " ".join(parser.parts)


# ---------------------------------------------------------------------------------------------
# Data: what may stay Chinese.


def string_leaves(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from string_leaves(key)
            yield from string_leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from string_leaves(item)


def stored_strings():
    """Every string stored in the database: each text and JSON field of every model."""
    from django.apps import apps

    for model in apps.get_models():
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if not names or not model._meta.managed:
            continue
        for row in model._base_manager.values_list(*names).iterator():
            for name, value in zip(names, row, strict=True):
                if isinstance(value, str) and value[:1] in "[{":
                    with contextlib.suppress(ValueError):
                        value = json.loads(value)
                yield from string_leaves(value)
                if "name" in name and isinstance(value, str) and 1 < len(value) <= 5:
                    # A name masked (王*明) or addressed by its surname.
                    yield value[0]
                    yield value[-1]
                    yield value[1:]


def committed_strings():
    """The tenant documents and rule sets as committed (what the database was loaded from)."""
    for path in [*sorted((ROOT / "tenants").glob("*.json")), *sorted((ROOT / "rules" / "rulesets").rglob("*.json"))]:
        try:
            yield from string_leaves(json.loads(path.read_text(encoding="utf-8")))
        except ValueError:
            continue


def data_runs() -> frozenset[str]:
    runs: set[str] = set()
    # The language switcher names each language in itself (简体中文).
    languages = [name for _code, name in settings.LANGUAGES]
    for text in (*stored_strings(), *committed_strings(), *languages):
        runs.update(CJK_RUN.findall(text))
    return frozenset(runs)


class Data:
    """Tells data from a page's own words, one run of Chinese at a time."""

    def __init__(self, runs: frozenset[str]) -> None:
        self.runs = runs
        self.known: dict[str, bool] = {}

    def __contains__(self, run: str) -> bool:
        if run not in self.known:
            self.known[run] = run in self.runs or self.joined(run)
        return self.known[run]

    def joined(self, run: str) -> bool:
        """Pieces of data written side by side (郑州市 + 建筑工程), each piece two characters or more."""
        reach = [True] + [False] * len(run)
        for end in range(2, len(run) + 1):
            reach[end] = any(reach[start] and run[start:end] in self.runs for start in range(0, end - 1))
        return reach[len(run)]

    def words(self, text: str) -> list[str]:
        return [run for run in CJK_RUN.findall(text) if run not in self]


# ---------------------------------------------------------------------------------------------
# The demo, loaded once for the module and rolled back after it.


@dataclass
class World:
    readers: dict[str, list]  # tenant code (or "" for the platform, ANONYMOUS) → users (None: nobody)
    urls: dict[str, list[tuple[str, str]]]  # tenant code → (name, url)
    data: Data
    storages: dict


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("english") / "private"),
                        "base_url": "/nonexistent-private/"},
        },
    }
    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], STORAGES=storages
    ):
        from django.core.cache import cache

        from config.celery import app

        app.conf.task_always_eager = True
        cache.clear()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            User.objects.filter(role=Role.APPLICANT).update(must_change_password=False)
            readers: dict[str, list] = {}
            urls: dict[str, list[tuple[str, str]]] = {}
            for code in TENANTS:
                application = submitted_application(code)
                readers[code] = list(User.objects.filter(tenant__code=code, is_active=True).order_by("role", "id"))
                urls[code] = page_urls(application)
            urls[WITH_PARAMETERS] += pages_with_parameters(WITH_PARAMETERS)
            readers[""] = [User.objects.get(username="platform-admin")]
            urls[""] = page_urls(None)
            readers[ANONYMOUS] = [None]
            urls[ANONYMOUS] = page_urls(None) + [
                (name, url) for name, url in urls[WITH_PARAMETERS] if name == "certificates:verify"
            ]
            yield World(readers=readers, urls=urls, data=Data(data_runs()), storages=storages)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def pages_with_parameters(tenant_code: str) -> list[tuple[str, str]]:
    """Every page with parameters (not the API, files or POST-only forms: those answer no HTML to
    a GET and are passed over), reached with the isolation matrix's objects of ``tenant_code``."""
    from django.urls import reverse

    from tests.certificates.helpers import certificate_for
    from units.models import Tenant

    objects = foreign_objects(Tenant.objects.get(code=tenant_code))
    found = []
    for name, route in all_routes():
        if not parameters(route) or route.startswith("api/") or name in SKIPPED or name not in FOREIGN_KWARGS:
            continue
        found.append((name, reverse(name, kwargs=FOREIGN_KWARGS[name](objects))))
    token = certificate_for(objects["application"]).token
    found.append(("certificates:verify", reverse("certificates:verify", kwargs={"token": token})))
    return found


def who(user) -> str:
    if user is None:
        return "未登录"
    return user.username or f"{user.tenant.code if user.tenant_id else ''} {user.get_role_display()}"


def read_in_english(client, world: World, namespace: str) -> tuple[list[tuple], int]:
    found: list[tuple] = []
    pages = 0
    for tenant, users in world.readers.items():
        urls = [(name, url) for name, url in world.urls[tenant] if namespace_of(name) == namespace]
        for user in users:
            client.logout()
            if user is not None:
                client.force_login(user)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            for name, url in urls:
                try:
                    response = client.get(url)
                except Exception as error:  # a page that breaks in English (or at all) is reported
                    found.append((url, name, who(user), (f"出错：{type(error).__name__}: {str(error)[:120]}",)))
                    continue
                if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                    continue
                pages += 1
                assert response.get("Content-Language", "en") == "en", f"{url} 没有按英文渲染"
                words = world.data.words(read_text(response.content.decode()))
                if words:
                    found.append((url, name, who(user), tuple(dict.fromkeys(words))))
    client.logout()
    return found, pages


def report(found: list[tuple]) -> str:
    """One line per page and set of words, with the roles that saw it; the first runs of each."""
    seen: dict[tuple[str, str, tuple], list[str]] = {}
    for url, name, reader, words in found:
        seen.setdefault((url, name, words[:6]), []).append(reader)
    lines = [
        f"{url} ({name}) [{', '.join(readers[:4])}{'…' if len(readers) > 4 else ''}]: {' | '.join(words)}"
        for (url, name, words), readers in seen.items()
    ]
    return f"{len(lines)} 个页面仍有中文：\n" + "\n".join(lines[:120])


@pytest.mark.django_db
@pytest.mark.parametrize("namespace", NAMESPACES)
def test_pages_read_in_english(client, settings, world, namespace):
    settings.STORAGES = world.storages  # the files the demo and the objects were stored with
    try:
        found, pages = read_in_english(client, world, namespace)
    finally:
        translation.deactivate()  # the last request's language stays active in this thread otherwise
    assert pages, f"{namespace} 没有一个页面能以 200 打开：测试本身出了问题"
    assert not found, report(found)


def test_every_namespace_with_pages_is_walked():
    """A page added under a new namespace is read too (its namespace is a test id)."""
    named = {namespace_of(name) for name in DETAIL_ROUTES}
    assert named <= set(NAMESPACES)
    assert {"core", "accounts", "applications", "review"} <= set(NAMESPACES)


def test_the_data_filter_keeps_only_a_pages_own_words():
    data = Data(frozenset({"张三", "郑州市", "建筑工程", "男"}))
    assert data.words("Applicant: 张三 (郑州市建筑工程), 男") == []
    assert data.words("申报人：张三") == ["申报人"]
    assert data.words("张三的申报") == ["张三的申报"]
    assert data.words("Status: 已提交 2027年3月5日") == ["已提交", "年", "月", "日"]


# ---------------------------------------------------------------------------------------------
# The catalogues.


def catalogues() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("**/locale/*/LC_MESSAGES/*.po")
        if not any(part in {".venv", "node_modules", "var"} or part.startswith(".") for part in
                   path.relative_to(ROOT).parts)
    )


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0


def unquote(text: str) -> str:
    return json.loads(text) if text.startswith('"') else ""


def parse_po(text: str) -> list[Entry]:
    """A tiny reader of gettext catalogues: contexts, plurals, continuation lines, fuzzy flags;
    obsolete entries (``#~``) are skipped."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish():
        nonlocal entry
        if target is not None or entry.strings:
            entries.append(entry)
        entry = Entry()

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if entry.strings:
                finish()
                target = None
            entry.fuzzy = entry.fuzzy or "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if target is None:
                continue
            kind, index = target
            value = unquote(line)
            if kind == "msgctxt":
                entry.context = (entry.context or "") + value
            elif kind == "msgid":
                entry.msgid += value
            elif kind == "msgid_plural":
                entry.plural = (entry.plural or "") + value
            else:
                entry.strings[index] += value
            continue
        if keyword in {"msgctxt", "msgid"} and entry.strings:
            finish()
        entry.line = entry.line or number
        if keyword == "msgctxt":
            entry.context, target = unquote(rest), ("msgctxt", 0)
        elif keyword == "msgid":
            entry.msgid, target = unquote(rest), ("msgid", 0)
        elif keyword == "msgid_plural":
            entry.plural, target = unquote(rest), ("msgid_plural", 0)
        elif keyword == "msgstr":
            entry.strings[0], target = unquote(rest), ("msgstr", 0)
        elif keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            entry.strings[index], target = unquote(rest), ("msgstr", index)
    finish()
    return entries


def test_the_catalogue_reader_reads_contexts_plurals_and_continuations():
    entries = parse_po(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "第%(n)s"\n"页"\nmsgstr "Page %(n)s"\n\n'
        'msgctxt "级别"\nmsgid "中级"\nmsgstr ""\n\n'
        'msgid "一项"\nmsgid_plural "多项"\nmsgstr[0] "one item"\nmsgstr[1] ""\n\n'
        '#~ msgid "旧"\n#~ msgstr "old"\n'
    )
    assert [(e.context, e.msgid, e.fuzzy) for e in entries] == [
        (None, "", False), (None, "第%(n)s页", True), ("级别", "中级", False), (None, "一项", False)
    ]
    assert entries[1].strings == {0: "Page %(n)s"}
    assert entries[3].plural == "多项" and entries[3].strings == {0: "one item", 1: ""}


def po_ids(path: Path) -> str:
    """core/locale/en/LC_MESSAGES/django.po → core-en; locale/en/… (templates, config) → project-en."""
    parts = path.relative_to(ROOT).parts
    return f"{'/'.join(parts[:-4]) or 'project'}-{parts[-3]}"


CATALOGUES = catalogues()


@pytest.mark.parametrize("path", CATALOGUES, ids=[po_ids(p) for p in CATALOGUES])
def test_every_message_of_the_catalogue_is_translated_and_none_is_fuzzy(path):
    entries = parse_po(path.read_text(encoding="utf-8"))
    empty = [f"{path.name}:{e.line} {e.msgid!r}" for e in entries if e.msgid and not all(e.strings.values())]
    fuzzy = [f"{path.name}:{e.line} {e.msgid!r}" for e in entries if e.fuzzy]
    assert not empty, "没有译文的条目：\n" + "\n".join(empty[:40])
    assert not fuzzy, "标为 fuzzy 的条目（确认译文后删去 #, fuzzy）：\n" + "\n".join(fuzzy[:40])


@pytest.mark.parametrize("path", CATALOGUES, ids=[po_ids(p) for p in CATALOGUES])
def test_the_compiled_catalogue_holds_exactly_the_translations_of_the_po(path):
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(ROOT)} 不存在：在该应用目录下运行 compilemessages 并提交"
    with mo.open("rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)
    compiled.pop("", None)
    expected: dict = {}
    for entry in parse_po(path.read_text(encoding="utf-8")):
        if not entry.msgid or entry.fuzzy or not all(entry.strings.values()):
            continue
        key = f"{entry.context}\x04{entry.msgid}" if entry.context is not None else entry.msgid
        if entry.plural is None:
            expected[key] = entry.strings[0]
        else:
            for index, value in entry.strings.items():
                expected[(key, index)] = value
    missing = sorted(str(k) for k in expected.keys() - compiled.keys())
    stale = sorted(str(k) for k in compiled.keys() - expected.keys())
    changed = sorted(str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    assert not (missing or stale or changed), (
        f"{mo.relative_to(ROOT)} 与 {path.name} 不一致（忘了 compilemessages？）："
        f" 缺 {missing[:10]} 多 {stale[:10]} 译文不同 {changed[:10]}"
    )
