"""Hooks where a higher app adds to a lower page: home-page panels and hub sections. Each app
registers its own in ``AppConfig.ready`` so that this layer never imports a higher one; a
panel or section returns ``None`` when it has nothing for this user. (The menu is one ordered
list in ``navigation.py``.)"""

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
