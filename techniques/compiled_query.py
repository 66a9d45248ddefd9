"""A queryset compiled into SQL once per thread and database, then run again and again with new values.

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
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, models

from techniques.django_internals import is_all_sql, row_reader
from techniques.kept_connections import run_checking_connection


def stand_in(turn: int, number: int, name: str, field: models.Field):
    """A value for the query's `number`th value, `name`, that no other value in a query could
    equal, of the type `field` holds; another one in each `turn` of compiling."""
    if isinstance(field, models.DateTimeField):
        # Early in year 2 (year 1 can't be moved to a time zone west of UTC): no real
        # condition is that moment.
        start = datetime.datetime(2, 1, 1, 0, 0, 0, 1 + turn, tzinfo=datetime.UTC)
        return start + datetime.timedelta(days=number)
    if isinstance(field, (models.CharField, models.TextField)):
        # Capitals and LIKE's special characters: a lookup that lowers the value, or escapes
        # or wraps it for LIKE, changes it, and compile() then can't find it and says so.
        return f"\0Stand-in {turn} for {name} %_\\\0"
    raise TypeError(f"CompiledQuery has no stand-in for a {type(field).__name__} ({name}).")


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple
    # For each value's name: the places in params it goes to, and the field that prepares it.
    slots: dict[str, tuple[tuple[int, ...], models.Field]]
    instances: Callable[[list[tuple]], list[models.Model]]


class CompiledQuery:
    """`queryset_for(**values)` builds the queryset; `fields` names, for each value, the model
    field it is compared with. Each value must reach the SQL as that field's parameter, as it
    is (not lowered, or cut to a date, or made into a LIKE pattern), which compile() checks;
    and the queryset must be all SQL (no prefetch_related, no values()).

    Compiled once per thread and database: the compiler's converters belong to the
    connection it compiled for, and each thread has its own."""

    def __init__(self, queryset_for, **fields: models.Field):
        self.queryset_for = queryset_for
        self.fields = fields
        self.compiled = threading.local()

    def compile_turn(self, using: str, turn: int):
        values = {name: stand_in(turn, number, name, field) for number, (name, field) in enumerate(self.fields.items())}
        queryset = self.queryset_for(**values)
        if not is_all_sql(queryset):
            raise ValueError(f"The query {self.queryset_for!r} builds does more than run its SQL for model instances.")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        connection = connections[using]
        prepared = {name: field.get_db_prep_value(values[name], connection) for name, field in self.fields.items()}
        return compiler, sql, params, prepared

    def compile(self, using: str) -> Compiled:
        """Compiled twice, with different stand-ins: the SQL must be the same, and the
        parameters must differ exactly where the stand-ins were, so that no copy of a value
        in another form stays behind as a stand-in."""
        compiler, sql, params, prepared = self.compile_turn(using, 0)
        _, other_sql, other_params, _ = self.compile_turn(using, 1)
        slots = {}
        for name, field in self.fields.items():
            places = tuple(index for index, param in enumerate(params) if param == prepared[name])
            if not places:
                raise ValueError(f"{name} is not among the values of the query {self.queryset_for!r} builds.")
            slots[name] = (places, field)
        changed = {index for index, (one, other) in enumerate(zip(params, other_params, strict=True)) if one != other}
        if other_sql != sql or changed != {place for places, _ in slots.values() for place in places}:
            raise ValueError(f"The query {self.queryset_for!r} builds uses a value in another form than its field's.")
        return Compiled(sql, tuple(params), slots, row_reader(compiler, using))

    def compiled_for(self, using: str) -> Compiled:
        by_database = self.compiled.__dict__.setdefault("by_database", {})
        if using not in by_database:
            by_database[using] = self.compile(using)
        return by_database[using]

    def all(self, using: str = DEFAULT_DB_ALIAS, **values) -> list[models.Model]:
        compiled = self.compiled_for(using)
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

    def one_or_none(self, using: str = DEFAULT_DB_ALIAS, **values) -> models.Model | None:
        """The row the query finds, or None; for a query by a unique value."""
        found = self.all(using, **values)
        if len(found) > 1:
            raise ValueError(f"{len(found)} rows match {values}, where one at most was expected.")
        return found[0] if found else None
