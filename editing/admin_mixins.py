"""ConcurrentEditingAdmin: what makes an admin change form safe for several editors at once.
Mixed into a SimpleHistoryAdmin (before it): `class TechniqueAdmin(ConcurrentEditingAdmin,
SimpleHistoryAdmin)`. The object and its inlines form one ContentFamily (editing.versions).

- The change form carries the version it was opened at; a save from an older version stores
  nothing and comes back (409) with the editor's input, who saved in between, and a merge.
- A save of an object deleted in between stores nothing and says who deleted it (409).
- The form page loads the presence and draft scripts (static/js/editing-*.js).
- The history page compares any two versions (editing.history_diff).
"""

from django import forms
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse

from editing import registry
from editing.conflicts import VERSION_FIELD, StaleVersion, when, who
from editing.history_diff import compare_view
from editing.values import display
from editing.versions import ChildTable, ContentFamily, MalformedToken
from techniques.django_internals import bound_inline_formsets, inline_foreign_key

SAVED_COOKIE = "editing_saved"


class VersionCheckedForm:
    """Mixed into the admin's ModelForm for an existing object. Refuses to validate when the
    object changed after the form was opened; `stale` then tells what changed."""

    content_family: ContentFamily
    stale = None
    version_missing = False

    def clean(self):
        cleaned = super().clean()
        family = self.content_family
        noun = family.model._meta.verbose_name
        try:
            opened = family.parse(self.data.get(self.add_prefix(VERSION_FIELD)))
        except MalformedToken:
            self.version_missing = True
            raise ValidationError(
                f"This form doesn't say which version of the {noun} it was opened at, so saving it could "
                "overwrite someone else's changes. Nothing was saved. Copy what you need, reload the page and "
                "save again.",
                code="version-missing",
            ) from None
        # Hold the row until this save commits, so that two saves can't both pass the check.
        family.model._default_manager.select_for_update().filter(pk=self.instance.pk).exists()
        current = family.token(self.instance.pk)
        if opened != current:
            self.stale = StaleVersion(family, opened, current, family.records_since(opened, self.instance.pk), noun)
            raise ValidationError(self.stale.message, code="stale")
        return cleaned


class ConcurrentEditingAdmin:
    change_form_template = "editing/change_form.html"
    object_history_list_template = "editing/object_history_list.html"
    object_history_form_template = "editing/object_history_form.html"

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        registry.register(self)

    @property
    def media(self):
        return super().media + forms.Media(
            js=["js/editing-drafts.js", "js/editing-presence.js", "js/editing-merge.js"],
            css={"all": ["css/editing.css"]},
        )

    def content_family(self):
        children = []
        for inline in self.inlines:
            fk = inline_foreign_key(self.model, inline)
            children.append(ChildTable(inline.model, fk.name, fk.remote_field.get_accessor_name(model=inline.model)))
        return ContentFamily(self.model, tuple(children))

    # The form --------------------------------------------------------------------------

    def get_fields(self, request, obj=None):
        return [name for name in super().get_fields(request, obj) if name != VERSION_FIELD]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        family = self.content_family()
        version = forms.CharField(widget=forms.HiddenInput, required=False, initial=str(family.token(obj.pk)))
        attrs = {VERSION_FIELD: version, "content_family": family, "__module__": __name__}
        return type(form.__name__, (VersionCheckedForm, form), attrs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            # Mutable, so that a refused save can come back with the merge written into it.
            request.POST = request.POST.copy()
            if object_id is not None and "_saveasnew" not in request.POST:
                deleted = self.deleted_in_between(request, object_id)
                if deleted is not None:
                    return deleted
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        stale = getattr(form, "stale", None)
        if stale is not None and obj is not None:
            formsets = [inline.formset for inline in context["inline_admin_formsets"]]
            current = self.model._default_manager.get(pk=obj.pk)
            context["conflict"] = stale.review(request.POST, form, formsets, current)
            # Rebuild the inline forms from the merged data (rows may have been dropped or renumbered).
            formsets, inline_instances = bound_inline_formsets(self, request, obj)
            context["inline_admin_formsets"] = self.get_inline_formsets(request, formsets, inline_instances, obj)
            context["errors"] = helpers.AdminErrorList(form, formsets)
        context["editing"] = self.editing_context(request, obj, form)
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if stale is not None:
            response.status_code = 409
        elif getattr(form, "version_missing", False):
            response.status_code = 400
        return response

    def editing_context(self, request, obj, form):
        opts = self.model._meta
        version = form[VERSION_FIELD].value() if VERSION_FIELD in form.fields else ""
        return {
            "content": f"{opts.label_lower}:{obj.pk if obj is not None else 'add'}",
            "version": version,
            "noun": opts.verbose_name,
            "user_id": request.user.pk,
            "heartbeat_url": reverse("editing:heartbeat"),
            "leave_url": reverse("editing:leave"),
        }

    def deleted_in_between(self, request, object_id):
        """A 409 page if the object was deleted after the form was opened: the editor's input
        stays on screen (and in the browser's draft) and can be brought back with the object."""
        pk = unquote(object_id)
        if self.get_object(request, pk) is not None:
            return None
        try:
            deletion = self.model.history.filter(id=pk, history_type="-").latest("history_date")
        except (self.model.history.model.DoesNotExist, ValueError, ValidationError):
            return None
        if not self.has_change_permission(request, deletion.instance):
            return None
        opts = self.model._meta
        form = self.get_form(request, None, change=True)(request.POST)
        yours = [
            (bound.label, display(bound.field, bound.value()))
            for bound in form
            if not bound.is_hidden and bound.name in request.POST
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"This {opts.verbose_name} was deleted",
            "opts": opts,
            "deletion": deletion,
            "deleted_by": who(deletion.history_user),
            "deleted_when": when(deletion.history_date),
            "yours": yours,
            "history_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[deletion.id]),
            "editing": {"content": f"{opts.label_lower}:{deletion.id}", "user_id": request.user.pk},
            "media": self.media,
        }
        return TemplateResponse(request, "editing/deleted_in_between.html", context, status=409)

    # After a save: tell the draft script the browser's copy is no longer needed ----------

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return self._mark_saved(request, response, "add")

    def response_change(self, request, obj):
        return self._mark_saved(request, super().response_change(request, obj), obj.pk)

    def _mark_saved(self, request, response, key):
        response.set_cookie(
            SAVED_COOKIE,
            f"{self.model._meta.label_lower}:{key}",
            max_age=120,
            samesite="Strict",
            secure=request.is_secure(),
        )
        return response

    # History: compare any two versions ---------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.history_compare_view),
            name=f"{opts.app_label}_{opts.model_name}_history_compare",
        )
        return [compare, *super().get_urls()]

    def history_compare_view(self, request, object_id):
        return compare_view(self, request, unquote(object_id))
