from django.db import migrations

# DESIGN §2: the bottlenecks the zone names (土地指标短缺、绿电保障不优 …); admins edit the list.
CATEGORIES = ["土地指标", "能耗指标", "绿电保障", "产业配套", "审批手续", "征迁与违建", "资金",
              "水电气", "用工", "其他"]


def add_categories(apps, schema_editor):
    ProblemCategory = apps.get_model("supervision", "ProblemCategory")
    for order, name in enumerate(CATEGORIES):
        ProblemCategory.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
