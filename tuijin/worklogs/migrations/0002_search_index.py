"""The Chinese search index over work logs (see tuijin/worklogs/search.py)."""

from django.db import migrations

from tuijin.worklogs import search


def create(apps, schema_editor):
    search.create_index(schema_editor)


def drop(apps, schema_editor):
    search.drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("worklogs", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
