from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator, UniqueValidator


class InputSerializer(serializers.ModelSerializer):
    """Input of a write: types and shapes only. Rules (uniqueness included) are the
    service's, so the API and the forms give the same messages."""

    def get_validators(self):
        return [v for v in super().get_validators() if not isinstance(v, UniqueTogetherValidator)]

    # related fields whose choices are scoped to the user: {field name: selector(user)}
    scopes: dict = {}

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        request = self.context.get("request")
        for name, selector in self.scopes.items():
            if name in fields and request is not None:
                # outside the user's scope reads as "does not exist", like a wrong id
                fields[name].queryset = selector(request.user)
        return fields
