"""The content types of Enrolment and its history follow them to ``enterprises``: their
permissions (which hang on the content type) and admin log entries keep working, under the
new label. A fresh database has none yet (post_migrate creates them after this runs)."""

from django.db import migrations

MOVED = [("workshops", "enrolment"), ("workshops", "historicalenrolment")]


def _rename(apps, moves):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_label, new_label, model in moves:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        # Only post_migrate on a half-migrated database can have made the new one already:
        # its rows are the default permissions, which the old content type has too.
        ContentType.objects.filter(app_label=new_label, model=model).delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def forward(apps, schema_editor):
    _rename(apps, [(old_label, "enterprises", model) for old_label, model in MOVED])


def backward(apps, schema_editor):
    _rename(apps, [("enterprises", old_label, model) for old_label, model in MOVED])


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0007_move_enrolment_from_workshops"),
        ("workshops", "0006_enrolment_to_enterprises"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
