"""One admin page of recent saves across all content: who, what, when, and a link to what
changed. Filterable by editor and by kind of content; older saves page by date."""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.http import HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse

from editing import registry
from editing.conflicts import who

PER_PAGE = 50
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    record: object
    kind: str
    what: str
    action: str
    editor: str
    diff_url: str
    history_url: str


class RecentChangesFilter(forms.Form):
    editor = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any editor")
    kind = forms.ChoiceField(required=False)
    before = forms.DateTimeField(required=False, widget=forms.HiddenInput, input_formats=["%Y-%m-%dT%H:%M:%S.%f%z"])

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["editor"].queryset = get_user_model().objects.filter(is_staff=True).order_by("username")
        self.fields["kind"].choices = [("", "Any kind"), *kinds]


def visible_admins(request):
    return {
        label: model_admin
        for label, model_admin in sorted(registry.registered().items())
        if model_admin.has_view_or_change_permission(request)
    }


def recent_changes(request, admin_site):
    admins = visible_admins(request)
    kinds = [(label, str(a.model._meta.verbose_name_plural).capitalize()) for label, a in admins.items()]
    form = RecentChangesFilter(request.GET or None, kinds=kinds)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest("Choose an editor and a kind from the lists.", content_type="text/plain")
    chosen = form.cleaned_data if form.is_bound else {}
    changes = []
    for label, model_admin in admins.items():
        if chosen.get("kind") and chosen["kind"] != label:
            continue
        records = model_admin.model.history.select_related("history_user").order_by("-history_date", "-history_id")
        if chosen.get("editor"):
            records = records.filter(history_user=chosen["editor"])
        if chosen.get("before"):
            records = records.filter(history_date__lt=chosen["before"])
        changes += [describe(model_admin, record) for record in records[: PER_PAGE + 1]]
    changes.sort(key=lambda change: change.record.history_date, reverse=True)
    older = None
    if len(changes) > PER_PAGE:
        changes = changes[:PER_PAGE]
        query = request.GET.copy()
        query["before"] = datetime.isoformat(changes[-1].record.history_date, timespec="microseconds")
        older = "?" + query.urlencode()
    context = {
        **admin_site.each_context(request),
        "title": "Recent changes",
        "form": form if form.is_bound else RecentChangesFilter(kinds=kinds),
        "changes": changes,
        "older_url": older,
        "filtered": bool(chosen.get("editor") or chosen.get("kind")),
    }
    return TemplateResponse(request, "editing/recent_changes.html", context)


def describe(model_admin, record):
    opts = model_admin.model._meta
    history_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[record.id])
    try:
        diff_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history_compare", args=[record.id])
    except NoReverseMatch:
        diff_url = history_url
    return Change(
        record=record,
        kind=str(opts.verbose_name).capitalize(),
        what=str(record.instance),
        action=ACTIONS[record.history_type],
        editor=who(record.history_user),
        diff_url=f"{diff_url}?to={record.history_id}",
        history_url=history_url,
    )
