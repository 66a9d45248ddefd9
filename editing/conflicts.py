"""A save refused because the object changed after the editor opened it: who saved in
between, a field-by-field comparison (base, yours, theirs), and the merge put into the form.

The merge is three-way. `base` is the version the form was opened at (from history),
`theirs` is what is saved now, `yours` is what the editor posted:
- a field only they changed takes their value in the returned form;
- a field only you changed keeps yours;
- a field you both changed keeps yours, with theirs shown beside it to take instead.
Inline rows are matched by primary key: a row they added stays; a row they deleted is
dropped from the form unless you changed it, in which case your copy is kept as a new row.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format

from editing.values import as_posted, comparable, display, is_compared, put
from editing.versions import historical_m2m


def who(user):
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def when(moment):
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"at {date_format(local, 'H:i')}"
    return f"on {date_format(local, 'j F Y')} at {date_format(local, 'H:i')}"


def saves_description(records, noun):
    """ "Sam saved this guide at 10:14, after you opened it." for the records since a version."""
    names = []
    for record in records:
        name = who(record.history_user)
        if name not in names:
            names.append(name)
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{joined} saved this {noun} {when(records[0].history_date)}, after you opened it."


@dataclass
class FieldComparison:
    label: str
    name: str  # the form input's name, where the form has one
    yours: str
    theirs: str
    you_changed: bool
    they_changed: bool
    theirs_posted: object = None  # theirs, as the browser would post it (for "Use theirs")
    long_text: bool = False

    @property
    def both_changed(self):
        return self.you_changed and self.they_changed

    @property
    def outcome(self):
        if self.both_changed:
            return "You both changed this. Your version is in the form; theirs is beside it."
        if self.they_changed:
            return "Only they changed this: their version is now in the form."
        return "Only you changed this: your version is kept."

    @property
    def can_use_theirs(self):
        return isinstance(self.theirs_posted, str)


@dataclass
class RowNote:
    text: str


@dataclass
class ConflictReview:
    summary: str
    fields: list[FieldComparison] = field(default_factory=list)
    rows: list[RowNote] = field(default_factory=list)

    @property
    def both_changed(self):
        return [comparison for comparison in self.fields if comparison.both_changed]


class StaleVersion:
    """What the version check found: the form was opened at `opened`, the object is now at
    `current`, and `records` were saved in between (newest first)."""

    def __init__(self, family, opened, current, records, noun):
        self.family, self.opened, self.current, self.records = family, opened, current, records
        self.summary = saves_description(records, noun) if records else f"This {noun} changed after you opened it."

    @property
    def message(self):
        return f"{self.summary} Nothing was saved, so that their changes are not lost."

    def review(self, data, form, formsets, current_obj):
        """Compare the three versions and write the merge into `data`, the posted QueryDict
        that `form` and `formsets` are bound to."""
        base = self.family.state_at(self.opened, current_obj.pk)
        review = ConflictReview(self.summary)
        review.fields += compare_form(form, base.instance, base.record, current_obj, data, label_prefix="")
        for formset in formsets:
            child = next((c for c in self.family.children if c.prefix == formset.prefix), None)
            if child is not None:
                compare_rows(review, formset, child, base.children.get(child, {}), current_obj, data)
        put(data, form.add_prefix(VERSION_FIELD), str(self.current))
        return review


VERSION_FIELD = "editing_version"


def unbound_values(form_class, instance, prefix=None, m2m=None):
    """{field name: prepared value} of `instance` as the form would show it."""
    if instance is None:
        return {}
    unbound = form_class(instance=instance, prefix=prefix)
    values = {name: unbound[name].value() for name in unbound.fields}
    values.update(m2m or {})
    return values


def compare_form(form, base_instance, base_record, current, data, label_prefix, row_prefix=None):
    """FieldComparisons for one form (the main form, or one inline row), merging in place."""
    form_class = type(form)
    base = unbound_values(form_class, base_instance, row_prefix, historical_m2m(base_record) if base_record else {})
    theirs = unbound_values(form_class, current, row_prefix)
    comparisons = []
    for name, form_field in form.fields.items():
        if name in (VERSION_FIELD, "DELETE", "id") or not is_compared(form_field) or name not in theirs:
            continue
        if form_field.widget.is_hidden:
            continue
        bound = form[name]
        yours_raw = bound.value()
        yours = comparable(form_field, yours_raw)
        their_value = comparable(form_field, theirs[name])
        if yours == their_value:
            continue
        base_value = comparable(form_field, base[name]) if name in base else None
        they_changed = base_value != their_value
        you_changed = base_value != yours
        theirs_posted = as_posted(form_field, theirs[name])
        if they_changed and not you_changed:
            put(data, bound.html_name, theirs_posted)
        comparisons.append(
            FieldComparison(
                label=f"{label_prefix}{bound.label}",
                name=bound.html_name,
                yours=display(form_field, yours_raw),
                theirs=display(form_field, theirs[name]),
                you_changed=you_changed,
                they_changed=they_changed,
                theirs_posted=theirs_posted,
                long_text=form_field.widget.__class__.__name__.endswith("Textarea")
                or "markdownx" in form_field.widget.__class__.__module__,
            )
        )
    return comparisons


def row_label(child, instance):
    name = child.model._meta.verbose_name
    order = getattr(instance, "order", None)
    title = getattr(instance, "title", None) or getattr(instance, "text", None)
    parts = [name[:1].upper() + name[1:]]
    if order is not None:
        parts.append(str(order))
    label = " ".join(parts)
    return f"{label} “{title[:60]}”" if title else label


def compare_rows(review, formset, child, base_rows, current_obj, data):
    """Compare the inline rows of one formset with the saved ones, merging into `data`."""
    pk_name = child.model._meta.pk.name
    current_rows = {row.pk: row for row in child.model._default_manager.filter(**{child.parent_field: current_obj})}
    posted_pks = set()
    rows = FormsetRows(data, formset.prefix)
    for index, form in enumerate(formset.forms[: formset.initial_form_count()]):
        try:
            pk = int(data.get(f"{form.prefix}-{pk_name}", ""))
        except ValueError:
            continue
        posted_pks.add(pk)
        base_record = base_rows.get(pk)
        base_instance = base_record.instance if base_record else None
        deleting = form.fields.get("DELETE") is not None and bool(form["DELETE"].value())
        if pk not in current_rows:
            label = row_label(child, base_instance) if base_instance else child.model._meta.verbose_name
            if deleting or not row_changed(form, base_instance, base_record):
                rows.drop(index)
                review.rows.append(RowNote(f"{label}: they deleted it, and it is gone from the form too."))
            else:
                rows.make_new(index, pk_name)
                review.rows.append(
                    RowNote(
                        f"{label}: they deleted it, but you had changed it, so your copy is in the form as a new "
                        "row. Remove it if it should stay deleted."
                    )
                )
            continue
        label = row_label(child, current_rows[pk])
        if deleting:
            review.rows.append(RowNote(f"{label}: you are deleting it. Untick “Delete” to keep it."))
            continue
        review.fields += compare_form(
            form, base_instance, base_record, current_rows[pk], data, f"{label}: ", form.prefix
        )
    for pk, row in current_rows.items():
        if pk not in posted_pks and pk not in base_rows:
            review.rows.append(RowNote(f"{row_label(child, row)}: they added it; it is kept as it is."))
    rows.write()


def row_changed(form, base_instance, base_record):
    if base_instance is None:
        return True
    base = unbound_values(type(form), base_instance, form.prefix, historical_m2m(base_record))
    for name, form_field in form.fields.items():
        if name in base and is_compared(form_field) and not form_field.widget.is_hidden:
            if comparable(form_field, form[name].value()) != comparable(form_field, base[name]):
                return True
    return False


class FormsetRows:
    """An inline formset's rows in posted data, to drop rows or turn saved rows into new ones
    (Django expects the saved rows first, then the new ones, and counts both)."""

    def __init__(self, data, prefix):
        self.data, self.prefix = data, prefix
        self.total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
        self.initial = int(data.get(f"{prefix}-INITIAL_FORMS") or 0)
        self.dropped, self.made_new = set(), set()

    def drop(self, index):
        self.dropped.add(index)

    def make_new(self, index, pk_name):
        self.made_new.add(index)
        self.data.pop(f"{self.prefix}-{index}-{pk_name}", None)

    def write(self):
        if not (self.dropped or self.made_new):
            return
        rows = [self._take(index) for index in range(self.total)]
        saved = [rows[i] for i in range(self.initial) if i not in self.dropped and i not in self.made_new]
        new = [rows[i] for i in sorted(self.made_new)] + rows[self.initial :]
        for index, row in enumerate(saved + new):
            for suffix, values in row.items():
                self.data.setlist(f"{self.prefix}-{index}-{suffix}", values)
        self.data[f"{self.prefix}-TOTAL_FORMS"] = str(len(saved) + len(new))
        self.data[f"{self.prefix}-INITIAL_FORMS"] = str(len(saved))

    def _take(self, index):
        start = f"{self.prefix}-{index}-"
        row = {key[len(start) :]: self.data.getlist(key) for key in list(self.data) if key.startswith(start)}
        for suffix in row:
            del self.data[start + suffix]
        return row
