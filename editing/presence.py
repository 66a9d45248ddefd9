"""Who else has the same object open, and whether it was saved since this form was opened.

Each open change form posts a heartbeat every few seconds (static/js/editing-presence.js) and
a "leave" when the page goes away. The heartbeat is cheap: one upsert of the form's row, one
read of the others on the same object, and the version query (a few indexed aggregates).
"""

import re
from datetime import timedelta
from functools import wraps

from django import forms
from django.db import OperationalError
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from editing import registry
from editing.conflicts import saves_description, when, who
from editing.models import EditingPresence
from editing.versions import MalformedToken
from techniques.editor import staff_only

# A form not heard from for this long is taken as closed (a crash, a lost connection).
GONE_AFTER = timedelta(seconds=25)
CONTENT_KEY = re.compile(r"^(?P<label>[a-z_]+\.[a-z_]+):(?P<pk>[0-9]{1,18})$")


class PresenceForm(forms.Form):
    content = forms.RegexField(regex=CONTENT_KEY, max_length=120)
    tab = forms.RegexField(regex=r"^[A-Za-z0-9-]{8,40}$")
    version = forms.CharField(required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        match = CONTENT_KEY.match(cleaned.get("content") or "")
        if match is None:
            return cleaned
        model_admin = registry.admin_for(match["label"])
        if model_admin is None:
            raise forms.ValidationError("No such kind of content.")
        cleaned["admin"], cleaned["pk"] = model_admin, int(match["pk"])
        return cleaned


def presence_endpoint(view):
    """A presence view: staff only, POST only, never cached, and given the posted form's
    cleaned data once it is valid (a 400 saying why, when it is not).

    Presence is a courtesy: when the database is too busy to record a heartbeat (SQLite
    under concurrent writes), answer 503 and let the page's next heartbeat try again."""

    @never_cache
    @require_POST
    @staff_only
    @wraps(view)
    def wrapped(request):
        form = PresenceForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(
                "Not a change form this endpoint knows: " + form.errors.as_text(), content_type="text/plain"
            )
        try:
            return view(request, form.cleaned_data)
        except OperationalError:
            response = JsonResponse({"error": "Busy: trying again shortly."}, status=503)
            response["Retry-After"] = "5"
            return response

    return wrapped


@presence_endpoint
def heartbeat(request, posted):
    model_admin, pk = posted["admin"], posted["pk"]
    noun = model_admin.model._meta.verbose_name
    # Before anything about the object, even who deleted it, is told.
    if not model_admin.has_view_or_change_permission(request):
        return JsonResponse({"error": f"You can't edit this {noun}."}, status=403)
    obj = model_admin.model._default_manager.filter(pk=pk).first()
    if obj is None:
        deletion = model_admin.model.history.filter(id=pk, history_type="-").select_related("history_user").first()
        said = f"{who(deletion.history_user)} deleted this {noun} {when(deletion.history_date)}." if deletion else ""
        return JsonResponse({"error": said or f"This {noun} doesn't exist."}, status=404)
    if not model_admin.has_view_or_change_permission(request, obj):
        return JsonResponse({"error": f"You can't edit this {noun}."}, status=403)
    content, now = posted["content"], timezone.now()
    row, created = EditingPresence.objects.get_or_create(
        content=content,
        user=request.user,
        tab=posted["tab"],
        defaults={"opened_at": now, "seen_at": now},
    )
    if not created:
        EditingPresence.objects.filter(pk=row.pk).update(seen_at=now)
    others = (
        EditingPresence.objects.filter(content=content, seen_at__gte=now - GONE_AFTER)
        .exclude(pk=row.pk)
        .select_related("user")
        .order_by("opened_at")
    )
    return JsonResponse(
        {
            "others": [
                {
                    "name": "You" if other.user_id == request.user.pk else who(other.user),
                    "self": other.user_id == request.user.pk,
                    "opened": date_format(timezone.localtime(other.opened_at), "H:i"),
                }
                for other in others
            ],
            "saved": saved_since(model_admin, pk, posted["version"]),
        }
    )


def saved_since(model_admin, pk, version):
    """None, or a sentence saying who saved the object since `version` and when."""
    family = model_admin.content_family()
    try:
        opened = family.parse(version)
    except MalformedToken:
        return None
    if opened == family.token(pk):
        return None
    records = family.records_since(opened, pk)
    if not records:
        return None
    return saves_description(records, model_admin.model._meta.verbose_name)


@presence_endpoint
def leave(request, posted):
    EditingPresence.objects.filter(content=posted["content"], user=request.user, tab=posted["tab"]).delete()
    # Forms closed without a word (a crash) are tidied here, away from the heartbeat's path.
    EditingPresence.objects.filter(seen_at__lt=timezone.now() - 10 * GONE_AFTER).delete()
    return JsonResponse({"left": True})
