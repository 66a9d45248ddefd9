"""A queryset compiled into SQL once per database, then run again and again with new values.

Django builds and compiles a queryset into SQL each time one is evaluated. For the query of an
uncached guide page (a guide joined to its stored body: thirty columns, a join and three
conditions) that costs about 0.45 ms of CPU, eight times what SQLite takes to run it, and
most of a fast page's budget. The query's shape never changes from one reader to the next;
only its values do (the guide's address, the time now). So the shape is compiled once, with
stand-in values, and each run puts the real values where the stand-ins were, prepared for the
database by the same model fields Django would have used.

The rows become model instances exactly as a queryset makes them: the same converters, the
same select_related population (a missing related row reads as DoesNotExist), through
techniques/django_internals.row_reader. tests/test_compiled_query.py holds the result to the
queryset's own, field by field, on each database.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.http import Http404

from techniques.django_internals import row_reader
from techniques.kept_connections import run_checking_connection


def stand_in(number: int, name: str, field: models.Field):
    """A value for the query's `number`th value, `name`, that no other value in a query could
    equal, of the type `field` holds."""
    if isinstance(field, models.DateTimeField):
        # A microsecond past a day early in year 1: no real condition is that.
        return datetime.datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=datetime.UTC) + datetime.timedelta(days=number)
    if isinstance(field, (models.CharField, models.TextField)):
        return f"\0stand-in for {name}\0"
    raise TypeError(f"CompiledQuery has no stand-in for a {type(field).__name__} ({name}).")


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple
    # For each value's name: the places in params it goes to, and the field that prepares it.
    slots: dict[str, tuple[tuple[int, ...], models.Field]]
    model: type[models.Model]
    instances: Callable[[list[tuple]], list[models.Model]]


class CompiledQuery:
    """`queryset_for(**values)` builds the queryset; `fields` names, for each value, the model
    field it is compared with (each value must appear in the query as that field's value)."""

    def __init__(self, queryset_for, **fields: models.Field):
        self.queryset_for = queryset_for
        self.fields = fields
        self.compiled_for: dict[str, Compiled] = {}

    def compile(self, using: str) -> Compiled:
        connection = connections[using]
        stand_ins = {name: stand_in(number, name, field) for number, (name, field) in enumerate(self.fields.items())}
        compiler = self.queryset_for(**stand_ins).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = {}
        for name, field in self.fields.items():
            prepared = field.get_db_prep_value(stand_ins[name], connection)
            places = tuple(index for index, param in enumerate(params) if param == prepared)
            if not places:
                raise ValueError(f"{name} is not among the values of the query {self.queryset_for!r} builds.")
            slots[name] = (places, field)
        model, instances = row_reader(compiler, using)
        return Compiled(sql, tuple(params), slots, model, instances)

    def all(self, using: str = DEFAULT_DB_ALIAS, **values) -> list[models.Model]:
        compiled = self.compiled_for.get(using)
        if compiled is None:
            # Two threads may both compile at first; either result is the same.
            compiled = self.compiled_for[using] = self.compile(using)
        connection = connections[using]
        params = list(compiled.params)
        for name, (places, field) in compiled.slots.items():
            prepared = field.get_db_prep_value(values[name], connection)
            for place in places:
                params[place] = prepared

        def fetch():
            with connection.cursor() as cursor:
                cursor.execute(compiled.sql, params)
                return cursor.fetchall()

        # Often a page's only query (an uncached guide page): it checks a kept connection too.
        return compiled.instances(run_checking_connection(fetch, using))

    def get_or_404(self, using: str = DEFAULT_DB_ALIAS, **values) -> models.Model:
        """The one row the query finds, as get_object_or_404 gives it."""
        found = self.all(using, **values)
        if len(found) != 1:
            if not found:
                raise Http404("No such page.")
            raise self.compiled_for[using].model.MultipleObjectsReturned(f"{len(found)} rows match {values}.")
        return found[0]
