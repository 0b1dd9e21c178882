"""The report by town and village as .xlsx (``core.xlsx.SheetWriter``): one row per village
(community), a subtotal row per town; exactly what the page shows."""

from tuijin.core.xlsx import SheetWriter
from tuijin.org.access import sheet_unit

COLUMNS = [
    ("乡镇", 10, "text"),
    ("村(社区)", 16, "text"),
    ("集体经营性收入(万元)", 12, "amount"),
    ("档次", 8, "text"),
    ("距目标(万元)", 10, "amount"),
    ("飞地分成(万元)", 10, "amount"),
    ("分红总额(万元)", 10, "amount"),
    ("分红户数", 8, "int"),
    ("户均分红(元)", 10, "amount"),
    ("联农协议", 6, "int"),
    ("协议面积(亩)", 9, "amount"),
    ("协议收入(元)", 12, "amount"),
    ("每亩增收(元)", 10, "amount"),
    ("联结农户", 7, "int"),
    ("脱贫户", 6, "int"),
    ("监测户", 6, "int"),
    ("逾期付款", 6, "int"),
]


def _f(value):
    return None if value is None else float(value)


def income_xlsx(user, report, file) -> int:
    sheet = SheetWriter(
        "村集体经济",
        COLUMNS,
        freeze="C2",
        heading=f"{report.year}年村集体经济与联农带农情况",
        unit=sheet_unit(user),
    )
    for town in report.towns:
        name = town.town.name if town.town else "(直属社区)"
        for r in town.rows:
            income = r.income
            sheet.append(
                [
                    name,
                    r.unit.name,
                    _f(income.operating_income) if income else None,
                    r.tier.name if r.tier else "",
                    _f(r.tier.gap) if r.tier else None,
                    _f(r.shares),
                    _f(income.dividends) if income else None,
                    income.dividend_households if income else None,
                    _f(income.per_household) if income else None,
                    len(r.agreements),
                    _f(r.area_mu),
                    _f(r.agreement_income),
                    _f(r.gain_per_mu),
                    r.households,
                    r.lifted,
                    r.monitored,
                    r.late,
                ]
            )
        tiers = "、".join(f"{k}{v}个" for k, v in town.tiers.items())
        sheet.append([f"{name}合计", tiers, _f(town.operating_income)] + [None] * 14)
    return sheet.save(file)
