"""The dependencies are declared in pyproject.toml and locked with hashes in requirements/*.txt
(scripts/lock.sh): the production image installs the runtime lock alone, so it holds no test runner,
browser driver, load tester or linter; every lock is complete, hashed and agrees with the others."""

from __future__ import annotations

import fnmatch
import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]

# Never in production: by name, whatever pulls them in ...
TEST_ONLY_PATTERNS = (
    "pytest*",
    "playwright*",
    "schemathesis",
    "locust*",
    "ruff",
    "zxing*",
    "factory-boy",
    "faker",
    "hypothesis*",
    "flask*",
    "gevent*",
    "werkzeug",
    "execnet",
    "iniconfig",
    "pluggy",
    "pyzmq",
)
# ... and every direct dependency of the non-runtime groups, except general libraries that a runtime
# dependency may come to need as well.
SHARED_WITH_RUNTIME = {"requests", "pyyaml"}
# Which lock holds each group (scripts/lock.sh).
GROUP_LOCKS = {"test": "test", "browser": "test", "dev": "dev", "bench": "bench"}


def read_lock(name: str) -> dict[str, dict]:
    """package -> {"version", "hashes"} from requirements/NAME.txt (pip-compile's format)."""
    text = (LOCKS / f"{name}.txt").read_text()
    entries: dict[str, dict] = {}
    for logical in re.sub(r"\\\n", " ", text).splitlines():
        logical = logical.split("#", 1)[0].strip()
        if not logical:
            continue
        assert not logical.startswith("-"), f"{name}.txt: unexpected option line {logical!r}"
        requirement, *options = logical.split()
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^;\s]+)", requirement)
        assert match, f"{name}.txt: {requirement!r} is not pinned with =="
        hashes = [option.removeprefix("--hash=") for option in options if option.startswith("--hash=")]
        entries[canonicalize_name(match[1])] = {"version": match[2], "hashes": hashes}
    return entries


def direct(group: str | None) -> list[Requirement]:
    specs = PROJECT["dependencies"] if group is None else PROJECT["optional-dependencies"][group]
    return [Requirement(spec) for spec in specs]


def lock_names() -> list[str]:
    return sorted(path.stem for path in LOCKS.glob("*.txt"))


def test_the_locks_are_the_four_the_makefile_and_the_image_install():
    assert lock_names() == ["bench", "dev", "runtime", "test"]
    assert not (ROOT / "requirements.txt").exists(), "the flat freeze is replaced by requirements/*.txt"


def test_the_runtime_lock_holds_no_test_only_package():
    runtime = read_lock("runtime")
    forbidden = {name for name in runtime if any(fnmatch.fnmatch(name, pattern) for pattern in TEST_ONLY_PATTERNS)}
    for group in PROJECT["optional-dependencies"]:
        forbidden |= {canonicalize_name(r.name) for r in direct(group)} & set(runtime) - SHARED_WITH_RUNTIME
    assert not forbidden, f"test-only packages in requirements/runtime.txt: {sorted(forbidden)}"


@pytest.mark.parametrize("lock", ["runtime", "test", "dev", "bench"])
def test_every_locked_package_is_pinned_with_hashes(lock):
    entries = read_lock(lock)
    assert entries
    unhashed = [name for name, entry in entries.items() if not entry["hashes"]]
    assert not unhashed, f"{lock}.txt: no --hash for {unhashed}"
    for name, entry in entries.items():
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in entry["hashes"]), name


@pytest.mark.parametrize(("group", "lock"), [(None, "runtime"), *GROUP_LOCKS.items()])
def test_each_declared_dependency_is_locked_at_a_version_it_allows(group, lock):
    entries = read_lock(lock)
    for requirement in direct(group):
        name = canonicalize_name(requirement.name)
        assert name in entries, f"{requirement} (pyproject.toml) is not in {lock}.txt: run `make lock`"
        assert requirement.specifier.contains(entries[name]["version"], prereleases=True), (
            f"{lock}.txt pins {name}=={entries[name]['version']}, pyproject.toml wants {requirement}: run `make lock`"
        )


def test_the_locks_agree_on_every_version_and_each_holds_the_runtime():
    locks = {name: read_lock(name) for name in lock_names()}
    runtime = locks["runtime"]
    for name, entries in locks.items():
        missing = set(runtime) - set(entries)
        assert not missing, f"{name}.txt lacks runtime packages {sorted(missing)}"
    versions: dict[str, set[str]] = {}
    for entries in locks.values():
        for package, entry in entries.items():
            versions.setdefault(package, set()).add(entry["version"])
    disagreeing = {package: sorted(found) for package, found in versions.items() if len(found) > 1}
    assert not disagreeing, f"locks disagree: {disagreeing}"


def test_the_django_in_use_is_the_5_2_lts():
    assert read_lock("runtime")["django"]["version"].startswith("5.2.")


def test_this_environment_has_the_versions_of_the_test_lock():
    """What the tests run on is what is locked (`make test` installs requirements/test.txt)."""
    wrong = {}
    for package, entry in read_lock("test").items():
        try:
            installed = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed is None or canonicalize_name(installed) != canonicalize_name(entry["version"]):
            wrong[package] = (entry["version"], installed)
    assert not wrong, f"locked vs installed (run `make venv`): {wrong}"


def test_the_image_installs_the_runtime_lock_alone_with_hashes():
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = [line for line in re.sub(r"\\\n", " ", dockerfile).splitlines() if re.search(r"\bpip install\b", line)]
    assert len(installs) == 1
    assert "--require-hashes" in installs[0] and "-r requirements/runtime.txt" in installs[0]
    copied = re.findall(r"^COPY\s+(\S+)", dockerfile, re.MULTILINE)
    assert "requirements/runtime.txt" in copied
    assert not any(re.search(r"requirements/(test|dev|bench)\.txt|requirements\.txt", line) for line in copied)


def test_the_makefile_installs_each_lock_with_hashes_for_its_targets():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r $<" in makefile
    targets = dict(re.findall(r"^([a-z-]+):[ \t]*(\S*)", makefile, re.MULTILINE))
    assert targets["run"] == targets["worker"] == "$(RUNTIME)"
    assert targets["test"] == "$(TEST)" and targets["venv"] == targets["lint"] == "$(DEV)"
    assert targets["bench"] == targets["load"] == "$(BENCH)"
