from rest_framework import serializers

from reports.indicators import CODES


class IndicatorQuerySerializer(serializers.Serializer):
    partner = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="Partner id: only its figures."
    )
    period_from = serializers.DateField(required=False, help_text="First day of the period.")
    period_to = serializers.DateField(required=False, help_text="Last day of the period.")
    code = serializers.MultipleChoiceField(
        choices=CODES, required=False, help_text="Indicator codes (repeat); default: all."
    )

    def validate(self, attrs):
        start, end = attrs.get("period_from"), attrs.get("period_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"period_to": "The period must end on or after its first day."}
            )
        return attrs


class IndicatorValueSerializer(serializers.Serializer):
    partner = serializers.IntegerField(allow_null=True, help_text="Partner id (null: all).")
    value = serializers.JSONField(
        allow_null=True,
        help_text=(
            "A count (integer), a share 0–1 or a ratio (decimal string, null when there is "
            "nothing to divide), or money as {currency: decimal string}."
        ),
    )


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField(help_text="count, percent (a share 0–1), money or ratio.")
    period_rule = serializers.CharField(help_text="in_period, cumulative or as_of.")
    definition_url = serializers.CharField()
    total = IndicatorValueSerializer()
    by_partner = IndicatorValueSerializer(many=True)


class IndicatorResultSerializer(serializers.Serializer):
    period_from = serializers.DateField(allow_null=True)
    period_to = serializers.DateField(allow_null=True)
    partners = serializers.ListField(child=serializers.IntegerField())
    results = IndicatorSerializer(many=True)
