"""Demo rural linkage (R15), from the report: 淅河镇碑岗村's cooperative company and its enclave
park 丰碑产业园 ("未建先火", three enterprises committed); 城东's six communities with their
community commerce companies working with 黄鹤楼酒业 and 青岛啤酒; 淅河镇's cooperative companies
taking work from 青春化工园 and 府南产业园; 挑水村's chili purchase agreement with 品源现代农业,
whose deliveries and payments give the "每亩多挣3000元" (200 亩, 800,000 元 of chili against
1,000 元 a 亩 before: 4,000 − 1,000 = 3,000 元 a 亩, computed, never typed).

Through the services, on the story's clock (``core.democlock``): the season is this year's
(last year's before December). Two more people log in: the town's 胡建国 (``xihe``) and the
village clerk of 挑水村, 杨春梅 (``tiaoshui``). People, villagers and the committed
enterprises of 丰碑产业园 are fictional. Idempotent: an agreement that exists is left alone.
"""

import datetime as dt
from decimal import Decimal as D

from django.contrib.auth import get_user_model
from django.utils import timezone

from tuijin.core.democlock import story_clock
from tuijin.org.demo import DEMO_PASSWORD
from tuijin.org.models import Person, Role, Unit
from tuijin.projects import services as projects
from tuijin.projects.models import Enterprise
from tuijin.rural import notifications, services
from tuijin.rural.models import Agreement, Company, EnclavePark, IncomeTier, VillageIncome

TOWN, BEIGANG, TIAOSHUI = "淅河镇", "碑岗村", "挑水村"
# username, name, unit, title, role
PEOPLE = [
    ("xihe", "胡建国", TOWN, "镇党委副书记", Role.UNIT_HEAD),
    ("tiaoshui", "杨春梅", TIAOSHUI, "村委会委员、报账员", Role.UNIT_STAFF),
]
PINYUAN = "品源现代农业(随州)有限公司"
HUANGHELOU = "黄鹤楼酒业(随州)有限公司"
TSINGTAO = "青岛啤酒(随州)有限公司"
# name, park, responsible unit, industry, 包保 leaders
ENTERPRISES = [
    (PINYUAN, None, TOWN, "农副食品加工业", ["陈晨"]),
    (HUANGHELOU, "城东产业园", "城东产业园", "酒、饮料和精制茶制造业", ["王立新"]),
    (TSINGTAO, "城东产业园", "城东产业园", "酒、饮料和精制茶制造业", ["陈晨"]),
]
COMMUNITY_PARTNERS = [HUANGHELOU, TSINGTAO, HUANGHELOU, TSINGTAO, HUANGHELOU, TSINGTAO]
# 挑水村's chili season: (month, day, 斤, grade, 元/斤; paid how many days after delivery or
# None: not yet). 390,000 斤 for 800,000 元 on 200 亩.
DELIVERIES = [
    (8, 10, 60000, "1", D("2.20"), 12),
    (8, 28, 80000, "1", D("2.10"), 14),
    (9, 15, 100000, "1", D("2.00"), 15),
    (10, 8, 90000, "2", D("2.00"), 29),  # paid 14 days late: the town was told
    (11, 5, 60000, "2", D("2.00"), None),  # due 11月20日, unpaid: the daily run tells them
]
HOUSEHOLDS = [  # fictional villagers of 挑水村
    ("张德明", "lifted", 4, D("6.5"), D("1200")),
    ("王桂兰", "monitored", 2, D("3.0"), D("800")),
    ("刘大军", "ordinary", 5, D("8.0"), D("1500")),
    ("陈秀英", "lifted", 3, D("4.5"), D("1000")),
    ("周有福", "ordinary", 4, D("7.0"), D("1400")),
]
TENANTS = [  # fictional enterprises committed to 丰碑产业园
    ("随州丰碑农产品加工有限公司", D(8000)),
    ("湖北碑岗新型建材有限公司", D(6500)),
    ("随州鑫源包装材料有限公司", D(4200)),
]
# unit → (集体经营性收入 万元, 分红 万元, 分红户数)
INCOMES = {
    BEIGANG: (D("38.50"), D("6.20"), 310),
    TIAOSHUI: (D("16.80"), D("4.30"), 215),
    "城东一社区": (D("26.00"), D("5.00"), 420),
    "城东二社区": (D("18.40"), D("3.10"), 380),
    "城东三社区": (D("9.60"), D("1.20"), 300),
    "城东四社区": (D("12.30"), D("1.80"), 260),
    "城东五社区": (D("4.20"), D("0"), 0),
    "城东六社区": (D("7.50"), D("0.90"), 180),
}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def season(today: dt.date) -> int:
    """The chili season told: this year's once it is over (December), else last year's."""
    return today.year if today.month == 12 else today.year - 1


def load_people(units: dict[str, Unit]) -> dict[str, object]:
    User = get_user_model()
    users = {}
    for username, name, unit_name, title, role in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(DEMO_PASSWORD)
            user.save()
        if not Person.objects.filter(user=user).exists():
            Person.objects.create(
                name=name, unit=units[unit_name], title=title, role=role, user=user
            )
        users[username] = user
    return users


def load_enterprises(units, admin) -> dict[str, Enterprise]:
    found = {}
    for name, park, unit, industry, leaders in ENTERPRISES:
        enterprise = Enterprise.objects.filter(name=name).first()
        if enterprise is None:
            enterprise = projects.create_enterprise(
                admin,
                name=name,
                park=units[park] if park else None,
                unit=units[unit],
                industry=industry,
                is_key=True,
            )
            enterprise.leaders.set(Person.objects.filter(name__in=leaders))
        found[name] = enterprise
    return found


def load_rural(units: dict[str, Unit]) -> dict:
    IncomeTier.ensure_defaults()
    notifications.ensure_rules()
    users = load_people(units)
    User = get_user_model()
    admin, leader = User.objects.get(username="admin"), User.objects.get(username="leader")
    xihe, clerk = users["xihe"], users["tiaoshui"]
    if Agreement.objects.filter(title__startswith="挑水村红辣椒").exists():
        return summary()
    today = timezone.localdate()
    year = season(today)
    spring = dt.date(year, 3, 1)
    with story_clock(at(spring - dt.timedelta(days=20))):
        firms = load_enterprises(units, admin)
    qc, fn, cd = units["青春化工园"], units["府南产业园"], units["城东产业园"]

    with story_clock(at(spring - dt.timedelta(days=10))):
        beigang = services.create_company(
            xihe,
            unit=units[BEIGANG],
            name="碑岗村乡村合作发展有限公司",
            kind=Company.Kind.VILLAGE,
            park=qc,
            founded_on=dt.date(year - 1, 6, 18),
            capital=D(200),
            business="飞地园区开发运营、厂房租赁、物业保洁与用工服务",
        )
        services.add_shareholder(
            xihe, beigang, name="碑岗村股份经济合作社", kind="collective", share=D(60)
        )
        services.add_shareholder(
            xihe, beigang, name="碑岗村入股农户", kind="households", share=D(40), households=126
        )
        park = services.create_park(
            xihe,
            unit=units[BEIGANG],
            company=beigang,
            name="丰碑产业园",
            location="淅河镇碑岗村,316国道北侧",
            stage=EnclavePark.Stage.PLANNED,
            land_mu=D(120),
            buildings_m2=D(36000),
            note="飞地经济:园区未建先火,已引进三家企业确定入驻。",
        )
        for name, investment in TENANTS:
            services.add_tenant(
                xihe, park, name=name, status="committed", investment=investment, since=spring
            )
        tiaoshui_coop = services.create_company(
            clerk,
            unit=units[TIAOSHUI],
            name="挑水村辣椒种植专业合作社",
            kind=Company.Kind.COOPERATIVE,
            founded_on=dt.date(year - 1, 11, 2),
            capital=D(50),
            business="辣椒订单种植、统一育苗、统一收购",
        )
        tiaoshui_coop.partners.set([firms[PINYUAN]])
        services.add_shareholder(
            clerk, tiaoshui_coop, name="挑水村股份经济合作社", kind="collective", share=D(30)
        )
        services.add_shareholder(
            clerk, tiaoshui_coop, name="辣椒种植户", kind="households", share=D(70), households=86
        )
        for head, status, members, area, dividend in HOUSEHOLDS:
            services.add_household(
                clerk,
                tiaoshui_coop,
                head=head,
                status=status,
                members=members,
                area_mu=area,
                dividend=dividend,
                link="订单种植辣椒、合作社入股",
            )
        services.create_company(
            clerk,
            unit=units[TIAOSHUI],
            name="挑水村乡村合作公司",
            kind=Company.Kind.VILLAGE,
            park=fn,
            founded_on=dt.date(year - 1, 8, 8),
            capital=D(30),
            business="承接府南产业园绿化养护、物流装卸",
        )
        town_company = services.create_company(
            xihe,
            unit=units[TOWN],
            name="淅河镇强村发展有限公司",
            kind=Company.Kind.STRONG,
            park=qc,
            founded_on=dt.date(year - 1, 5, 20),
            capital=D(500),
            business="全镇村级合作公司联合体,承接青春化工园、府南产业园配套服务",
        )
        town_company.partners.set(Enterprise.objects.filter(park__in=[qc, fn])[:3])

    with story_clock(at(spring - dt.timedelta(days=5))):
        chili = services.create_agreement(
            clerk,
            company=tiaoshui_coop,
            enterprise=firms[PINYUAN],
            kind=Agreement.Kind.PURCHASE,
            title="挑水村红辣椒订单收购协议",
            product="红辣椒(鲜椒)",
            starts_on=spring,
            ends_on=dt.date(year + 2, 12, 31),
            area_mu=D(200),
            quantity_unit="斤",
            guaranteed_price=D("2.00"),
            baseline_per_mu=D(1000),
            expected_per_mu=D(4000),
            pay_within_days=15,
        )
        for i, (name, partner) in enumerate(
            zip(units_named(units, "城东"), COMMUNITY_PARTNERS, strict=True)
        ):
            company = services.create_company(
                leader,
                unit=name,
                name=f"{name.name}商贸有限公司",
                kind=Company.Kind.COMMUNITY,
                park=cd,
                founded_on=dt.date(year - 1, 4, 1 + i),
                capital=D(50),
                business="社区商贸、配送与用工服务",
            )
            company.partners.set([firms[partner]])
            if i < 2:
                services.create_agreement(
                    leader,
                    company=company,
                    enterprise=firms[partner],
                    kind=Agreement.Kind.SERVICE,
                    title=f"{name.name}与{firms[partner].name}物流装卸服务合同",
                    product="物流装卸、厂区保洁",
                    starts_on=spring,
                    ends_on=dt.date(year, 12, 31),
                    area_mu=D(1),
                    quantity_unit="月",
                    expected_per_mu=D(0),
                    pay_within_days=30,
                )

    for month, day, quantity, grade, price, paid_after in DELIVERIES:
        delivered = dt.date(year, month, day)
        with story_clock(at(delivered, 16)):
            delivery = services.record_delivery(
                clerk,
                chili,
                delivered_on=delivered,
                quantity=D(quantity),
                grade=grade,
                unit_price=price,
            )
        if paid_after is None:
            continue
        payment = delivery.payments.get()
        paid = delivered + dt.timedelta(days=paid_after)
        with story_clock(at(paid, 11)):
            services.pay(clerk, payment, version=None, paid_on=paid, amount_paid=payment.amount_due)

    with story_clock(at(dt.date(year, 12, 1), 9) if year < today.year else None):
        services.add_share(xihe, park, village=units[BEIGANG], year=year, amount=D("8.00"))
        services.add_share(xihe, park, village=units[TIAOSHUI], year=year, amount=D("2.00"))
        for name, (income, dividends, households) in INCOMES.items():
            if VillageIncome.objects.filter(unit=units[name], year=year).exists():
                continue
            who = leader if name.startswith("城东") else xihe
            services.save_income(
                who,
                unit=units[name],
                year=year,
                version=None,
                operating_income=income,
                dividends=dividends,
                dividend_households=households,
            )
    services.send_late_payment_alerts()  # today's run: the unpaid November delivery
    return summary()


def units_named(units: dict[str, Unit], prefix: str) -> list[Unit]:
    return [u for name, u in units.items() if name.startswith(prefix) and name.endswith("社区")]


def summary() -> dict:
    return {
        "companies": Company.objects.count(),
        "parks": EnclavePark.objects.count(),
        "agreements": Agreement.objects.count(),
    }


def summary_line(counts: dict) -> str:
    return (
        f"乡村联农:{counts['companies']} 个村级公司、{counts['parks']} 个飞地园区、"
        f"{counts['agreements']} 份联农协议。"
    )
