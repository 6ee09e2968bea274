"""Leaner writes of teachers and employments (the import of 100,000 teachers, decision 0006):

- no single-column indexes on the employment's teacher and organization (the composite indexes
  start with them), nor on TeacherPlace's teacher: a rename finds its places through the
  employments' (teacher, start date) index;
- the trail of teachers and employments keeps its user without a foreign key and leaves SNILS,
  teacher and organization unindexed (the trail is read by record id, user and date);
- the `varchar_pattern_ops` copy of the SNILS index goes (nothing searches SNILS by prefix);
- the employment insert trigger leaves TeacherPlace to the writer when the transaction-local
  setting `profdev.places_written` is on (the teacher import COPYs the places itself).
"""

import importlib
from typing import Any

import django.db.models.deletion
import profdev.common.identifiers
from django.conf import settings
from django.db import migrations, models

PLACE = importlib.import_module("profdev.people.migrations.0003_teacher_place")
SETTING = "profdev.places_written"

PG_INSERT = f"""CREATE OR REPLACE FUNCTION people_place_insert() RETURNS trigger AS $$
BEGIN
    -- The writer copies these employments into the places itself (the teacher import).
    IF current_setting('{SETTING}', true) = 'on' THEN
        RETURN NULL;
    END IF;
    INSERT INTO people_teacherplace ({PLACE.COLUMNS}) {PLACE.select_places("new_rows")};
    RETURN NULL;
END $$ LANGUAGE plpgsql"""
PG_TEACHER_NAME = """CREATE OR REPLACE FUNCTION people_place_teacher_name() RETURNS trigger AS $$
BEGIN
    UPDATE people_teacherplace p
       SET last_name = n.last_name, first_name = n.first_name, middle_name = n.middle_name
      FROM new_rows n JOIN people_employment e ON e.teacher_id = n.id
     WHERE p.employment_id = e.id
       AND (p.last_name, p.first_name, p.middle_name)
           IS DISTINCT FROM (n.last_name, n.first_name, n.middle_name);
    RETURN NULL;
END $$ LANGUAGE plpgsql"""
SQLITE_TEACHER_NAME = (
    "CREATE TRIGGER people_place_teacher_name AFTER UPDATE OF last_name, first_name, "
    "middle_name ON people_teacher BEGIN UPDATE people_teacherplace "
    "SET last_name = NEW.last_name, first_name = NEW.first_name, middle_name = NEW.middle_name "
    "WHERE employment_id IN (SELECT id FROM people_employment WHERE teacher_id = NEW.id); END"
)


# (table, column) of the single-column indexes dropped
FK_INDEXES = (
    ("people_employment", "teacher_id"),
    ("people_employment", "organization_id"),
    ("people_teacherplace", "teacher_id"),
)


def drop_fk_indexes(apps: Any, schema_editor: Any) -> None:
    for table, column in FK_INDEXES:
        name = schema_editor._create_index_name(table, [column])
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create_fk_indexes(apps: Any, schema_editor: Any) -> None:
    for table, column in FK_INDEXES:
        name = schema_editor._create_index_name(table, [column])
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} ON {table} ({column})"
        )


def _snils_like(schema_editor: Any) -> tuple[str, str]:
    index = schema_editor._create_index_name("people_teacher", ["snils"], suffix="_like")
    return index, schema_editor.quote_name(index)


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_INSERT)
        schema_editor.execute(PG_TEACHER_NAME)
        schema_editor.execute(f"DROP INDEX IF EXISTS {_snils_like(schema_editor)[1]}")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS people_place_teacher_name")
        schema_editor.execute(SQLITE_TEACHER_NAME)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        by_name = {sql.split("(")[0]: sql for sql in PLACE.PG_SQL}
        for name in ("people_place_insert", "people_place_teacher_name"):
            sql = by_name[f"CREATE FUNCTION {name}"]
            schema_editor.execute(sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_snils_like(schema_editor)[1]} "
            "ON people_teacher (snils varchar_pattern_ops)"
        )
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS people_place_teacher_name")
        schema_editor.execute(
            next(sql for sql in PLACE.SQLITE_SQL if "people_place_teacher_name" in sql)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0001_initial'),
        ('people', '0003_teacher_place'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Only the indexes go: on SQLite an AlterField would rebuild these tables and lose
        # their triggers (the places and the indicators' region stamps).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='employment',
                    name='organization',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='employments', to='orgs.organization', verbose_name='организация'),
                ),
                migrations.AlterField(
                    model_name='employment',
                    name='teacher',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='employments', to='people.teacher', verbose_name='педагог'),
                ),
                migrations.AlterField(
                    model_name='teacherplace',
                    name='teacher',
                    field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='places', to='people.teacher'),
                ),
            ],
            database_operations=[migrations.RunPython(drop_fk_indexes, create_fk_indexes)],
        ),
        migrations.AlterField(
            model_name='historicalemployment',
            name='history_user',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalemployment',
            name='organization',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organization', verbose_name='организация'),
        ),
        migrations.AlterField(
            model_name='historicalemployment',
            name='teacher',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.teacher', verbose_name='педагог'),
        ),
        migrations.AlterField(
            model_name='historicalteacher',
            name='history_user',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalteacher',
            name='snils',
            field=models.CharField(error_messages={'unique': 'Педагог с таким СНИЛС уже есть в реестре.'}, max_length=11, validators=[profdev.common.identifiers.validate_snils], verbose_name='СНИЛС'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
