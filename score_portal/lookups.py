"""Query lookups the portal adds to Django's."""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """``pk__in=[...]`` ignores values no integer column can hold, as Django's own exact and
    comparison lookups on integers do, instead of failing with an ``OverflowError`` on SQLite.

    A form's ``ModelMultipleChoiceField`` filters ``pk__in`` with whatever ids were posted,
    so ``selected=99999999999999999999`` answered 500 before the form could say "not one of
    the available choices"."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
