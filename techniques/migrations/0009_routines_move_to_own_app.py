"""Routines now belong to the routines app (its migration 0001), which took over their tables
as they are: here they only leave this app's model state, and no table is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("techniques", "0008_routines"),
        ("routines", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalRoutineItem"),
                migrations.DeleteModel(name="RoutineItem"),
                migrations.DeleteModel(name="HistoricalRoutine"),
                migrations.DeleteModel(name="Routine"),
            ],
        ),
    ]
