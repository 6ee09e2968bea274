"""No separate (organization, start_date, end_date) index on employments.

The indicators' covering index `indicators_employment_cover` (organization_id, start_date,
end_date, teacher_id; indicators migration 0005, the same on PostgreSQL and SQLite) starts with
the same three columns and serves every lookup, join and cascade by them; keeping both cost the
teacher import a fifth index per employment (0.12 of 0.53 database CPU-s of the employments'
COPY per 100,000 rows, docs/performance.md «Import»).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_lean_import_indexes"),
        ("indicators", "0005_employment_covering_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="employment", name="people_empl_organiz_b507f8_idx"),
    ]
