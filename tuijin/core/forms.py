"""Form helpers every app's views share."""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.forms import BaseForm
from django.utils.translation import gettext as _


def show_service_errors(
    form: BaseForm, error: ValidationError, *, field: str | None = None, model=None
) -> None:
    """A service's refusal (``ValidationError``) on ``form``, whose input is kept.

    An error keyed by a field the form has stands beside that field. One keyed by a field the
    form lacks goes with the form's own errors, led by that field's label (the model's
    ``verbose_name``; ``model`` or the form's model), so it still says what it is about. An
    error naming no field goes on ``field`` when given, else with the form's own errors.
    (``form.add_error(None, error)`` would raise on the unknown field instead.)"""
    if not hasattr(error, "error_dict"):
        form.add_error(field, error)
        return
    for name, errors in error.error_dict.items():
        if name == NON_FIELD_ERRORS:
            form.add_error(field, errors)
        elif name in form.fields:
            form.add_error(name, errors)
        else:
            label = _label(model or getattr(getattr(form, "_meta", None), "model", None), name)
            for message in ValidationError(errors).messages:
                if label:
                    message = _("“%(label)s”:%(message)s") % {"label": label, "message": message}
                form.add_error(None, message)


def _label(model, name: str) -> str:
    if model is None:
        return ""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return ""
