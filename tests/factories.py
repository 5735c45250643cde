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
    Membership.objects.create(user=user, role=role,
                              partner=None if role == Role.PROGRAMME_MANAGER else partner)
    return user
