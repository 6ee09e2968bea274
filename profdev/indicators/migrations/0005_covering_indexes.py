"""Covering indexes for the indicator statements (decision 0005).

They live here, not in the source apps' models, because only the indicators read the rows this
way: a school's active employments with their teachers (`count_regions` counts the teachers of
every municipality off this index alone, no table row read), and one teacher's routes and
enrollments with the columns the year's conditions test (the per-teacher probes of the
PostgreSQL plan for a few regions and the management-course check of indicator 5). Plain SQL,
the same on PostgreSQL and SQLite.
"""

from django.db import migrations

INDEXES = {
    "indicators_employment_cover": (
        "people_employment",
        "organization_id, start_date, end_date, teacher_id",
    ),
    "indicators_route_cover": ("learning_route", "teacher_id, developed_on, status"),
    "indicators_enrollment_cover": (
        "learning_enrollment",
        "teacher_id, status, completion_date, cohort_id",
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_region_version_triggers"),
        ("learning", "0003_route_step_event"),
        ("people", "0003_teacher_place"),
    ]

    operations = [
        migrations.RunSQL(
            [
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"
                for name, (table, columns) in INDEXES.items()
            ],
            [f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
        )
    ]
