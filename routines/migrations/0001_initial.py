"""Routines move from the techniques app into their own. Nothing changes in the database:
the tables keep their names (`db_table`), so their rows and history stay where they are. The
models' content types are renamed to the new app, which keeps every permission given on them
(the Editors group's, techniques migration 0008) and the admin's log of routine edits."""

import django.core.validators
import django.db.models.deletion
import markdownx.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import routines.models
import techniques.markdown

MODELS = ["routine", "routineitem", "historicalroutine", "historicalroutineitem"]


def move_content_types(apps, schema_editor, old="techniques", new="routines"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # A content type for the new label exists only if something created it before this
        # migration ran (nothing refers to it yet); the old one, with its permissions, wins.
        if ContentType.objects.filter(app_label=old, model=model).exists():
            ContentType.objects.filter(app_label=new, model=model).delete()
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="routines", new="techniques")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("techniques", "0008_routines"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalRoutine',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=120)),
                        ('slug', models.SlugField(help_text="The end of the routine's address, as in /routines/morning-mobility/.", validators=[routines.models.validate_routine_slug])),
                        ('summary', models.CharField(help_text='One sentence. Shown on the list of routines and in link previews.', max_length=200)),
                        ('intro', markdownx.models.MarkdownxField(blank=True, help_text='Optional: who the routine is for and when to do it.', validators=[techniques.markdown.validate_markdown_images])),
                        ('intro_html', models.TextField(default='', editable=False)),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text="A published routine may only use published guides. If one of its guides is unpublished later, the routine's page leaves that guide out until it is published again.", max_length=10)),
                        ('published_at', models.DateTimeField(blank=True, help_text='Set automatically when the routine is first published.', null=True)),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'techniques_historicalroutine',
                        'verbose_name': 'historical routine',
                        'verbose_name_plural': 'historical routines',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Routine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=120)),
                        ('slug', models.SlugField(help_text="The end of the routine's address, as in /routines/morning-mobility/.", unique=True, validators=[routines.models.validate_routine_slug])),
                        ('summary', models.CharField(help_text='One sentence. Shown on the list of routines and in link previews.', max_length=200)),
                        ('intro', markdownx.models.MarkdownxField(blank=True, help_text='Optional: who the routine is for and when to do it.', validators=[techniques.markdown.validate_markdown_images])),
                        ('intro_html', models.TextField(default='', editable=False)),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text="A published routine may only use published guides. If one of its guides is unpublished later, the routine's page leaves that guide out until it is published again.", max_length=10)),
                        ('published_at', models.DateTimeField(blank=True, help_text='Set automatically when the routine is first published.', null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'db_table': 'techniques_routine',
                        'ordering': ['title'],
                        'get_latest_by': 'published_at',
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('status', 'published'), _negated=True), ('published_at__isnull', False), _connector='OR'), name='routine_published_has_date')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalRoutineItem',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(help_text='Guides are done in this order, starting at 1.')),
                        ('hold_seconds', models.PositiveSmallIntegerField(blank=True, help_text="Leave empty to keep the guide's own. Changes only the steps the guide repeats; setting up and resting keep the guide's timing.", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='hold (seconds)')),
                        ('reps', models.PositiveSmallIntegerField(blank=True, help_text="Leave empty to keep the guide's own. Changes only the steps the guide repeats; setting up and resting keep the guide's timing.", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(30)], verbose_name='repetitions')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('technique', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='techniques.technique', verbose_name='guide')),
                        ('routine', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='routines.routine')),
                    ],
                    options={
                        'db_table': 'techniques_historicalroutineitem',
                        'verbose_name': 'historical guide in the routine',
                        'verbose_name_plural': 'historical guides in the routine',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='RoutineItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(help_text='Guides are done in this order, starting at 1.')),
                        ('hold_seconds', models.PositiveSmallIntegerField(blank=True, help_text="Leave empty to keep the guide's own. Changes only the steps the guide repeats; setting up and resting keep the guide's timing.", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='hold (seconds)')),
                        ('reps', models.PositiveSmallIntegerField(blank=True, help_text="Leave empty to keep the guide's own. Changes only the steps the guide repeats; setting up and resting keep the guide's timing.", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(30)], verbose_name='repetitions')),
                        ('routine', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='routines.routine')),
                        ('technique', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='routine_items', to='techniques.technique', verbose_name='guide')),
                    ],
                    options={
                        'db_table': 'techniques_routineitem',
                        'verbose_name': 'guide in the routine',
                        'verbose_name_plural': 'guides in the routine',
                        'ordering': ['routine', 'order'],
                        'constraints': [models.UniqueConstraint(fields=('routine', 'order'), name='routineitem_order_unique'), models.UniqueConstraint(fields=('routine', 'technique'), name='routineitem_guide_once', violation_error_message='A guide can be in a routine only once.'), models.CheckConstraint(condition=models.Q(('order__gte', 1)), name='routineitem_order_from_one'), models.CheckConstraint(condition=models.Q(('hold_seconds__isnull', True), models.Q(('hold_seconds__gte', 1), ('hold_seconds__lte', 120)), _connector='OR'), name='routineitem_hold_seconds_range'), models.CheckConstraint(condition=models.Q(('reps__isnull', True), models.Q(('reps__gte', 1), ('reps__lte', 30)), _connector='OR'), name='routineitem_reps_range')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
