"""The default income tiers (薄弱村 < 5万, 一般村 5–20万, 富裕村 > 20万, the 50万 goal) and the
late-payment alert's notification rules (the town, the enterprise's 包保 leaders)."""

from decimal import Decimal

from django.db import migrations

TIERS = [
    ("薄弱村", Decimal(0), False),
    ("一般村", Decimal(5), False),
    ("富裕村", Decimal(20), False),
    ("集体经济强村目标", Decimal(50), True),
]
RULES = [
    ("rural_payment_late", "lead_unit", ["inapp", "wecom", "dingtalk"]),
    ("rural_payment_late", "project_leaders", ["inapp"]),
]


def install(apps, schema_editor):
    IncomeTier = apps.get_model("rural", "IncomeTier")
    for order, (name, low, goal) in enumerate(TIERS):
        IncomeTier.objects.get_or_create(
            name=name, defaults={"min_income": low, "is_goal": goal, "sort_order": order * 10}
        )
    Rule = apps.get_model("notify", "Rule")
    for event, audience, channels in RULES:
        Rule.objects.get_or_create(event=event, audience=audience, defaults={"channels": channels})


class Migration(migrations.Migration):
    dependencies = [("rural", "0001_initial"), ("notify", "0008_leaders_hear_what_needs_them")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
