"""Render 50 evaluation forms (A3 booklet, Zhengzhou) and 50 assessment forms (A4) in one warm
process with the one shared FontConfiguration, as a Celery worker does.

Reports per-document milliseconds and the peak resident memory after each render. Targets:
under 3 s per evaluation form; worker memory under 500 MB. Beside each pair it renders a bare 2-page
document (two pages of Chinese text in the shipped font, no template, no data) in the same process, and
reports each form's time as a ratio to that floor (issue 18: the 评审表 at most 1.5x). The snapshots are built in memory
and the applications are unsaved; the rule set's names of the texts and the citations are read from a
database, so without ``DATABASE_URL`` the bench makes a scratch SQLite one (migrate + Zhengzhou's tenant
document, about 10 s, not timed).
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
SCRATCH_DB = None
if not os.environ.get("DATABASE_URL"):
    import tempfile

    SCRATCH_DB = Path(tempfile.mkdtemp(prefix="zc-bench-documents-")) / "db.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH_DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

if SCRATCH_DB:
    call_command("migrate", verbosity=0)
    call_command("tenant_apply", str(ROOT / "tenants" / "zhengzhou.json"), stdout=io.StringIO())

from accounts.models import User  # noqa: E402
from applications.models import Application, Submission  # noqa: E402
from certificates import documents, rendering  # noqa: E402
from rules.windows import CST  # noqa: E402
from units.models import Organisation, Tenant  # noqa: E402

# Zhengzhou's settings from its tenant document (A3 booklet): an unsaved tenant, no database.
ZHENGZHOU = Tenant(
    code="zhengzhou",
    name="郑州市",
    settings=json.loads((ROOT / "tenants" / "zhengzhou.json").read_text(encoding="utf-8"))["settings"],
)

COUNT = 50


def snapshot(n: int) -> dict:
    return {
        "application": {
            "id": n,
            "tenant": "zhengzhou",
            "unit": {"id": 1, "name": "郑州市第一建筑工程有限公司"},
            "applicant": {"id": n, "name": f"王{'小明文静'[n % 4]}{n}", "id_number_masked": "410***********0026"},
            "window_name": "2026年第四季度初级职称考核认定",
            "series": "engineering",
            "specialty": "建筑工程",
            "level": "assistant",
            "evaluation_method": "assessment",
            "exceptional_promotion": False,
            "entrusted_review": False,
            "self_statement": "本人自参加工作以来，认真履行岗位职责，积极参加继续教育。" * 20,
            "main_achievements": "负责多项市政工程的施工技术管理，解决了多个技术难题。" * 30,
            "ruleset": {"code": "zhengzhou-2020-junior", "version": 1},
        },
        "record": {
            "basics": {"birth_date": "1990-03-15", "gender": "F"},
            "education": [
                {
                    "level": "bachelor",
                    "school": "郑州大学",
                    "major": "土木工程",
                    "graduated_on": "2012-06-30",
                    "full_time": True,
                },
            ],
            "work": [{"start": "2012-07-01", "end": None, "employer": "郑州市第一建筑工程有限公司", "post": "技术员"}],
            "titles": [{"series": "engineering", "level": "yuan", "name": "", "obtained_on": "2016-12-01"}],
            "assessments": [{"year": y, "grade": "qualified"} for y in (2023, 2024, 2025)],
            "continuing_education": [{"year": y, "hours": 90.0} for y in (2023, 2024, 2025)],
        },
        "achievements": [
            {"title": f"某市政道路工程施工技术总结{i}", "achieved_on": "2024-05-01", "role": "主持"} for i in range(5)
        ],
        "submitted_at": "2026-11-10T10:00:00+08:00",
    }


def bare_html() -> str:
    """The floor of a 2-page form: two A4 pages, each a bordered table of 9 label/value rows (36 cells) and a
    paragraph of about 840 characters - 72 cells and 2,600 characters in all, about what the 2-page 评审表
    holds (70 cells, 4,000 characters with its headings) - in the shipped font, with no template, no data
    and no product style."""
    sentence = "本人自参加工作以来，认真履行岗位职责，积极参加继续教育，完成本职工作。"
    rows = "".join(
        f"<tr><th>项目名称{i}</th><td>{sentence[:12]}</td><th>填写内容{i}</th><td>{sentence[12:24]}</td></tr>"
        for i in range(9)
    )
    page = f"<table>{rows}</table><p>{sentence * 24}</p>"
    return (
        f"<html><head><style>{rendering.font_face_css()} @page {{ size: A4; margin: 20mm; }} "
        f'body {{ font-family: "{rendering.FONT_FAMILY}"; font-size: 11pt; }} .b {{ break-before: page; }} '
        "table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #000; padding: 2mm; }"
        f'</style></head><body>{page}<div class="b">{page}</div></body></html>'
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    figures: dict[str, list[float]] = {"evaluation form": [], "assessment form": [], "bare 2-page": []}
    rss: list[float] = []
    bare = bare_html()
    assert rendering.render_pdf(bare).pages == 2
    for n in range(1, COUNT + 1):
        data = snapshot(n)["application"]
        application = Application(
            id=n,
            tenant=ZHENGZHOU,
            applicant=User(id=n),
            unit=Organisation(id=1, tenant=ZHENGZHOU, name=snapshot(n)["application"]["unit"]["name"]),
            series=data["series"],
            level=data["level"],
            specialty=data["specialty"],
            ruleset_code=data["ruleset"]["code"],
            evaluation_method=data["evaluation_method"],
        )
        submission = Submission(
            application=application,
            revision=1,
            snapshot=snapshot(n),
            submitted_at=datetime(2026, 11, 10, 10, tzinfo=CST),
        )
        for kind, name in (("evaluation_form", "evaluation form"), ("assessment_form", "assessment form")):
            start = time.perf_counter()
            html = documents.render_html(kind=kind, submission=submission, tenant=ZHENGZHOU)
            pdf = rendering.render_pdf(html)
            figures[name].append(round((time.perf_counter() - start) * 1000, 1))
            assert pdf.pages >= 1
            rss.append(round(peak_rss_mb(), 1))
        start = time.perf_counter()
        rendering.render_pdf(bare)
        figures["bare 2-page"].append(round((time.perf_counter() - start) * 1000, 1))
    ratios = {
        name: [round(a / b, 3) for a, b in zip(figures[name], figures["bare 2-page"], strict=True)]
        for name in ("evaluation form", "assessment form")
    }
    for name, samples in figures.items():
        ordered = sorted(samples)
        print(f"{name}: first {samples[0]} ms, median {ordered[len(ordered) // 2]} ms, max {ordered[-1]} ms")
    print(f"peak RSS: after first {rss[0]} MB, at end {rss[-1]} MB")
    print(
        json.dumps(
            {
                "benchmark": "documents",
                "figures": [
                    {"name": "evaluation form (A3 booklet)", "unit": "ms", "samples": figures["evaluation form"]},
                    {"name": "assessment form (A4)", "unit": "ms", "samples": figures["assessment form"]},
                    {"name": "bare 2-page render", "unit": "ms", "samples": figures["bare 2-page"]},
                    {
                        "name": "evaluation form × bare (target ≤ 1.5)",
                        "unit": "×",
                        "samples": ratios["evaluation form"],
                    },
                    {"name": "assessment form × bare", "unit": "×", "samples": ratios["assessment form"]},
                    {"name": "peak RSS", "unit": "MB", "samples": rss},
                ],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
