"""Reports in English or Chinese: the words change, the numbers do not; a lead is claimed only
for a firm strictly ahead; a language that is neither gets one clear error."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.apps.cli import main
from sim.apps.web.i18n import strategy_name as app_strategy_name
from sim.apps.web.i18n import text
from sim.errors import InputError
from sim.i18n import check_language, strategy_name
from sim.reporting import comparison_line, format_interval, outcomes_frame, write_report
from sim.reporting.tables import OUTCOMES, lead_changes
from sim.scenarios import load

SUMMARY = pd.DataFrame(
    {
        "seed": [0, 1, 0, 1],
        "firm": ["A", "A", "B", "B"],
        "strategy": ["customer_centric", "customer_centric", "my.Own", "my.Own"],
    }
    | {column: [1500.0, 2500.0, 0.25, 0.35] for column in OUTCOMES}
)


def test_the_outcome_table_in_chinese_has_the_same_numbers():
    english, chinese = outcomes_frame(SUMMARY), outcomes_frame(SUMMARY, "zh")
    assert list(english.columns) == ["strategy", *OUTCOMES.values()]
    assert list(chinese.columns)[:3] == ["策略", "累计利润（$）", "平均市场份额"]
    assert chinese.index.name == "企业" and english.index.name == "firm"
    assert list(chinese["策略"]) == ["以客户为中心", "my.Own"]  # an own strategy keeps its name
    assert english.iloc[:, 1:].to_numpy().tolist() == chinese.iloc[:, 1:].to_numpy().tolist()
    assert english.iloc[0, 1].startswith("2,000 [")


def test_one_run_and_a_comparison_in_chinese():
    assert (
        format_interval((1500.0, float("nan"), float("nan")), "zh") == "1,500 (仅1次运行：无区间)"
    )
    result = {"difference": 250.0, "low": 100.0, "high": 400.0, "runs": 10, "distinguishable": 1}
    assert comparison_line(result) == "250 [100, 400] over 10 runs: distinguishable from noise"
    assert comparison_line(result, "zh") == "250 [100, 400]（10次运行）：与随机噪声可区分"


def test_a_lead_is_claimed_only_for_a_firm_strictly_ahead():
    """Period 1: both at 0 (a tie, nobody leads); period 2: A ahead; 3: B ahead; 4: a tie."""
    metrics = pd.DataFrame(
        {
            "seed": 0,
            "period": [1, 1, 2, 2, 3, 3, 4, 4],
            "firm": ["A", "B"] * 4,
            "cumulative_profit": [0.0, 0.0, 5.0, 3.0, 5.0, 7.0, 9.0, 9.0],
        }
    )
    assert lead_changes(metrics) == (
        "no firm (a tie) from period 1, A from period 2, B from period 3, "
        "no firm (a tie) from period 4."
    )
    assert lead_changes(metrics, lang="zh") == (
        "自第1期起无企业领先（并列），A自第2期起，B自第3期起，自第4期起无企业领先（并列）。"
    )


def test_a_last_lead_within_noise_is_said_to_be_so():
    """(A quickstart exercise printed "CustomerCo from period 60" for a lead the paired
    comparison called NOT distinguishable from noise; students are asked when the lead changes.)"""
    rows = [
        {"seed": seed, "period": period, "firm": firm, "cumulative_profit": value}
        for seed, (a, b) in enumerate([(10.0, 9.0), (9.0, 10.5), (11.0, 9.0)])
        for period, firm, value in ((1, "A", 0.0), (1, "B", 1.0), (2, "A", a), (2, "B", b))
    ]
    noisy = pd.DataFrame(rows)  # in period 2 A leads on the mean (10 vs 9.5), not every seed
    assert lead_changes(noisy) == (
        "B from period 1, A from period 2. In period 2, A's lead over B is NOT distinguishable "
        "from noise."
    )
    assert lead_changes(noisy, lang="zh").endswith("第2期时，A对B的领先与随机噪声不可区分。")
    ahead = (noisy["firm"] == "A") & (noisy["period"] == 2)
    clear = noisy.assign(cumulative_profit=noisy["cumulative_profit"] + ahead * 5)
    assert lead_changes(clear) == "B from period 1, A from period 2."  # 5 ahead in every seed


def test_the_app_and_reports_share_one_lookup():
    assert app_strategy_name is strategy_name
    assert strategy_name("sales_push", "zh") == "推销观念" == app_strategy_name("sales_push", "zh")
    assert text("firm", "zh") == "企业" and text("no such key", "zh") == "no such key"


def test_a_language_that_is_neither_gets_one_clear_error(tmp_path, capsys):
    assert check_language("zh") == "zh"
    with pytest.raises(InputError, match=r"lang: 'fr' is not a language; use en \(English\) or zh"):
        check_language("fr")
    with pytest.raises(InputError, match="'EN' is not a language"):  # checked before any work
        write_report(tmp_path, pd.DataFrame(), pd.DataFrame(), lang="EN")
    with pytest.raises(SystemExit) as stop:
        main(["report", str(tmp_path), "--lang", "fr"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "argument --lang: 'fr' is not a language; use en (English) or zh (中文)" in err
    assert "Traceback" not in err


@pytest.mark.slow  # two runs and two reports: ~10 s
def test_run_writes_a_chinese_report_and_report_rewrites_it_in_english(tmp_path, capsys):
    out = tmp_path / "zh"
    small = ["--set", "customers.count=300", "--set", "periods=6"]
    assert (
        main(
            [
                "run",
                "flagship",
                "--seeds",
                "2",
                "--out",
                str(out),
                "--quiet",
                "--lang",
                "zh",
                *small,
            ]
        )
        == 0
    )
    markdown = (out / "report.md").read_text(encoding="utf-8")
    for words in ("## 结果", "| 企业", "以产品为中心", "平均累计利润领先者：", "![感知图"):
        assert words in markdown, words
    info = load("flagship").spec.info  # the scenario's own texts from [info.zh]
    assert markdown.startswith(f"# {info.zh.title}\n") and info.zh.what_is_it.strip() in markdown
    assert info.what_is_it.strip() not in markdown
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<html lang='zh-Hans'>" in page and "Noto Sans SC" in page
    assert main(["report", str(out)]) == 0
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "## Outcomes" in markdown and "结果" not in markdown.split("## About the scenario")[0]
    assert markdown.startswith(f"# {info.title}\n") and info.what_is_it.strip() in markdown


def test_scenario_files_and_the_package_know_the_same_languages():
    from sim.i18n import LANGUAGES
    from sim.schema import LANGUAGES as INFO_LANGUAGES

    assert tuple(LANGUAGES) == INFO_LANGUAGES
