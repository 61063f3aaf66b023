"""The scenarios' Info texts: English and Chinese side by side, questions rather than results,
and what ``crmsim show`` prints (the text in either language, the prices charged in month 1)."""

from __future__ import annotations

import re
import tomllib

import pytest

from sim.apps.cli import main
from sim.scenarios import ScenarioError, available, load, locate
from sim.schema import INFO_SECTIONS, InfoText

from conftest import ROOT

FINDINGS = (ROOT / "course" / "instructor" / "scenario-findings.md").read_text(encoding="utf-8")
NUMBER = re.compile(r"(?<![\w.\[])\$?\d[\d,]*(?:\.\d+)?")
HAN = re.compile(r"[\u4e00-\u9fff]")


def numbers(text: str) -> set[str]:
    """The numbers written in ``text`` ($ and thousands separators dropped; "1.63", "9000")."""
    return {m.group().lstrip("$").replace(",", "").rstrip(".") for m in NUMBER.finditer(text)}


def findings_section(name: str) -> str:
    """The section of course/instructor/scenario-findings.md about scenario ``name``."""
    match = re.search(rf"^## {name}\n(.*?)(?=^## |\Z)", FINDINGS, re.M | re.S)
    assert match, f"course/instructor/scenario-findings.md has no section '## {name}'"
    return match.group(1)


@pytest.mark.parametrize("name", available())
def test_every_scenario_has_its_info_in_english_and_chinese_with_the_same_keys(name):
    info = load(name).spec.info
    for lang in ("en", "zh"):
        text = info.text(lang)
        empty = [key for key in InfoText.model_fields if not getattr(text, key).strip()]
        assert not empty, f"{name}: [info{'.zh' if lang == 'zh' else ''}] lacks {empty}"
    for key in InfoText.model_fields:
        english, chinese = getattr(info, key), getattr(info.zh, key)
        assert HAN.search(chinese), f"{name}: [info.zh].{key} is not in Chinese"
        differ = numbers(english) ^ numbers(chinese)  # numbers are kept as written in English
        assert not differ, f"{name}: [info] and [info.zh] differ in {key}: {sorted(differ)}"


SCENARIOS_WITH_FINDINGS = [n for n in available() if not n.startswith("channel_")]


@pytest.mark.parametrize("name", SCENARIOS_WITH_FINDINGS)
def test_info_asks_questions_and_leaves_the_findings_to_the_instructor(name):
    """No number of the scenario's findings (course/instructor/scenario-findings.md) appears in
    what a student reads about what to notice and try, in either language, unless it is an
    input of the scenario (its settings, its description, a command) or a small integer (a
    month, a list item)."""
    text = locate(name).read_text(encoding="utf-8")
    info = tomllib.loads(text)["info"]
    settings = re.sub(r"(?ms)^\[info(\.zh)?\]$.*?(?=^\[(?!info))", "", text)
    described = [info[k] for k in ("what_is_it", "how_it_works", "how_to_use_it")]
    inputs = numbers(settings + "".join(described))
    results = {n for n in numbers(findings_section(name)) - inputs if float(n) > 60 or "." in n}
    for table in (info, info["zh"]):
        for key in ("things_to_notice", "things_to_try"):
            stated = numbers(asked(table[key])) & results
            assert not stated, f"{name}: {key} states the findings {sorted(stated)}"


def asked(text: str) -> str:
    """``text`` without its commands and settings (``--set 'key=value'``, ``p = 0.01``)."""
    return re.sub(r"--set '[^']*'|crmsim [^\n]*|\S+ ?= ?[\d.]+", "", text)


def test_the_findings_check_would_catch_the_old_info_texts():
    """The texts moved to the instructor material state results the check above refuses."""
    old = findings_section("retention_economics")
    notice = old.split("### What to notice: the findings")[1].split("### Things to try")[0]
    assert {"73", "1.65", "0.90", "0.76", "8900", "450000"} <= numbers(asked(notice))


def test_an_unknown_info_key_is_refused_with_the_allowed_keys(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text('extends = "flagship"\n[info.zh]\ntitel = "市场"\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load(path)
    message = str(error.value)
    assert str(path) in message and "info.zh.titel: unknown key" in message
    assert "allowed here: " + ", ".join(InfoText.model_fields) in message


def test_show_prints_the_chinese_text_with_lang_zh(capsys):
    assert main(["show", "retention_economics", "--lang", "zh"]) == 0
    shown = capsys.readouterr().out
    info = load("retention_economics").spec.info
    assert shown.startswith(f"retention_economics: {info.zh.title}")
    assert "THINGS TO NOTICE · 值得注意" in shown
    for section in INFO_SECTIONS:
        assert getattr(info.zh, section).strip() in shown
        assert getattr(info, section).strip() not in shown


def test_show_prints_the_prices_charged_in_month_1(capsys):
    """Hunter's list price is cost plus 45%: unit cost 0.4 x $80 + 0.5 x $15 + 0.5 x $10 =
    $44.50, x 1.45 = $64.525; newcomers pay 25% less, $48.39. Keeper (service $25): unit cost
    $49.50, x 1.45 = $71.775, and $68.19 for repeat customers (5% off). The scenario's starting
    price is $100, which neither charges."""
    assert main(["show", "retention_economics"]) == 0
    lines = capsys.readouterr().out.splitlines()
    hunter = lines.index(next(line for line in lines if line.startswith("  Hunter ")))
    keeper = lines.index(next(line for line in lines if line.startswith("  Keeper ")))
    assert "starting price $100" in lines[hunter]
    assert lines[hunter + 1].split("month 1: ")[1] == (
        "list price $64.52; $48.39 to new and lapsed customers (25% off)"
    )
    assert lines[keeper + 1].split("month 1: ")[1] == (
        "list price $71.77; $68.19 to repeat customers (5% off)"
    )


def test_show_applies_month_1_events_to_the_prices(tmp_path, capsys):
    """A price war from month 1 cuts ProductCo's cost-plus $79.75 by 20% to $63.80; a firm that
    enters in month 12 charges nothing in month 1."""
    path = tmp_path / "war.toml"
    path.write_text(
        'extends = "flagship"\nevents = [{kind="new_entrant", period=12, firm="MarketCo"}, '
        '{kind="price_war", period=1, duration=3, firm="ProductCo", cut=0.2}]\n'
    )
    assert main(["show", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    month_1 = {
        line.split()[0]: lines[i + 1].split("month 1: ")[1]
        for i, line in enumerate(lines)
        if line.startswith("  ") and "starting price" in line
    }
    assert month_1["ProductCo"] == "list price $63.80"
    assert month_1["MarketCo"] == "not in the market"
    assert month_1["CustomerCo"] == "list price $79.02; $75.07 to repeat customers (5% off)"


def test_a_scenario_that_extends_another_says_so_where_it_keeps_the_parents_text(tmp_path):
    """(A file that extended flagship showed flagship's title and Info tab, for another market.)"""
    child = tmp_path / "cheap.toml"
    child.write_text(
        'extends = "flagship"\n[customers]\ncount = 2000\n[economics]\nrd_efficiency = 0.5\n'
    )
    parent, info = load("flagship").spec.info, load(str(child)).spec.info
    assert info.title == f"{parent.title} (as changed by cheap.toml)"
    assert info.what_is_it.startswith(
        "As changed by cheap.toml: customers.count, economics.rd_efficiency.\n"
    )
    assert info.zh.title == f"{parent.zh.title}（cheap.toml 修改版）"
    assert info.zh.what_is_it.startswith(
        "cheap.toml 修改了：customers.count, economics.rd_efficiency。"
    )
    assert info.how_it_works == parent.how_it_works  # the rest is the parent's, as it was
    child.write_text('extends = "flagship"\n[info]\ntitle = "Mine"\nwhat_is_it = "My market."\n')
    info = load(str(child)).spec.info
    assert (info.title, info.what_is_it) == ("Mine", "My market.")  # its own text, untouched
    assert info.zh.title == f"{parent.zh.title}（cheap.toml 修改版）"  # no Chinese of its own


def test_a_scenario_saved_with_a_byte_order_mark_loads(tmp_path):
    """(Windows Notepad's UTF-8 starts with a BOM: 'not valid TOML: Invalid statement (at line 1,
    column 1)'.)"""
    path = tmp_path / "notepad.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'extends = "flagship"\n[customers]\ncount = 500\n')
    assert load(str(path)).spec.customers.count == 500
