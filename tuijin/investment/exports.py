"""The funnel and the pipeline as .xlsx (``core.xlsx.SheetWriter``), every quantity with its
unit in the header (万元, 亩, 吨标准煤, 万千瓦时)."""

import datetime as dt

from django.utils import translation

from tuijin.core.xlsx import SheetWriter
from tuijin.org.access import sheet_unit

SOURCE_LANGUAGE = "zh-hans"  # the pipeline sheet is Chinese whatever the UI language


def _rate(value):
    return None if value is None else float(value)


def funnel_xlsx(context, file, *, user) -> int:
    """One sheet: the stages (count, 万元, 亩, 吨标准煤/年), then the signing year's cohort by
    group with its rates."""
    year = context["year"]
    columns = [
        ("项目", 34, "text"),
        ("项目数/签约数(个)", 11, "int"),
        ("金额(万元)", 12, "amount"),
        ("用地(亩)", 10, "amount"),
        ("能耗(吨标准煤/年)", 12, "amount"),
        ("线索数(个)", 9, "int"),  # a group's leads: what its 签约转化率 is of
        ("签约转化率(%)", 10, "amount"),
        ("履约率(%)", 9, "amount"),
        ("资金到位率(%)", 10, "amount"),
        ("开工率(%)", 9, "amount"),
        ("投产率(%)", 9, "amount"),
    ]
    heading = f"{year}年招商项目漏斗与转化率" if year else "招商项目漏斗与转化率(全部年度)"
    sheet = SheetWriter("招商漏斗", columns, freeze="B2", heading=heading, unit=sheet_unit(user))
    sheet.append(["【按阶段】", *[None] * 10])
    for row in context["stages"]:
        sheet.append(
            [
                str(row.label),
                row.count,
                float(row.investment),
                float(row.land),
                float(row.energy),
                None,
                None,
                None,
                None,
                None,
                None,
            ]
        )
    by = str(context["by_label"])
    sheet.append(
        [
            f"【按签约年度,按{by}】(每个项目按首次签约计一次)",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ]
    )
    for cohort in [*context["groups"], context["total"]]:
        label = "合计" if cohort is context["total"] else cohort.label
        sheet.append(
            [
                label,
                cohort.signed,
                float(cohort.investment),
                None,
                None,
                cohort.entered,
                _rate(cohort.sign_rate),
                _rate(cohort.keep_rate),
                _rate(cohort.funds_rate),
                _rate(cohort.start_rate),
                _rate(cohort.produce_rate),
            ]
        )
    return sheet.save(file)


def leads_xlsx(leads, file, *, user, today: dt.date | None = None) -> int:
    """The pipeline as listed, one row per lead in the list's order (no investor contact
    data: an export leaves the handlers' hands). `leads` carry ``overdue_clocks``
    (``clocks.with_overdue_clocks``), written as 超时; `today` is the sheet's 截至日期."""
    columns = [
        ("项目名称", 22, "text"),
        ("投资方", 18, "text"),
        ("产业链", 10, "text"),
        ("阶段", 7, "text"),
        ("招商单位", 10, "text"),
        ("拟落地园区", 10, "text"),
        ("包保领导", 8, "text"),
        ("登记日期", 10, "date"),
        ("首次签约", 10, "date"),
        ("预计开工", 10, "date"),
        ("总投资(万元)", 11, "amount"),
        ("固定资产投资(万元)", 11, "amount"),
        ("用地(亩)", 9, "amount"),
        ("能耗(吨标准煤/年)", 10, "amount"),
        ("用电(万千瓦时/年)", 10, "amount"),
        ("绿电占比(%)", 8, "amount"),
        ("超时", 12, "text"),
    ]
    with translation.override(SOURCE_LANGUAGE):  # Chinese labels under Chinese headers
        sheet = SheetWriter(
            "招商项目库",
            columns,
            freeze="B2",
            heading="招商项目库",
            unit=sheet_unit(user),
            as_of=today,
        )
        for lead in leads:
            sheet.append(
                [
                    lead.name,
                    lead.investor_label,
                    lead.industry_chain,
                    lead.get_stage_display(),
                    lead.unit.name,
                    lead.park.name if lead.park_id else "",
                    lead.leader.name if lead.leader_id else "",
                    lead.received_on,
                    lead.signed_on,
                    lead.expected_start,
                    float(lead.total_investment),
                    float(lead.fixed_investment),
                    float(lead.land_mu),
                    float(lead.energy_tce),
                    float(lead.electricity_10k_kwh),
                    float(lead.green_share),
                    "、".join(str(clock.name) for clock in lead.overdue_clocks),
                ]
            )
    return sheet.save(file)
