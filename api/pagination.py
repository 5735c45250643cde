"""Stable cursor pagination: ordered by a unique, never-changing key (the id), so records
changed or added while a client pages through are neither skipped nor repeated."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        return (getattr(view, "cursor_ordering", "id"),)
