"""Structural sanity check of docker-compose.yml without a Docker engine or compose plugin.

Not a replacement for `docker compose config`; catches YAML errors and the invariants this
project relies on (services present, healthchecks for depends_on conditions, scalable web/worker,
declared named volumes). Usage: python scripts/check_compose.py [docker-compose.yml]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

REQUIRED_SERVICES = {"web", "worker", "beat", "db", "redis"}
SCALABLE = {"web", "worker"}
REQUIRED_APP_ENV = {"DATABASE_URL", "REDIS_URL", "DJANGO_PRODUCTION", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS",
                    "FIELD_ENCRYPTION_KEYS"}


def main(path: str) -> int:
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    errors: list[str] = []
    services = doc.get("services") or {}
    missing = REQUIRED_SERVICES - services.keys()
    if missing:
        errors.append(f"missing services: {sorted(missing)}")
    declared_volumes = set((doc.get("volumes") or {}).keys())

    for name, svc in services.items():
        if not isinstance(svc, dict):
            errors.append(f"{name}: not a mapping")
            continue
        if not (svc.get("image") or svc.get("build")):
            errors.append(f"{name}: needs image or build")
        if name in SCALABLE:
            if "container_name" in svc:
                errors.append(f"{name}: container_name prevents --scale")
            for port in svc.get("ports") or []:
                if isinstance(port, str) and ":" in port.split("/")[0]:
                    errors.append(f"{name}: fixed host port {port!r} prevents --scale")
        if name in {"web", "worker", "beat"}:
            env = svc.get("environment") or {}
            keys = set(env.keys()) if isinstance(env, dict) else {e.split("=", 1)[0] for e in env}
            if REQUIRED_APP_ENV - keys:
                errors.append(f"{name}: missing env {sorted(REQUIRED_APP_ENV - keys)}")
        for dep, spec in (svc.get("depends_on") or {}).items() if isinstance(svc.get("depends_on"), dict) else []:
            if dep not in services:
                errors.append(f"{name}: depends_on unknown service {dep}")
                continue
            cond = (spec or {}).get("condition")
            if cond == "service_healthy" and "healthcheck" not in services[dep]:
                errors.append(f"{name}: waits for {dep} healthy but {dep} has no healthcheck")
        for vol in svc.get("volumes") or []:
            src = vol.split(":", 1)[0] if isinstance(vol, str) else vol.get("source", "")
            if src and not src.startswith((".", "/", "~", "$")) and src not in declared_volumes:
                errors.append(f"{name}: volume {src!r} not declared at top level")

    for name in ("web", "db", "redis"):
        if name in services and "healthcheck" not in services[name]:
            errors.append(f"{name}: no healthcheck")

    for err in errors:
        print(f"check_compose: {err}", file=sys.stderr)
    if not errors:
        print(f"check_compose: {path} OK ({len(services)} services)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docker-compose.yml"))
