"""The app's words in English and Chinese: tables of labels, strategy names and levers (names
and help), looked up by key and language. Schema keys and scenario files stay English; only what
a person reads on the page changes."""

from __future__ import annotations

from sim.apps.web.game_words import GAME_LABELS
from sim.i18n import LANGUAGES, Language, Words, strategy_name, translate

__all__ = [
    "LABELS",
    "LANGUAGES",
    "LEVERS",
    "Language",
    "colon",
    "lever_words",
    "strategy_name",
    "text",
]

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
    "customers": ("Customers", "客户数"),
    "satisfaction_range": ("Satisfaction (−1 to 1)", "满意度（−1至1）"),
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
    "value_of": ("Value", "取值"),
    "over_seeds": (
        "A and B replicated over {n} seeds ({first} to {last})",
        "A与B在{n}个随机种子（{first}至{last}）上重复运行",
    ),
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
    "fix_fields": (
        "{fields} — a value there is not allowed (see its message); correct it first",
        "{fields}的值不允许（见其下的提示）；请先更正",
    ),
    "fix_change": (
        "the last change was refused (see the message above); correct it first",
        "上一次修改被拒绝（见上方提示）；请先更正",
    ),
    "strategy_lever": ("Strategy lever", "策略参数"),
    "firm_strategy": ("{firm}'s strategy", "{firm}的策略"),
} | GAME_LABELS


LEVERS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    # strategy parameter or market key → ((name, help) in English, (名称, 说明) in Chinese)
    "markup": (
        ("markup", "price = unit cost × (1 + markup): the money cost"),
        ("加成率", "价格 = 单位成本 ×（1 + 加成率），即货币成本"),
    ),
    "advertising": (
        ("advertising", "$ per capita per period: awareness and image value"),
        ("广告投入", "每期人均广告费用（$），提升知名度与形象价值"),
    ),
    "complaint_handling": (
        ("complaint handling", "share of complaints handled well (0–1)"),
        ("投诉处理", "妥善处理的投诉所占比例（0–1）"),
    ),
    "rd": (
        ("R&D", "$ per capita per period on product value"),
        ("研发投入", "每期人均用于提升产品价值的费用（$）"),
    ),
    "push": (
        ("sales push", "share by which advertising rises after market share falls"),
        ("推销加码", "市场份额下降后广告费用上调的比例"),
    ),
    "max_advertising": (
        ("advertising cap", "highest advertising, $ per capita per period"),
        ("广告上限", "每期人均广告费用的上限（$）"),
    ),
    "crm": (
        ("CRM spend", "$ per capita per period on customer profiles and knowledge"),
        ("客户关系管理投入", "每期人均用于客户档案与客户知识的费用（$）"),
    ),
    "service_boost": (
        ("service boost", "extra service value, $ per basket"),
        ("服务增值", "每篮商品额外提供的服务价值（$）"),
    ),
    "personnel_boost": (
        ("personnel boost", "extra personnel value, $ per basket"),
        ("人员增值", "每篮商品额外提供的人员价值（$）"),
    ),
    "retention_share": (
        (
            "retention share",
            "share of own customers contacted to keep them, picked by lifetime value × churn risk",
        ),
        ("客户保持比例", "按客户生命周期价值 × 流失风险挑选、主动维系的本企业客户比例"),
    ),
    "retention_step": (
        ("retention step", "rise of the retention share after customer equity falls"),
        ("保持比例增幅", "客户资产下降后，客户保持比例每期的增加量"),
    ),
    "max_retention_share": (
        ("retention share cap", "highest retention share (0–1)"),
        ("保持比例上限", "客户保持比例的最高值"),
    ),
    "tier_share": (
        (
            "top-tier share",
            "share of customers, top by lifetime value, served by key-account managers (0–1)",
        ),
        ("核心客户比例", "按客户生命周期价值排在前列、享受客户经理制服务的客户比例"),
    ),
    "tier_service": (
        ("top-tier service", "extra service value for the top tier, $ per basket"),
        ("核心客户服务", "核心客户每篮额外得到的服务价值（$）"),
    ),
    "loyalty_discount": (
        (
            "loyalty discount",
            "price cut for repeat and loyal customers, a share of the price (0–0.9)",
        ),
        ("常客折扣", "给回头客户与忠诚客户的价格折扣比例（客户忠诚奖励）"),
    ),
    "research": (
        ("market research", "$ per capita per period: products tailored to segments"),
        ("市场调研投入", "每期人均调研费用（$）：以小代大，按细分市场定制产品"),
    ),
    "price_matching": (
        (
            "price matching",
            "weight of the rivals' mean price in the price (0: cost-plus, 1: rivals' mean)",
        ),
        ("价格跟随", "价格向竞争对手均价靠拢的权重（0：成本加成，1：对手均价）"),
    ),
    "first_purchase_discount": (
        (
            "first-purchase discount",
            "price cut for prospects and lapsed customers, a share of the price (0–0.9)",
        ),
        ("首购折扣", "给潜在客户与流失客户的首次购买折扣比例"),
    ),
    "service_cut": (
        ("service cut", "service value removed to pay for the push, $ per basket"),
        ("服务削减", "每篮商品减少的服务价值（$），用来支付推销"),
    ),
    "undercut": (
        ("undercut", "share below the cheapest rival's price (a price war)"),
        ("压价幅度", "价格低于最便宜对手价格的比例（价格战）"),
    ),
    "min_margin": (
        ("minimum margin", "price never below unit cost × (1 + minimum margin)"),
        ("最低利润率", "价格不低于单位成本 ×（1 + 最低利润率）"),
    ),
    "quality_cut": (
        ("quality cut", "product value cut per period when margins vanish ($)"),
        ("降质幅度", "利润空间用尽时每期削减的产品价值（$）"),
    ),
    "min_product": (
        ("product floor", "product value it will not go below ($)"),
        ("产品价值下限", "产品价值不再削减的底线（$）"),
    ),
    "homogenisation.rate": (
        (
            "homogenisation rate",
            "share of the gap to the best product that followers close per period",
        ),
        ("同质化速度", "追随者每期缩小与最佳产品差距的比例"),
    ),
    "homogenisation.start": (
        ("homogenisation start", "the period from which products converge"),
        ("同质化开始期", "同质化开始起作用的那一期"),
    ),
    "choice.noise": (
        (
            "choice noise",
            "Gumbel scale μ ($): chance taste beyond delivered value; larger, more random choices",
        ),
        ("选择噪声", "冈贝尔尺度 μ（$）：客户让渡价值之外的偶然偏好；越大，客户选择越随机"),
    ),
    "customers.count": (
        ("number of customers", "customers in the market (at most 200,000 here)"),
        ("客户数量", "市场中的客户数（本应用最多 200,000）"),
    ),
    "periods": (("periods", "simulated periods (months)"), ("期数", "模拟的期数（月）")),
    "seed": (
        ("Seed", "the same seed gives the same run"),
        ("随机种子", "同一随机种子得到同一次运行"),
    ),
}


def lever_words(key: str, name: str, help: str, language: Language) -> tuple[str, str]:
    """A lever's (name, help) as shown, looked up by the market key (e.g. "choice.noise") or the
    strategy parameter's name: in Chinese the table's; in English the table's name, and the
    schema's description where it has one (a lever of a strategy of one's own that the tables
    lack keeps its own name and description)."""
    if language == "zh":
        found = LEVERS.get(key) or LEVERS.get(name)
        return found[1] if found else (name, help)
    if key in LEVERS:
        return LEVERS[key][0]
    own, words = LEVERS[name][0] if name in LEVERS else (name, help)
    return own, help or words


def colon(language: Language) -> str:
    """The colon after a label: full-width in Chinese ("：")."""
    return "：" if language == "zh" else ": "


def text(key: str, language: Language) -> str:
    """The label ``key`` in ``language`` (English if the key has no entry: never a blank)."""
    return translate(LABELS, key, language)
