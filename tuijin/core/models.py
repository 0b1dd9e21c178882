"""Core owns no domain tables: only the audit log (DESIGN §4) and background jobs."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core.audited import AuditedModel, event_payload


class EditableListQuerySet(models.QuerySet):
    """Reference lists everyone reads (their history too); they are edited in the admin site
    only, so no page may write them."""

    def visible_to(self, user):
        return self.all()

    def editable_by(self, user):
        return self.none()


class EditableList(AuditedModel):
    """Abstract: an admin-edited, ordered list of names (前期手续类型, 问题类别) whose
    ``DEFAULTS`` a data migration installs and ``ensure_defaults()`` restores (demo, tests).
    Audited: renaming a type changes what every record that uses it says."""

    DEFAULTS: list[str] = []

    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = EditableListQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @classmethod
    def ensure_defaults(cls) -> None:
        for order, name in enumerate(cls.DEFAULTS):
            cls.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class AuditEvent(models.Model):
    """One change to a record. Written unsealed (no ``seq``, no hashes) inside the writer's
    transaction; the sealer (``tuijin.core.chain``) then gives committed events, in commit
    order, ``seq`` and ``hash = HMAC(key, prev_hash + canonical JSON of the event)``.
    ``verify_audit`` recomputes the chain in ``seq`` order, so an edited, inserted or deleted
    sealed row breaks it at that point (docs/development/audit.md).
    """

    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the chain must outlive deleted users
        verbose_name=_("操作人"),
    )
    actor_repr = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=40)
    model = models.CharField(_("对象类型"), max_length=100)  # "app_label.modelname"
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    changes = models.JSONField(_("变更"), default=dict)
    # Position in the chain, set by the sealer; NULL while unsealed.
    seq = models.PositiveBigIntegerField(_("链序号"), null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["model", "object_id"], name="audit_object_idx"),
            # The sealer's scan: only the few unsealed rows are in it.
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed_idx"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.model}:{self.object_id}"

    def payload(self) -> dict:
        """What the hash covers: everything but the hashes themselves."""
        return event_payload(self)


class Job(models.Model):
    """Long work (an export, an import, a report) run on the queue for one user.

    ``tuijin.core.jobs`` starts and runs it; the page polls the row for its progress. ``params``
    hold what the work needs to rebuild its input as the owner saw it (for the exports: the
    page's GET query string); the owner's scope is applied again when the job runs.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="jobs",
        verbose_name=_("发起人"),
    )
    kind = models.CharField(_("类型"), max_length=50)
    title = models.CharField(_("名称"), max_length=100)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    done_count = models.PositiveIntegerField(_("已处理"), default=0)
    total_count = models.PositiveIntegerField(_("总数"), default=0)
    result = models.FileField(_("结果文件"), upload_to="jobs/", max_length=200, blank=True)
    result_name = models.CharField(_("下载文件名"), max_length=200, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_lte_100"
            )
        ]

    def __str__(self):
        return f"{self.title}({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("job_status", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def running_text(self) -> str:
        if self.kind.endswith("import"):
            return _("正在导入…")
        return _("正在导出…") if self.kind.endswith("export") else _("正在处理…")

    @property
    def counts_rows(self) -> bool:
        """Exports count rows as they write; an import reports its steps (check, save)."""
        return not self.kind.endswith("import")
