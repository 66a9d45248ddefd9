"""A query compiled once (techniques/compiled_query.py) finds what its queryset finds, as the
same model instances, whatever values each run brings; on SQLite and on PostgreSQL."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import DataError, OperationalError, connection, connections, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from techniques.compiled_query import CompiledQuery
from techniques.kept_connections import run_checking_connection
from techniques.models import GuideBody, Status, Technique
from techniques.views import PUBLISHED_GUIDE_WITH_BODY
from tests.factories import TechniqueFactory
from tests.postgres_connections import (
    assert_reconnects_after_the_kept_connection_is_dropped,
    needs_postgres,
    start_of_a_request,
)

pytestmark = pytest.mark.django_db


def fields_of(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def guide_query():
    """A query of its own, so that each test compiles it on the database it runs on."""
    return CompiledQuery(
        lambda slug, now: Technique.objects.published(now).select_related("body").filter(slug=slug),
        slug=Technique._meta.get_field("slug"),
        now=Technique._meta.get_field("published_at"),
    )


def test_the_guide_and_its_body_are_the_ones_the_queryset_reads():
    guide = TechniqueFactory(reviewed_on=timezone.localdate(), reviewed_by_name="A. Reader")
    GuideBody.objects.filter(guide=guide).update(html="<p>stored</p>", stale_after=timezone.now() + timedelta(days=1))
    expected = Technique.objects.published().select_related("body").get(slug=guide.slug)

    found = guide_query().one_or_none(slug=guide.slug, now=timezone.now())

    assert fields_of(found) == fields_of(expected)
    assert fields_of(found.body) == fields_of(expected.body)
    assert found.body.html == "<p>stored</p>"
    assert found.body.guide is found, "the body points back to its guide with no query"
    # Saving it is an UPDATE of the same row, as for an instance the ORM read.
    assert not found._state.adding and found._state.db == "default"


def test_each_run_takes_its_own_values():
    query = guide_query()
    first, second = TechniqueFactory(), TechniqueFactory()

    assert query.one_or_none(slug=first.slug, now=timezone.now()).pk == first.pk
    assert query.one_or_none(slug=second.slug, now=timezone.now()).pk == second.pk
    assert query.one_or_none(slug="no-such-guide", now=timezone.now()) is None


def test_the_time_is_a_value_too_a_guide_scheduled_for_later_is_not_found_before_its_time():
    now = timezone.now()
    later = TechniqueFactory(published_at=now + timedelta(hours=1))
    query = guide_query()

    assert query.one_or_none(slug=later.slug, now=now) is None
    assert query.one_or_none(slug=later.slug, now=now + timedelta(hours=2)).pk == later.pk


def test_drafts_are_never_found():
    draft = TechniqueFactory(status=Status.DRAFT)
    assert guide_query().one_or_none(slug=draft.slug, now=timezone.now() + timedelta(days=1)) is None


def test_a_guide_without_a_body_row_reads_as_one_without_a_body():
    guide = TechniqueFactory()
    GuideBody.objects.filter(guide=guide).delete()

    found = guide_query().one_or_none(slug=guide.slug, now=timezone.now())

    with pytest.raises(GuideBody.DoesNotExist):
        assert found.body is None  # never reached: reading it raises


def test_a_slug_that_looks_like_sql_is_only_a_value():
    TechniqueFactory()
    assert guide_query().one_or_none(slug="x' OR '1'='1", now=timezone.now()) is None


def test_a_value_the_queryset_does_not_use_is_refused_when_compiled():
    query = CompiledQuery(
        lambda slug: Technique.objects.filter(title="fixed"),
        slug=Technique._meta.get_field("slug"),
    )
    with pytest.raises(ValueError, match="slug"):
        query.all(slug="anything")


def test_the_guide_page_query_is_one_query_and_compiled_once(client):
    guide = TechniqueFactory()
    client.get(guide.get_absolute_url())
    compiled = PUBLISHED_GUIDE_WITH_BODY.compiled_for(connection.alias)

    with CaptureQueriesContext(connection) as captured:
        found = PUBLISHED_GUIDE_WITH_BODY.one_or_none(slug=guide.slug, now=timezone.now())

    assert found.pk == guide.pk
    assert len(captured) == 1
    assert PUBLISHED_GUIDE_WITH_BODY.compiled_for(connection.alias) is compiled


@pytest.mark.parametrize(
    "queryset_for",
    [
        lambda slug: Technique.objects.filter(slug__icontains=slug),
        lambda slug: Technique.objects.filter(slug=slug, title__startswith=slug),
        lambda slug: Technique.objects.filter(slug=slug).prefetch_related("steps"),
        lambda slug: Technique.objects.filter(slug=slug).values("pk"),
    ],
    ids=["value-in-another-form", "value-also-in-another-form", "prefetch", "values"],
)
def test_a_query_that_is_not_all_its_sql_or_uses_a_value_in_another_form_is_refused(queryset_for):
    """Such a value would keep its stand-in in one place, and the results would be wrong."""
    query = CompiledQuery(queryset_for, slug=Technique._meta.get_field("slug"))
    with pytest.raises(ValueError):
        query.all(slug="anything")


def test_each_thread_compiles_its_own(db):
    query = guide_query()
    mine = query.compiled_for(connection.alias)
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(query.compiled_for(connection.alias)))
    thread.start()
    thread.join()
    assert theirs[0] is not mine and theirs[0].sql == mine.sql


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_an_uncached_guide_page_checks_a_kept_connection_with_its_own_query(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    url = TechniqueFactory().get_absolute_url()
    client.get(url)
    assert connection.health_check_enabled
    start_of_a_request()
    with mock.patch.object(type(connections["default"]), "is_usable", side_effect=AssertionError("SELECT 1 sent")):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
    assert response.status_code == 200
    assert len(captured) == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_an_uncached_guide_page_on_a_kept_connection_the_database_has_dropped_reconnects(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    url = TechniqueFactory().get_absolute_url()
    assert_reconnects_after_the_kept_connection_is_dropped(client, url)


def test_annotations_come_with_each_row_as_the_queryset_gives_them():
    first, second = TechniqueFactory(steps=2), TechniqueFactory(steps=4)
    query = CompiledQuery(
        lambda title: Technique.objects.filter(title__gte=title).annotate(steps_in_all=Count("steps")).order_by("pk"),
        title=Technique._meta.get_field("title"),
    )

    found = query.all(title="")

    assert [(guide.pk, guide.steps_in_all) for guide in found] == [(first.pk, 2), (second.pk, 4)]


def times_sent(failure, error, *, in_transaction=False):
    """How often run_checking_connection sends a query that fails with `failure()`, at the
    start of a request on a kept connection (it raises `error` in the end)."""
    connection.ensure_connection()
    start_of_a_request()
    sent = []

    def failing():
        sent.append(1)
        failure()

    with pytest.raises(error):
        if in_transaction:
            with transaction.atomic():
                run_checking_connection(failing)
        else:
            run_checking_connection(failing)
    return len(sent)


def divide_by_zero():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")


def connection_gone():
    raise OperationalError("the connection is gone")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_query_that_fails_on_a_live_kept_connection_is_not_sent_again():
    """Only a dead connection is worth a second try; a real error is raised as it is, once."""
    connection.ensure_connection()
    kept = connection.connection.info.backend_pid
    assert times_sent(divide_by_zero, DataError) == 1
    assert connection.connection.info.backend_pid == kept


@pytest.mark.django_db(transaction=True)
def test_a_query_that_fails_on_a_dead_kept_connection_is_sent_again_on_a_new_one():
    with mock.patch.object(type(connections["default"]), "is_usable", return_value=False):
        assert times_sent(connection_gone, OperationalError) == 2


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_a_failing_query_is_not_sent_again():
    """The transaction's earlier work would be lost with the connection: the error stands."""
    with mock.patch.object(type(connections["default"]), "is_usable", return_value=False):
        assert times_sent(connection_gone, OperationalError, in_transaction=True) == 1
