"""TeacherPlace: a copy of each employment with its region, municipality and the teacher's
name, kept by database triggers on employments, teachers and organizations (so services, imports,
bulk writes and raw SQL all keep it right); filled from the existing employments."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


COLUMNS = (
    "employment_id, teacher_id, organization_id, municipality_id, region_id, start_date, "
    "end_date, last_name, first_name, middle_name"
)


def select_places(rows: str) -> str:
    """The places of the employments in `rows` (a table or a transition table named `e`)."""
    return (
        f"SELECT e.id, e.teacher_id, e.organization_id, o.municipality_id, o.region_id, "
        f"e.start_date, e.end_date, t.last_name, t.first_name, t.middle_name "
        f"FROM {rows} e JOIN orgs_organization o ON o.id = e.organization_id "
        f"JOIN people_teacher t ON t.id = e.teacher_id"
    )


# PostgreSQL: statement-level triggers with transition tables, so a COPY or a bulk write of
# 100,000 employments costs one set-based INSERT, not 100,000 row triggers.
PG_SQL = [
    f"""CREATE FUNCTION people_place_insert() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_teacherplace ({COLUMNS}) {select_places("new_rows")};
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION people_place_update() RETURNS trigger AS $$
BEGIN
    DELETE FROM people_teacherplace WHERE employment_id IN (SELECT id FROM old_rows);
    INSERT INTO people_teacherplace ({COLUMNS}) {select_places("new_rows")};
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION people_place_delete() RETURNS trigger AS $$
BEGIN
    DELETE FROM people_teacherplace WHERE employment_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION people_place_truncate() RETURNS trigger AS $$
BEGIN
    DELETE FROM people_teacherplace;
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION people_place_teacher_name() RETURNS trigger AS $$
BEGIN
    UPDATE people_teacherplace p
       SET last_name = n.last_name, first_name = n.first_name, middle_name = n.middle_name
      FROM new_rows n
     WHERE p.teacher_id = n.id
       AND (p.last_name, p.first_name, p.middle_name)
           IS DISTINCT FROM (n.last_name, n.first_name, n.middle_name);
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION people_place_organization() RETURNS trigger AS $$
BEGIN
    UPDATE people_teacherplace p
       SET municipality_id = n.municipality_id, region_id = n.region_id
      FROM new_rows n
     WHERE p.organization_id = n.id
       AND (p.municipality_id, p.region_id) IS DISTINCT FROM (n.municipality_id, n.region_id);
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER people_place_insert AFTER INSERT ON people_employment "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION people_place_insert()",
    "CREATE TRIGGER people_place_update AFTER UPDATE ON people_employment "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION people_place_update()",
    "CREATE TRIGGER people_place_delete AFTER DELETE ON people_employment "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION people_place_delete()",
    "CREATE TRIGGER people_place_truncate AFTER TRUNCATE ON people_employment "
    "FOR EACH STATEMENT EXECUTE FUNCTION people_place_truncate()",
    "CREATE TRIGGER people_place_teacher_name AFTER UPDATE ON people_teacher "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION people_place_teacher_name()",
    "CREATE TRIGGER people_place_organization AFTER UPDATE ON orgs_organization "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION people_place_organization()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS people_place_insert ON people_employment",
    "DROP TRIGGER IF EXISTS people_place_update ON people_employment",
    "DROP TRIGGER IF EXISTS people_place_delete ON people_employment",
    "DROP TRIGGER IF EXISTS people_place_truncate ON people_employment",
    "DROP TRIGGER IF EXISTS people_place_teacher_name ON people_teacher",
    "DROP TRIGGER IF EXISTS people_place_organization ON orgs_organization",
    "DROP FUNCTION IF EXISTS people_place_insert()",
    "DROP FUNCTION IF EXISTS people_place_update()",
    "DROP FUNCTION IF EXISTS people_place_delete()",
    "DROP FUNCTION IF EXISTS people_place_truncate()",
    "DROP FUNCTION IF EXISTS people_place_teacher_name()",
    "DROP FUNCTION IF EXISTS people_place_organization()",
]

SQLITE_PLACE = (
    "INSERT INTO people_teacherplace ({columns}) "
    "SELECT NEW.id, NEW.teacher_id, NEW.organization_id, o.municipality_id, o.region_id, "
    "NEW.start_date, NEW.end_date, t.last_name, t.first_name, t.middle_name "
    "FROM orgs_organization o, people_teacher t "
    "WHERE o.id = NEW.organization_id AND t.id = NEW.teacher_id;"
).format(columns=COLUMNS)
# SQLite: row-level triggers.
SQLITE_SQL = [
    f"CREATE TRIGGER people_place_insert AFTER INSERT ON people_employment "
    f"BEGIN {SQLITE_PLACE} END",
    f"CREATE TRIGGER people_place_update AFTER UPDATE ON people_employment "
    f"BEGIN DELETE FROM people_teacherplace WHERE employment_id = OLD.id; {SQLITE_PLACE} END",
    "CREATE TRIGGER people_place_delete AFTER DELETE ON people_employment "
    "BEGIN DELETE FROM people_teacherplace WHERE employment_id = OLD.id; END",
    "CREATE TRIGGER people_place_teacher_name AFTER UPDATE OF last_name, first_name, "
    "middle_name ON people_teacher BEGIN UPDATE people_teacherplace "
    "SET last_name = NEW.last_name, first_name = NEW.first_name, middle_name = NEW.middle_name "
    "WHERE teacher_id = NEW.id; END",
    "CREATE TRIGGER people_place_organization AFTER UPDATE OF municipality_id, region_id "
    "ON orgs_organization BEGIN UPDATE people_teacherplace "
    "SET municipality_id = NEW.municipality_id, region_id = NEW.region_id "
    "WHERE organization_id = NEW.id; END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS people_place_{name}"
    for name in ("insert", "update", "delete", "teacher_name", "organization")
]


def create_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_SQL, "sqlite": SQLITE_SQL}.get(vendor)
    if statements is None:
        raise RuntimeError(f"people.TeacherPlace has no triggers for {vendor}")
    schema_editor.execute(
        f"INSERT INTO people_teacherplace ({COLUMNS}) {select_places('people_employment')}"
    )
    for statement in statements:
        schema_editor.execute(statement)
    if vendor == "postgresql":
        schema_editor.execute("ANALYZE people_teacherplace")


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0001_initial'),
        ('people', '0002_historical_subject'),
    ]

    operations = [
        migrations.CreateModel(
            name='TeacherPlace',
            fields=[
                ('employment', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to='people.employment')),
                ('start_date', models.DateField()),
                ('end_date', models.DateField(null=True)),
                ('last_name', models.CharField(max_length=100)),
                ('first_name', models.CharField(max_length=100)),
                ('middle_name', models.CharField(max_length=100)),
                ('municipality', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.municipality')),
                ('organization', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organization')),
                ('region', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.region')),
                ('teacher', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='places', to='people.teacher')),
            ],
            options={
                'verbose_name': 'место работы педагога (копия для списков)',
                'verbose_name_plural': 'места работы педагогов (копия для списков)',
                'indexes': [models.Index(fields=['region', 'last_name', 'first_name', 'middle_name', 'teacher', 'start_date', 'end_date'], name='people_place_region_name'), models.Index(fields=['municipality', 'last_name', 'first_name', 'middle_name', 'teacher', 'start_date', 'end_date'], name='people_place_municipality_name'), models.Index(fields=['organization', 'last_name', 'first_name', 'middle_name', 'teacher', 'start_date', 'end_date'], name='people_place_organization_name')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
