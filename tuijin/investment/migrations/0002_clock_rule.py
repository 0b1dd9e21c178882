"""The notification rule for overdue pipeline clocks (the lead's unit head and 包保 leader,
in the app)."""

from django.db import migrations

EVENT = "lead_clock_overdue"


def add_rule(apps, schema_editor):
    Rule = apps.get_model("notify", "Rule")
    Rule.objects.get_or_create(event=EVENT, audience="person", defaults={"channels": ["inapp"]})


def remove_rule(apps, schema_editor):
    apps.get_model("notify", "Rule").objects.filter(event=EVENT).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("investment", "0001_initial"),
        ("notify", "0008_leaders_hear_what_needs_them"),
    ]

    operations = [migrations.RunPython(add_rule, remove_rule)]
