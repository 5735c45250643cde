from django import template

register = template.Library()


@register.filter
def aligned(cells, numeric):
    """Pair each cell with whether its column is numeric (right-aligned)."""
    return zip(cells, list(numeric) + [False] * (len(cells) - len(numeric)), strict=False)
