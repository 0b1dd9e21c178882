"""Park review pages. Thin: objects load through ``get_for_user`` (404 outside the user's scope,
403 for who sees but may not act); writes are ``services`` verbs, which check
``permissions``; refusals come back as a Chinese message with the input kept."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.access import get_for_user, require
from tuijin.core.forms import show_service_errors
from tuijin.core.versions import Conflict, VersionForm, show_conflict
from tuijin.parkreview import documents, queries, services
from tuijin.parkreview.forms import (
    PledgeForm,
    ReviewCreateForm,
    ReviewForm,
    RouteForm,
    ScoreForm,
    StopFormSet,
    criterion_formset,
)
from tuijin.parkreview.models import (
    Award,
    AwardKind,
    ParkEntry,
    ParkReview,
    ScoreSheet,
    State,
    Stop,
)
from tuijin.parkreview.permissions import (
    can_manage_reviews,
    can_record_pledge,
    can_score,
    can_see_figures,
    is_evaluator,
    sees_all_figures,
)
from tuijin.supervision.services import ItemError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
VERBS = {
    "propose": services.propose_route,
    "confirm": services.confirm_route,
    "publish": services.publish_review,
}


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_GET
def review_list(request):
    reviews = list(
        ParkReview.objects.visible_to(request.user)
        .annotate(parks=Count("entries", distinct=True))
        .order_by("-year", "-quarter")
    )
    firsts = {
        a.review_id: a
        for a in Award.objects.filter(
            review__in=[r.pk for r in reviews], kind__given_to=AwardKind.GivenTo.FIRST
        ).select_related("kind", "entry__park")
    }
    for review in reviews:
        review.first_award = firsts.get(review.pk)
    context = {"reviews": reviews, "can_manage": can_manage_reviews(request.user)}
    return render(request, "parkreview/list.html", context)


@require_http_methods(["GET", "POST"])
def review_create(request):
    require(can_manage_reviews(request.user), _("只有区领导和督查室可以组织观摩拉练。"))
    form = ReviewCreateForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            review = services.create_review(request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("观摩拉练已建立,请确定评委后生成观摩点。"))
            return redirect(review)
    return render(request, "parkreview/create.html", {"form": form})


def _review(request, pk, write=False):
    queryset = ParkReview.objects.select_related("zone")
    return get_for_user(request.user, queryset, write=write, pk=pk)


@require_GET
def review_detail(request, pk):
    review = _review(request, pk)
    entries = list(
        review.entries.select_related("park").prefetch_related(
            Prefetch("stops", Stop.objects.select_related("project").order_by("position", "pk"))
        )
    )
    me = is_evaluator(request.user, review)
    mine = {}
    if me:
        mine = {
            s.entry_id: s
            for s in ScoreSheet.objects.filter(entry__review=review, evaluator__user=request.user)
        }
    for entry in entries:
        entry.my_sheet = mine.get(entry.pk)
    context = {
        "review": review,
        "entries": entries,
        "evaluators": list(review.evaluators.select_related("person__unit")),
        "criteria": list(review.criteria.all()),
        "manager": can_manage_reviews(request.user),
        "is_evaluator": me,
        "can_score": can_score(request.user, review),
        "action": VersionForm(initial={"version": review.version}),
    }
    return render(request, "parkreview/detail.html", context)


@require_http_methods(["GET", "POST"])
def review_edit(request, pk):
    review = _review(request, pk, write=True)
    form = ReviewForm(request.POST or None, instance=review, user=request.user)
    criteria = criterion_formset(review, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        rows = [
            services.CriterionRow(
                f.cleaned_data.get("pk"),
                f.cleaned_data["name"],
                f.cleaned_data["weight"],
                f.cleaned_data.get("DELETE", False),
            )
            for f in criteria.forms
            if f.has_changed() or f.cleaned_data.get("pk")
        ]
        fields = {name: form.cleaned_data[name] for name in ReviewForm.Meta.fields}
        try:
            services.update_review(
                request.user,
                review,
                version=form.seen_version(),
                fields=fields,
                evaluators=list(form.cleaned_data["evaluators"]),
                criteria=rows,
            )
        except Conflict as conflict:
            show_conflict(form, conflict)
            status = 409
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("观摩方案已保存。"))
            return redirect(review)
    context = {"review": review, "form": form, "criteria": criteria}
    return render(request, "parkreview/edit.html", context, status=status)


@require_POST
def review_action(request, pk, verb):
    review = _review(request, pk, write=True)
    if verb not in VERBS:
        raise Http404
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求不完整,请刷新页面后重试。"))
        return redirect(review)
    try:
        VERBS[verb](request.user, review, form.cleaned_data["version"])
    except (Conflict, ValidationError) as error:
        messages.error(request, str(error) if isinstance(error, Conflict) else _errors(error))
        return redirect(review)
    done = {
        "propose": _("已按规则生成观摩点,可调整顺序和时间后确认路线。"),
        "confirm": _("路线已确认,评委可以开始评分。"),
        "publish": _("观摩拉练结果已发布。"),
    }
    messages.success(request, done[verb])
    return redirect("parkreview:results", review.pk) if verb == "publish" else redirect(review)


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    review = _review(request, pk, write=True)
    entries = list(review.entries.select_related("park").order_by("position", "park__path"))
    stops = list(
        review.stops.select_related("project", "entry__park").order_by(
            "entry__position", "position", "pk"
        )
    )
    initial = [
        {"stop": s.pk, "position": s.position, "arrive_at": s.arrive_at, "minutes": s.minutes}
        for s in stops
    ]
    data = request.POST if request.method == "POST" else None
    rows = StopFormSet(data, initial=initial, prefix="stops", stops=stops)
    route = RouteForm(data, review=review, entries=entries)
    version = VersionForm(data, initial={"version": review.version})
    error, status = "", 200
    if data is not None and rows.is_valid() and route.is_valid() and version.is_valid():
        added = route.cleaned_data["add"]
        entry_of = {e.park_id: e for e in entries}
        try:
            services.save_route(
                request.user,
                review,
                version=version.cleaned_data["version"],
                rows=[
                    services.RouteRow(
                        f.cleaned_data["stop"],
                        f.cleaned_data["position"],
                        f.cleaned_data["arrive_at"],
                        f.cleaned_data["minutes"],
                        f.cleaned_data["remove"],
                    )
                    for f in rows.forms
                ],
                park_order=route.park_order(entries),
                added=[(entry_of[added.park_id], added)] if added else [],
            )
        except Conflict as conflict:
            error, status = str(conflict), 409
        except ValidationError as refused:
            error = _errors(refused)
        else:
            messages.success(request, _("路线已保存。"))
            return redirect("parkreview:plan_edit", review.pk)
    elif data is not None:
        problems = route.problems() + rows.problems()
        if not version.is_valid():
            problems.append(_("请求不完整,请刷新页面后重试。"))
        error = _("请按提示修改后再保存,已填写的内容已保留:%(problems)s") % {
            "problems": ";".join(problems)
        }
    for form in rows.forms:
        for field in form.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")
        form.fields["remove"].widget.attrs["class"] = "form-check-input"
    context = {
        "review": review,
        "rows": rows,
        "route": route,
        "park_fields": [route[f"park_{e.pk}"] for e in entries],
        "version": review.version,
        "error": error,
    }
    return render(request, "parkreview/plan.html", context, status=status)


@require_GET
def handbook_docx(request, pk):
    review = _review(request, pk)
    buffer = io.BytesIO()
    documents.handbook_docx(review, buffer)
    buffer.seek(0)
    name = f"{review.quarter_label}项目观摩拉练手册.docx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=DOCX)


@require_GET
def report_docx(request, pk):
    """The 通报: everyone who sees a published review; before publishing, the zone's leaders
    and 督查室 get the draft."""
    review = _review(request, pk)
    rows = None
    if review.state != State.PUBLISHED:
        require(sees_all_figures(request.user), _("观摩拉练结果发布后才能下载通报。"))
        rows = queries.results(review)
    buffer = io.BytesIO()
    documents.report_docx(review, buffer, rows)
    buffer.seek(0)
    name = f"{review.quarter_label}项目观摩拉练情况通报.docx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=DOCX)


@require_GET
def results(request, pk):
    """The ranking: published, the frozen figures; before that the figures as they stand, each
    park's to whom ``can_see_figures`` shows it. With each park's rank history."""
    review = _review(request, pk)
    if review.state == State.PUBLISHED:
        entries = list(review.entries.select_related("park").order_by("rank", "position"))
        rows = [{"entry": e, "rank": e.rank, "objective": e.objective,
                 "subjective": e.subjective, "final": e.final} for e in entries]  # fmt: skip
    else:
        rows = [
            {
                "entry": r.entry,
                "rank": r.rank,
                "objective": r.objective.points,
                "subjective": r.subjective,
                "final": r.final,
                "sheets": len(r.totals),
            }
            for r in queries.results(review)
        ]
        rows = [row for row in rows if can_see_figures(request.user, row["entry"])]
    awards = list(review.awards.select_related("kind", "entry__park"))
    for row in rows:
        row["awards"] = [a.kind.name for a in awards if a.entry_id == row["entry"].pk]
    park_ids = [row["entry"].park_id for row in rows]
    history, ranks = queries.rank_history(review.zone_id, park_ids)
    for row in rows:
        row["history"] = [ranks[row["entry"].park_id].get(h.pk) for h in history]
    last = max((row["rank"] for row in rows if row["rank"]), default=None)
    context = {
        "review": review,
        "rows": rows,
        "history": history,
        "published": review.state == State.PUBLISHED,
        "last_rank": last,
        "manager": can_manage_reviews(request.user),
        "sees_all": sees_all_figures(request.user),
    }
    return render(request, "parkreview/results.html", context)


def _entry(request, pk, write=False):
    queryset = ParkEntry.objects.select_related("review__zone", "park", "pledge_item")
    return get_for_user(request.user, queryset, write=write, pk=pk)


@require_GET
def entry_detail(request, pk):
    entry = _entry(request, pk)
    review = entry.review
    stops = list(entry.stops.select_related("project").order_by("position", "pk"))
    figures = can_see_figures(request.user, entry)
    rows = []
    if figures and review.state != State.PUBLISHED:
        rows = [r for r in queries.results(review) if r.entry.pk == entry.pk]
    sheets = []
    if sees_all_figures(request.user):
        sheets = list(entry.sheets.select_related("evaluator").order_by("evaluator__name"))
    history, ranks = queries.rank_history(review.zone_id, [entry.park_id])
    last = review.entries.order_by("-rank").values_list("rank", flat=True).first()
    context = {
        "entry": entry,
        "review": review,
        "stops": stops,
        "figures": figures,
        "live": rows[0] if rows else None,
        "sheets": sheets,
        "dropped": set(entry.figures.get("dropped", [])),
        "history": [(h, ranks[entry.park_id].get(h.pk)) for h in history],
        "can_pledge": can_record_pledge(request.user, entry) and entry.rank == last,
        "pledge_form": PledgeForm(),
        "can_score": can_score(request.user, review),
    }
    return render(request, "parkreview/entry.html", context)


@require_POST
def pledge_create(request, pk):
    entry = _entry(request, pk, write=True)
    form = PledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写表态内容和兑现期限。"))
        return redirect(entry)
    try:
        item = services.record_pledge(request.user, entry, **form.cleaned_data)
    except (ValidationError, ItemError) as error:
        text = _errors(error) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return redirect(entry)
    messages.success(request, _("表态已列为督办事项。"))
    return redirect(item)


@require_http_methods(["GET", "POST"])
def score_edit(request, pk):
    """An evaluator's sheet for one park, stop by stop, kept as a draft on the phone."""
    entry = _entry(request, pk)
    review = entry.review
    if not can_score(request.user, review):
        raise PermissionDenied(_("只有本次观摩的评委可以在评分阶段评分。"))
    sheet = ScoreSheet.objects.filter(entry=entry, evaluator__user=request.user).first()
    stops = list(entry.stops.select_related("project").order_by("position", "pk"))
    form = ScoreForm(request.POST or None, criteria=review.criteria.all(), stops=stops, sheet=sheet)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.submit_scores(
                request.user,
                entry,
                points=form.points(),
                stop_notes=form.stop_notes(),
                remark=form.cleaned_data["remark"],
                version=form.cleaned_data["version"],
            )
        except Conflict as conflict:
            show_conflict(form, conflict)
            status = 409
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("%(park)s的评分已提交。") % {"park": entry.park.name})
            return redirect(f"{sheet.get_absolute_url()}?saved=1")
    for stop in stops:
        stop.note = form.note_field(stop)
    context = {"entry": entry, "review": review, "stops": stops, "form": form, "sheet": sheet}
    return render(request, "parkreview/score.html", context, status=status)


@require_GET
def sheet_detail(request, pk):
    queryset = ScoreSheet.objects.select_related("entry__review", "entry__park", "evaluator")
    sheet = get_for_user(request.user, queryset, pk=pk)
    review = sheet.entry.review
    stops = list(sheet.entry.stops.select_related("project").order_by("position", "pk"))
    for stop in stops:
        stop.note = sheet.stop_notes.get(str(stop.pk), "")
    criteria = [(c, sheet.points.get(str(c.pk))) for c in review.criteria.all()]
    context = {
        "sheet": sheet,
        "review": review,
        "stops": stops,
        "criteria": criteria,
        "can_change": can_score(request.user, review)
        and sheet.evaluator.user_id == request.user.pk,
    }
    return render(request, "parkreview/sheet.html", context)


@require_GET
def awards(request):
    """Each award and its holders, latest first."""
    kinds = list(
        AwardKind.objects.filter(is_active=True).prefetch_related(
            Prefetch(
                "awards",
                Award.objects.visible_to(request.user)
                .select_related("review", "entry__park")
                .order_by("-review__year", "-review__quarter"),
            )
        )
    )
    return render(request, "parkreview/awards.html", {"kinds": kinds})
