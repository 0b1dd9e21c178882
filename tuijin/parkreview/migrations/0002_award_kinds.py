"""The default awards: 流动红旗 to the first park, 蜗牛奖 to the last (黄牌, also to the last,
installed but off: a zone gives one or the other)."""

from django.db import migrations

DEFAULTS = [("流动红旗", "first", True), ("蜗牛奖", "last", True), ("黄牌", "last", False)]


def install(apps, schema_editor):
    AwardKind = apps.get_model("parkreview", "AwardKind")
    for order, (name, given_to, active) in enumerate(DEFAULTS):
        AwardKind.objects.get_or_create(
            name=name,
            defaults={"given_to": given_to, "is_active": active, "sort_order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("parkreview", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
