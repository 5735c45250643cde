"""Programme indicators from the register (``reports.indicators``): the same figures as
the dashboards, for the same partners (those whose figures the user reads: not those they
only train for), in one response."""

from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.dashboards.common import dashboard_partner_queryset
from reports.indicators import ALL, CODES, REGISTER, indicator_values, value_of
from reports.indicators.display import definition_url
from score_portal.access import Perm

from ..permissions import HoldsPerm
from ..serializers import indicators as s
from .base import TokenContextMixin


def _plain(value):
    """JSON without floats: decimals as strings, money per currency."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class IndicatorView(TokenContextMixin, APIView):
    """Every indicator of the register over your partners (or one), for a period."""

    required_perm = Perm.REPORTS
    permission_classes = [HoldsPerm]

    @extend_schema(
        parameters=[
            s.IndicatorQuerySerializer,
            OpenApiParameter("code", str, many=True, enum=list(CODES), explode=True),
        ],
        responses=s.IndicatorResultSerializer,
    )
    def get(self, request):
        query = s.IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        partners = dashboard_partner_queryset(request.user)
        if "partner" in params:
            partners = partners.filter(pk=params["partner"])
        partner_ids = list(partners.values_list("pk", flat=True))
        if "partner" in params and not partner_ids:
            raise Http404(_("No such partner in your scope."))
        codes = [code for code in CODES if code in params.get("code", ())] or list(CODES)
        period = {"period_from": params.get("period_from"), "period_to": params.get("period_to")}
        user = request.user
        totals = indicator_values(user, codes, partner_ids=partner_ids, **period)
        by_partner = indicator_values(user, codes, partner_ids=partner_ids, by="partner", **period)
        results = [
            {
                "code": code,
                "name": str(REGISTER[code].name),
                "unit": REGISTER[code].unit,
                "period_rule": REGISTER[code].period_rule,
                "definition_url": definition_url(code),
                "total": {"partner": None, "value": _plain(value_of(totals, code, ALL))},
                "by_partner": [
                    {"partner": pid, "value": _plain(value_of(by_partner, code, pid))}
                    for pid in partner_ids
                ],
            }
            for code in codes
        ]
        return Response(
            s.IndicatorResultSerializer(
                {**period, "partners": partner_ids, "results": results}
            ).data
        )
