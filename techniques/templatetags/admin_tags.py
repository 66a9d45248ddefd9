from django import template

from techniques.models import Technique

register = template.Library()


@register.simple_tag
def overdue_guides():
    return list(Technique.objects.review_overdue().order_by("next_review_due").only("pk", "title", "next_review_due"))
