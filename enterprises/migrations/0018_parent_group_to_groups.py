"""Each partner's distinct free-text parent groups become group records; the enterprises
(and nothing else) are linked to them. Texts that differ only in case or surrounding
spaces are one group. Reverse: the group's name goes back into the text."""

from django.db import migrations


def forwards(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    EnterpriseGroup = apps.get_model("enterprises", "EnterpriseGroup")
    groups: dict[tuple[int, str], int] = {}
    rows = (
        Enterprise.objects.exclude(parent_group="")
        .order_by("partner_id", "pk")
        .values_list("pk", "partner_id", "parent_group")
    )
    for pk, partner_id, text in rows.iterator():
        name = " ".join(text.split())
        if not name:
            continue
        key = (partner_id, name.lower())
        if key not in groups:
            # a group of that name may exist already (migrated back and forth): reuse it
            found = EnterpriseGroup.objects.filter(partner_id=partner_id, name__iexact=name).first()
            groups[key] = (
                found or EnterpriseGroup.objects.create(partner_id=partner_id, name=name)
            ).pk
        # update(): no history row, no version bump (the data did not change, its shape did)
        Enterprise.objects.filter(pk=pk).update(group_id=groups[key])


def backwards(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    for enterprise in Enterprise.objects.filter(group__isnull=False).select_related("group"):
        Enterprise.objects.filter(pk=enterprise.pk).update(parent_group=enterprise.group.name)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0017_enterprise_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
