"""The audit chain's daily anchor (``tuijin.core.chain.publish_anchor``) to the inspectors.

Core cannot import notify, so it calls the listeners registered with it; ``NotifyConfig.ready``
registers ``tell_inspectors``. Each zone's 纪检监察 and 督查 people get the anchor by the
rules of ``audit_anchor`` (in-app and e-mail by default): a copy of the chain's head kept
outside the database, to hold the chain against later (docs/development/audit.md).
"""

from tuijin.core.chain import Anchor
from tuijin.notify.models import PERSONAL_CHANNELS, Event
from tuijin.notify.services import Message, publish
from tuijin.org.models import Unit


def tell_inspectors(anchor: Anchor) -> None:
    day = anchor.at[:10]
    message = Message(
        event=Event.AUDIT_ANCHOR,
        key=f"anchor:{anchor.seq}:{day}",
        title=f"审计链锚点 {day}:共 {anchor.seq} 条事件",
        body=(
            f"时间:{anchor.at}\n链序号:{anchor.seq}\n哈希:{anchor.hash}\n"
            "请留存本通知。核查时,审计链第该序号事件的哈希应与此一致;"
            "不一致或链短于此序号,说明审计记录在系统之外被改写或删除。"
        ),
    )
    for zone in Unit.objects.get_root_nodes():
        publish(message, unit=zone, only=PERSONAL_CHANNELS)
