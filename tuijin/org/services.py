"""Writes to the organisation: units, people and their accounts. Single units and people are
also edited in the admin site; these functions serve the bulk import (and anyone else who
creates them in code), each audited under the caller's verb."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import password_changed, validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tuijin.core.access import require
from tuijin.core.audit import audit_context
from tuijin.org.imports import OrgImport, RowError
from tuijin.org.models import Person, Unit
from tuijin.org.models import sees_everything as can_manage_org

# No 0/O, 1/l/I: initial passwords are read off a screen and typed on a phone.
PASSWORD_GROUPS = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%*+=?")


def random_password(username: str = "", length: int = 12) -> str:
    """An initial password that passes the password rules for ``username``."""
    alphabet = "".join(PASSWORD_GROUPS)
    rng = secrets.SystemRandom()
    while True:
        chars = [rng.choice(group) for group in PASSWORD_GROUPS]
        chars += [rng.choice(alphabet) for _ in range(length - len(chars))]
        rng.shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password, get_user_model()(username=username))
        except ValidationError:
            continue
        return password


def create_unit(actor, *, name: str, kind: str, parent: Unit | None = None,
                short_name: str = "", sort_order: int = 0) -> Unit:  # fmt: skip
    require(can_manage_org(actor), _("只有系统管理员可以新建单位。"))
    unit = Unit(name=name, kind=kind, short_name=short_name, sort_order=sort_order)
    with audit_context(actor=actor):
        if parent is None:
            return Unit.objects.add_root(instance=unit)
        parent.refresh_from_db()  # treebeard counts the parent's children from its row
        return Unit.objects.add_child(parent, instance=unit)


def create_person(actor, *, name: str, unit: Unit, role: str, title: str = "", phone: str = "",
                  username: str = "", password: str = "", password_hash: str = "") -> Person:  # fmt: skip
    """A person of ``unit``; with ``username``, also their account with ``password``, which they
    must change at first login (set by someone else: ``tuijin.org.passwords``).
    ``password_hash``: ``make_password(password)`` done beforehand, outside the transaction
    (Argon2 costs ~0.2 s of CPU per account)."""
    require(can_manage_org(actor), _("只有系统管理员可以新建人员。"))
    with audit_context(actor=actor):
        user = None
        if username:
            user = get_user_model()(username=username)
            user.password = password_hash or make_password(password)
            user.save()
            password_changed(password, user)  # as set_password + save: history, must change
        return Person.objects.create(
            name=name, unit=unit, role=role, title=title, phone=phone, user=user
        )


def initial_password_errors(plan: OrgImport, password: str) -> list[RowError]:
    """The admin-chosen initial password checked against the password rules for each account."""
    errors = []
    for row in plan.people:
        if not row.username:
            continue
        try:
            validate_password(password, get_user_model()(username=row.username))
        except ValidationError as exc:
            message = _("初始密码不符合要求:%(m)s") % {"m": ";".join(exc.messages)}
            errors.append(RowError("人员", row.row, "B", "用户名", message))
    return errors


def import_organisation(actor, plan: OrgImport, initial_password: str = "") -> list[tuple]:
    """Create the units and people of a checked upload, all or none.

    Accounts get ``initial_password`` or each a random one; returns (person, password) for
    every account created, for the page that shows them once.
    """
    require(can_manage_org(actor), _("只有系统管理员可以批量导入单位和人员。"))
    if not plan.ok:
        raise ValueError("import_organisation needs a checked upload without errors")
    accounts = []
    # Hashed before the transaction opens: at ~0.2 s of CPU per account, hashing inside it
    # would hold the database (SQLite: every other writer) for minutes.
    people = []
    for row in plan.people:
        password = (initial_password or random_password(row.username)) if row.username else ""
        people.append((row, password, make_password(password) if row.username else ""))
    with transaction.atomic(), audit_context(actor=actor, action="import_org"):
        units = dict(plan.existing)
        for row in plan.units:  # parents first
            units[row.name] = create_unit(
                actor,
                name=row.name,
                kind=row.kind,
                parent=units.get(row.parent_name) if row.parent_name else None,
                short_name=row.short_name,
                sort_order=row.sort_order,
            )
        for row, password, password_hash in people:
            person = create_person(
                actor,
                name=row.name,
                unit=units[row.unit_name],
                role=row.role,
                title=row.title,
                phone=row.phone,
                username=row.username,
                password=password,
                password_hash=password_hash,
            )
            if row.username:
                accounts.append((person, password))
    return accounts
