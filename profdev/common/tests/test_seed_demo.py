from django.core.management import call_command

from profdev.accounts.models import User
from profdev.orgs.models import Municipality, Organization
from profdev.people.models import Employment, Teacher


def test_seed_demo_is_deterministic_and_idempotent(db, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    call_command(
        "seed_demo", "--scale", "0.05", "--seed", "7", "--today", "2026-11-23", verbosity=0
    )
    counts = (
        Municipality.objects.count(),
        Organization.objects.count(),
        Teacher.objects.count(),
        Employment.objects.count(),
        User.objects.count(),
    )
    snils = set(Teacher.objects.values_list("snils", flat=True))
    assert counts[0] == 20 and counts[1] >= 21 and counts[2] > 300
    call_command(
        "seed_demo", "--scale", "0.05", "--seed", "7", "--today", "2026-11-23", verbosity=0
    )
    assert (
        Municipality.objects.count(),
        Organization.objects.count(),
        Teacher.objects.count(),
        Employment.objects.count(),
        User.objects.count(),
    ) == counts
    assert set(Teacher.objects.values_list("snils", flat=True)) == snils
    assert {u.role for u in User.objects.all()} == {
        "official",
        "operator",
        "methodist",
        "municipal",
        "school",
        "teacher",
    }
    tomsk_district = User.objects.get(username="tomsk_district")
    visible = Teacher.objects.for_user(tomsk_district)
    assert visible.exists()
    assert not visible.exclude(
        employments__organization__municipality__name="Томский район"
    ).exists()
    assert (tmp_path / "demo-credentials.txt").read_text(encoding="utf-8").count("\n") == 6
