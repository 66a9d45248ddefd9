"""What the admins of guides, pages and routines do alike, each in one place."""

from django.contrib import admin
from django.db.models import Count
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from techniques.revisions import park_orders


class MarkdownEditor:
    """Markdown fields get the markdownx editor, with its sanitised live preview and image
    upload (techniques/editor.py)."""

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class ReordersChildren:
    """Inline children numbered by `order`, unique within their parent: those renumbered in
    one save (a swap) are parked on free numbers first, so no row collides half-way."""

    reordered_children: tuple = ()  # the inline models with a unique (parent, order)

    def save_formset(self, request, form, formset, change):
        if formset.model in self.reordered_children:
            reordered = [f.instance.pk for f in formset.forms if f.instance.pk and "order" in f.changed_data]
            park_orders(formset.model.objects.filter(pk__in=reordered))
        super().save_formset(request, form, formset, change)


class RevertsChildren:
    """Reverting to a version in the history puts the children back as they were then too
    (techniques.revisions), and says so."""

    children_restored_message = ""

    def restore_children(self, version):
        raise NotImplementedError

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            self.restore_children(self.model.history.get(history_id=version_id))
            self.message_user(request, self.children_restored_message)
        return response


class CountsChildren:
    """A sortable column counting each row's children, from one annotated query."""

    counted_children = ""  # the relation, e.g. "steps"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(children_total=Count(self.counted_children, distinct=True))


def children_count_column(description: str):
    """The column for a CountsChildren admin, headed `description`."""

    @admin.display(description=description, ordering="children_total")
    def column(model_admin, obj):
        return obj.children_total

    return column
