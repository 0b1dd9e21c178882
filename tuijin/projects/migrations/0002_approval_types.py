from django.db import migrations

# The usual pre-construction checklist (前期手续); admins edit the list afterwards.
DEFAULT_TYPES = [
    "立项备案",
    "用地预审与选址",
    "土地供应",
    "建设用地规划许可",
    "工程规划许可",
    "环评",
    "能评",
    "施工图审查",
    "施工许可",
]


def add_types(apps, schema_editor):
    ApprovalType = apps.get_model("projects", "ApprovalType")
    for order, name in enumerate(DEFAULT_TYPES):
        ApprovalType.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
