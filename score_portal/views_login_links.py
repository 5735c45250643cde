"""The "send me a login link" form and the link's own page (score_portal/login_links.py)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import form_helper
from .login_links import login_link_request, login_link_spend, login_link_valid
from .security import client_ip

BACKEND = "score_portal.auth.PortalModelBackend"


class LoginLinkForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("email", submit=gettext_lazy("Send me a login link"))


def login_link_form(request):
    """Ask for a link; the answer is the same whether or not the address has a login."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login_link_request(
            email=form.cleaned_data["email"],
            ip=client_ip(request),
            build_url=request.build_absolute_uri,
        )
        messages.success(
            request,
            _(
                "If this address belongs to a login, a link to log in is on its way. "
                "It works once, for %(minutes)s minutes."
            )
            % {"minutes": max(1, settings.LOGIN_LINK_TIMEOUT // 60)},
        )
        return redirect("login")
    return render(request, "registration/login_link_form.html", {"form": form})


def login_link(request, token):
    """GET shows a button (mail scanners follow links); POST spends the link and logs in."""
    if request.method == "POST":
        user = login_link_spend(token)
        if user is not None:
            login(request, user, backend=BACKEND)
            return redirect(settings.LOGIN_REDIRECT_URL)
        valid = False
    else:
        valid = login_link_valid(token) is not None
    return render(
        request, "registration/login_link.html", {"valid": valid}, status=200 if valid else 410
    )
