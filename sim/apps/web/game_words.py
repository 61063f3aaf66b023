"""The classroom game's words in English and Chinese (:mod:`sim.apps.game`): its pages' labels
and messages (``game_…``), refusals (``game_err_…``), table headers (``col_…``), decision fields
and units (``field_…``, ``unit_…``), studies (``study_…``, ``what_…``) and shocks (``shock_…``).
The app's table (:data:`sim.apps.web.i18n.LABELS`) includes them."""

from __future__ import annotations

from sim.i18n import Words

GAME_LABELS: Words = {  # key → (English, Chinese)
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
        "Customer lifetime value of your active customers ($)",
        "本企业活跃顾客的客户生命周期价值（$）",
    ),
    "game_equity": ("Customer equity (sum): ${value:,.0f}", "客户资产（合计）：${value:,.0f}"),
    "game_instructor": ("Instructor", "教师"),
    "game_submissions": ("Submissions for the open round", "本轮提交情况"),
    "game_actions": ("Actions", "操作"),
    "game_advance": ("Advance round", "推进一轮"),
    "game_played": ("round {round} played", "第{round}轮已运行"),
    "game_lock": ("Lock", "锁定"),
    "game_unlock": ("Unlock", "解锁"),
    "game_shock": ("shock for the round being decided", "本轮（正在决策的一轮）的冲击事件"),
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
    # team names, joining, the shocks teams are told of, research notes, personalisation
    "game_team": ("Team {n}", "第{n}队"),
    "game_bot": ("Bot {n} ({strategy})", "机器人{n}（{strategy}）"),
    "game_join_link": ("Join with your team's code", "用团队代码加入"),
    "game_sign_in_link": ("Sign in with the instructor key", "用教师密钥登录"),
    "game_teams_join": ("Teams: join with your code", "团队：用代码加入"),
    "game_instructor_sign_in": ("Instructor: sign in with the key", "教师：用密钥登录"),
    "game_join_title": ("Join the game", "加入博弈"),
    "game_join_code": ("Team code", "团队代码"),
    "game_join_key": ("Instructor key", "教师密钥"),
    "game_join_button": ("Join", "加入"),
    "game_join_invalid": ("That code is not valid for this game.", "该代码对本博弈无效。"),
    "game_join_wait": (
        "Too many wrong codes; try again in {seconds:.0f} s.",
        "错误代码过多；请{seconds:.0f}秒后再试。",
    ),
    "game_now_locked": (
        "Locked: no submissions and no automatic advance until you unlock.",
        "已锁定：解锁之前不接受提交，也不会自动推进。",
    ),
    "game_now_unlocked": ("Unlocked.", "已解锁。"),
    "game_shocks": ("Shocks announced by the instructor", "教师宣布的冲击事件"),
    "game_shock_news": (
        "{shock} from period {period} (round {round})",
        "{shock}：自第{period}期起（第{round}轮）",
    ),
    "game_shock_news_firm": (
        "{shock} at {firm} from period {period} (round {round})",
        "{shock}（{firm}）：自第{period}期起（第{round}轮）",
    ),
    "game_note_segment_needs": (
        "sample means of up to {n} customers per segment",
        "每个细分市场最多{n}名客户的样本均值",
    ),
    "game_note_period": ("period {period}", "第{period}期"),
    "game_note_too_few": ("too few active customers to survey", "活跃客户太少，无法调查"),
    "game_not_a_number": (
        "not a number: type one, e.g. 95 or 95.5",
        "不是数字：请输入数字，例如 95 或 95.5",
    ),
    "game_table_rows": ("Rows per page:", "每页行数："),
    "game_table_pages": ("{0}-{1} of {2}", "第{0}–{1}行，共{2}行"),
    "game_table_none": ("No data available", "暂无数据"),
    "choice_none": ("none", "不个性化"),
    "choice_segment": ("segment", "按细分市场"),
    "choice_individual": ("individual", "一对一"),
    # refusals (sim.apps.game.refusals): the English is what the command line and the API say
    "game_fix_fields": (
        "A field above holds no number: correct it to submit.",
        "上面有字段不是数字：改正后才能提交。",
    ),
    "game_err_refused": ("decision refused: {problems}", "决策未被接受：{problems}"),
    "game_err_unknown": (
        "unknown decision field(s) {names}; allowed: {allowed}",
        "未知的决策字段 {names}；允许：{allowed}",
    ),
    "game_err_range": (
        "{field}={value!r} (allowed: a number from {low:g} to {high:g} {unit})",
        "{field}={value!r}（允许：{low:g}至{high:g}之间的数，单位：{unit}）",
    ),
    "game_err_choice": (
        "{field}={value!r} (allowed: {allowed})",
        "{field}={value!r}（允许：{allowed}）",
    ),
    "game_err_over_budget": (
        "over budget: {items} = {spent:g} $ per capita per period, but the budget is "
        "{budget:g}; lower one of {fields}{studies}",
        "超出预算：{items} = {spent:g}（$/人/期），而预算为{budget:g}；请降低{fields}中的一项"
        "{studies}",
    ),
    "game_err_fewer_studies": (" or buy fewer studies", "，或少购买市场调研"),
    "game_item": ("{name} {value:g}", "{name} {value:g}"),
    "game_item_study": ("study {name} {value:g}", "{label} {value:g}"),
    "game_err_locked": (
        "the game is locked by the instructor; try again later",
        "博弈已被教师锁定；请稍后再试",
    ),
    "game_err_key_used": (
        "this key was already used for another decision (in round {round}); send each decision "
        "with a new key",
        "该键已用于另一项决策（第{round}轮）；每项决策请使用新的键",
    ),
    "game_err_not_open": (
        "round {round} is not open; the open round is {open}",
        "第{round}轮未开放；当前开放的是第{open}轮",
    ),
    "game_err_closed": (
        "round {round} is not open (rounds played: {played}); nothing changed",
        "第{round}轮未开放（已进行{played}轮）；未做任何改变",
    ),
    "game_err_shock_late": (
        "round {round} has been played; schedule a later round",
        "第{round}轮已进行；请安排在之后的一轮",
    ),
    "game_err_over": (
        "the game is over: all {rounds} rounds are played",
        "博弈已结束：{rounds}轮均已进行",
    ),
    "game_err_no_round_for_shock": (
        "the game is over; no round is left for a shock",
        "博弈已结束；没有可安排冲击事件的轮次",
    ),
    "game_err_bad_shock": (
        "the {shock} cannot be scheduled: {details}",
        "无法安排{shock}：{details}",
    ),
    "game_err_shock_kind": (
        "there is no shock {kind!r}; the shocks are {kinds}",
        "没有冲击事件“{kind}”；可选冲击事件：{kinds}",
    ),
    "game_err_shock_setting": (
        "a {shock} has no setting {name!r}; its settings are {names}",
        "{shock}没有设置项“{name}”；可用设置项：{names}",
    ),
    "game_err_shock_no_firm": (
        "a {shock} needs a firm: one of {firms}",
        "{shock}须指定企业，可选企业：{firms}",
    ),
    "game_err_shock_firm": (
        "the firm of a {shock} must be one of {firms}, not {firm!r}",
        "{shock}的企业须为{firms}之一，而非“{firm}”",
    ),
    "game_err_shock_number": (
        "the {name} of a {shock} must be a number from {low} to {high}, not {value!r}",
        "{shock}的{name}须为{low}至{high}之间的数，而非{value}",
    ),
    "game_err_shock_whole": (
        "the {name} of a {shock} must be a whole number from {low} to {high}, not {value!r}",
        "{shock}的{name}须为{low}至{high}之间的整数，而非{value}",
    ),
}
