"""Intake forms: the text (or file) to read, and the confirmation of proposed rows."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lxml import etree

from tuijin.core import archives
from tuijin.core.params import check_day
from tuijin.core.uploads import DOCX, TEXT_DOCUMENT, UploadField, ooxml_main
from tuijin.intake.services import Proposal, Selection
from tuijin.org.models import Unit
from tuijin.supervision.models import ProblemCategory

MAX_TEXT_CHARS = 100_000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BREAKS = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}


class TextTooLong(ValueError):
    pass


class Unreadable(ValueError):
    pass


def read_docx(upload, name: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """The paragraphs of a .docx as plain text (a table row on one line, its cells apart).

    The main part is streamed from the zip within the archive limits (``core.archives``) and
    parsed as it comes (no entities, no network); reading stops as soon as the text passes
    ``max_chars`` (``TextTooLong``): a short file holding megabytes of text costs no more
    than its first ``max_chars`` characters.
    """
    _kind, part = ooxml_main(upload, name)
    archive = archives.open_zip(upload, name)
    parser = etree.XMLPullParser(
        events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False
    )
    lines, runs, cells, rows = [], [], [], []
    count = 0

    def add(length: int) -> None:
        nonlocal count
        count += length
        if count > max_chars:
            raise TextTooLong

    def place(text: str) -> None:  # a paragraph in a table cell belongs to the cell
        (cells[-1] if cells else lines).append(text)

    try:
        for chunk in archives.Budget(name).member_chunks(archive, part):
            parser.feed(chunk)
            for event, element in parser.read_events():
                tag = element.tag
                if event == "start":
                    if tag == f"{W}tc":
                        cells.append([])
                    elif tag == f"{W}tr":
                        rows.append([])
                    continue
                if tag == f"{W}t":
                    runs.append(element.text or "")
                    add(len(runs[-1]))
                elif tag in BREAKS:
                    runs.append(BREAKS[tag])
                    add(1)
                elif tag == f"{W}p":
                    add(1)
                    place("".join(runs))
                    runs.clear()
                elif tag == f"{W}tc" and cells:
                    cell = "\n".join(cells.pop())
                    if rows:
                        rows[-1].append(cell)
                elif tag == f"{W}tr" and rows:
                    place(" ".join(rows.pop()))
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
        parser.close()
    except (TextTooLong, archives.ArchiveRefused):
        raise
    except Exception as exc:  # lxml on broken XML: syntax, encodings, entities …
        raise Unreadable from exc
    finally:
        archive.close()
        upload.seek(0)
    return "\n".join(lines)


class IntakeForm(forms.Form):
    text = forms.CharField(
        label=_("文本"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 10,
                "class": "form-control",
                "placeholder": _("粘贴新闻稿、公众号文章、会议记录……繁体、拼音、乱码会自动修复"),
            }
        ),
    )
    file = UploadField(
        label=_("或上传文件"),
        kind=TEXT_DOCUMENT,
        required=False,
        help_text=TEXT_DOCUMENT.lazy_help(_("支持任意编码的 ")),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".txt,.docx"}),
    )
    reference_date = forms.DateField(
        label=_("参考日期"),
        required=False,
        initial=timezone.localdate,
        help_text=_("推算“三天后”“本月底”等时限的起点,默认今天。"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        validators=[check_day],
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")  # checked: .txt or .docx by content, size
        if not upload:
            return None
        if upload.content_type != DOCX:
            return upload.name, upload.read()
        try:
            return upload.name, read_docx(upload, upload.name)
        except TextTooLong:
            raise forms.ValidationError(
                _("“%(name)s”的正文超过 %(n)s 字的上限,请只上传报道或纪要的正文。")
                % {"name": upload.name, "n": f"{MAX_TEXT_CHARS:,}"}
            ) from None
        except archives.ArchiveRefused as error:
            raise forms.ValidationError(str(error)) from None
        except Unreadable as exc:
            raise forms.ValidationError(
                _("无法读取“%(name)s”,文件可能已损坏或不是 Word 文档。") % {"name": upload.name}
            ) from exc

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text") or "", cleaned.get("file")
        if "file" in self.errors or "text" in self.errors:
            return cleaned
        if upload and text.strip():
            self.add_error("file", _("请只粘贴文本或只上传文件,不要同时提供。"))
        elif upload:
            cleaned["source_name"], cleaned["data"] = upload
        elif text.strip():
            cleaned["source_name"], cleaned["data"] = "", text
        else:
            self.add_error("text", _("请粘贴要录入的文本,或上传 .txt / .docx 文件。"))
        cleaned["reference_date"] = cleaned.get("reference_date") or timezone.localdate()
        return cleaned

    @property
    def source_field(self) -> str:
        """Where a repair error belongs: the file when one was uploaded."""
        return "file" if self.cleaned_data.get("source_name") else "text"


class RowFields:
    """A proposed row with its bound form fields, for the template."""

    def __init__(self, row, **fields):
        self.row = row
        self.fields = fields
        for name, bound in fields.items():
            setattr(self, name, bound)

    @property
    def errors(self) -> list[str]:
        return [e for bound in self.fields.values() for e in bound.errors]


class ConfirmForm(forms.Form):
    """One checkbox per proposed row (unticked: nothing is created without confirmation)."""

    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, proposal: Proposal, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.fields["payload"].initial = proposal.payload()
        for row in proposal.projects:
            label = f"项目第{row.index + 1}行“{row.name}”"
            # Never ticked by default, a 可能的项目 least of all: a person decides.
            self.fields[f"project-{row.index}"] = forms.BooleanField(
                label=label, required=False, disabled=not row.selectable, initial=False
            )
            self.fields[f"project-{row.index}-content"] = forms.CharField(
                label=f"{label}建设内容", required=False, max_length=500, initial=row.content
            )
        for row in proposal.enterprises:
            self.fields[f"enterprise-{row.index}"] = forms.BooleanField(
                label=f"企业第{row.index + 1}行“{row.name}”",
                required=False,
                disabled=not row.selectable,
            )
        for row in proposal.items:
            prefix, label = f"item-{row.index}", f"督办第{row.index + 1}条"
            self.fields[prefix] = forms.BooleanField(
                label=label, required=False, disabled=not row.selectable
            )
            self.fields[f"{prefix}-title"] = forms.CharField(
                label=_("事项"), required=False, max_length=200, initial=row.title
            )
            self.fields[f"{prefix}-result"] = forms.CharField(
                label=_("成效标准"), required=False, max_length=500, initial=row.result
            )
            self.fields[f"{prefix}-lead_unit"] = forms.ModelChoiceField(
                label=_("牵头单位"),
                required=False,
                queryset=proposal.units if proposal.units is not None else Unit.objects.none(),
                initial=row.lead_unit.pk if row.lead_unit else None,
                empty_label="—— 请选择 ——",
            )
            self.fields[f"{prefix}-deadline"] = forms.DateField(
                label=_("办理期限"),
                required=False,
                initial=row.deadline,
                validators=[check_day],
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        categories = ProblemCategory.objects.order_by("sort_order", "name")
        for row in proposal.problems:
            prefix = f"problem-{row.index}"
            self.fields[prefix] = forms.BooleanField(
                label=f"问题第{row.index + 1}条", required=False
            )
            self.fields[f"{prefix}-text"] = forms.CharField(
                label=_("问题描述"), required=False, max_length=1000, initial=row.text
            )
            self.fields[f"{prefix}-subject"] = forms.ChoiceField(
                label=_("所属项目或企业"),
                required=False,
                choices=proposal.subject_choices(),
                initial=row.subject,
            )
            self.fields[f"{prefix}-category"] = forms.ModelChoiceField(
                label=_("问题类别"),
                required=False,
                queryset=categories,
                initial=row.category_id,
                empty_label="—— 请选择 ——",
            )
        for name, field in self.fields.items():
            if isinstance(field, forms.BooleanField):
                field.widget.attrs["class"] = "form-check-input"
            elif name != "payload":
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs["class"] = f"{css} form-control-sm"

    def clean(self):
        cleaned = super().clean()
        ticked = [name for name, value in cleaned.items() if value is True]
        if not ticked:
            raise forms.ValidationError(_("请至少勾选一条要导入的记录,再点“确认导入”。"))
        for row in self.proposal.problems:
            if cleaned.get(f"problem-{row.index}"):
                self._check_problem(row, cleaned)
        for row in self.proposal.items:
            if cleaned.get(f"item-{row.index}"):
                self._check_item(row, cleaned)
        return cleaned

    def _check_item(self, row, cleaned) -> None:
        prefix, label = f"item-{row.index}", f"督办第{row.index + 1}条"
        for name, what in (("title", "事项"), ("result", "成效标准")):
            if not (cleaned.get(f"{prefix}-{name}") or "").strip():
                self.add_error(f"{prefix}-{name}", f"{label}:{what}不能为空。")
        if cleaned.get(f"{prefix}-lead_unit") is None:
            self.add_error(f"{prefix}-lead_unit", f"{label}:请选择牵头单位。")
        deadline = cleaned.get(f"{prefix}-deadline")
        if deadline is None:
            if f"{prefix}-deadline" not in self.errors:
                self.add_error(f"{prefix}-deadline", f"{label}:请填写办理期限。")
        elif deadline < timezone.localdate():
            self.add_error(f"{prefix}-deadline", f"{label}:办理期限不能早于今天。")

    def _check_problem(self, row, cleaned) -> None:
        prefix, label = f"problem-{row.index}", f"问题第{row.index + 1}条"
        if not (cleaned.get(f"{prefix}-text") or "").strip():
            self.add_error(f"{prefix}-text", f"{label}:问题描述不能为空。")
        key = cleaned.get(f"{prefix}-subject") or ""
        if not key:
            self.add_error(
                f"{prefix}-subject", f"{label}:问题须关联一个项目或企业,请选择后再导入。"
            )
        elif (subject := self._row_of(key)) is not None and subject.match is None:
            kind = "project" if key.startswith("p:") else "enterprise"
            if subject.blocker:
                self.add_error(
                    f"{prefix}-subject",
                    f"{label}:“{subject.name}”无法新建({subject.blocker.rstrip('。')}),"
                    "请改选已有的项目或企业。",
                )
            elif not cleaned.get(f"{kind}-{subject.index}"):
                self.add_error(
                    f"{prefix}-subject",
                    f"{label}:“{subject.name}”尚未在系统中,请同时勾选导入它,"
                    "或改选已有的项目或企业。",
                )
        if cleaned.get(f"{prefix}-category") is None:
            self.add_error(f"{prefix}-category", f"{label}:请选择问题类别。")

    def _row_of(self, key: str):
        kind, _sep, number = key.partition(":")
        rows = {"p": self.proposal.projects, "e": self.proposal.enterprises}.get(kind, [])
        return rows[int(number)] if number.isdigit() and int(number) < len(rows) else None

    def selection(self) -> Selection:
        data = self.cleaned_data
        selection = Selection()
        for row in self.proposal.projects:
            if data.get(f"project-{row.index}"):
                selection.projects[row.index] = data.get(f"project-{row.index}-content") or ""
        for row in self.proposal.enterprises:
            if data.get(f"enterprise-{row.index}"):
                selection.enterprises.add(row.index)
        for row in self.proposal.problems:
            prefix = f"problem-{row.index}"
            if data.get(prefix):
                selection.problems[row.index] = (
                    data[f"{prefix}-subject"],
                    data[f"{prefix}-category"],
                    data[f"{prefix}-text"].strip(),
                )
        for row in self.proposal.items:
            prefix = f"item-{row.index}"
            if data.get(prefix):
                selection.items[row.index] = (
                    data[f"{prefix}-title"].strip(),
                    data[f"{prefix}-result"].strip(),
                    data[f"{prefix}-lead_unit"],
                    data[f"{prefix}-deadline"],
                )
        return selection

    # Rows with their fields, for the template.
    def project_rows(self, likely: bool = True):
        """The proposed projects (``likely``) or, apart, the 可能的项目 below CONFIDENT."""
        return [
            RowFields(
                r, check=self[f"project-{r.index}"], content=self[f"project-{r.index}-content"]
            )
            for r in self.proposal.projects
            if r.likely == likely
        ]

    def possible_project_rows(self):
        return self.project_rows(likely=False)

    def enterprise_rows(self):
        return [
            RowFields(r, check=self[f"enterprise-{r.index}"]) for r in self.proposal.enterprises
        ]

    def item_rows(self):
        return [
            RowFields(
                r,
                check=self[f"item-{r.index}"],
                title=self[f"item-{r.index}-title"],
                result=self[f"item-{r.index}-result"],
                lead_unit=self[f"item-{r.index}-lead_unit"],
                deadline=self[f"item-{r.index}-deadline"],
            )
            for r in self.proposal.items
        ]

    def problem_rows(self):
        return [
            RowFields(
                r,
                check=self[f"problem-{r.index}"],
                text=self[f"problem-{r.index}-text"],
                subject=self[f"problem-{r.index}-subject"],
                category=self[f"problem-{r.index}-category"],
            )
            for r in self.proposal.problems
        ]
