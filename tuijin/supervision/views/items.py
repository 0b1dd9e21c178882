"""督办 item pages: create, detail with the actions the user may take, one POST per verb."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tuijin.core import formats
from tuijin.core.access import get_for_user
from tuijin.core.headers import permissions_policy
from tuijin.core.versions import show_conflict
from tuijin.projects.models import Project
from tuijin.supervision import evidence, services
from tuijin.supervision.forms import ACTION_FORMS, DirectiveForm, ItemForm, ItemPrefillForm
from tuijin.supervision.models import (
    EvidencePhoto,
    ExtensionRequest,
    Feedback,
    Problem,
    SupervisionItem,
    Verification,
)
from tuijin.supervision.permissions import allowed_verbs, can_assign_items
from tuijin.supervision.rules import item_light
from tuijin.supervision.workdays import mark_unannounced
from tuijin.supervision.workflow import TRANSITIONS, VERB_LABELS


def item_queryset():
    photos = EvidencePhoto.objects.select_related("duplicate_of__item")
    return SupervisionItem.objects.select_related(
        "project", "enterprise", "problem", "assigner", "lead_unit", "responsible"
    ).prefetch_related(
        "co_units",
        "verifiers",
        Prefetch(
            "feedbacks",
            Feedback.objects.select_related("submitted_by").prefetch_related(
                Prefetch("photos", photos), "attachments"
            ),
        ),
        Prefetch(
            "verifications",
            Verification.objects.select_related("verified_by").prefetch_related(
                Prefetch("photos", photos)
            ),
        ),
        Prefetch(
            "extensions", ExtensionRequest.objects.select_related("requested_by", "decided_by")
        ),
        "activities__actor",
    )


# The actions in the order of what is usual: a pending extension waits for its decider,
# then 催办 and the next step of the workflow; 退回 and 撤销 (behind a confirmation) last.
ACTION_ORDER = [
    "decide_extension",
    "urge",
    "accept",
    "start",
    "report",
    "start_verification",
    "verify",
    "request_extension",
    "return",
    "cancel",
]
assert set(ACTION_ORDER) == set(TRANSITIONS)


def action_form(verb: str, user, item, *args, **kwargs):
    form_class = ACTION_FORMS[verb]
    if getattr(form_class, "takes_item", False):
        kwargs.update(user=user, item=item)
    return form_class(*args, prefix=verb, **kwargs)


def render_detail(request, item, forms=None, status=200):
    verbs = allowed_verbs(request.user, item)
    pending = next((e for e in item.extensions.all() if e.status == "pending"), None)
    if pending:
        verbs.discard("request_extension")  # one request at a time
    else:
        verbs.discard("decide_extension")  # 审批延期 only while a request waits
    posted = forms or {}
    forms = {}  # in the usual order; the form just posted keeps its input
    for verb in ACTION_ORDER:
        if verb in verbs or verb in posted:
            forms[verb] = posted.get(verb) or action_form(
                verb, request.user, item, initial={"version": item.version}
            )
    if "decide_extension" in forms and pending and not forms["decide_extension"].is_bound:
        forms["decide_extension"].initial.update(
            extension=pending.pk, new_deadline=pending.requested_deadline, approve="1"
        )
    for group in (item.feedbacks.all(), item.verifications.all()):
        for record in group:
            for photo in record.photos.all():
                photo.flags = evidence.evidence_flags(photo)
    mark_unannounced([item])
    context = {
        "item": item,
        "light": item_light(item, timezone.localdate()),
        "verbs": verbs,
        "forms": forms,
        "pending_extension": pending,
        "labels": VERB_LABELS,
        # A reader who may not open the project sees its name, not a link to a 404.
        "project_visible": item.project_id is not None
        and Project.objects.visible_to(request.user).filter(pk=item.project_id).exists(),
        "problem_visible": item.problem_id is not None
        and Problem.objects.visible_to(request.user).filter(pk=item.problem_id).exists(),
    }
    return render(request, "supervision/item_detail.html", context, status=status)


# The feedback and verification forms fill their place from the browser (static/js/geo.js).
GEOLOCATION = permissions_policy(geolocation=["self"])


@GEOLOCATION
def item_detail(request, pk):
    item = get_for_user(request.user, item_queryset(), pk=pk)
    return render_detail(request, item)


@require_POST
@GEOLOCATION
def item_action(request, pk, verb):
    """One POST per verb; refusals come back as a Chinese message with the input kept."""
    if verb not in ACTION_FORMS:
        raise Http404
    item = get_for_user(request.user, SupervisionItem.objects.all(), write=True, pk=pk)
    form = action_form(verb, request.user, item, request.POST, request.FILES)
    if form.is_valid():
        try:
            perform(request.user, item.pk, verb, form.cleaned_data)
        except services.Conflict as conflict:  # the input kept, the current version put in
            show_conflict(form, conflict)
        except services.ItemError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已%(verb)s。") % {"verb": VERB_LABELS[verb]})
            return redirect(item)
    item = get_for_user(request.user, item_queryset(), pk=pk)
    if verb not in allowed_verbs(request.user, item) and not form.non_field_errors():
        raise PermissionDenied
    return render_detail(
        request, item, {verb: form}, status=409 if form.non_field_errors() else 400
    )


def perform(user, pk: int, verb: str, data: dict):
    version = data.get("version")
    note = data.get("note", "")
    location = (data.get("latitude"), data.get("longitude"))
    location = location if location[0] is not None and location[1] is not None else None
    match verb:
        case "accept":
            return services.accept(user, pk, version)
        case "start":
            return services.start(user, pk, version)
        case "report":
            return services.report(
                user,
                pk,
                version,
                text=data["text"],
                photos=data["photos"],
                attachments=data["attachments"],
                browser_location=location,
            )
        case "start_verification":
            return services.start_verification(
                user, pk, version, note, at=data["starts_at"], people=data["people"]
            )
        case "verify":
            return services.verify(
                user,
                pk,
                version,
                result=data["result"],
                notes=data["text"],
                photos=data["photos"],
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
            )
        case "return":
            return services.return_item(user, pk, version, note)
        case "cancel":
            return services.cancel(user, pk, version, note)
        case "urge":
            return services.urge(user, pk, note)
        case "request_extension":
            return services.request_extension(
                user, pk, version, new_deadline=data["new_deadline"], reason=data["reason"]
            )
        case "decide_extension":
            return services.decide_extension(
                user,
                pk,
                version,
                extension_pk=data["extension"],
                approve=data["approve"],
                note=note,
                new_deadline=data.get("new_deadline"),
            )
    raise Http404


@require_http_methods(["GET", "POST"])
def item_create(request):
    if not can_assign_items(request.user):
        raise PermissionDenied
    initial = {}
    if project_pk := ItemPrefillForm(request.GET).project_pk():
        project = get_for_user(request.user, Project.objects.select_related("unit"), pk=project_pk)
        initial = {"project": project, "lead_unit": project.unit}
    form = ItemForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {
            k: form.cleaned_data[k]
            for k in [
                "title",
                "requirement",
                "result_standard",
                "source",
                "project",
                "lead_unit",
                "responsible",
            ]
        }
        try:
            item, warning = services.assign_item(
                request.user,
                co_units=form.cleaned_data["co_units"],
                **fields,
                **form.deadline_kwargs(),
            )
        except services.ItemError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("已交办,期限%(date)s。") % {"date": formats.day(item.deadline)}
            )
            if warning:
                messages.warning(request, warning)
            return redirect(item)
    return render(request, "supervision/item_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def directive_create(request, project_pk):
    """现场交办 from the project page: problem + requirement + deadline, in one step."""
    project = get_for_user(
        request.user, Project.objects.select_related("unit", "park"), pk=project_pk
    )
    if not can_assign_items(request.user):
        raise PermissionDenied
    form = DirectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _problem, item, warning = services.issue_directive(
                request.user,
                project,
                category=data["category"],
                problem_text=data["problem_text"],
                requirement=data["requirement"],
                result_standard=data["result_standard"],
                **form.deadline_kwargs(),
            )
        except services.ItemError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("已现场交办%(unit)s,期限%(date)s。")
                % {"unit": item.lead_unit.name, "date": formats.day(item.deadline)},
            )
            if warning:
                messages.warning(request, warning)
            return redirect(item)
    return render(request, "supervision/directive_form.html", {"form": form, "project": project})
