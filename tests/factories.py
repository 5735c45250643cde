import datetime

import factory
from django.contrib.auth import get_user_model

from score_portal.models import Membership, Partner, Role


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:03d}")
    name_en = factory.LazyAttribute(lambda o: f"{o.code} Enterprise Federation")
    name_zh = factory.LazyAttribute(lambda o: f"{o.code}企业联合会")
    region = "Zhejiang"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.django.Password("correct horse battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = Role.PARTNER_STAFF


def user_with_role(username: str, role: str, partner: Partner | None = None):
    user = UserFactory(username=username)
    Membership.objects.create(
        user=user, role=role, partner=None if role == Role.PROGRAMME_MANAGER else partner
    )
    return user


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "enterprises.Enterprise"

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Enterprise {n:04d} Co., Ltd.")
    name_zh = factory.Sequence(lambda n: f"企业{n:04d}有限公司")
    sector = "C13"
    province = "Zhejiang"
    city = "Huzhou"
    employees_total = 120
    employees_women = 50
    status = "active"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "enterprises.Enrolment"

    enterprise = factory.SubFactory(EnterpriseFactory)
    module = factory.LazyFunction(lambda: _module("M1"))
    status = "enrolled"
    applied_on = datetime.date(2026, 3, 1)
    enrolled_on = datetime.date(2026, 3, 15)


def _module(code):
    from catalogue.models import Module

    return Module.objects.get(code=code)


def valid_uscc(body17: str = "91330100MA27XK5Q1") -> str:
    """A valid Unified Social Credit Code made from 17 characters."""
    from enterprises.validators import uscc_check_character

    return body17 + uscc_check_character(body17)


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "trainers.Trainer"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Trainer {n}")
    name_zh = factory.Sequence(lambda n: f"培训师{n}")
    sex = "F"

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workshops.Workshop"

    partner = factory.SubFactory(PartnerFactory)
    module = factory.LazyFunction(lambda: _module("M1"))
    title = factory.Sequence(lambda n: f"M1 workshop {n}")
    start_date = datetime.date(2026, 6, 10)
    end_date = datetime.date(2026, 6, 11)
    city = "Huzhou"
    status = "open"


def certify(trainer, code="M1", grade="certified"):
    from trainers.models import Certification

    return Certification.objects.update_or_create(
        trainer=trainer,
        module=_module(code),
        defaults={"grade": grade, "decision_date": datetime.date(2025, 1, 1)},
    )[0]
