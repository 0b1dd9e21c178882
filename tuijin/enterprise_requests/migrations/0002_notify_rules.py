from django.db import migrations

# The requests' events and their default rules, held here so the migration stays what it was
# when written. Admins may change them afterwards (通知规则). The event names are this app's
# (tuijin/enterprise_requests/services.py); notify's Event list does not name them yet.
RULES = [
    ("request_raised", "supervisors", ["inapp"]),
    ("request_raised", "project_leaders", ["inapp"]),
    ("request_assigned", "lead_unit", ["inapp"]),
    ("request_answered", "requester", ["inapp"]),
    ("request_reopened", "lead_unit", ["inapp"]),
]


def add_rules(apps, schema_editor):
    Rule = apps.get_model("notify", "Rule")
    for event, audience, channels in RULES:
        Rule.objects.get_or_create(event=event, audience=audience, defaults={"channels": channels})


def remove_rules(apps, schema_editor):
    Rule = apps.get_model("notify", "Rule")
    Rule.objects.filter(event__in={event for event, _a, _c in RULES}).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enterprise_requests", "0001_initial"),
        ("notify", "0008_leaders_hear_what_needs_them"),
    ]

    operations = [migrations.RunPython(add_rules, remove_rules)]
