"""The token of the API request being served, for the history rows its writes create."""

from contextvars import ContextVar

current_token: ContextVar = ContextVar("api_current_token", default=None)
