import datetime as dt
from decimal import Decimal

import factory

from catalogue.models import Module
from enterprises.models import EITMember, Enrolment, Enterprise, ImprovementProject, SuggestionCount
from reports.models import ReportRun

from ..factories import PartnerFactory


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Enterprise {n}")
    province = "Zhejiang"
    sector = "C13"
    employees_total = 120
    status = Enterprise.Status.ACTIVE


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    enterprise = factory.SubFactory(EnterpriseFactory)
    module = factory.LazyFunction(lambda: Module.objects.get(code="M1"))
    status = Enrolment.Status.ENROLLED
    applied_on = dt.date(2026, 1, 10)
    paid_enterprise = Decimal(0)
    paid_ilo = Decimal(0)


class EITMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EITMember

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"Member {n}")
    role = EITMember.Role.MEMBER
    level = EITMember.Level.WORKER
    sex = EITMember.Sex.FEMALE


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementProject

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    status = ImprovementProject.Status.COMPLETED
    start_date = dt.date(2026, 2, 1)


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuggestionCount

    enterprise = factory.SubFactory(EnterpriseFactory)
    month = dt.date(2026, 2, 1)
    made = 10
    implemented = 4


class ReportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportRun

    kind = ReportRun.Kind.PARTNER
    partner = factory.SubFactory(PartnerFactory)
    language = "en"
    params_key = factory.LazyAttribute(
        lambda o: ReportRun.make_params_key(
            kind=o.kind,
            partner_id=o.partner.pk if o.partner else None,
            enterprise_id=o.enterprise.pk if o.enterprise else None,
            period_from=o.period_from,
            period_to=o.period_to,
            language=o.language,
        )
    )
    enterprise = None
    period_from = None
    period_to = None
