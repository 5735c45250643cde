"""The standard workshop evaluation questions, in English and Chinese (programme managers
edit them afterwards; every change adds a version)."""

from django.db import migrations

STANDARD = [
    ("overall", "rating", True, 10, "Overall, how satisfied are you with this workshop?",
     "总体而言，您对本次培训的满意程度如何？"),
    ("relevance", "rating", True, 20, "How relevant was the content to your work?",
     "培训内容与您的工作相关程度如何？"),
    ("trainer", "rating", True, 30, "How would you rate the trainers?",
     "您对培训师的评价如何？"),
    ("materials", "rating", True, 40, "How useful were the materials and exercises?",
     "培训材料和练习的实用程度如何？"),
    ("apply", "yes_no", True, 50, "Will you apply what you learnt at work?",
     "您会在工作中应用所学内容吗？"),
    ("comment", "text", False, 60, "Any comment or suggestion?", "其他意见或建议？"),
]


def install(apps, schema_editor):
    Question = apps.get_model("catalogue", "EvaluationQuestion")
    for code, kind, required, order, text_en, text_zh in STANDARD:
        Question.objects.get_or_create(
            code=code,
            version=1,
            defaults={
                "kind": kind,
                "required": required,
                "order": order,
                "text_en": text_en,
                "text_zh": text_zh,
            },
        )


def remove(apps, schema_editor):
    Question = apps.get_model("catalogue", "EvaluationQuestion")
    Question.objects.filter(code__in=[row[0] for row in STANDARD], version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0006_evaluation_questions")]

    operations = [migrations.RunPython(install, remove)]
