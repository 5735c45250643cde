"""What each URL's POST may change (the POST half of the URL walk's classification).

A new URL fails ``tests/test_url_walk.py`` until it is classified here: ``POST_MATRIX`` for the
URLs whose POST changes something (who may, and how to build a real form body), ``READ_ONLY``
for those whose POST must change nothing for anyone.

The payloads are real: the form each page shows on GET (as a user allowed to use it) is read
back from its HTML and posted with the few fields a user would fill in, so an allowed role's
post really changes the database; the walk checks it did.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from . import url_rules as matrix

ROLES = matrix.ROLES
ALL, PUBLIC = matrix.ALL, matrix.PUBLIC
STRANGERS = ["anonymous", "norole", "zj_manager", "zj_staff", "zj_trainer", matrix.CONTACT]
PASSWORD = "correct horse battery"  # tests/factories.py UserFactory


@dataclass
class PostRule:
    allowed: set[str]
    kwargs: Callable[[dict], dict] = field(default=lambda world: {})
    other: Callable[[dict], dict] | None = None  # the other partner's object
    # the body: read from the form the page shows on GET (``form``), then ``fields`` on top
    fields: Callable[[dict], dict] = field(default=lambda world: {})
    form: bool = True
    files: Callable[[], dict] | None = None
    changes: bool = True  # an allowed role's post changes the database
    changes_by: set[str] | None = None  # only these allowed roles' posts change it
    fill: Callable[[dict], dict] | None = None  # fills the fields read from the page
    # the body with the other partner's ids, posted by an allowed user to their own object
    other_body: Callable[[dict], dict] | None = None
    hidden: set[str] = field(default_factory=set)  # roles for whom the own object is 404


def _rule(name, **changes) -> PostRule:
    """A POST rule with the GET matrix's roles and kwargs for ``name``."""
    get = matrix.MATRIX[name]
    base = {
        "allowed": set(get.allowed),
        "kwargs": get.kwargs,
        "other": get.other,
        "hidden": set(get.hidden),
    }
    return PostRule(**{**base, **changes})


def _membership_of(w, person: str) -> dict:
    return {"pk": getattr(w["cast"], person).memberships.get().pk}


def _visit_form(w):
    return {
        "visit_date": "2026-07-02",
        "status": "done",
        "duration_hours": "2",
        "summary": "Reviewed the 5S board.",
    }


def _evaluation_answers() -> dict:
    from catalogue.models import EvaluationQuestion

    body = {}
    for question in EvaluationQuestion.objects.filter(is_active=True):
        body[f"q{question.pk}"] = {"rating": "4", "yes_no": "yes"}.get(question.kind, "Useful")
    return body


def _csv_upload():
    return {
        "file": SimpleUploadedFile(
            "enterprises.csv",
            b"name,credit_code\nPost Matrix Co.,91330000MA2POST001\n",
            content_type="text/csv",
        )
    }


POST_MATRIX: dict[str, PostRule] = {
    "login": PostRule(
        {"anonymous"},
        form=False,
        changes=False,
        fields=lambda w: {"username": "zj-staff", "password": PASSWORD},
    ),
    "logout": PostRule(PUBLIC, form=False, changes=False),  # ends the session only
    "password_change": _rule(
        "password_change",
        fields=lambda w: {
            "old_password": PASSWORD,
            "new_password1": "A new long passphrase 2026",
            "new_password2": "A new long passphrase 2026",
        },
    ),
    "preferences": _rule("preferences", fields=lambda w: {"language": "zh-hans"}),
    "set_language": PostRule(
        PUBLIC,
        form=False,
        changes=False,  # the profile, when logged in
        fields=lambda w: {"language": "zh-hans", "next": "/"},
    ),
    "catalogue:module-create": _rule(
        "catalogue:module-create",
        fields=lambda w: {"code": "M9", "name_en": "Post module", "name_zh": "模块九"},
    ),
    "catalogue:module-edit": _rule(
        "catalogue:module-edit", fields=lambda w: {"name_en": "Renamed module"}
    ),
    "enterprises:create": _rule(
        "enterprises:create",
        fields=lambda w: {
            "name": "Post Matrix Co., Ltd.",
            "name_zh": "矩阵有限公司",
            "partner": str(w["cast"].zj.pk),
        },
        other_body=lambda w: {"partner": str(w["cast"].sc.pk)},
    ),
    "enterprises:edit": _rule("enterprises:edit", fields=lambda w: {"name": "Renamed Co."}),
    # the world has no duplicate to merge: the allowed post is refused with a message, and the
    # other partner's enterprise can never be chosen (tests/enterprises/test_merge_page.py)
    "enterprises:merge": _rule(
        "enterprises:merge",
        fields=lambda w: {"duplicate": str(w["other_enterprise"].pk), "confirm": "on"},
        changes=False,
    ),
    "enterprises:groups:create": _rule(
        "enterprises:groups:create",
        fields=lambda w: {"partner": str(w["cast"].zj.pk), "name": "Airport Group"},
        other_body=lambda w: {"partner": str(w["cast"].sc.pk)},
    ),
    "enterprises:groups:edit": _rule(
        "enterprises:groups:edit", fields=lambda w: {"name": "Renamed Group"}
    ),
    "enterprises:groups:assign": _rule(
        "enterprises:groups:assign",
        fields=lambda w: {"add": [str(w["prospect"].pk)]},
        other_body=lambda w: {"add": [str(w["other_prospect"].pk)]},
    ),
    "enterprises:bulk": PostRule(
        {"zj_staff"},
        form=False,
        fields=lambda w: {
            "action": "status",
            "status": "withdrawn",
            "selected": [str(w["prospect"].pk)],
        },
        other_body=lambda w: {
            "action": "status",
            "status": "withdrawn",
            "selected": [str(w["other_prospect"].pk)],
        },
    ),
    "enterprises:eit-create": _rule(
        "enterprises:eit-create", fields=lambda w: {"name": "Zhao", "level": "worker", "sex": "M"}
    ),
    "enterprises:eit-edit": _rule("enterprises:eit-edit", fields=lambda w: {"name": "Wu Li"}),
    "enterprises:eit-delete": PostRule(
        {"zj_staff"}, kwargs=matrix.EIT, other=matrix.EIT_OTHER, form=False, hidden={"zj_trainer"}
    ),
    "enterprises:project-create": _rule(
        "enterprises:project-create", fields=lambda w: {"title": "Kanban"}
    ),
    "enterprises:project-edit": _rule(
        "enterprises:project-edit", fields=lambda w: {"title": "5S, second round"}
    ),
    "enterprises:suggestions-record": _rule(
        "enterprises:suggestions-record",
        fields=lambda w: {"month": "2026-05", "made": "12", "implemented": "3"},
    ),
    "enterprises:kpi:record": _rule(
        "enterprises:kpi:record",
        fields=lambda w: {
            "kpi": str(w["reading"].kpi_id),
            "kind": "follow_up",
            "period_start": "2026-04-01",
            "period_end": "2026-06-30",
            "value": "3",
        },
    ),
    "enterprises:kpi:edit": _rule("enterprises:kpi:edit", fields=lambda w: {"value": "5"}),
    "enterprises:kpi:verify": PostRule(
        {"zj_staff"}, kwargs=matrix.E, other=matrix.E_OTHER, form=False, hidden={"zj_trainer"}
    ),
    "enterprises:kpi:return": _rule(
        "enterprises:kpi:return", fields=lambda w: {"comment": "The unit looks wrong."}
    ),
    "enterprises:kpi:answer": _rule(
        "enterprises:kpi:answer", fields=lambda w: {"value": "2.5", "answer": "It was kg."}
    ),
    # the queue's bulk verification: SC's readings named in the body are ignored
    "enterprises:review:verify": PostRule(
        {"zj_staff"},
        form=False,
        fields=lambda w: {"reading": [str(w["reading"].pk)]},
        other_body=lambda w: {"reading": [str(w["other_reading"].pk)]},
    ),
    "enterprises:kpi:unlock": _rule(
        "enterprises:kpi:unlock",
        kwargs=lambda w: {"pk": w["enterprise"].pk, "reading_pk": w["locked"].pk},
        other=lambda w: {"pk": w["other_enterprise"].pk, "reading_pk": w["other_locked"].pk},
        fields=lambda w: {"reason": "The value was typed in the wrong unit."},
    ),
    "catalogue:kpi-create": _rule(
        "catalogue:kpi-create",
        fields=lambda w: {
            "code": "post_kpi",
            "name_en": "Post KPI",
            "name_zh": "指标",
            "unit": "%",
            "direction": "down",
        },
    ),
    "catalogue:kpi-edit": _rule("catalogue:kpi-edit", fields=lambda w: {"name_en": "Defects"}),
    "catalogue:evaluation-question-create": _rule(
        "catalogue:evaluation-question-create",
        fields=lambda w: {
            "code": "post_question",
            "kind": "yes_no",
            "text_en": "Was the room comfortable?",
            "text_zh": "教室舒适吗？",
            "order": "70",
        },
    ),
    "catalogue:evaluation-question-edit": _rule(
        "catalogue:evaluation-question-edit",
        fields=lambda w: {"text_en": "All in all, how satisfied are you?"},
    ),
    # The public evaluation form: anyone holding an unused slip answers once (each test runs
    # in a rolled-back savepoint, so every role meets a fresh token of an open workshop).
    "workshops:evaluate": PostRule(
        PUBLIC,
        kwargs=lambda w: {"token": w["open_evaluation_token"].token},
        form=False,
        fields=lambda w: _evaluation_answers(),
    ),
    "catalogue:checklist-item-create": _rule(
        "catalogue:checklist-item-create",
        fields=lambda w: {
            "theme_en": "Communication",
            "theme_zh": "沟通",
            "name_en": "A monthly newsletter reaches every worker",
            "name_zh": "每月简报覆盖全体员工",
            "order": "200",
        },
    ),
    "catalogue:checklist-item-edit": _rule(
        "catalogue:checklist-item-edit",
        fields=lambda w: {"name_en": "An EIT of managers and workers exists and is known"},
    ),
    "catalogue:checklist-item-remove": PostRule(
        {"programme"}, kwargs=matrix.CHECKLIST_ITEM, form=False
    ),
    "enterprises:assessment-record": _rule(
        "enterprises:assessment-record",
        fields=lambda w: {
            "kind": "progress",
            "assessed_on": "2026-05-01",
            **{f"item_{item.pk}": "yes" for item in w["checklist_item"].version.items.all()},
        },
    ),
    "enterprises:assessment-edit": _rule(
        "enterprises:assessment-edit",
        fields=lambda w: {f"item_{w['checklist_item'].pk}": "yes"},
    ),
    "enterprises:enrolments:create": _rule(
        "enterprises:enrolments:create",
        fields=lambda w: {
            "module": str(w["module2"].pk),
            "applied_on": "2026-04-01",
            "override_reason": "Approved by the programme board.",
        },
        # a programme manager only overrides the entry rule, which M2 does not need here
        changes_by={"zj_staff"},
    ),
    "enterprises:enrolments:edit": _rule(
        "enterprises:enrolments:edit", fields=lambda w: {"applied_on": "2026-03-02"}
    ),
    "enterprises:enrolments:transition": _rule(
        "enterprises:enrolments:transition", fields=lambda w: {"reason": "Left the programme."}
    ),
    "workshops:create": _rule(
        "workshops:create",
        fields=lambda w: {
            "partner": str(w["cast"].zj.pk),
            "module": str(w["module"].pk),
            "title": "Post workshop",
            "start_date": "2026-09-01",
            "end_date": "2026-09-02",
            "city": "Hangzhou",
            "capacity": "20",
        },
        other_body=lambda w: {"partner": str(w["cast"].sc.pk)},
    ),
    "workshops:edit": _rule("workshops:edit", fields=lambda w: {"city": "Ningbo"}),
    "workshops:invite": _rule(
        "workshops:invite",
        fields=lambda w: {"enrolments": [str(w["spare_enrolment"].pk)]},
        other_body=lambda w: {"enrolments": [str(w["other_spare_enrolment"].pk)]},
    ),
    "workshops:cancel": _rule("workshops:cancel", fields=lambda w: {"reason": "The venue closed."}),
    "workshops:attendance": _rule(
        "workshops:attendance",
        fields=lambda w: {
            f"p{w['participant'].pk}_20260610": "on",
            f"p{w['other_participant'].pk}_20260610": "on",
        },
    ),
    "workshops:delegation-add": _rule(
        "workshops:delegation-add",
        fields=lambda w: {"name_0": "Li Na", "sex_0": "F", "level_0": "worker"},
    ),
    "workshops:participant-edit": _rule(
        "workshops:participant-edit", fields=lambda w: {"name": "Chen Jing"}
    ),
    "workshops:sheet-upload": _rule(
        "workshops:sheet-upload",
        files=lambda: {
            "file": SimpleUploadedFile(
                "sheet.csv", "姓名,性别\n甲,女\n".encode(), content_type="text/csv"
            )
        },
    ),
    # the world's sheet has no file: confirming is refused (a preview with no rows)
    "workshops:sheet-job-confirm": _rule("workshops:sheet-job-confirm", form=False, changes=False),
    "workshops:participant-delete": PostRule(
        {"zj_staff"},
        kwargs=matrix.PARTICIPANT,
        other=matrix.PARTICIPANT_OTHER,
        form=False,
        hidden={"zj_trainer"},
    ),
    "trainers:teaching:team": _rule(
        "trainers:teaching:team",
        fields=lambda w: {
            "trainers": [str(w["trainer"].pk)],
            "lead": str(w["trainer"].pk),
            "reason": "Co-trainer to follow.",
        },
        other_body=lambda w: {
            "trainers": [str(w["other_trainer"].pk)],
            "lead": str(w["other_trainer"].pk),
        },
    ),
    # no attendance in the world: completing is refused with its reason (400)
    "trainers:teaching:complete": _rule("trainers:teaching:complete", form=False, changes=False),
    "trainers:visits:record": _rule("trainers:visits:record", fields=_visit_form),
    "trainers:visits:cancel": _rule(
        "trainers:visits:cancel", fields=lambda w: {"reason": "The plant was shut."}
    ),
    "trainers:visits:new": _rule("trainers:visits:new", fields=_visit_form),
    # A form body is not the JSON the phone sends: refused (400), nothing changed; the
    # JSON path is tested in tests/trainers/test_sync.py.
    "trainers:sync": PostRule(
        {"zj_staff", "zj_trainer"}, form=False, changes=False, fields=lambda w: {"records": "x"}
    ),
    "trainers:sync-conflict": _rule(
        "trainers:sync-conflict",
        allowed={"zj_staff"},
        form=False,
        fields=lambda w: {"decision": "discard"},
    ),
    "enterprises:transfer:import": _rule(
        "enterprises:transfer:import",
        files=_csv_upload,
        fields=lambda w: {"partner": str(w["cast"].zj.pk)},
        other_body=lambda w: {"partner": str(w["cast"].sc.pk)},
    ),
    # the world's job has no file: confirming fails with a message
    "enterprises:transfer:job-confirm": _rule(
        "enterprises:transfer:job-confirm", form=False, changes=False
    ),
    # a programme manager accepts wrong check characters: the preview is queued again
    "enterprises:transfer:job-override": _rule(
        "enterprises:transfer:job-override",
        form=False,
        fields=lambda w: {"reason": "Codes issued before GB 32100-2015"},
    ),
    "reports:run-create": _rule(
        "reports:run-create",
        fields=lambda w: {"kind": "partner", "partner": str(w["cast"].zj.pk), "language": "en"},
        other_body=lambda w: {"partner": str(w["cast"].sc.pk)},
    ),
    "reports:run-retry": _rule("reports:run-retry", form=False),
    "reports:subscription-create": _rule(
        "reports:subscription-create",
        fields=lambda w: {
            "kind": "partner",
            "partner": str(w["cast"].zj.pk),
            "period": "last",
            "language": "en",
            "frequency": "weekly",
        },
        other_body=lambda w: {"partner": str(w["cast"].sc.pk)},
    ),
    "reports:subscription-edit": _rule(
        "reports:subscription-edit", fields=lambda w: {"frequency": "quarterly"}
    ),
    "reports:subscription-run": _rule("reports:subscription-run", form=False),
    "reports:subscription-delete": _rule("reports:subscription-delete", form=False),
    "reports:group-report": PostRule(
        matrix.REPORTING,
        kwargs=lambda w: {"group_pk": w["group"].pk},
        other=lambda w: {"group_pk": w["other_group"].pk},
        form=False,
        fields=lambda w: {"language": "zh-hans"},
    ),
    "reports:workshop-pack": PostRule(
        matrix.REPORTING,
        kwargs=lambda w: {"workshop_pk": w["workshop"].pk},
        other=lambda w: {"workshop_pk": w["other_workshop"].pk},
        form=False,
        fields=lambda w: {"language": "zh-hans"},
    ),
    "reports:target-edit": _rule(
        "reports:target-edit",
        fill=lambda body: {
            name: values if values != [""] else ["1"] for name, values in body.items()
        },
    ),
    # copies the world's 2025 target of ZJ into 2026
    "reports:target-copy": _rule("reports:target-copy"),
    "trainers:create": _rule(
        "trainers:create",
        fields=lambda w: {
            "name": "Post Trainer",
            "name_zh": "培训师",
            "sex": "M",
            "partners": [str(w["cast"].zj.pk)],
        },
        other_body=lambda w: {"partners": [str(w["cast"].sc.pk)]},
    ),
    "trainers:edit": _rule(
        "trainers:edit",
        fields=lambda w: {"phone": "13800000000"},
        other_body=lambda w: {"partners": [str(w["cast"].sc.pk)]},
    ),
    "trainers:certification-create": _rule(
        "trainers:certification-create",
        fields=lambda w: {"module": str(w["module2"].pk), "grade": "candidate"},
    ),
    "trainers:certification-edit": _rule(
        "trainers:certification-edit",
        fields=lambda w: {"grade": "certified", "decision_date": "2026-02-01"},
    ),
    # refused with a message (the world's trainer delivered nothing recently): changes nothing
    "trainers:certification-renew": _rule(
        "trainers:certification-renew", form=False, changes=False
    ),
    "notifications:preferences": _rule(
        "notifications:preferences", fields=lambda w: {"no_baseline": "portal"}
    ),
    # marks the person's own notifications read: the world has none, nothing changes
    "notifications:read": _rule("notifications:read", form=False, changes=False),
    "certificates:revoke": _rule(
        "certificates:revoke", fields=lambda w: {"reason": "Issued by mistake"}
    ),
    "certificates:trainer-issue": _rule("certificates:trainer-issue", form=False),
    "trainers:assignment-add": PostRule(
        {"zj_staff"},
        kwargs=lambda w: {"pk": w["spare_enrolment"].pk},
        other=lambda w: {"pk": w["other_spare_enrolment"].pk},
        form=False,
        fields=lambda w: {"trainer": str(w["trainer"].pk)},
        other_body=lambda w: {"trainer": str(w["other_trainer"].pk)},
    ),
    "trainers:assignment-remove": PostRule(
        {"zj_staff"},
        kwargs=lambda w: {"pk": w["assignment"].pk},
        other=lambda w: {"pk": w["other_assignment"].pk},
        form=False,
    ),
    # People administration: programme managers for every partner, partner managers for
    # their own (staff: 403; the other partner's partner and memberships: 404).
    "people:partner-create": _rule(
        "people:partner-create",
        fields=lambda w: {
            "code": "PM",
            "name_en": "Post Matrix Federation",
            "name_zh": "测试联合会",
            "kind": "federation",
        },
    ),
    "people:partner-edit": _rule("people:partner-edit", fields=lambda w: {"region": "Huzhou"}),
    "login-link-request": _rule(
        "login-link-request", fields=lambda w: {"email": "somebody@example.org"}
    ),
    "contacts-staff:invite": _rule(
        "contacts-staff:invite",
        fields=lambda w: {"name": "Li Na", "email": "li.na@example.org", "language": "zh-hans"},
    ),
    "contacts-staff:group-invite": _rule(
        "contacts-staff:group-invite",
        fields=lambda w: {"name": "Zhao Min", "email": "zhao.min@example.org", "language": "en"},
    ),
    "contacts:action-progress": _rule(
        "contacts:action-progress",
        form=False,
        fields=lambda w: {"note": "Lines painted in hall 2", "proposed_status": "done"},
    ),
    "contacts:suggestions-submit": _rule(
        "contacts:suggestions-submit",
        fields=lambda w: {"month": "2026-06", "made": "12", "implemented": "5"},
    ),
    "contacts:reading-submit": _rule(
        "contacts:reading-submit",
        fields=lambda w: {
            "kpi": str(w["reading"].kpi_id),
            "period_start": "2026-04-01",
            "period_end": "2026-06-30",
            "value": "3.5",
        },
    ),
    "contacts:reading-answer": _rule(
        "contacts:reading-answer", fields=lambda w: {"value": "3", "answer": "Tonnes, not kg."}
    ),
    "contacts:assessment-record": _rule(
        "contacts:assessment-record",
        fields=lambda w: {
            "kind": "progress",
            "assessed_on": "2026-05-01",
            **{f"item_{item.pk}": "yes" for item in w["checklist_item"].version.items.all()},
        },
    ),
    "contacts:project-submit": _rule(
        "contacts:project-submit", fields=lambda w: {"title": "Tool boards", "status": "planned"}
    ),
    "contacts:reports": _rule("contacts:reports", fields=lambda w: {"language": "zh-hans"}),
    "contacts:group-reports": _rule(
        "contacts:group-reports", fields=lambda w: {"language": "zh-hans"}
    ),
    "people:person-invite": _rule(
        "people:person-invite",
        fields=lambda w: {
            "email": "new.person@example.org",
            "first_name": "New",
            "role": "partner_staff",
        },
    ),
    "people:partner-active": PostRule(
        {"programme"},
        kwargs=matrix.PARTNER,
        other=matrix.PARTNER_OTHER,
        form=False,
        fields=lambda w: {"active": "no"},
    ),
    "people:membership-role": PostRule(
        {"programme", "zj_manager"},
        kwargs=lambda w: _membership_of(w, "zj_trainer"),
        other=lambda w: _membership_of(w, "sc_staff"),
        form=False,
        fields=lambda w: {"role": "partner_staff"},
    ),
    "tokens:list": _rule(
        "tokens:list",
        fields=lambda w: {"name": "M&E sync", "days": "30", "kind": "personal", "partner": ""},
    ),
    "tokens:revoke": PostRule(
        {"programme", "zj_manager"},
        kwargs=lambda w: {"pk": w["zj_token"].pk},
        other=lambda w: {"pk": w["sc_token"].pk},
        hidden={"zj_staff", "zj_trainer"},
        form=False,
    ),
    "people:person-deactivate": PostRule(
        {"programme", "zj_manager"},
        kwargs=lambda w: _membership_of(w, "zj_trainer"),
        other=lambda w: _membership_of(w, "sc_staff"),
        form=False,
    ),
    # Webhooks: a public address literal (no DNS look-up), ZJ's endpoint and delivery
    "webhooks:create": _rule(
        "webhooks:create",
        fields=lambda w: {
            "url": "https://93.184.215.14/score-hook",
            "partner": w["cast"].zj.pk,
            "objects_subscribed": ["visit", "enterprise"],
            "events": ["updated"],
        },
    ),
    "webhooks:delete": PostRule(
        {"programme", "zj_manager"},
        kwargs=lambda w: {"pk": w["webhook"].pk},
        other=lambda w: {"pk": w["other_webhook"].pk},
        hidden={"zj_trainer"},
        form=False,
    ),
    "webhooks:send-again": PostRule(
        {"programme", "zj_manager"},
        kwargs=lambda w: {"pk": w["webhook_delivery"].pk},
        other=lambda w: {"pk": w["other_webhook_delivery"].pk},
        hidden={"zj_trainer"},
        form=False,
    ),
}
# URLs whose POST is refused or treated as a GET: it must change nothing, for anyone.
READ_ONLY = {
    "notifications:list",
    "webhooks:list",
    "webhooks:detail",
    "login-link",  # a wrong link logs nobody in (tests/score_portal/test_login_links.py)
    "contacts:home",
    "contacts:switch",  # changes the session only (which enterprise a group contact sees)
    "contacts:assessments",
    "contacts:actions",
    "contacts:kpis",
    "contacts:projects",
    "contacts:certificates",
    "contacts:report-download",
    "enterprises:groups:list",
    "enterprises:groups:detail",
    # the public check is a GET (POST: 405, nothing logged); lists and pages only read
    "certificates:verify",
    "certificates:verify-code",
    "certificates:list",
    "certificates:detail",
    # a password reset request only sends a mail; an invalid link changes nothing
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "people:invitation-accept",
    "people:partner-list",
    "people:partner-people",
    "home",
    "healthz",
    "favicon",
    "password_change_done",
    "catalogue:module-list",
    "enterprises:list",
    "enterprises:detail",
    "enterprises:history",
    "enterprises:kpi:overview",
    "enterprises:kpi:evidence",
    "enterprises:kpi:detail",
    "enterprises:review:queue",
    "catalogue:kpi-list",
    "catalogue:checklist-list",
    "catalogue:checklist-detail",
    "enterprises:assessment-detail",
    "workshops:list",
    "workshops:calendar",
    "workshops:detail",
    "workshops:sheet-job",
    "workshops:sheet-job-progress",
    "enterprises:transfer:template",
    "enterprises:transfer:job",
    "enterprises:transfer:job-progress",
    "enterprises:transfer:job-rejected",
    "enterprises:transfer:export",
    "enterprises:transfer:export-job",
    "enterprises:transfer:export-job-progress",
    "enterprises:transfer:export-job-download",
    "reports:dashboard",
    "reports:target-list",
    "reports:target-actuals",
    "reports:target-partner",
    "reports:target-partner-xlsx",
    "reports:indicator-list",
    "reports:evaluations",
    "catalogue:evaluation-question-list",
    "reports:dashboard-attention",
    "reports:indicator-detail",
    "reports:run-list",
    "reports:run-table",
    "reports:run-download",
    "reports:run-download-xlsx",
    "reports:subscription-list",
    "reports:subscription-preview",
    "trainers:list",
    "trainers:my-schedule",
    "trainers:visits:plan",
    "trainers:detail",
    "trainers:visits:detail",
    "trainers:visits:file",
    "trainers:service-worker",
    "trainers:manifest",
    "trainers:offline-app",
    "trainers:offline-data",
    "trainers:sync-conflicts",
}


# --- Building real form bodies from the pages ---------------------------------------------


class _FormReader(HTMLParser):
    """The fields of the page's own POST form (action empty or this path), as a browser
    would submit them untouched, choosing the first real option of an unset select."""

    def __init__(self, path):
        super().__init__()
        self.path, self.forms, self._form, self._select, self._textarea = path, [], None, None, None
        self.kinds: dict[str, str] = {}  # each field's input type, "select" or "textarea"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "form"
            and (attrs.get("method") or "").lower() == "post"
            and attrs.get("action") in (None, "", self.path)
        ):
            self._form = {"fields": [], "selects": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            self.kinds.setdefault(name, kind)
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._form["fields"].append((name, attrs.get("value", "on")))
            elif kind not in {"submit", "button", "file", "reset"}:
                self._form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.kinds.setdefault(name, "select")
            self._select = {
                "name": name,
                "selected": [],
                "first": None,
                "multiple": "multiple" in attrs,
            }
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if "selected" in attrs:
                self._select["selected"].append(value)
            if self._select["first"] is None and value:
                self._select["first"] = value
        elif tag == "textarea" and name:
            self.kinds.setdefault(name, "textarea")
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            chosen = self._select["selected"] or (
                []
                if self._select["multiple"] or self._select["first"] is None
                else [self._select["first"]]
            )
            self._form["fields"].extend((self._select["name"], v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


FIELD_KINDS: dict[str, str] = {}  # field name -> kind, over every form read


def _form_fields(html: str, path: str) -> dict:
    reader = _FormReader(path)
    reader.feed(html)
    FIELD_KINDS.update(reader.kinds)
    forms = [f for f in reader.forms if any(n != "csrfmiddlewaretoken" for n, _ in f["fields"])]
    body: dict[str, list[str]] = {}
    for name, value in forms[0]["fields"] if forms else []:
        if name != "csrfmiddlewaretoken":
            body.setdefault(name, []).append(value)
    return body


def builder_for(rule, side) -> str | None:
    """Who opens the form to read its fields: a user allowed on that side's object."""
    if side == "other":
        return "sc_staff" if "zj_staff" in rule.allowed else "programme"
    for role in (
        "zj_staff",
        "programme",
        "zj_manager",
        "zj_trainer",
        matrix.CONTACT,
        matrix.GROUP_CONTACT,
        "norole",
        "anonymous",
    ):
        if role in rule.allowed:
            return role
    return None


_PAYLOADS: dict[tuple[str, str], dict] = {}  # the world's ids are the same for the module


def payload(world, name, side="own") -> dict:
    key = (name, side)
    if key not in _PAYLOADS:
        rule = POST_MATRIX[name]
        kwargs = (rule.other if side == "other" else rule.kwargs)(world)
        url = reverse(name, kwargs=kwargs)
        body: dict = {}
        builder = builder_for(rule, side)
        if rule.form and builder:
            reader = Client()
            if builder != "anonymous":
                reader.force_login(getattr(world["cast"], builder))
            response = reader.get(url)
            assert response.status_code == 200, (name, side, builder, response.status_code)
            body = _form_fields(response.content.decode(), url)
            if rule.fill:
                body = rule.fill(body)
        for field_name, value in rule.fields(world).items():
            body[field_name] = value
        _PAYLOADS[key] = body
    return dict(_PAYLOADS[key])


HUGE = "9" * 30
LONG = "长" * 5000
GARBAGE: dict[str, Callable[[dict], dict]] = {
    "empty": lambda body: {},
    "huge_ints": lambda body: dict.fromkeys(body, HUGE),
    "negative": lambda body: dict.fromkeys(body, "-1"),
    "overlong": lambda body: dict.fromkeys(body, LONG),
    "wrong_types": lambda body: dict.fromkeys(body, "2026-13-45T99:99"),
    "unknown_choices": lambda body: dict.fromkeys(body, ["zz-unknown", "0"]),
    "control_chars": lambda body: dict.fromkeys(body, "a\x00b\x0bc"),
}


def form_errors(response) -> str:
    context = getattr(response, "context", None)
    form = context.get("form") if context else None
    return f"form errors: {form.errors.as_json()}" if form is not None else ""


# The bad values worth trying on a field, by how the page shows it.
BAD_VALUES = {
    "date": ["0001-01-01", "9999-12-31"],
    "number": [HUGE, "-1"],
    "select": ["zz-unknown", HUGE],
    "checkbox": ["zz-unknown"],
    "hidden": [HUGE, LONG],
    "month": ["0001-01", "9999-12"],
}
BAD_TEXT = [LONG, "a\x0bb"]


# A grid (a year's targets: indicator × module × sex × quarter) or a formset repeats the same
# field hundreds of times: each cell is one field class, so a few cells of each kind and
# shape prove how the grid takes a bad value. Every distinct field is still spoiled.
CELLS_PER_SHAPE = 3
CELLS_PER_KIND_IN_A_GRID = 3
GRID = 40  # fields: above this many, a form is a grid


def _shape(field_name: str) -> str:
    """A field's name with its row keys blurred: numbers, a grid cell's leading indicator
    code (``code__module__sex__q1``) and a prefixed form's key (``kpi-<code>-value``)."""
    name = re.sub(r"\d+", "#", field_name)
    if name.count("__") >= 2:
        return re.sub(r"^[a-z_]+?__", "*__", name)
    return re.sub(r"^([a-z_]+)-[^-]+-([a-z_]+)$", r"\1-*-\2", name)


def fields_to_spoil(body: dict) -> list[str]:
    grid = len(body) > GRID
    per_shape: dict[tuple, int] = {}
    per_kind: dict[str, int] = {}
    chosen = []
    for field_name in body:
        kind = FIELD_KINDS.get(field_name, "")
        key = (kind, _shape(field_name))
        if per_shape.get(key, 0) >= CELLS_PER_SHAPE:
            continue
        if grid and key[1] != field_name and per_kind.get(kind, 0) >= CELLS_PER_KIND_IN_A_GRID:
            continue
        per_shape[key] = per_shape.get(key, 0) + 1
        if key[1] != field_name:
            per_kind[kind] = per_kind.get(kind, 0) + 1
        chosen.append(field_name)
    return chosen


def huge_ids(kwargs: dict) -> dict:
    return {key: int(HUGE) if isinstance(value, int) else value for key, value in kwargs.items()}


def extend_for_posts(world: dict) -> None:
    """What the POST rules need beyond the shared world: a spare enrolment, a verified
    (locked) reading and a second consultant per partner, and a workshop held today whose
    evaluation form is open."""
    from django.utils import timezone

    from catalogue.models import KPIDefinition, Module
    from enterprises.models import KPIReading
    from trainers.models import Assignment
    from workshops.services import evaluation_tokens_issue

    from .factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory, WorkshopFactory

    world["module2"] = Module.objects.exclude(pk=world["module"].pk).order_by("code").first()
    for prefix, partner in (("", world["cast"].zj), ("other_", world["cast"].sc)):
        world[f"{prefix}spare_enrolment"] = EnrolmentFactory(
            enterprise=EnterpriseFactory(partner=partner)
        )
        world[f"{prefix}locked"] = KPIReading.objects.create(
            enterprise=world[f"{prefix}enterprise"],
            kpi=KPIDefinition.objects.get(code="defect_rate"),
            kind="follow_up",
            period_start="2026-04-01",
            period_end="2026-06-30",
            value=3,
            verified_by=world["cast"].programme,
            verified_at="2026-07-01T00:00Z",
        )
        # a second consultant without planned visits, so removing them is allowed
        world[f"{prefix}assignment"] = Assignment.objects.create(
            trainer=TrainerFactory(partners=[partner]),
            enrolment=world[f"{prefix}enrolment"],
        )
    today = timezone.localdate()
    held = WorkshopFactory(
        partner=world["cast"].zj, status="held", start_date=today, end_date=today
    )
    person = held.participants.create(
        enrolment=EnrolmentFactory(enterprise=EnterpriseFactory(partner=world["cast"].zj)),
        name="Evaluator",
        sex="M",
        level="manager",
    )
    world["open_evaluation_token"] = evaluation_tokens_issue(
        acting_user=world["cast"].zj_staff, workshop=held, participants=[person]
    )[person.pk]
