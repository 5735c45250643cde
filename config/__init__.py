"""The composition root: settings, URLs, the Celery app and the WSGI entry point. The only
package that knows every app."""

from .celery import app as celery_app

__all__ = ("celery_app",)
