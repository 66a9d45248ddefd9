"""Which version of a piece of content an editor's form was opened at.

A piece of content is one row (a guide) with the rows edited inline on its form (its steps,
safety tips and citations). Every save through the admin writes a django-simple-history
record for the row and for each child it touches, so the newest history id of each of these
tables, for this object, names the version exactly. History ids are counted per table, so a
version token lists one per table: "412.88.0.31" is the guide's newest record 412, its
steps' newest 88, no tip records, and its citations' newest 31.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Max


class MalformedToken(ValueError):
    """A version token that no form of ours would send."""


@dataclass(frozen=True)
class ChildTable:
    """Rows edited inline on the parent's form, e.g. a guide's steps."""

    model: type
    parent_field: str  # the child's foreign key to the parent, e.g. "technique"
    prefix: str  # the inline formset's prefix in the admin form, e.g. "steps"

    @property
    def parent_attname(self):
        return self.model._meta.get_field(self.parent_field).attname


@dataclass(frozen=True)
class ContentFamily:
    """A model and its inline children, as one admin change form edits them."""

    model: type
    children: tuple[ChildTable, ...] = ()

    @property
    def label(self):
        return self.model._meta.label_lower

    @property
    def tables(self):
        return (self.model, *(child.model for child in self.children))

    def history_of(self, table_index, pk):
        """The history records of table `table_index` (0 the parent, then each child) that
        belong to object `pk`."""
        if table_index == 0:
            return self.model.history.filter(id=pk)
        child = self.children[table_index - 1]
        return child.model.history.filter(**{child.parent_attname: pk})

    def token(self, pk):
        return VersionToken(tuple(self._newest(index, pk) for index in range(len(self.tables))))

    def _newest(self, index, pk):
        return self.history_of(index, pk).aggregate(newest=Max("history_id"))["newest"] or 0

    def parse(self, text):
        return VersionToken.parse(text, len(self.tables))

    def records_since(self, token, pk):
        """Every history record of the object written after `token`, newest first."""
        records = []
        for index, since in enumerate(token.parts):
            records += self.history_of(index, pk).filter(history_id__gt=since).select_related("history_user")
        return sorted(records, key=lambda record: record.history_date, reverse=True)

    def state_at(self, token, pk):
        return ContentState.from_history(self, token, pk)


@dataclass(frozen=True)
class VersionToken:
    parts: tuple[int, ...]

    def __str__(self):
        return ".".join(str(part) for part in self.parts)

    @classmethod
    def parse(cls, text, length):
        pieces = (text or "").split(".")
        if len(pieces) != length or not all(piece.isdecimal() and len(piece) < 19 for piece in pieces):
            raise MalformedToken(text)
        return cls(tuple(int(piece) for piece in pieces))


class ContentState:
    """An object and its inline children as they were at a version, from their history."""

    def __init__(self, record, children):
        self.record = record  # the parent's historical record, or None if it had none
        self.children = children  # {ChildTable: {pk: historical record}}

    @classmethod
    def from_history(cls, family, token, pk):
        record = family.history_of(0, pk).filter(history_id__lte=token.parts[0]).order_by("-history_id").first()
        children = {}
        for index, child in enumerate(family.children, start=1):
            latest = {}
            records = family.history_of(index, pk).filter(history_id__lte=token.parts[index]).order_by("history_id")
            for child_record in records:
                latest[child_record.id] = child_record
            children[child] = {key: rec for key, rec in latest.items() if rec.history_type != "-"}
        return cls(record, children)

    @cached_property
    def instance(self):
        return self.record.instance if self.record is not None and self.record.history_type != "-" else None


def historical_m2m(record):
    """{field name: [related pks]} for the many-to-many fields that `record`'s history keeps
    (e.g. a guide's equipment), as they were at that record."""
    values = {}
    for field in getattr(record, "_history_m2m_fields", ()):
        target = field.m2m_reverse_field_name()
        values[field.name] = [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
    return values
