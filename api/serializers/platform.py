from rest_framework import serializers

from score_portal.models import Partner


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "code", "name_en", "name_zh", "kind", "region", "is_active", "created_at"]
