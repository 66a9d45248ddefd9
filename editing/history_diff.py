"""What changed between any two versions of a piece of content, field by field: a word-level
diff for text and markdown, before and after for everything else, and inline rows (a guide's
steps, tips and citations) added, removed or changed."""

from dataclasses import dataclass, field

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from editing.conflicts import row_label, when, who
from editing.values import display_value, plain
from editing.versions import historical_m2m
from editing.word_diff import word_diff
from techniques.revisions import children_as_of, version_ends_at

# Columns that are kept in step by the code, not written by editors.
DERIVED_SUFFIXES = ("_html", "_variants", "_width", "_height")
NOT_COMPARED = {"share_card", "created_at", "updated_at"}


@dataclass
class FieldChange:
    label: str
    before: str = ""
    after: str = ""
    words: list = None  # word_diff segments, for text


@dataclass
class RowChange:
    label: str
    kind: str  # "added", "removed" or "changed"
    fields: list = field(default_factory=list)


@dataclass
class ChildChanges:
    title: str
    rows: list


def not_in_history(model):
    """Concrete fields the model's history does not keep (HistoricalRecords' excluded_fields,
    such as the derived search document): there is nothing to compare for them."""
    history = getattr(model, "history", None)
    if history is None:
        return set()
    kept = {model_field.name for model_field in history.model._meta.get_fields()}
    return {model_field.name for model_field in model._meta.concrete_fields if model_field.name not in kept}


def compared_fields(model):
    skipped = not_in_history(model)
    for model_field in model._meta.get_fields():
        if not getattr(model_field, "concrete", False) or model_field.auto_created:
            continue
        if (
            model_field.name in NOT_COMPARED
            or model_field.name.endswith(DERIVED_SUFFIXES)
            or model_field.name in skipped
        ):
            continue
        yield model_field


def is_text(model_field):
    return isinstance(model_field, models.TextField | models.CharField) and not model_field.choices


def field_value(model_field, record, m2m):
    if model_field.many_to_many:
        pks = m2m.get(model_field.name)
        if pks is None:
            return None
        return list(model_field.related_model._default_manager.filter(pk__in=pks))
    if isinstance(model_field, models.ForeignKey):
        pk = getattr(record, model_field.attname)
        return model_field.related_model._default_manager.filter(pk=pk).first() or (f"#{pk}" if pk else None)
    return getattr(record, model_field.attname)


def field_changes(model, before, after, skip=()):
    """FieldChanges between two historical records of one row."""
    before_m2m, after_m2m = historical_m2m(before), historical_m2m(after)
    changes = []
    for model_field in compared_fields(model):
        if model_field.name in skip:
            continue
        if model_field.many_to_many and model_field.name not in after_m2m:
            continue
        old, new = field_value(model_field, before, before_m2m), field_value(model_field, after, after_m2m)
        if _same(old, new):
            continue
        label = str(model_field.verbose_name)
        label = label[:1].upper() + label[1:]
        if is_text(model_field):
            changes.append(FieldChange(label, old or "", new or "", word_diff(old or "", new or "")))
        else:
            choices = model_field.choices
            changes.append(FieldChange(label, display_value(old, choices), display_value(new, choices)))
    return changes


def _same(old, new):
    if isinstance(old, list) and isinstance(new, list):
        return sorted(o.pk for o in old) == sorted(n.pk for n in new)
    if isinstance(old, models.Model) and isinstance(new, models.Model):
        return old.pk == new.pk
    if isinstance(old, str) or isinstance(new, str):
        return plain(old) == plain(new)
    return old == new


def child_changes(child, before, after):
    """RowChanges of one inline table between two versions of the parent."""
    parent = {child.parent_attname: after.id}
    old = children_as_of(child.model, version_ends_at(before), **parent)
    new = children_as_of(child.model, version_ends_at(after), **parent)
    rows = []
    for pk in sorted(set(old) | set(new), key=lambda pk: _order(new.get(pk) or old.get(pk), pk)):
        if pk not in old:
            rows.append(RowChange(row_label(child, new[pk]), "added", row_summary(child, new[pk])))
        elif pk not in new:
            rows.append(RowChange(row_label(child, old[pk]), "removed", row_summary(child, old[pk])))
        else:
            changes = field_changes(child.model, old[pk], new[pk], skip={child.parent_field})
            if changes:
                rows.append(RowChange(row_label(child, new[pk]), "changed", changes))
    return rows


def _order(record, pk):
    return (getattr(record, "order", 0) or 0, pk)


def row_summary(child, record):
    """The fields of an added or removed row that have a value."""
    summary = []
    for model_field in compared_fields(child.model):
        if model_field.name in (child.parent_field, "id") or model_field.many_to_many:
            continue
        value = field_value(model_field, record, {})
        if value in (None, ""):
            continue
        label = str(model_field.verbose_name)
        summary.append(FieldChange(label[:1].upper() + label[1:], after=display_value(value, model_field.choices)))
    return summary


def version_label(record):
    kind = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
    return f"{record.history_date:%d %b %Y, %H:%M:%S} · {who(record.history_user)} · {kind}"


def compare_view(model_admin, request, object_id):
    family = model_admin.content_family()
    opts = model_admin.model._meta
    try:
        object_id = opts.pk.to_python(unquote(object_id))
    except ValidationError:
        raise Http404(f"No such {opts.verbose_name}.") from None
    versions = list(
        family.history_of(0, object_id).select_related("history_user").order_by("-history_date", "-history_id")
    )
    if not versions:
        raise Http404(f"No history for this {opts.verbose_name}.")
    if not model_admin.has_view_history_or_change_history_permission(request, versions[0].instance):
        raise PermissionDenied
    by_id = {record.history_id: record for record in versions}
    try:
        after_id = int(request.GET.get("to") or versions[0].history_id)
        after = by_id[after_id]
        default_before = versions[min(versions.index(after) + 1, len(versions) - 1)].history_id
        before = by_id[int(request.GET.get("from") or default_before)]
    except (ValueError, KeyError):
        return HttpResponseBadRequest(
            f"Choose two versions from this {opts.verbose_name}'s history to compare.", content_type="text/plain"
        )
    if before.history_date > after.history_date:
        before, after = after, before
    children = [
        ChildChanges(str(child.model._meta.verbose_name_plural).capitalize(), child_changes(child, before, after))
        for child in family.children
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"What changed: {after.instance}",
        "opts": opts,
        "object_id": object_id,
        "versions": [(record.history_id, version_label(record)) for record in versions],
        "before": before,
        "after": after,
        "before_label": version_label(before),
        "after_label": version_label(after),
        "before_when": when(before.history_date),
        "fields": field_changes(model_admin.model, before, after),
        "children": children,
        "history_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id]),
        "media": model_admin.media,
    }
    return TemplateResponse(request, "editing/history_compare.html", context)
