"""The app's words in English and Chinese: one table, looked up by key and language."""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "zh"]
LANGUAGES: dict[Language, str] = {"en": "English", "zh": "中文"}

LABELS: dict[str, tuple[str, str]] = {  # key → (English, Chinese)
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
    "run_ab": ("Run A and B", "运行A与B"),
    "difference": ("B − A", "B − A"),
    "replicate": ("Replicate", "重复实验"),
    "seeds": ("Seeds", "种子数"),
    "replicate_note": (
        "Each line is the mean across seeds with its 95% band: where two firms' bands overlap,"
        " the difference between them may be chance; where they part, it is an effect.",
        "每条线为各随机种子的均值及其95%置信带：两家企业的置信带重叠处，差异可能只是偶然；"
        "分开处才是效果。",
    ),
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
    "kept": ("The running market is kept.", "当前市场保持不变。"),
}


def text(key: str, language: Language) -> str:
    """The label ``key`` in ``language`` (English if the key has no entry: never a blank)."""
    english, chinese = LABELS.get(key, (key, key))
    return chinese if language == "zh" else english
