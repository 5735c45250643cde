"""Reads for the portal's notification list: only the person's own, never dropped or off."""

from django.db.models import QuerySet

from .models import Kind, Notification, Preference

SHOWN = (
    Notification.Status.PENDING,
    Notification.Status.SENDING,
    Notification.Status.SENT,
    Notification.Status.PORTAL,
)


def notification_list(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, status__in=SHOWN).order_by("-due_on", "-pk")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return notification_list(user).filter(read_at__isnull=True).count()


def preference_channels(user) -> dict[str, str]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: chosen.get(kind, "email") for kind in Kind.values}
