import datetime

import factory

from profdev.common.tests.factories import OrganizationFactory, TeacherFactory
from profdev.mentorship.models import (
    CheckIn,
    ManagementMentoring,
    MentoringForm,
    MentorPair,
    TargetModel,
)


def form(code: str = "experienced_young") -> MentoringForm:
    return MentoringForm.objects.get(code=code)


class TargetModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetModel

    organization = factory.SubFactory(OrganizationFactory)
    local_act_number = "12-ОД"
    local_act_date = datetime.date(2021, 3, 1)
    program_title = "Программа наставничества"


class MentorPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorPair
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    mentor = factory.SubFactory(TeacherFactory)
    form = factory.LazyFunction(form)
    start_date = datetime.date(2021, 9, 1)
    planned_end = datetime.date(2022, 6, 30)

    @factory.post_generation
    def mentees(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.mentees.set(extracted)  # type: ignore[attr-defined]


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    pair = factory.SubFactory(MentorPairFactory)
    date = datetime.date(2021, 10, 1)
    topic = "Планирование урока"


class ManagementMentoringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagementMentoring

    mentor_organization = factory.SubFactory(OrganizationFactory)
    mentee_organization = factory.SubFactory(OrganizationFactory)
    start_date = datetime.date(2021, 9, 1)
