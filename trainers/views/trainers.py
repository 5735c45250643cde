"""Trainer pages: the list, a trainer's page, the profile form and a trainer's own schedule."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from score_portal.access import Perm, access_for, can, partners_for, require_perm
from score_portal.web import bad_filter_messages, form_page

from .. import selectors
from ..filters import TrainerFilter
from ..forms.trainers import TrainerForm
from ..services import trainers as services

PAGE_SIZE = 25


@require_perm(Perm.VIEW)
def trainer_list(request):
    trainers = selectors.trainer_list(request.user)
    filterset = TrainerFilter(request.GET or None, queryset=trainers, request=request)
    bad_filter_messages(request, filterset.form)  # applies the filters it understood
    queryset = filterset.qs if filterset.is_bound else trainers
    page = Paginator(queryset.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trainers/trainer_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_change": access_for(request.user).has_perm(Perm.CHANGE),
        },
    )


@require_perm(Perm.VIEW)
def trainer_detail(request, pk):
    trainer = selectors.trainer_get(request.user, pk)
    return render(
        request,
        "trainers/trainer_detail.html",
        {
            "trainer": trainer,
            "partners": list(trainer.partners.all()),
            "can_change": can(request.user, Perm.CHANGE, trainer),
            "certifications": selectors.trainer_certifications(trainer),
            "evidence": selectors.certification_evidence(trainer),
            "history": selectors.certification_history(trainer),
            "workshops": selectors.workshops_delivered(request.user, trainer),
            "served": selectors.enterprises_served(request.user, trainer),
            "visits": selectors.visits_by_module(request.user, trainer),
        },
    )


def _trainer_form_page(request, form, trainer=None):
    def save(data):
        partners = data.pop("partners")
        login_username = data.pop("login_username", "")
        saved, password = services.trainer_save(
            acting_user=request.user,
            trainer=trainer,
            partners=partners,
            login_username=login_username,
            **data,
        )
        if password:
            messages.success(
                request,
                _(
                    "Login %(username)s created. Its one-time password is %(password)s: give it "
                    "to the trainer now, it will not be shown again."
                )
                % {"username": saved.user.username, "password": password},
            )
        return saved

    title = _("Edit %(name)s") % {"name": trainer} if trainer else _("Add a trainer")
    return form_page(
        request,
        form,
        save=save,
        template="trainers/trainer_form.html",
        context={"trainer": trainer, "title": title},
        success_url=lambda t: reverse("trainers:detail", args=[t.pk]),
        success_message=_("Trainer saved."),
    )


@require_perm(Perm.CHANGE)
def trainer_create(request):
    form = TrainerForm(
        request.POST or None, partner_choices=partners_for(request.user, Perm.CHANGE)
    )
    return _trainer_form_page(request, form)


@require_perm(Perm.VIEW)
def trainer_edit(request, pk):
    trainer = selectors.trainer_get(request.user, pk, Perm.CHANGE)
    form = TrainerForm(
        request.POST or None,
        instance=trainer,
        partner_choices=partners_for(request.user, Perm.CHANGE),
    )
    return _trainer_form_page(request, form, trainer)


@require_perm(Perm.VIEW)
def my_schedule(request):
    """A trainer login's coming workshops and planned visits, made for a phone."""
    if not access_for(request.user).is_trainer:
        # Staff and managers who follow a link to a trainer's schedule get the visit plan.
        return redirect("trainers:visits:plan")
    trainer = selectors.trainer_for_user(request.user)
    schedule = selectors.schedule_for(request.user, trainer) if trainer else None
    return render(request, "trainers/my_schedule.html", {"trainer": trainer, "schedule": schedule})
