"""A covering index for the indicator statements (decision 0005).

It lives here, not in the people app's models, because only the indicators read employments
this way: a school's active employments with their teachers (`count_regions` counts the teachers
of every municipality off this index alone, no table row read: the SQLite demo's teacher
statement 30 → 20 ms). Covering indexes on routes and enrollments by teacher were measured too
and bought nothing measurable on PostgreSQL (one region's computation within the noise, load
4–5), so they are not added. Plain SQL, the same on PostgreSQL and SQLite.
"""

from django.db import migrations

INDEXES = {
    "indicators_employment_cover": (
        "people_employment",
        "organization_id, start_date, end_date, teacher_id",
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_region_version_triggers"),
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
