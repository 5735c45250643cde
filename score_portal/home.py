"""Home-page panels. Each app registers its own in ``AppConfig.ready`` so that this layer
never imports a higher one; a panel returns ``None`` when it has nothing for this user."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable[[HttpRequest], dict | None]


_panels: list[Panel] = []


def register_panel(*, order: int, template: str):
    def decorator(func):
        _panels.append(Panel(order=order, template=template, context=func))
        _panels.sort(key=lambda p: p.order)
        return func

    return decorator


def panels_for(request: HttpRequest) -> list[tuple[str, dict]]:
    rendered = []
    for panel in _panels:
        context = panel.context(request)
        if context is not None:
            rendered.append((panel.template, context))
    return rendered


@dataclass(frozen=True)
class NavItem:
    order: int
    label: str
    url_name: str
    perm: str
    when: Callable[[object], bool] | None = None


_nav: list[NavItem] = []


def register_nav(*, order: int, label, url_name: str, perm: str,
                 when: Callable[[object], bool] | None = None) -> None:
    """Apps add their menu entries; the menu shows an entry only to users holding ``perm``
    and, when given, for whom ``when(access)`` is true (e.g. only to trainer logins)."""
    _nav.append(NavItem(order=order, label=label, url_name=url_name, perm=perm, when=when))
    _nav.sort(key=lambda item: item.order)


def nav_for(access) -> list[NavItem]:
    return [item for item in _nav
            if access.has_perm(item.perm) and (item.when is None or item.when(access))]


@dataclass(frozen=True)
class Section:
    hub: str
    order: int
    template: str
    context: Callable[[HttpRequest, object], dict | None]


_sections: list[Section] = []


def register_section(hub: str, *, order: int, template: str):
    """Add a section to an object's hub page (e.g. the enterprise page) from a higher app.
    The context function gets the request and the object; it returns ``None`` to hide."""

    def decorator(func):
        _sections.append(Section(hub=hub, order=order, template=template, context=func))
        _sections.sort(key=lambda s: s.order)
        return func

    return decorator


def sections_for(hub: str, request: HttpRequest, obj) -> list[tuple[str, dict]]:
    rendered = []
    for section in _sections:
        if section.hub == hub:
            context = section.context(request, obj)
            if context is not None:
                rendered.append((section.template, context))
    return rendered
