"""Demo users, one per role; passwords are made on the first run and kept in var/."""

import secrets
from pathlib import Path

from django.conf import settings

from profdev.accounts.choices import Role
from profdev.accounts.models import User
from profdev.common.demo import DemoContext

CREDENTIALS_FILE = "demo-credentials.txt"


def credentials_path() -> Path:
    return Path(settings.VAR_DIR) / CREDENTIALS_FILE


def seed(ctx: DemoContext) -> None:
    tomsk_district = next(m for m in ctx.municipalities if m.name == "Томский район")
    district_schools = [s for s in ctx.schools if s.municipality_id == tomsk_district.pk]
    school = district_schools[0]
    from profdev.people.models import Teacher, young_specialist_cutoff

    school_teacher = (
        Teacher.objects.filter(
            employments__organization=school, career_start__gt=young_specialist_cutoff(ctx.today)
        )
        .order_by("snils")
        .first()
    )
    methodist = ctx.staff[1] if len(ctx.staff) > 1 else None
    wanted = [
        ("operator", Role.OPERATOR, {"region": ctx.region}, "Оператор", "Региональный"),
        ("official", Role.OFFICIAL, {"region": ctx.region}, "Департамента", "Специалист"),
        (
            "methodist",
            Role.METHODIST,
            {"region": ctx.region, "staff_member": methodist},
            "ЦНППМ",
            "Методист",
        ),
        (
            "tomsk_district",
            Role.MUNICIPAL,
            {"region": ctx.region, "municipality": tomsk_district},
            "Томского района",
            "Координатор",
        ),
        (
            "school",
            Role.SCHOOL,
            {"region": ctx.region, "municipality": tomsk_district, "organization": school},
            str(school),
            "Ответственный",
        ),
        (
            "teacher",
            Role.TEACHER,
            {"region": ctx.region, "teacher": school_teacher},
            getattr(school_teacher, "last_name", ""),
            getattr(school_teacher, "first_name", ""),
        ),
    ]
    created = []
    for username, role, binding, last, first in wanted:
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(9)
            user = User(
                username=username,
                role=role,
                last_name=last[:150],
                first_name=first[:150],
                **binding,
            )
            user.set_password(password)
            user.full_clean()
            user.save()
            created.append((username, password, role.label))
        ctx.users[username] = user
    path = credentials_path()
    if created:
        lines = [f"{u:15} {p:15} {label}" for u, p, label in created]
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        ctx.say("Созданы пользователи (логин, пароль, роль):\n" + "\n".join(lines))
    else:
        ctx.say(f"Пользователи уже есть; пароли первого запуска — в {path}")
