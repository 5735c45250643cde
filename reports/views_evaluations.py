"""The workshop evaluation results page: the anonymous answers of the workshops the user
may see, filtered by partner, module, trainer and period, with satisfaction per module and
per trainer."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from catalogue.selectors import module_list
from score_portal.access import Perm, partners_for, require_perm
from score_portal.query import query_date, query_id
from score_portal.web import bad_value_message
from trainers.selectors import trainer_list

from .evaluations import evaluation_results


def _chosen(request, key: str, label, allowed: dict, *, hidden_is_404: bool):
    """A filter value: garbage is ignored with a message; an id the user may not see is
    404 (a partner's or trainer's existence is not revealed by a different answer)."""
    raw = request.GET.get(key, "").strip()
    if not raw:
        return None
    value = query_id(request.GET, key)
    if value is None:
        bad_value_message(request, label=label, value=raw)
        return None
    if value not in allowed:
        if hidden_is_404:
            raise Http404
        bad_value_message(request, label=label, value=raw)
        return None
    return value


@require_perm(Perm.VIEW)
def evaluation_results_page(request):
    partners = list(partners_for(request.user))
    modules = list(module_list(request.user))
    trainers = list(trainer_list(request.user).order_by("name"))
    filters = {
        "partner_id": _chosen(
            request, "partner", _("Partner"), {p.pk for p in partners}, hidden_is_404=True
        ),
        "module_id": _chosen(
            request, "module", _("Module"), {m.pk for m in modules}, hidden_is_404=False
        ),
        "trainer_id": _chosen(
            request, "trainer", _("Trainer"), {t.pk for t in trainers}, hidden_is_404=True
        ),
        "period_from": query_date(request.GET, "from"),
        "period_to": query_date(request.GET, "to"),
    }
    for key, label in (("from", _("From")), ("to", _("To"))):
        raw = request.GET.get(key, "").strip()
        if raw and query_date(request.GET, key) is None:
            bad_value_message(request, label=label, value=raw)
    results = evaluation_results(request.user, modules=modules, trainers=trainers, **filters)
    return render(
        request,
        "reports/evaluation_results.html",
        {
            **results,
            "partners": partners,
            "modules": modules,
            "trainers": trainers,
            "filters": filters,
        },
    )
