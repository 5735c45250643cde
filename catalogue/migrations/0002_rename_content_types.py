"""The content types of the moved models follow them to ``catalogue``: their permissions
(which hang on the content type) and admin log entries keep working, under the new label.
A fresh database has none yet (post_migrate creates them after this runs)."""

from django.db import migrations

MOVED = [("workshops", "module"), ("enterprises", "kpidefinition")]


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
    _rename(apps, [(old_label, "catalogue", model) for old_label, model in MOVED])


def backward(apps, schema_editor):
    _rename(apps, [("catalogue", old_label, model) for old_label, model in MOVED])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_move_module_and_kpi_definition"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
