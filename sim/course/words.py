"""The few words the decks and handouts add around a sheet's own text, in each language."""

from __future__ import annotations

WORDS = {
    "en": {
        "course": "crmsim · customer relationship management",
        "handout": "Handout: exercises",
        "name": "Name",
        "group": "Group",
        "date": "Date",
        "after": "After the exercises: the runs",
        "after_note": "Show these once students have made their predictions.",
        "illustration": "A small quick run ({customers:,} customers, {seeds} seeds) of",
        "keys": "→ / space: next · ←: back · Home / End · F: full screen",
    },
    "zh": {
        "course": "crmsim · 客户关系管理",
        "handout": "讲义：练习",
        "name": "姓名",
        "group": "小组",
        "date": "日期",
        "after": "练习之后：运行结果",
        "after_note": "请在学生写下预测之后再展示。",
        "illustration": "小规模快速运行（{customers:,} 位客户，{seeds} 个种子）：",
        "keys": "→ / 空格：下一页 · ←：上一页 · Home / End · F：全屏",
    },
}


def words(lang: str) -> dict[str, str]:
    """The words of ``lang`` (``en`` or ``zh``)."""
    return WORDS[lang]
