"""History rows written during an API request name the token in their change reason
("API token 1a2b3c4d"), beside the author that ``save_as`` sets (the token's user)."""

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from .context import current_token

REASON_MAX_LENGTH = 100  # simple-history's change reason field


@receiver(pre_create_historical_record)
def note_token(sender, instance, history_instance, **kwargs):
    token = current_token.get()
    if token is None:
        return
    note = f"API token {token.prefix}"
    reason = history_instance.history_change_reason
    history_instance.history_change_reason = (
        f"{reason} ({note})"[-REASON_MAX_LENGTH:] if reason else note
    )
