"""The talk record and the commitment to sign (廉政谈话记录 / 廉政承诺书), one .docx per talk,
laid out as 公文 (``core.gongwen``): the record on the first page, then one commitment per
person talked with, to sign and scan back (the scan goes on the talk's page)."""

from tuijin.core.gongwen import HEI_FONT, Gongwen
from tuijin.integrity.models import Talk

GRADES = {"1": "一级", "2": "二级"}
PLEDGES = [
    "严格遵守廉洁从政各项规定,认真履行“一岗双责”,管好自己、管好班子、带好队伍。",
    "在项目决策、招投标、施工、验收、资金拨付各环节依法依规办事,不插手干预工程建设和招投标,"
    "不利用职务便利为本人或特定关系人谋取利益。",
    "对领导干部插手干预重大事项的,在3个工作日内如实记录、及时报告;本单位每季度按时报送零报告。",
    "对谈话中提醒的廉政风险点逐项落实防控措施,接受组织和群众监督。",
]


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "    年  月  日"


def talk_docx(talk: Talk, file) -> None:
    zone = talk.unit.zone.name
    talkees = list(talk.talkees.select_related("unit"))
    risks = list(talk.risk_points.all())
    doc = Gongwen(title="廉政谈话记录", author=f"{zone}纪检监察工委")
    doc.title(f"{zone}廉政谈话记录", space_before_lines=1)
    doc.names("谈话类型", talk.get_kind_display())
    doc.names("谈话时间", _date(talk.held_on or talk.due_date))
    doc.names("谈话人", talk.talker.name if talk.talker else "")
    doc.names("谈话对象", "、".join(f"{p.name}({p.unit.name}{p.title})" for p in talkees))
    if talk.trigger_note:
        doc.names("谈话起因", talk.trigger_note)
    doc.heading("一、谈话要点")
    for line in (talk.points or "").splitlines() or [""]:
        doc.text(line)
    doc.heading("二、提醒的廉政风险点")
    for n, risk in enumerate(risks, start=1):
        doc.text(
            f"{n}. {risk.get_stage_display()}环节:{risk.title}({GRADES[risk.grade]})。"
            f"防控措施:{risk.measures}"
        )
    if not risks:
        doc.text("无。")
    doc.heading("三、后续跟进")
    doc.text(talk.follow_up or "无。")
    for person in talkees:
        # The title starts the page: a paragraph holding a page break made a blank page
        # whenever the one before filled its page.
        doc.title("廉政承诺书", space_before_lines=0).paragraph_format.page_break_before = True
        doc.text(
            f"本人{person.name},现任{person.unit.name}{person.title or '负责人'}。"
            "为履行好党风廉政建设责任,郑重承诺:"
        )
        for n, pledge in enumerate(PLEDGES, start=1):
            doc.text(f"{n}. {pledge}")
        doc.text("如有违反,自愿接受组织处理。")
        doc.blank(2)
        doc.text("", label="承诺人(签名):", label_font=HEI_FONT)
        doc.text("", label=f"日期:{_date(talk.held_on)}", label_font=HEI_FONT)
    doc.save(file)
