"""The private parts of Django and django-csp that techniques/django_internals.py relies on
still behave as it expects. If one of these fails after an upgrade, read the new version's
code for that attribute and change techniques/django_internals.py, and nothing else."""

import datetime
from unittest import mock

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.forms import formset_factory
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from techniques import django_internals
from techniques.models import Step

UPGRADE_HINT = "A Django or django-csp upgrade changed this; update techniques/django_internals.py."


@pytest.fixture
def kept_connection(db):
    connection.ensure_connection()
    enabled, done = connection.health_check_enabled, connection.health_check_done
    connection.health_check_enabled = True
    yield connection
    connection.health_check_enabled, connection.health_check_done = enabled, done


def test_a_connection_marked_checked_is_not_checked_again(kept_connection):
    kept_connection.health_check_done = False
    assert django_internals.health_check_due(kept_connection), UPGRADE_HINT
    with mock.patch.object(kept_connection, "is_usable", return_value=True) as check:
        kept_connection.cursor().close()
    assert check.call_count == 1, "Django no longer checks a kept connection before a query. " + UPGRADE_HINT
    assert not django_internals.health_check_due(kept_connection), UPGRADE_HINT

    kept_connection.health_check_done = False
    django_internals.mark_health_checked(kept_connection)
    with mock.patch.object(kept_connection, "is_usable", return_value=True) as check:
        kept_connection.cursor().close()
    assert check.call_count == 0, "Django ignores health_check_done. " + UPGRADE_HINT


def request_through_csp(template):
    from csp.middleware import CSPMiddleware

    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda request: HttpResponse(Template(template).render(Context({"request": request}))))
    response = middleware(request)
    return request, response


def test_a_page_that_used_the_csp_nonce_is_told_apart():
    request, response = request_through_csp('<script nonce="{{ request.csp_nonce }}"></script>')
    assert django_internals.csp_nonce_used(request), UPGRADE_HINT
    assert f'nonce="{request._csp_nonce}"' in response.content.decode(), UPGRADE_HINT

    request, _ = request_through_csp("<p>No script here.</p>")
    assert not django_internals.csp_nonce_used(request), UPGRADE_HINT


def test_a_nonce_asked_for_after_the_header_is_written_is_refused():
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    django_internals.seal_csp_nonce(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
    assert not django_internals.csp_nonce_used(request), UPGRADE_HINT


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_row_ticked_for_deletion_is_told_apart():
    NameFormSet = formset_factory(NameForm, can_delete=True)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-name": "kept",
        "form-1-name": "gone",
        "form-1-DELETE": "on",
    }
    formset = NameFormSet(data)
    assert formset.is_valid()
    assert [django_internals.marked_for_deletion(formset, form) for form in formset.forms] == [False, True], (
        UPGRADE_HINT
    )
    assert not any(django_internals.marked_for_deletion(formset_factory(NameForm)(data), form) for form in formset)


def test_a_new_upload_is_told_apart_from_a_stored_file():
    step = Step(image=SimpleUploadedFile("new.jpg", b"not stored yet"))
    assert django_internals.is_new_upload(step.image), UPGRADE_HINT
    stored = FieldFile(step, Step._meta.get_field("image"), "steps/stored.jpg")  # as read from a row
    assert not django_internals.is_new_upload(stored), UPGRADE_HINT


def test_an_inline_foreign_key_and_bound_inline_formsets_are_found(rf, admin_user):
    from django.contrib import admin

    from techniques.models import Technique

    guide_admin = admin.site._registry[Technique]
    step_inline = guide_admin.inlines[0]
    assert django_internals.inline_foreign_key(Technique, step_inline).name == "technique", UPGRADE_HINT
    request = rf.post("/", {})
    request.user = admin_user
    formsets, inlines = django_internals.bound_inline_formsets(guide_admin, request, Technique())
    assert [formset.prefix for formset in formsets] == ["steps", "tips", "citations"], UPGRADE_HINT
    assert all(formset.is_bound for formset in formsets) and len(inlines) == len(formsets), UPGRADE_HINT


@pytest.mark.django_db
def test_rows_of_a_compiled_query_become_the_instances_the_queryset_makes():
    from django.db.models import Count

    from tests.factories import TechniqueFactory

    TechniqueFactory(steps=2)
    queryset = Step.objects.select_related("technique").annotate(same_guide=Count("technique__steps")).order_by("pk")
    compiler = queryset.query.get_compiler(using="default")
    sql, params = compiler.as_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        made = django_internals.row_reader(compiler, "default")(cursor.fetchall())

    expected = list(queryset)
    assert [(step.pk, step.title, step.same_guide) for step in made] == [
        (step.pk, step.title, step.same_guide) for step in expected
    ], UPGRADE_HINT
    assert [step.technique.title for step in made] == [step.technique.title for step in expected], UPGRADE_HINT
    # The converters ran: SQLite gives times as text, and the ORM makes them datetimes.
    assert [step.technique.published_at for step in made] == [step.technique.published_at for step in expected]
    assert all(isinstance(step.technique.published_at, datetime.datetime) for step in made), UPGRADE_HINT


@pytest.mark.django_db
def test_a_queryset_that_does_more_than_run_its_sql_is_told_apart():
    assert django_internals.is_all_sql(Step.objects.select_related("technique")), UPGRADE_HINT
    assert not django_internals.is_all_sql(Step.objects.prefetch_related("technique")), UPGRADE_HINT
    assert not django_internals.is_all_sql(Step.objects.values("pk")), UPGRADE_HINT
