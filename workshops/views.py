from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from score_portal.access import Perm, access_for, require_perm

from . import selectors, services
from .forms import ModuleForm
from .models import Module


@require_perm(Perm.VIEW)
def module_list(request):
    return render(request, "workshops/module_list.html", {
        "modules": selectors.module_list(request.user),
        "can_manage": access_for(request.user).has_perm(Perm.MANAGE_CATALOGUE),
    })


@require_perm(Perm.MANAGE_CATALOGUE)
def module_edit(request, pk=None):
    module = get_object_or_404(Module, pk=pk) if pk else None
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.module_save(acting_user=request.user, module=module,
                                         **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Module %(code)s saved.") % {"code": saved.code})
            return redirect("workshops:module-list")
    return render(request, "workshops/module_form.html", {"form": form, "module": module})
