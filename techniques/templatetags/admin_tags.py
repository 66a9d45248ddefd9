from django import template
from django.urls import reverse

from techniques.models import LoadedSeed, Technique

register = template.Library()

# Where an editor reviews a seed item: steps and tips are edited on their guide's page.
ADMIN_PAGES = {"source": "techniques_source", "page": "techniques_page", "site-tip": "techniques_safetytip"}


@register.simple_tag
def overdue_guides():
    return list(Technique.objects.review_overdue().order_by("next_review_due").only("pk", "title", "next_review_due"))


@register.simple_tag
def seed_items_to_review():
    """The items load_content left for an editor: (key, reason, admin address or "")."""
    records = list(LoadedSeed.objects.exclude(review="").order_by("key"))
    guide_slugs = {record.key.split(":")[1] for record in records if record.key.startswith("guide:")}
    guide_ids = dict(Technique.objects.filter(slug__in=guide_slugs).values_list("slug", "pk"))
    rows = []
    for record in records:
        kind, name = record.key.split(":")[:2]
        if kind == "guide":
            pk = guide_ids.get(name)
            url = reverse("admin:techniques_technique_change", args=[pk]) if pk else ""
        elif record.object_id is not None and kind in ADMIN_PAGES:
            url = reverse(f"admin:{ADMIN_PAGES[kind]}_change", args=[record.object_id])
        else:
            url = reverse(f"admin:{ADMIN_PAGES[kind]}_changelist") if kind in ADMIN_PAGES else ""
        rows.append((record.key, record.review, url))
    return rows
