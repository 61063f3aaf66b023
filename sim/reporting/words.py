"""The words of reports and figures in English and Chinese (简体中文): one table, key →
(English, Chinese), looked up with :func:`word`. Numbers, firm names, file names and commands
are never translated."""

from __future__ import annotations

from sim.i18n import Language, Words, translate

WORDS: Words = {
    # outcomes (table columns and axis labels)
    "cumulative_profit": ("cumulative profit", "累计利润"),
    "mean_market_share": ("mean market share", "平均市场份额"),
    "mean_retention_rate": ("mean retention rate", "平均客户保持率"),
    "final_satisfaction": ("final satisfaction", "期末满意度"),
    "final_customer_equity": ("final customer equity", "期末客户资产"),
    "final_market_share": ("final market share", "期末市场份额"),
    "market_share": ("market share (of purchases)", "市场份额（按购买次数）"),
    # a cohort's repeat rate: of a month's buyers, the share who buy from the firm again within
    # lapse_periods months (docs/model.md, S11) — not a monthly survival rate
    "retention_rate": ("retention rate (cohort repeat rate)", "客户保持率（同期顾客复购率）"),
    # table headers and cells
    "firm": ("firm", "企业"),
    "strategy": ("strategy", "策略"),
    "variant": ("variant", "方案"),
    "no_interval": ("1 run: no interval", "仅1次运行：无区间"),
    "one_run": (
        "1 run, so not comparable with noise (give 2 or more seeds)",
        "仅1次运行，无法与随机噪声比较（请至少用2个种子）",
    ),
    "no_value": ("n/a (no run has a value)", "无（没有一次运行有数值）"),
    "distinguishable": ("distinguishable from noise", "与随机噪声可区分"),
    "not_distinguishable": ("NOT distinguishable from noise", "与随机噪声不可区分"),
    "over_runs": (
        "{mean} [{low}, {high}] over {runs} runs",
        "{mean} [{low}, {high}]（{runs}次运行）",
    ),
    "verdict": ("{spread}: {verdict}", "{spread}：{verdict}"),
    "pair_one_run": ("- {a} − {b}: {line}.", "- {a} − {b}：{line}。"),
    "pair": ("- {a} − {b}: {line}{ahead} ({effect}).", "- {a} − {b}：{line}{ahead}（{effect}）。"),
    "dollars": (" ($)", "（$）"),
    "is_ahead": ("; {firm} is ahead", "；{firm}领先"),
    "effect": ("effect size d = {d}, p = {p}", "效应量 d = {d}，p = {p}"),
    "leads_from": ("{firm} from period {period}", "{firm}自第{period}期起"),
    "lead_within_noise": (
        " In period {period}, {firm}'s lead over {other} is NOT distinguishable from noise.",
        "第{period}期时，{firm}对{other}的领先与随机噪声不可区分。",
    ),
    "tie_from": ("no firm (a tie) from period {period}", "自第{period}期起无企业领先（并列）"),
    # figures
    "period": ("period (month)", "期（月）"),
    "seeded_runs": (
        "Mean of {runs} seeded runs with 95% confidence band",
        "{runs}次带种子运行的均值及95%置信带",
    ),
    "per_run": ("{what} per run (bar: mean)", "每次运行的{what}（横线：均值）"),
    "interval": ("{what} (95% interval)", "{what}（95%区间）"),
    "by_variant": ("{what} by variant (mean, 95% interval)", "各方案的{what}（均值，95%区间）"),
    "firm_strategy": ("firm (strategy)", "企业（策略）"),
    "customers_served": (
        "share of customers served (most valuable first)",
        "所服务客户的比例（价值最高者在前）",
    ),
    "revenue_share": ("share of cumulative revenue", "累计收入占比"),
    "profit_share": ("cumulative share of customer profit", "客户利润的累计占比"),
    "who_buys": ("Who buys (Pareto curve of sales)", "谁在购买（销售额帕累托曲线）"),
    "who_profits": ("Who brings the profit (whale curve)", "谁带来利润（鲸鱼曲线）"),
    "equal_shares": ("equal shares", "均等份额"),
    "total_profit": ("total customer profit", "客户利润总额"),
    "defection": ("Defection: re-buyers who buy only elsewhere", "背离：再次购买者只在别处购买"),
    "defect_share": (
        "share of those who buy again within the lapse",
        "在流失期限内再次购买者中的比例",
    ),
    "recommendation": ("Recommendation", "推荐"),
    "recommend_share": ("share of buyers who recommend the firm", "推荐该企业的购买者比例"),
    "satisfaction_after": (
        "satisfaction with the firm after the purchase (−1 to 1)",
        "购买后对企业的满意度（−1至1）",
    ),
    "satisfaction_active": (
        "Satisfaction of active customers (end of run)",
        "活跃客户的满意度（运行结束时）",
    ),
    "satisfaction": ("satisfaction (−1 to 1)", "满意度（−1至1）"),
    "customers": ("customers", "客户数"),
    "lifecycle": (
        "Lifecycle stage of every customer with each firm",
        "每位客户与各企业的生命周期阶段",
    ),
    "stage_prospect": ("prospect", "潜在客户"),
    "stage_first_time": ("first time", "新客户"),
    "stage_repeat": ("repeat", "回头客户"),
    "stage_loyal": ("loyal", "忠诚客户"),
    "stage_lapsed": ("lapsed", "流失客户"),
    "value_is_cost": ("value = cost", "价值 = 成本"),
    "total_cost": ("total customer cost (per basket)", "整体顾客成本（每篮）"),
    "total_value": (
        "total customer value (per basket, par weights)",
        "整体顾客价值（每篮，标准权重）",
    ),
    "perceptual_map": ("Perceptual map: first → last period", "感知图：第一期 → 最后一期"),
    # report prose
    "scenario_line": (
        "Scenario `{name}` (hash {hash}): {runs} seeded runs of {periods} periods. Values are "
        "means with 95% confidence intervals across runs.",
        "情景 `{name}`（哈希 {hash}）：{runs}次带种子运行，每次{periods}期。数值为各次运行的"
        "均值及95%置信区间。",
    ),
    "over_time": ("Metrics over time", "指标随时间的变化"),
    "outcomes": ("Outcomes", "结果"),
    "comparison": ("Strategy comparison", "策略比较"),
    "paired": (
        "Cumulative profit, firm against firm (paired by seed):",
        "累计利润，企业两两比较（按种子配对）：",
    ),
    "variants_paired": (
        "Cumulative profit, each variant against the first, firm by firm (paired by seed):",
        "累计利润，各方案与第一个方案逐个企业比较（按种子配对）：",
    ),
    "variant_pair": ("- {firm}, {a} − {b}: {line}.", "- {firm}，{a} − {b}：{line}。"),
    "lead": ("Lead in mean cumulative profit: ", "平均累计利润领先者："),
    "distributions": ("Final outcomes, run by run", "逐次运行的最终结果"),
    "inside_run": ("Inside one run (seed {seed})", "一次运行的内部（种子 {seed}）"),
    "customer_value": (
        "Who brings the sales and who brings the profit (80/20 and the whale curve)",
        "谁带来销售额，谁带来利润（80/20与鲸鱼曲线）",
    ),
    "relationships": ("Satisfaction and lifecycle stages", "满意度与生命周期阶段"),
    "about": ("About the scenario", "关于该情景"),
    "manifest": ("Manifest", "运行清单"),
    "what_is_it": ("what is it", "这是什么"),
    "how_it_works": ("how it works", "如何运作"),
    "how_to_use_it": ("how to use it", "如何使用"),
    "things_to_notice": ("things to notice", "注意事项"),
    "things_to_try": ("things to try", "可以尝试"),
    "extending_the_model": ("extending the model", "扩展模型"),
    "sweep_line": (
        "{variants} variants × {seeds} seeds. Values are means with 95% confidence intervals "
        "across runs; each variant's runs are in variants/<variant>/ (crmsim report "
        "variants/<variant> writes its own report).",
        "{variants}个方案 × {seeds}个种子。数值为各次运行的均值及95%置信区间；每个方案的运行结果"
        "在 variants/<variant>/ 中（crmsim report variants/<variant> 生成该方案自己的报告）。",
    ),
}


def word(key: str, language: Language, **values: object) -> str:
    """The words ``key`` in ``language``, with ``values`` filled in (a key the table lacks, such
    as a metric's name, is shown as itself with spaces: "customer_equity" → "customer equity")."""
    text = translate(WORDS, key, language) if key in WORDS else key.replace("_", " ")
    return text.format(**values) if values else text
