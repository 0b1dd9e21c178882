"""The factor balance sheet and a 亩均 year as .xlsx (``core.xlsx.SheetWriter``), every
quantity with its unit in the header (亩, 吨标准煤, 万千瓦时, 万元). Chinese whatever the UI
language: the files go to other offices."""

from django.utils import translation

from tuijin.core.xlsx import SheetWriter
from tuijin.org.access import sheet_unit


def write_sheet(file, sheet, user) -> int:
    with translation.override("zh-hans"):
        columns = [
            ("园区", 14, "text"),
            ("要素", 10, "text"),
            ("单位", 10, "text"),
            ("供给", 11, "amount"),
            ("已预留", 11, "amount"),
            ("已占用", 11, "amount"),
            ("一季度需求", 11, "amount"),
            ("二季度需求", 11, "amount"),
            ("三季度需求", 11, "amount"),
            ("四季度需求", 11, "amount"),
            ("以后年度需求", 11, "amount"),
            ("缺口(负数为短缺)", 13, "amount"),
            ("预计受阻项目", 40, "text"),
        ]
        out = SheetWriter(
            "要素平衡表",
            columns,
            freeze="C2",
            heading=f"{sheet.year}年要素平衡表(净能耗{'已' if sheet.rules.exclude_green else '未'}扣除绿电)",
            unit=sheet_unit(user),
        )
        for row in sheet.rows:
            blocked = [
                f"{d.name}(缺{d.blocks[row.factor].shortfall:,.2f}{row.unit},{d.start_label}开工)"
                for d in sheet.demands_of(row.park.pk)
                if row.factor in d.blocks
            ]
            out.append(
                [
                    row.park.name,
                    str(row.label),
                    str(row.unit),
                    row.supply,
                    row.reserved,
                    row.committed,
                    *row.quarters,
                    row.later,
                    row.gap,
                    ";".join(blocked),
                ]
            )
        return out.save(file)


def write_results(file, evaluation, results, user) -> int:
    with translation.override("zh-hans"):
        columns = [
            ("排名", 6, "int"),
            ("分类", 8, "text"),
            ("企业", 26, "text"),
            ("园区", 12, "text"),
            ("用地(亩)", 10, "amount"),
            ("税收(万元)", 11, "amount"),
            ("销售收入(万元)", 12, "amount"),
            ("亩均税收(万元/亩)", 12, "amount"),
            ("亩均销售收入(万元/亩)", 13, "amount"),
            ("单位能耗增加值(万元/吨标准煤)", 14, "amount"),
            ("研发经费占比(%)", 11, "amount"),
            ("全员劳动生产率(万元/人)", 13, "amount"),
            ("综合得分", 9, "amount"),
            ("评价方式", 10, "text"),
        ]
        w = evaluation.weights
        out = SheetWriter(
            "亩均评价",
            columns,
            freeze="D2",
            heading=(
                f"{evaluation.year}年度亩均效益评价(权重 税收{w['tax']}/销售{w['sales']}/"
                f"能耗{w['energy']}/研发{w['rnd']}/劳动生产率{w['labour']})"
            ),
            unit=sheet_unit(user),
        )
        for r in results:
            out.append(
                [
                    r.rank,
                    r.klass or "不分类",
                    r.enterprise.name,
                    r.park.name,
                    r.land_mu,
                    r.tax,
                    r.sales,
                    r.tax_per_mu,
                    r.sales_per_mu,
                    r.value_per_energy,
                    r.rnd_share,
                    r.productivity,
                    r.score,
                    r.get_exemption_display(),
                ]
            )
        return out.save(file)
