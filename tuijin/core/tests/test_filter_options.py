"""The filter selects' options, built by a tag rather than a template loop (B12)."""

from django import forms
from django.template import Context, Template


class Filters(forms.Form):
    stage = forms.ChoiceField(choices=[("", "---"), ("signed", "签约"), ("x<y", "<b>粗</b>")])


def options(data) -> str:
    form = Filters(data)
    return Template("{% filter_options field %}").render(Context({"field": form["stage"]}))


def test_the_chosen_value_is_selected_and_the_empty_choice_reads_all():
    assert options({"stage": "signed"}) == (
        '<option value="">全部</option>'
        '<option value="signed" selected>签约</option>'
        '<option value="x&lt;y">&lt;b&gt;粗&lt;/b&gt;</option>'
    )


def test_nothing_chosen_selects_nothing_and_values_and_labels_are_escaped():
    html = options({})
    assert "selected" not in html
    assert "<b>" not in html and 'value="x&lt;y"' in html
