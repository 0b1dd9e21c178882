"""core.versions: the shared pieces of "no lost updates", and checks that every form of a
versioned model carries the version (the per-record tests are in each app)."""

import importlib

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.forms.models import BaseModelFormSet

from tuijin.core.versions import (
    Conflict,
    VersionedFormMixin,
    VersionedModel,
    locked,
    unique_write,
)
from tuijin.projects.models import Project
from tuijin.projects.tests.factories import make_project


def versioned_models():
    return [model for model in apps.get_models() if issubclass(model, VersionedModel)]


def site_forms():
    """Every ModelForm class and inline formset's row form named in an app's forms module."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tuijin."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if not isinstance(value, type):
                continue
            if issubclass(value, BaseModelFormSet):
                found.append((f"{config.name}.forms.{name}", value.form))
            elif issubclass(value, forms.ModelForm) and value._meta.model is not None:
                found.append((f"{config.name}.forms.{name}", value))
    return found


def test_every_versioned_model_keeps_its_version_out_of_the_audit():
    assert versioned_models()
    assert [m for m in versioned_models() if "version" not in getattr(m, "audit_ignore", ())] == []


def test_every_model_form_of_a_versioned_model_carries_the_version():
    versioned = [
        (name, form) for name, form in site_forms() if form._meta.model in versioned_models()
    ]
    assert len(versioned) >= 4  # the project form, the plans, approvals and milestones rows
    assert [name for name, form in versioned if not issubclass(form, VersionedFormMixin)] == []


@pytest.mark.django_db
def test_a_save_raises_the_version_and_a_stale_one_is_refused(org):
    project = make_project()
    assert project.version == 1
    project.name = "改名"
    project.save(update_fields=["name"])
    assert Project.objects.get(pk=project.pk).version == 2
    with pytest.raises(Conflict, match="该项目刚刚已被他人修改") as stale:
        locked(Project.objects.all(), project.pk, 1, "该项目")
    assert (stale.value.version, stale.value.pk) == (2, project.pk)
    Project.objects.filter(pk=project.pk).delete()
    with pytest.raises(Conflict, match="刚刚已被他人删除") as gone:
        locked(Project.objects.all(), project.pk, 2, "该项目")
    assert gone.value.version is None


@pytest.mark.django_db
def test_a_form_that_showed_no_record_has_seen_version_0_and_is_refused_over_one(org):
    # A blank form (the record is made or, if found, edited) must not save over a record made
    # since it was opened: it saw version 0, which no stored record has.
    class NameForm(VersionedFormMixin, forms.ModelForm):
        class Meta:
            model = Project
            fields = ["name"]

    form = NameForm({"name": "新项目"})
    assert form.is_valid() and "version" not in form.fields
    assert form.seen_version() == 0
    project = make_project()
    with pytest.raises(Conflict, match="刚刚已被他人修改"):
        locked(Project.objects.all(), project.pk, form.seen_version(), "该项目")


@pytest.mark.django_db
def test_unique_write_turns_a_lost_race_into_a_form_error(org):
    taken = make_project(code="DUP-1")
    with pytest.raises(ValidationError) as error, unique_write("编号已被使用", "code"):
        Project.objects.create(code="DUP-1", name="重复", park=taken.park, unit=taken.unit)
    assert error.value.message_dict == {"code": ["编号已被使用"]}
    assert Project.objects.filter(code="DUP-1").count() == 1  # the transaction is still usable
