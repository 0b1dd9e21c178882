from django.db import migrations

from tuijin.notify.defaults import RULES


def add_rules(apps, schema_editor):
    Rule = apps.get_model("notify", "Rule")
    for event, audience, channels in RULES:
        Rule.objects.get_or_create(event=event, audience=audience, defaults={"channels": channels})


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
