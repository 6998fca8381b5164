"""What changed between two submissions of one application, for people to read side by side.

Snapshots are frozen at each submission; after a return the applicant resubmits and reviewers
(and the applicant) see only what changed, in Chinese, not the whole file again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

APPLICATION_FIELDS = {
    "series": "职称系列",
    "specialty": "专业",
    "level": "申报级别",
    "self_statement": "本人述职",
    "main_achievements": "主要工作业绩",
    "exceptional_promotion": "破格申报",
    "entrusted_review": "委托评审",
    "committee": "评审委员会",
}
RECORD_SECTIONS = {
    "basics": "基本信息",
    "education": "学历",
    "work": "工作经历",
    "titles": "已取得职称",
    "assessments": "年度考核",
    "continuing_education": "继续教育学时",
    "skills": "技能等级",
}


@dataclass(frozen=True)
class Difference:
    label: str
    before: str
    after: str


def _text(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, dict):
        if "sha256" in value and "name" in value:  # an attachment
            return f"文件“{value['name']}”"
        return "；".join(f"{_text(v)}" for k, v in value.items() if k not in ("id",) and v not in (None, ""))
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value) or "（空）"
    return str(value)


def _files_by_slot(snapshot: dict) -> dict[str, list[dict]]:
    slots: dict[str, list[dict]] = {}
    for item in snapshot.get("files", []):
        slots.setdefault(item["slot"], []).append(item)
    return slots


def snapshot_differences(before: dict, after: dict, slot_names: dict[str, str] | None = None) -> list[Difference]:
    slot_names = slot_names or {}
    differences: list[Difference] = []
    old_app, new_app = before.get("application", {}), after.get("application", {})
    for key, label in APPLICATION_FIELDS.items():
        if old_app.get(key) != new_app.get(key):
            differences.append(Difference(label, _text(old_app.get(key)), _text(new_app.get(key))))
    old_record, new_record = before.get("record") or {}, after.get("record") or {}
    for key, label in RECORD_SECTIONS.items():
        if old_record.get(key) != new_record.get(key):
            differences.append(Difference(label, _text(old_record.get(key)), _text(new_record.get(key))))
    old_titles = [a.get("title") for a in before.get("achievements", [])]
    new_titles = [a.get("title") for a in after.get("achievements", [])]
    if before.get("achievements") != after.get("achievements"):
        differences.append(Difference("代表性业绩", _text(old_titles), _text(new_titles)))
    old_files, new_files = _files_by_slot(before), _files_by_slot(after)
    for slot in sorted(set(old_files) | set(new_files)):
        old_hashes = [f["sha256"] for f in old_files.get(slot, [])]
        new_hashes = [f["sha256"] for f in new_files.get(slot, [])]
        if old_hashes != new_hashes:
            differences.append(
                Difference(
                    f"材料：{slot_names.get(slot, slot)}",
                    _text([f"文件“{f['name']}”" for f in old_files.get(slot, [])]),
                    _text([f"文件“{f['name']}”" for f in new_files.get(slot, [])]),
                )
            )
    return differences
