"""A trainer's certification in a module: add or edit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue.models import Module
from score_portal.access import Perm, require_perm
from score_portal.web import form_page

from .. import selectors
from ..forms.trainers import CertificationForm
from ..models import Certification
from ..services import certification as services


@require_perm(Perm.VIEW)
def certification_edit(request, pk, module_pk=None):
    """Add a certification (choosing the module) or edit the one in ``module_pk``."""
    trainer = selectors.trainer_get(request.user, pk, Perm.CHANGE)
    module = get_object_or_404(Module, pk=module_pk) if module_pk else None
    instance = (
        Certification.objects.filter(trainer=trainer, module=module).first() if module else None
    )
    form = CertificationForm(
        request.POST or None,
        instance=instance,
        trainer=trainer,
        module=module,
        experts=selectors.trainer_list(request.user),
    )

    def save(data):
        chosen = data.pop("module", None) or module
        return services.certification_save(
            acting_user=request.user, trainer=trainer, module=chosen, **data
        )

    if module:
        title = _("Certification of %(name)s in %(module)s") % {
            "name": trainer,
            "module": module.code,
        }
    else:
        title = _("Add a certification for %(name)s") % {"name": trainer}
    return form_page(
        request,
        form,
        save=save,
        template="trainers/trainer_form.html",
        context={"trainer": trainer, "title": title},
        success_url=reverse("trainers:detail", args=[trainer.pk]),
        success_message=_("Certification saved."),
    )


@require_perm(Perm.VIEW)  # no role: 403 before any lookup; then 404 out of scope, 403 in it
def certification_renew(request, pk):
    """Renew a certification for another period when the trainer delivered recently."""
    certification = selectors.certification_get(request.user, pk, Perm.CHANGE)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.certification_renew(acting_user=request.user, certification=certification)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Certification renewed."))
    return redirect("trainers:detail", pk=certification.trainer_id)
