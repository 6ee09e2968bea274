"""Event workflows and bad input: a clear Russian message and nothing saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from profdev.events import services
from profdev.events.choices import EventLevel, ParticipationRole
from profdev.events.models import Event, EventParticipation
from profdev.events.tests.factories import EventFactory

D = datetime.date


def test_operator_creates_regional_event_and_adds_participants(world, operator):
    event = services.event_create(
        user=operator,
        title="Региональная конференция «Наставничество»",
        kind="conference",
        start_date=D(2023, 4, 10),
        end_date=D(2023, 4, 11),
    )
    assert event.region == world.tomsk
    assert event.level == EventLevel.REGIONAL
    services.participation_add(user=operator, event=event, teacher=world.teacher_a)
    services.participation_add(
        user=operator, event=event, organization=world.school_c, role=ParticipationRole.SPEAKER
    )
    assert event.participations.count() == 2
    assert event.history.count() == 1


def test_methodist_edits_event_and_history_is_kept(world, methodist):
    event = EventFactory(region=world.tomsk)
    services.event_update(user=methodist, event=event, title="Новое название")
    event.refresh_from_db()
    assert event.title == "Новое название"
    assert event.history.count() == 2


def test_municipal_coordinator_creates_event_of_own_municipality(world, asino_coordinator):
    event = services.event_create(
        user=asino_coordinator,
        title="Муниципальный семинар",
        level=EventLevel.MUNICIPAL,
        municipality=world.asino,
        start_date=D(2023, 2, 1),
        end_date=D(2023, 2, 1),
    )
    assert event.region == world.tomsk
    services.participation_add(user=asino_coordinator, event=event, teacher=world.teacher_c)
    assert event.participations.count() == 1


def test_municipal_coordinator_cannot_create_regional_or_foreign_event(world, asino_coordinator):
    with pytest.raises(PermissionDenied):
        services.event_create(
            user=asino_coordinator,
            title="Региональный форум",
            start_date=D(2023, 2, 1),
            end_date=D(2023, 2, 1),
        )
    with pytest.raises(PermissionDenied):
        services.event_create(
            user=asino_coordinator,
            title="Семинар в Томском районе",
            level=EventLevel.MUNICIPAL,
            municipality=world.tomsk_district,
            start_date=D(2023, 2, 1),
            end_date=D(2023, 2, 1),
        )
    assert not Event.objects.exists()


def test_municipal_coordinator_cannot_edit_regional_event(world, asino_coordinator):
    event = EventFactory(region=world.tomsk)
    with pytest.raises(PermissionDenied):
        services.event_update(user=asino_coordinator, event=event, title="Чужое")
    with pytest.raises(PermissionDenied):
        services.participation_add(user=asino_coordinator, event=event, teacher=world.teacher_c)
    assert not EventParticipation.objects.exists()


@pytest.mark.parametrize("fixture", ["official", "school_coordinator", "teacher_user"])
def test_read_only_roles_cannot_create(world, request, fixture):
    user = request.getfixturevalue(fixture)
    with pytest.raises(PermissionDenied):
        services.event_create(
            user=user,
            title="Семинар",
            start_date=D(2023, 2, 1),
            end_date=D(2023, 2, 1),
            region=world.tomsk,
        )
    assert not Event.objects.exists()


def test_other_region_operator_cannot_change_event(world, other_region_operator):
    event = EventFactory(region=world.tomsk)
    with pytest.raises(PermissionDenied):
        services.event_update(user=other_region_operator, event=event, title="Чужое")
    with pytest.raises(PermissionDenied):
        services.event_delete(user=other_region_operator, event=event)
    assert Event.objects.filter(pk=event.pk, title=event.title).exists()


# Bad input


def test_end_before_start_is_rejected(world, operator):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            user=operator, title="Семинар", start_date=D(2023, 5, 2), end_date=D(2023, 5, 1)
        )
    assert "раньше даты начала" in str(error.value.message_dict["end_date"])
    assert not Event.objects.exists()


def test_end_before_start_on_update_is_rejected(world, operator):
    event = EventFactory(region=world.tomsk, start_date=D(2023, 5, 2))
    with pytest.raises(ValidationError):
        services.event_update(user=operator, event=event, end_date=D(2023, 5, 1))
    event.refresh_from_db()
    assert event.end_date == D(2023, 5, 2)


def test_negative_participant_count_is_rejected(world, operator):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            user=operator,
            title="Вебинар",
            start_date=D(2023, 5, 2),
            end_date=D(2023, 5, 2),
            participant_count=-5,
        )
    assert "отрицательным" in str(error.value.message_dict["participant_count"])
    assert not Event.objects.exists()


def test_municipal_event_without_municipality_is_rejected(world, operator):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            user=operator,
            title="Семинар",
            level=EventLevel.MUNICIPAL,
            start_date=D(2023, 5, 2),
            end_date=D(2023, 5, 2),
        )
    assert "муниципалитет" in str(error.value.message_dict["municipality"])


def test_duplicate_participant_is_rejected(world, operator):
    event = EventFactory(region=world.tomsk)
    services.participation_add(user=operator, event=event, teacher=world.teacher_a)
    with pytest.raises(ValidationError) as error:
        services.participation_add(user=operator, event=event, teacher=world.teacher_a)
    assert "уже есть среди участников" in str(error.value)
    services.participation_add(user=operator, event=event, organization=world.school_a)
    with pytest.raises(ValidationError) as error:
        services.participation_add(user=operator, event=event, organization=world.school_a)
    assert "уже есть среди участников" in str(error.value)
    assert event.participations.count() == 2


def test_teacher_and_organization_together_or_none_rejected(world, operator):
    event = EventFactory(region=world.tomsk)
    with pytest.raises(ValidationError) as error:
        services.participation_add(
            user=operator, event=event, teacher=world.teacher_a, organization=world.school_a
        )
    assert "либо педагога, либо организацию" in str(error.value)
    with pytest.raises(ValidationError):
        services.participation_add(user=operator, event=event)
    assert not EventParticipation.objects.exists()


def test_participant_outside_scope_is_rejected(world, asino_coordinator, operator):
    event = EventFactory(region=world.tomsk, level=EventLevel.MUNICIPAL, municipality=world.asino)
    with pytest.raises(ValidationError) as error:
        services.participation_add(user=asino_coordinator, event=event, teacher=world.teacher_a)
    assert "вне вашей зоны ответственности" in str(error.value)
    with pytest.raises(ValidationError):
        services.participation_add(user=asino_coordinator, event=event, organization=world.school_b)
    # a teacher of another region is outside even the regional operator's scope
    with pytest.raises(ValidationError):
        services.participation_add(user=operator, event=event, teacher=world.teacher_d)
    assert not EventParticipation.objects.exists()


def test_remove_participation_scope(world, operator, asino_coordinator, tomsk_district_coordinator):
    event = EventFactory(region=world.tomsk, level=EventLevel.MUNICIPAL, municipality=world.asino)
    own = services.participation_add(user=operator, event=event, teacher=world.teacher_c)
    foreign = services.participation_add(user=operator, event=event, teacher=world.teacher_a)
    with pytest.raises(PermissionDenied):
        services.participation_remove(user=asino_coordinator, participation=foreign)
    with pytest.raises(PermissionDenied):
        services.participation_remove(user=tomsk_district_coordinator, participation=foreign)
    services.participation_remove(user=asino_coordinator, participation=own)
    assert list(event.participations.all()) == [foreign]
