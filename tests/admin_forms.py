"""Filling in Django admin forms the way a browser would."""

from django.db.models.fields.files import FieldFile


def change_form_data(response):
    """The POST data the admin change form would send back unchanged, inlines included. A form
    returned with errors (or a merge) sends back what it holds."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value() if form.is_bound else form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = getattr(value, "pk", value)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for subform in formset.forms:
            for name in subform.fields:
                value = subform[name].value()
                # File inputs are never sent back by a browser unless a new file is chosen.
                if value is not None and value is not False and not isinstance(value, FieldFile):
                    data[subform.add_prefix(name)] = value
    return data
