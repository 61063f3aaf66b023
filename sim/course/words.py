"""The few words the decks and handouts add around a sheet's own text, in each language."""

from __future__ import annotations

from sim.i18n import Language, Words, translate

WORDS: Words = {
    "course": ("crmsim · customer relationship management", "crmsim · 客户关系管理"),
    "handout": ("Handout: exercises", "讲义：练习"),
    "name": ("Name", "姓名"),
    "group": ("Group", "小组"),
    "date": ("Date", "日期"),
    "after": ("After the exercises: the runs", "练习之后：运行结果"),
    "after_note": (
        "Show these once students have made their predictions.",
        "请在学生写下预测之后再展示。",
    ),
    "illustration": (
        "A small quick run ({customers:,} customers, {seeds} seeds) of",
        "小规模快速运行（{customers:,} 位客户，{seeds} 个种子）：",
    ),
    "keys": (
        "→ / space: next · ←: back · Home / End · F: full screen",
        "→ / 空格：下一页 · ←：上一页 · Home / End · F：全屏",
    ),
}


def words(lang: Language) -> dict[str, str]:
    """Every word of the table in ``lang``."""
    return {key: translate(WORDS, key, lang) for key in WORDS}
