"""The private parts of Django (and django-csp) this project relies on, each behind one
function here, so that an upgrade that changes one of them breaks in one place, loudly:
tests/test_django_internals.py checks each of them against the installed versions.

    health_check_done   BaseDatabaseWrapper: whether a kept connection was checked this request
    _csp_nonce          django-csp: the nonce, set on the request once a page has used it
    _csp_nonce_post_response
                        CSPMiddleware: what request.csp_nonce becomes once the header is sent
    _should_delete_form BaseFormSet: whether a form of the formset is ticked for deletion
    _committed          FieldFile: False while the file is a new upload, not yet in storage
    _get_foreign_key    forms.models: an inline model's foreign key to its parent
    _create_formsets    ModelAdmin: a change form's inline formsets, bound to the request
    select, klass_info  SQLCompiler after as_sql(): the columns, and which model each fills,
    annotation_col_map    the column of each annotation, col_count the columns returned, and
    get_converters, apply_converters, get_related_populators: how ModelIterable makes rows
    into instances
    _prefetch_related_lookups, _known_related_objects, _iterable_class  QuerySet: what it
                        fetches besides its own SQL, and what it makes of its rows
"""

from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.db.models.query import ModelIterable, get_related_populators
from django.forms.models import _get_foreign_key


def health_check_due(connection) -> bool:
    """Whether Django would first check this kept connection with a query of its own before
    the next one (BaseDatabaseWrapper.close_if_health_check_failed)."""
    return connection.connection is not None and connection.health_check_enabled and not connection.health_check_done


def mark_health_checked(connection) -> None:
    """Tell Django the connection's check for this request is done: the caller's own query is
    the check (techniques/kept_connections.py)."""
    connection.health_check_done = True


def csp_nonce_used(request) -> bool:
    """Whether the response carries a CSP nonce made for this request alone: such a page can't
    be replayed to another reader. django-csp makes the nonce the first time a template asks."""
    return isinstance(getattr(request, "_csp_nonce", None), str)


def seal_csp_nonce(request) -> None:
    """As django-csp does once it has written the header: a template asking for a nonce
    afterwards gets an error, since the nonce would not be in the policy sent."""
    request.csp_nonce = CheckableLazyObject(CSPMiddleware._csp_nonce_post_response)


def marked_for_deletion(formset, form) -> bool:
    """Whether the editor ticked this inline row's Delete box."""
    return formset.can_delete and formset._should_delete_form(form)


def is_new_upload(field_file) -> bool:
    """Whether a file field holds a file just uploaded, not yet saved to storage."""
    return not field_file._committed


def inline_foreign_key(parent_model, inline):
    """The inline model's foreign key to `parent_model`, found as the admin finds it."""
    return _get_foreign_key(parent_model, inline.model, fk_name=inline.fk_name)


def bound_inline_formsets(model_admin, request, obj):
    """The change form's inline formsets bound to request.POST, as the admin builds them:
    (formsets, inline instances). Used to rebuild them after the posted data was changed."""
    return model_admin._create_formsets(request, obj, change=True)


def is_all_sql(queryset) -> bool:
    """Whether evaluating the queryset is running its own SQL and making model instances of
    the rows, and nothing more (no prefetch_related queries, no values() rows)."""
    return (
        not queryset._prefetch_related_lookups
        and not queryset._known_related_objects
        and queryset._iterable_class is ModelIterable
    )


def row_reader(compiler, using):
    """For a compiler whose as_sql() has run: a function that makes its query's rows into
    model instances, as a queryset's ModelIterable does (each column's converters, then the
    select_related objects, a missing one cached as None, then the annotations)."""
    klass_info, select = compiler.klass_info, compiler.select
    columns = klass_info["select_fields"]
    model_columns = slice(columns[0], columns[-1] + 1)
    model = klass_info["model"]
    attnames = [column[0].target.attname for column in select[model_columns]]
    populators = get_related_populators(klass_info, select, using)
    converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
    annotations = compiler.annotation_col_map.items()

    def instances(rows):
        if converters:
            rows = compiler.apply_converters(rows, converters)
        made = []
        for row in rows:
            instance = model.from_db(using, attnames, row[model_columns])
            for populator in populators:
                populator.populate(row, instance)
            for name, column in annotations:
                setattr(instance, name, row[column])
            made.append(instance)
        return made

    return instances
