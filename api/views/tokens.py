"""The token page: create a token (its secret is shown once), see and revoke tokens."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from score_portal.access import Perm, require_perm
from score_portal.web import form_page

from ..forms import TokenForm
from ..selectors import token_get, token_list
from ..services import may_revoke, token_create, token_revoke


@require_perm(Perm.VIEW)
def token_page(request):
    form = TokenForm(request.POST or None, user=request.user)
    tokens = list(token_list(request.user))
    return form_page(
        request,
        form,
        save=lambda data: token_create(acting_user=request.user, **data),
        success_url=reverse("tokens:list"),
        template="api/token_list.html",
        context={
            "tokens": [(t, may_revoke(request.user, t)) for t in tokens],
        },
        success_message=lambda result: (
            _("Token “%(name)s” created. Copy it now, it is not shown again: %(secret)s")
            % {"name": result[0].name, "secret": result[1]}
        ),
        once=True,
    )


@require_perm(Perm.VIEW)
@require_POST
def token_revoke_view(request, pk):
    token = token_get(request.user, pk)
    token_revoke(acting_user=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("tokens:list")
