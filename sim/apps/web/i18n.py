"""The app's words in English and Chinese: tables of labels, strategy names and levers (names
and help), looked up by key and language. Schema keys and scenario files stay English; only what
a person reads on the page changes."""

from __future__ import annotations

from sim.i18n import LANGUAGES, Language, Words, strategy_name, translate

__all__ = ["LABELS", "LANGUAGES", "LEVERS", "Language", "lever_words", "strategy_name", "text"]

LABELS: Words = {  # key → (English, Chinese)
    "title": ("crmsim: a market of customers and firms", "crmsim：客户与企业的市场"),
    "setup": ("Set up", "设置"),
    "run": ("Run", "运行"),
    "compare": ("Compare", "比较"),
    "network": ("Network", "社会网络"),
    "download": ("Take it home", "下载"),
    "scenario": ("Scenario", "情景"),
    "upload": ("Upload a scenario (.toml)", "上传情景文件（.toml）"),
    "strategy": ("Strategy", "策略"),
    "market_levers": ("Market levers", "市场参数"),
    "seed": ("Seed", "随机种子"),
    "apply": ("Apply and reset", "应用并重置"),
    "step": ("Step", "单步"),
    "play": ("Play", "播放"),
    "pause": ("Pause", "暂停"),
    "reset": ("Reset", "重置"),
    "period": ("Period", "期"),
    "finished": ("finished", "已结束"),
    "market_share": ("Market share", "市场份额"),
    "cumulative_profit": ("Cumulative profit ($)", "累计利润（$）"),
    "retention_rate": ("Retention rate", "客户保持率"),
    "mean_satisfaction": ("Mean satisfaction", "平均满意度"),
    "customer_equity": ("Customer equity ($)", "客户资产（$）"),
    "lifecycle": ("Customers by lifecycle stage", "客户生命周期阶段"),
    "satisfaction_hist": ("Satisfaction of active customers", "活跃客户的满意度分布"),
    "perceptual_map": ("Perceptual map", "感知图"),
    "total_value": ("Total customer value ($)", "整体顾客价值（$）"),
    "total_cost": ("Total customer cost ($)", "整体顾客成本（$）"),
    "customers": ("customers", "客户数"),
    "stage_0": ("prospect", "潜在客户"),
    "stage_1": ("new", "新客户"),
    "stage_2": ("repeat", "回头客户"),
    "stage_3": ("loyal", "忠诚客户（老客户）"),
    "stage_4": ("lapsed", "流失客户"),
    "firm": ("Firm", "企业"),
    "price": ("Price ($)", "价格（$）"),
    "customers_col": ("Customers", "客户数"),
    "profit": ("Profit ($)", "利润（$）"),
    "variant_b": ("Market B differs in", "市场B的不同之处"),
    "start_ab": ("Start A and B", "开始A与B"),
    "step_ab": ("Step A and B", "A与B单步"),
    "play_ab": ("Play A and B", "A与B播放"),
    "pause_ab": ("Pause A and B", "A与B暂停"),
    "reset_ab": ("Reset A and B", "A与B重置"),
    "ab_note": (
        "A and B run side by side from the same seed: same customers, same chance events. Solid"
        " lines are A, dashed lines B; the bottom row is B − A, the effect of the change in this"
        " one market.",
        "A与B从同一随机种子并排运行：客户相同，偶然事件相同。实线为A，虚线为B；"
        "下面一行为B − A，即这一改变在这一个市场中的效果。",
    ),
    "ab_lines": ("A solid, B dashed", "A实线，B虚线"),
    "same_as_a": ("the same as A", "与A相同"),
    "difference": ("B − A", "B − A"),
    "replicate": ("Replicate A and B", "重复实验A与B"),
    "seeds": ("Seeds", "种子数"),
    "replicate_note": (
        "A and B are each run over the same seeds; each line is the mean across seeds with its"
        " 95% band. The bottom row is B − A seed by seed: where its band holds 0 the change may"
        " have no effect (chance alone); where the band leaves 0, it is an effect.",
        "A与B各自在相同的随机种子上运行；每条线为各种子的均值及其95%置信带。下面一行为逐个种子"
        "的B − A：置信带包含0时，改变可能没有效果（只是偶然）；置信带离开0时，才是效果。",
    ),
    "outcome": ("Outcome", "指标"),
    "final": ("at the last period, mean [95% interval]", "最后一期，均值［95%区间］"),
    "running": ("Running…", "运行中…"),
    "metrics_csv": ("Metrics (CSV)", "指标（CSV）"),
    "metrics_parquet": ("Metrics (Parquet)", "指标（Parquet）"),
    "transactions": ("Transaction log (CSV)", "交易记录（CSV）"),
    "scenario_toml": ("Scenario with seed (TOML)", "含种子的情景（TOML）"),
    "reproduce": ("Reproduce the run with", "用以下命令复现"),
    "network_too_large": (
        "The network is drawn for markets of at most 2,000 customers; this one has {n:,}.",
        "仅为不超过2,000名客户的市场绘制网络；本市场有{n:,}名客户。",
    ),
    "network_none": ("This market has no social network.", "本市场没有社会网络。"),
    "loyal_to": ("coloured by the firm a customer is loyal to", "按客户忠诚的企业着色"),
    "bad_input": ("Not applied", "未应用"),
    "a_whole_number": ("a whole number", "整数"),
    "a_number": ("a number", "数值"),
    "and": ("and", "且"),
    "not_allowed": (
        "{key}: {value!r} is not allowed; use {allowed}",
        "{key}：{value!r} 不允许；请用{allowed}",
    ),
    "no_number": ("{key}: no number; use {allowed}", "{key}：没有数值；请用{allowed}"),
    "kept": ("The running market is kept.", "当前市场保持不变。"),
    # the classroom game (sim.apps.game)
    "game": ("crmsim game", "crmsim 课堂博弈"),
    "game_round": ("round {round} of {rounds}", "第{round}轮，共{rounds}轮"),
    "game_over": ("game over", "博弈结束"),
    "game_submitted": ("submitted ✓", "已提交 ✓"),
    "game_not_submitted": ("not submitted yet", "尚未提交"),
    "game_locked": ("locked by the instructor", "已被教师锁定"),
    "game_playing": ("the round is being played…", "本轮正在运行…"),
    "game_decision": ("Your decision for this round", "本轮决策"),
    "game_submit": ("Submit decision", "提交决策"),
    "game_budget": (
        "Budgeted spending ({fields} + studies): {spent:g} of {budget:g} $ per capita per period",
        "预算内支出（{fields} + 市场调研项目）：{spent:g}，预算{budget:g}（$/人/期）",
    ),
    "game_received": ("Decision received.", "决策已收到。"),
    "game_again": ("Already received (applied once).", "已收到（只计一次）。"),
    "game_research": ("Research to buy with this decision", "随本轮决策购买的市场调研"),
    "game_price": ("{price:g} $ per capita per period", "{price:g} $/人/期"),
    "game_reports": ("Your research reports", "本企业的市场调研报告"),
    "game_bought": ("bought in round {round}", "第{round}轮购买"),
    "game_no_reports": (
        "None yet: a study bought with a decision reports here the next round.",
        "暂无：随决策购买的调研，下一轮在此给出报告。",
    ),
    "study_segment_needs": ("Segment needs", "细分市场需求"),
    "study_benchmarking": ("Competitor benchmarking", "竞争对手标杆分析"),
    "study_survey": ("Satisfaction survey", "顾客满意度调查"),
    "study_churn_clv": ("Churn risk and CLV", "流失风险与客户生命周期价值"),
    "game_survey": (
        "Mean satisfaction {mean:.3f} ± {margin:.3f} (95% margin of error; {n} of {of} "
        "customers asked)",
        "平均满意度 {mean:.3f} ± {margin:.3f}（95%误差范围；{of}名客户中抽样{n}名）",
    ),
    "game_results": ("Results", "经营结果"),
    "game_no_period": ("No period has been played yet.", "尚未进行任何一期。"),
    "game_customers": (
        "Your customers by lifecycle stage and segment",
        "本企业客户：按生命周期阶段与细分市场",
    ),
    "game_clv": (
        "Customer lifetime value of your buyers ($)",
        "本企业购买者的客户生命周期价值（$）",
    ),
    "game_equity": ("Customer equity (sum): ${value:,.0f}", "客户资产（合计）：${value:,.0f}"),
    "game_instructor": ("Instructor", "教师"),
    "game_submissions": ("Submissions for the open round", "本轮提交情况"),
    "game_actions": ("Actions", "操作"),
    "game_advance": ("Advance round", "推进一轮"),
    "game_played": ("round {round} played", "第{round}轮已运行"),
    "game_lock": ("Lock", "锁定"),
    "game_unlock": ("Unlock", "解锁"),
    "game_shock": ("shock for the next round", "下一轮的冲击事件"),
    "game_schedule": ("Schedule shock", "安排冲击"),
    "game_scheduled": ("{shock} scheduled from period {period}", "已安排{shock}，自第{period}期起"),
    "shock_recession": ("recession", "经济衰退"),
    "shock_price_war": ("price war", "价格战"),
    "shock_service_outage": ("service outage", "服务中断"),
    "shock_scandal": ("scandal", "丑闻"),
    "shock_homogenisation": ("sudden homogenisation", "突发同质化"),
    "shock_crm_launch": ("CRM launch", "客户关系管理系统上线"),
    "game_leaderboard": ("Leaderboard", "排行榜"),
    "game_measure": ("measure", "指标"),
    "game_export": ("Export every decision and result (CSV)", "导出全部决策与结果（CSV）"),
    "game_debrief": (
        "Debrief: luck or skill, and against the textbook strategies",
        "复盘：运气还是能力，以及与教科书策略的比较",
    ),
    "game_run_debrief": (
        "Run the debrief ({seeds} seeds, each strategy in each team's place)",
        "运行复盘（{seeds}个随机种子，每种策略替代每个团队）",
    ),
    "game_debrief_html": ("The whole debrief (HTML)", "完整复盘（HTML）"),
    "game_offline": (
        "The game server is not reachable. Your submitted decisions are saved; reload this page"
        " when it is back.",
        "无法连接博弈服务器。已提交的决策均已保存；服务器恢复后请刷新本页。",
    ),
    "game_back": ("The game server is back: reload this page.", "博弈服务器已恢复：请刷新本页。"),
    "game_reload": ("Reload", "刷新"),
    "game_debrief_title": ("Debrief", "复盘"),
    "game_luck": ("Luck or skill: {label}", "运气还是能力：{label}"),
    "game_luck_note": (
        "Each team's result against the same decisions replayed over {seeds} other seeds. A luck"
        " percentile near 100 means the market was kind this time.",
        "每个团队的结果，与同样的决策在另外{seeds}个随机种子上重放的结果相比。运气百分位接近100，"
        "说明这一次市场格外眷顾。",
    ),
    "game_textbook": ("Against the textbook: {label}", "与教科书策略比较：{label}"),
    "game_textbook_note": (
        "Each built-in strategy in the team's place (same seed, the other teams' decisions"
        " unchanged).",
        "每种内置策略替代该团队（同一随机种子，其他团队的决策不变）。",
    ),
    # the game's table headers, decision fields and research (sim.apps.game)
    "col_period": ("period", "期"),
    "col_customers": ("customers", "客户数"),
    "col_new_customers": ("new customers", "新客户数"),
    "col_lost_customers": ("lost customers", "流失客户数"),
    "col_retention_rate": ("retention rate", "客户保持率"),
    "col_market_share": ("market share", "市场份额"),
    "col_revenue": ("revenue", "收入"),
    "col_costs": ("costs", "成本"),
    "col_cost_studies": ("research bought", "市场调研费用"),
    "col_profit": ("profit", "利润"),
    "col_cumulative_profit": ("cumulative profit", "累计利润"),
    "col_customer_equity": ("customer equity", "客户资产"),
    "col_mean_satisfaction": ("mean satisfaction", "平均满意度"),
    "col_complaints": ("complaints", "投诉数"),
    "col_recoveries": ("recoveries", "投诉妥善处理数"),
    "col_price": ("price", "价格"),
    "col_stage": ("stage", "生命周期阶段"),
    "col_segment": ("segment", "细分市场"),
    "col_share": ("share", "占比"),
    "col_sample": ("sample", "样本量"),
    "col_w_product": ("weight product", "产品价值权重"),
    "col_w_service": ("weight service", "服务价值权重"),
    "col_w_personnel": ("weight personnel", "人员价值权重"),
    "col_w_image": ("weight image", "形象价值权重"),
    "col_s_money": ("sensitivity money", "货币成本敏感度"),
    "col_s_time": ("sensitivity time", "时间成本敏感度"),
    "col_s_energy": ("sensitivity energy", "体力成本敏感度"),
    "col_s_psychic": ("sensitivity psychic", "精神成本敏感度"),
    "col_purchase_rate": ("purchase rate", "购买频率"),
    "col_firm": ("firm", "企业"),
    "col_product": ("product", "产品价值"),
    "col_service": ("service", "服务价值"),
    "col_personnel": ("personnel", "人员价值"),
    "col_image": ("image", "形象价值"),
    "col_customer": ("customer", "客户"),
    "col_clv": ("CLV", "客户生命周期价值"),
    "col_churn_risk": ("churn risk", "流失风险"),
    "col_value_at_risk": ("value at risk", "风险价值"),
    "col_mean_clv": ("mean CLV", "平均客户生命周期价值"),
    "col_mean_churn_risk": ("mean churn risk", "平均流失风险"),
    "col_team": ("team", "团队"),
    "col_submitted": ("submitted", "已提交"),
    "col_value": ("value", "数值"),
    "col_game": ("game", "本局结果"),
    "col_mean over seeds": ("mean over seeds", "各种子均值"),
    "col_luck percentile": ("luck percentile", "运气百分位"),
    "col_team's own path": ("team's own path", "团队自己的路径"),
    "col_quantile": ("", "分位数"),
    "game_not_yet": (
        "not measurable yet (needs {n} periods)",
        "暂无法计算（需要{n}期）",
    ),
    "field_price": ("price", "价格"),
    "field_service": ("service", "服务价值"),
    "field_personnel": ("personnel", "人员价值"),
    "field_advertising": ("advertising", "广告投入"),
    "field_rd": ("rd", "研发投入"),
    "field_quality_cut": ("quality_cut", "降质幅度"),
    "field_crm": ("crm", "客户关系管理投入"),
    "field_research": ("research", "市场调研投入"),
    "field_complaint_handling": ("complaint_handling", "投诉处理"),
    "field_loyalty_discount": ("loyalty_discount", "常客折扣"),
    "field_first_purchase_discount": ("first_purchase_discount", "首购折扣"),
    "field_retention_share": ("retention_share", "客户保持比例"),
    "field_tier_share": ("tier_share", "核心客户比例"),
    "field_tier_service": ("tier_service", "核心客户服务"),
    "field_personalisation": ("personalisation", "个性化程度"),
    "unit_$ per basket": ("$ per basket", "$/篮"),
    "unit_$ per capita per period": ("$ per capita per period", "$/人/期"),
    "unit_$ of product value per period": ("$ of product value per period", "产品价值$/期"),
    "unit_share of complaints": ("share of complaints", "投诉的比例"),
    "unit_share of price": ("share of price", "价格的比例"),
    "unit_share of own customers": ("share of own customers", "本企业客户的比例"),
    "what_segment_needs": (
        "a sample of customers of each segment: size, the weight they give product, service, "
        "personnel and image, their sensitivity to money and non-money costs, purchase rate",
        "每个细分市场的客户样本：规模，对产品、服务、人员与形象价值的权重，对货币成本与非货币成本"
        "的敏感度，购买频率",
    ),
    "what_benchmarking": (
        "each rival's price, offer (product, service, personnel, image), share, customers and "
        "satisfaction in the round's last period",
        "本轮最后一期每个竞争对手的价格、提供物（产品、服务、人员、形象价值）、市场份额、"
        "客户数与满意度",
    ),
    "what_survey": (
        "a random sample of your active customers: mean satisfaction with its 95% margin of error",
        "本企业活跃客户的随机样本：平均满意度及其95%误差范围",
    ),
    "what_churn_clv": (
        "your active customers ranked by lifetime value at risk (CLV × churn risk), by segment",
        "按风险价值（客户生命周期价值 × 流失风险）排序的本企业活跃客户，并按细分市场汇总",
    ),
}


LEVERS: Words = {  # strategy parameter or market key → (名称, 说明)
    "markup": ("加成率", "价格 = 单位成本 ×（1 + 加成率），即货币成本"),
    "advertising": ("广告投入", "每期人均广告费用（$），提升知名度与形象价值"),
    "complaint_handling": ("投诉处理", "妥善处理的投诉所占比例（0–1）"),
    "rd": ("研发投入", "每期人均用于提升产品价值的费用（$）"),
    "push": ("推销加码", "市场份额下降后广告费用上调的比例"),
    "max_advertising": ("广告上限", "每期人均广告费用的上限（$）"),
    "crm": ("客户关系管理投入", "每期人均用于客户档案与客户知识的费用（$）"),
    "service_boost": ("服务增值", "每篮商品额外提供的服务价值（$）"),
    "personnel_boost": ("人员增值", "每篮商品额外提供的人员价值（$）"),
    "retention_share": (
        "客户保持比例",
        "按客户生命周期价值 × 流失风险挑选、主动维系的本企业客户比例",
    ),
    "retention_step": ("保持比例增幅", "客户资产下降后，客户保持比例每期的增加量"),
    "max_retention_share": ("保持比例上限", "客户保持比例的最高值"),
    "tier_share": ("核心客户比例", "按客户生命周期价值排在前列、享受客户经理制服务的客户比例"),
    "tier_service": ("核心客户服务", "核心客户每篮额外得到的服务价值（$）"),
    "loyalty_discount": ("常客折扣", "给回头客户与忠诚客户的价格折扣比例（客户忠诚奖励）"),
    "research": ("市场调研投入", "每期人均调研费用（$）：以小代大，按细分市场定制产品"),
    "price_matching": ("价格跟随", "价格向竞争对手均价靠拢的权重（0：成本加成，1：对手均价）"),
    "first_purchase_discount": ("首购折扣", "给潜在客户与流失客户的首次购买折扣比例"),
    "service_cut": ("服务削减", "每篮商品减少的服务价值（$），用来支付推销"),
    "undercut": ("压价幅度", "价格低于最便宜对手价格的比例（价格战）"),
    "min_margin": ("最低利润率", "价格不低于单位成本 ×（1 + 最低利润率）"),
    "quality_cut": ("降质幅度", "利润空间用尽时每期削减的产品价值（$）"),
    "min_product": ("产品价值下限", "产品价值不再削减的底线（$）"),
    "homogenisation.rate": ("同质化速度", "追随者每期缩小与最佳产品差距的比例"),
    "homogenisation.start": ("同质化开始期", "同质化开始起作用的那一期"),
    "choice.noise": (
        "选择噪声",
        "冈贝尔尺度 μ（$）：客户让渡价值之外的偶然偏好；越大，客户选择越随机",
    ),
    "customers.count": ("客户数量", "市场中的客户数（本应用最多 200,000）"),
    "periods": ("期数", "模拟的期数（月）"),
}


def lever_words(key: str, name: str, help: str, language: Language) -> tuple[str, str]:
    """A lever's (name, help) as shown: in English the schema's field name and description; in
    Chinese the table's, looked up by the market key (e.g. "choice.noise") or the strategy
    parameter's name (a lever of a strategy of one's own that the table lacks keeps its own)."""
    if language != "zh":
        return name, help
    return LEVERS.get(key) or LEVERS.get(name) or (name, help)


def text(key: str, language: Language) -> str:
    """The label ``key`` in ``language`` (English if the key has no entry: never a blank)."""
    return translate(LABELS, key, language)
