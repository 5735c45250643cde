"""Who may open each URL of the project (the GET half of the URL walk's classification).

A new URL fails ``tests/test_url_walk.py`` until it is classified in ``MATRIX``: who may open
it, and how to build its arguments from objects of the user's own partner and of the other
partner. For a URL whose object belongs to a partner, the other partner's object must answer
404 to every role except the programme manager.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

CONTACT = "zj_contact"  # the enterprise contact of w["enterprise"] (ZJ): 404 outside it
# the contact of w["group"] (ZJ's group, which holds w["enterprise"]): not a column of the
# matrices (the enterprise pages are the enterprise contact's); the POST matrix posts as
# them to the group's own pages
GROUP_CONTACT = "zj_group_contact"
ROLES = ["anonymous", "norole", "programme", "zj_manager", "zj_staff", "zj_trainer", CONTACT]
ALL = {"norole", "programme", "zj_manager", "zj_staff", "zj_trainer", CONTACT}
WITH_ROLE = ALL - {"norole", CONTACT}  # the partner roles
REPORTING = {"programme", "zj_manager", "zj_staff"}
PUBLIC = {"anonymous"} | ALL


@dataclass
class Rule:
    allowed: set[str]
    # builds kwargs from the test world; "own" objects belong to ZJ, "other" to SC
    kwargs: Callable[[dict], dict] = field(default=lambda world: {})
    other: Callable[[dict], dict] | None = None  # kwargs for the other partner's object
    ok: tuple[int, ...] = (200,)
    hidden: set[str] = field(default_factory=set)  # roles for whom the own object is 404
    redirected: set[str] = field(default_factory=set)  # roles sent elsewhere (302, not login)


def PARTNER(w):
    return {"pk": w["cast"].zj.pk}


def PARTNER_OTHER(w):
    return {"pk": w["cast"].sc.pk}


def E(w):
    return {"pk": w["enterprise"].pk}


def E_OTHER(w):
    return {"pk": w["other_enterprise"].pk}


def ENT_PK(w):
    return {"enterprise_pk": w["enterprise"].pk}


def ENT_PK_OTHER(w):
    return {"enterprise_pk": w["other_enterprise"].pk}


def EIT(w):
    return {"pk": w["enterprise"].pk, "member_pk": w["member"].pk}


def EIT_OTHER(w):
    return {"pk": w["other_enterprise"].pk, "member_pk": w["other_member"].pk}


def PROJECT(w):
    return {"pk": w["enterprise"].pk, "project_pk": w["project"].pk}


def PROJECT_OTHER(w):
    return {"pk": w["other_enterprise"].pk, "project_pk": w["other_project"].pk}


def W(w):
    return {"pk": w["workshop"].pk}


def W_OTHER(w):
    return {"pk": w["other_workshop"].pk}


def SHEET(w):
    return {"pk": w["workshop"].pk, "job_pk": w["sheet"].pk}


def SHEET_OTHER(w):
    return {"pk": w["other_workshop"].pk, "job_pk": w["other_sheet"].pk}


def DELEGATION(w):
    return {"pk": w["workshop"].pk, "enrolment_pk": w["enrolment"].pk}


def DELEGATION_OTHER(w):
    return {"pk": w["other_workshop"].pk, "enrolment_pk": w["other_enrolment"].pk}


def PARTICIPANT(w):
    return {"pk": w["workshop"].pk, "participant_pk": w["participant"].pk}


def PARTICIPANT_OTHER(w):
    return {"pk": w["other_workshop"].pk, "participant_pk": w["other_participant"].pk}


def READING(w):
    return {"pk": w["enterprise"].pk, "reading_pk": w["reading"].pk}


def READING_OTHER(w):
    return {"pk": w["other_enterprise"].pk, "reading_pk": w["other_reading"].pk}


def RETURNED(w):
    return {"pk": w["enterprise"].pk, "reading_pk": w["returned"].pk}


def RETURNED_OTHER(w):
    return {"pk": w["other_enterprise"].pk, "reading_pk": w["other_returned"].pk}


def VISIT(w):
    return {"pk": w["visit"].pk}


def VISIT_OTHER(w):
    return {"pk": w["other_visit"].pk}


def SUBSCRIPTION(w):
    return {"pk": w["zj_subscription"].pk}


def SUBSCRIPTION_OTHER(w):
    return {"pk": w["sc_subscription"].pk}


def VISIT_FILE(w):
    return {"pk": w["visit"].pk, "file_pk": w["visit_file"].pk}


def VISIT_FILE_OTHER(w):
    return {"pk": w["other_visit"].pk, "file_pk": w["other_visit_file"].pk}


def CONFLICT(w):
    return {"pk": w["conflict"].pk}


def CONFLICT_OTHER(w):
    return {"pk": w["other_conflict"].pk}


def CHECKLIST(w):
    return {"module_pk": w["module"].pk}


def CHECKLIST_ITEM(w):
    return {"module_pk": w["module"].pk, "item_pk": w["checklist_item"].pk}


def ASSESS_NEW(w):
    return {"pk": w["enterprise"].pk, "module_pk": w["module"].pk}


def ASSESS_NEW_OTHER(w):
    return {"pk": w["other_enterprise"].pk, "module_pk": w["module"].pk}


def ASSESSMENT(w):
    return {"pk": w["enterprise"].pk, "assessment_pk": w["assessment"].pk}


def ASSESSMENT_OTHER(w):
    return {"pk": w["other_enterprise"].pk, "assessment_pk": w["other_assessment"].pk}


def ENROLMENT_PK(w):
    return {"enrolment_pk": w["enrolment"].pk}


def ENROLMENT_PK_OTHER(w):
    return {"enrolment_pk": w["other_enrolment"].pk}


def ENROL(w):
    return {"pk": w["enrolment"].pk}


def ENROL_OTHER(w):
    return {"pk": w["other_enrolment"].pk}


def EXPORT(w):
    return {"pk": w["zj_export"].pk}


def EXPORT_OTHER(w):
    return {"pk": w["sc_export"].pk}


def JOB(w):
    return {"pk": w["zj_job"].pk}


def JOB_OTHER(w):
    return {"pk": w["sc_job"].pk}


def T(w):
    return {"pk": w["trainer"].pk}


def T_OTHER(w):
    return {"pk": w["other_trainer"].pk}


def G(w):
    return {"pk": w["group"].pk}


def G_OTHER(w):
    return {"pk": w["other_group"].pk}


def CERT(w):
    return {"pk": w["trainer"].pk, "module_pk": w["module"].pk}


def CERT_OTHER(w):
    return {"pk": w["other_trainer"].pk, "module_pk": w["module"].pk}


def _question(code):
    from catalogue.models import EvaluationQuestion

    return EvaluationQuestion.objects.get(code=code, is_active=True)


def ACTION(w):
    return {"pk": w["action"].pk}


def ENTERPRISE_RUN(w):
    return {"pk": w["enterprise_run"].pk}


MATRIX: dict[str, Rule] = {
    "home": Rule(ALL, redirected={CONTACT}),  # a contact's home is their enterprise's portal
    "healthz": Rule(PUBLIC, ok=(200, 503)),
    "favicon": Rule(PUBLIC, ok=(301,)),  # to the static icon
    "login": Rule({"anonymous"}, ok=(200,)),
    "password_change": Rule(ALL),
    "password_change_done": Rule(ALL),
    # Catalogue (reference data): every role reads, programme managers edit.
    "catalogue:module-list": Rule(WITH_ROLE),
    "catalogue:module-create": Rule({"programme"}),
    "catalogue:module-edit": Rule({"programme"}, kwargs=lambda w: {"pk": w["module"].pk}),
    "catalogue:kpi-list": Rule(WITH_ROLE),
    "catalogue:kpi-create": Rule({"programme"}),
    "catalogue:kpi-edit": Rule({"programme"}, kwargs=lambda w: {"kpi_pk": w["reading"].kpi_id}),
    # Workshop evaluation questions: reference data every role reads, programme managers edit.
    "catalogue:evaluation-question-list": Rule(WITH_ROLE),
    "catalogue:evaluation-question-create": Rule({"programme"}),
    "catalogue:evaluation-question-edit": Rule(
        {"programme"},
        kwargs=lambda w: {"question_pk": _question("overall").pk},
    ),
    "catalogue:checklist-list": Rule(WITH_ROLE),
    "catalogue:checklist-detail": Rule(WITH_ROLE, kwargs=CHECKLIST),
    "catalogue:checklist-item-create": Rule({"programme"}, kwargs=CHECKLIST),
    "catalogue:checklist-item-edit": Rule({"programme"}, kwargs=CHECKLIST_ITEM),
    # POST only (GET: 405 for those who may, 403 for the others)
    "catalogue:checklist-item-remove": Rule({"programme"}, kwargs=CHECKLIST_ITEM, ok=(405,)),
    # Enterprises: staff change, managers and programme managers read; trainers see only
    # enterprises assigned to them (none here).
    "enterprises:list": Rule(WITH_ROLE),
    "enterprises:create": Rule({"zj_staff"}),
    "enterprises:detail": Rule(
        {"programme", "zj_manager", "zj_staff"}, kwargs=E, other=E_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:edit": Rule({"zj_staff"}, kwargs=E, other=E_OTHER, hidden={"zj_trainer"}),
    # Enterprise groups: a partner's; trainers see those of the enterprises they consult
    # (none here), programme managers all.
    "enterprises:groups:list": Rule(WITH_ROLE),
    "enterprises:groups:create": Rule({"zj_staff"}),
    "enterprises:groups:detail": Rule(
        {"programme", "zj_manager", "zj_staff"}, kwargs=G, other=G_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:groups:edit": Rule({"zj_staff"}, kwargs=G, other=G_OTHER, hidden={"zj_trainer"}),
    "enterprises:groups:assign": Rule({"zj_staff"}, kwargs=G, other=G_OTHER, hidden={"zj_trainer"}),
    "enterprises:merge": Rule({"zj_staff"}, kwargs=E, other=E_OTHER, hidden={"zj_trainer"}),
    "enterprises:history": Rule(
        {"programme", "zj_manager", "zj_staff"}, kwargs=E, other=E_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:eit-create": Rule({"zj_staff"}, kwargs=E, other=E_OTHER, hidden={"zj_trainer"}),
    "enterprises:eit-edit": Rule({"zj_staff"}, kwargs=EIT, other=EIT_OTHER, hidden={"zj_trainer"}),
    "enterprises:project-create": Rule(
        {"zj_staff"}, kwargs=E, other=E_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:project-edit": Rule(
        {"zj_staff"}, kwargs=PROJECT, other=PROJECT_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:suggestions-record": Rule(
        {"zj_staff"}, kwargs=E, other=E_OTHER, hidden={"zj_trainer"}
    ),
    # SCORE assessments: staff and assigned trainers record, managers read.
    "enterprises:assessment-record": Rule(
        {"zj_staff"}, kwargs=ASSESS_NEW, other=ASSESS_NEW_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:assessment-detail": Rule(
        {"programme", "zj_manager", "zj_staff"},
        kwargs=ASSESSMENT,
        other=ASSESSMENT_OTHER,
        hidden={"zj_trainer"},
    ),
    "enterprises:assessment-edit": Rule(
        {"zj_staff"}, kwargs=ASSESSMENT, other=ASSESSMENT_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:enrolments:create": Rule(
        {"zj_staff", "programme"}, kwargs=ENT_PK, other=ENT_PK_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:enrolments:edit": Rule(
        {"zj_staff"}, kwargs=ENROL, other=ENROL_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:enrolments:transition": Rule(
        {"zj_staff"}, kwargs=ENROL, other=ENROL_OTHER, hidden={"zj_trainer"}
    ),
    # Workshops: trainers see only the workshops they teach (none here).
    "workshops:list": Rule(WITH_ROLE),
    "workshops:calendar": Rule(WITH_ROLE),
    "workshops:create": Rule({"zj_staff"}),
    "workshops:detail": Rule(
        {"programme", "zj_manager", "zj_staff"}, kwargs=W, other=W_OTHER, hidden={"zj_trainer"}
    ),
    "workshops:edit": Rule({"zj_staff"}, kwargs=W, other=W_OTHER, hidden={"zj_trainer"}),
    "workshops:invite": Rule({"zj_staff"}, kwargs=W, other=W_OTHER, hidden={"zj_trainer"}),
    "workshops:cancel": Rule({"zj_staff"}, kwargs=W, other=W_OTHER, hidden={"zj_trainer"}),
    "workshops:attendance": Rule({"zj_staff"}, kwargs=W, other=W_OTHER, hidden={"zj_trainer"}),
    # Attendance sheets: staff import them; trainers and managers do not.
    "workshops:sheet-upload": Rule({"zj_staff"}, kwargs=W, other=W_OTHER, hidden={"zj_trainer"}),
    "workshops:sheet-job": Rule(
        {"zj_staff"}, kwargs=SHEET, other=SHEET_OTHER, hidden={"zj_trainer"}
    ),
    "workshops:sheet-job-progress": Rule(
        {"zj_staff"}, kwargs=SHEET, other=SHEET_OTHER, hidden={"zj_trainer"}
    ),
    "workshops:sheet-job-confirm": Rule(
        {"zj_staff"}, kwargs=SHEET, other=SHEET_OTHER, hidden={"zj_trainer"}, ok=(405,)
    ),  # POST
    "workshops:delegation-add": Rule(
        {"zj_staff"}, kwargs=DELEGATION, other=DELEGATION_OTHER, hidden={"zj_trainer"}
    ),
    "workshops:participant-edit": Rule(
        {"zj_staff"}, kwargs=PARTICIPANT, other=PARTICIPANT_OTHER, hidden={"zj_trainer"}
    ),
    "trainers:teaching:team": Rule({"zj_staff"}, kwargs=W, other=W_OTHER, hidden={"zj_trainer"}),
    "trainers:teaching:complete": Rule(
        {"zj_staff"}, kwargs=W, other=W_OTHER, hidden={"zj_trainer"}
    ),
    # KPIs: staff record and verify, managers read, trainers only for assigned enterprises.
    "enterprises:kpi:overview": Rule(
        {"programme", "zj_manager", "zj_staff"}, kwargs=E, other=E_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:kpi:record": Rule({"zj_staff"}, kwargs=E, other=E_OTHER, hidden={"zj_trainer"}),
    "enterprises:kpi:edit": Rule(
        {"zj_staff"}, kwargs=READING, other=READING_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:kpi:unlock": Rule(
        {"zj_staff"}, kwargs=READING, other=READING_OTHER, hidden={"zj_trainer"}
    ),
    # The data review loop: a reading's page for whoever sees the enterprise; staff return
    # readings and verify them from their queue; the author answers a returned reading (the
    # world's has no known author: whoever records for the enterprise).
    "enterprises:kpi:detail": Rule(
        {"programme", "zj_manager", "zj_staff"},
        kwargs=READING,
        other=READING_OTHER,
        hidden={"zj_trainer"},
    ),
    "enterprises:kpi:return": Rule(
        {"zj_staff"}, kwargs=READING, other=READING_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:kpi:answer": Rule(
        {"zj_staff"}, kwargs=RETURNED, other=RETURNED_OTHER, hidden={"zj_trainer"}
    ),
    "enterprises:review:queue": Rule({"zj_staff"}),
    "enterprises:kpi:evidence": Rule(
        {"programme", "zj_manager", "zj_staff"},
        kwargs=READING,
        other=READING_OTHER,
        hidden={"zj_trainer"},
    ),
    # Visits: staff and the assigned trainer record; managers read.
    "trainers:visits:plan": Rule(WITH_ROLE),
    "trainers:visits:detail": Rule(
        {"programme", "zj_manager", "zj_staff"},
        kwargs=VISIT,
        other=VISIT_OTHER,
        hidden={"zj_trainer"},
    ),
    "trainers:visits:file": Rule(
        {"programme", "zj_manager", "zj_staff"},
        kwargs=VISIT_FILE,
        other=VISIT_FILE_OTHER,
        hidden={"zj_trainer"},
    ),
    "trainers:visits:record": Rule(
        {"zj_staff"}, kwargs=VISIT, other=VISIT_OTHER, hidden={"zj_trainer"}
    ),
    "trainers:visits:cancel": Rule(
        {"zj_staff"}, kwargs=VISIT, other=VISIT_OTHER, hidden={"zj_trainer"}
    ),
    "trainers:visits:new": Rule(
        {"zj_staff"},
        kwargs=ENROLMENT_PK,
        other=ENROLMENT_PK_OTHER,
        hidden={"zj_trainer"},
        ok=(200, 302),
    ),
    # The trainer's app: service worker and manifest for everyone; the offline page, its
    # data and the sync endpoint for those who record (GET on sync: 405).
    "trainers:service-worker": Rule(PUBLIC),
    "trainers:manifest": Rule(PUBLIC),
    "trainers:offline-app": Rule({"zj_staff", "zj_trainer"}),
    "trainers:offline-data": Rule({"zj_staff", "zj_trainer"}),
    "trainers:sync": Rule({"zj_staff", "zj_trainer"}, ok=(405,)),
    "trainers:sync-conflicts": Rule(WITH_ROLE),
    "trainers:sync-conflict": Rule(
        {"programme", "zj_manager", "zj_staff"},
        kwargs=CONFLICT,
        other=CONFLICT_OTHER,
        hidden={"zj_trainer"},
    ),
    "enterprises:transfer:import": Rule({"zj_staff"}),
    "enterprises:transfer:template": Rule({"zj_staff"}),
    # A programme manager sees imports to grant an override of wrong check characters.
    "enterprises:transfer:job": Rule({"zj_staff", "programme"}, kwargs=JOB, other=JOB_OTHER),
    "enterprises:transfer:job-progress": Rule(
        {"zj_staff", "programme"}, kwargs=JOB, other=JOB_OTHER
    ),
    "enterprises:transfer:job-confirm": Rule(
        {"zj_staff"}, kwargs=JOB, other=JOB_OTHER, ok=(405,)
    ),  # POST
    "enterprises:transfer:job-rejected": Rule(
        {"zj_staff", "programme"}, kwargs=JOB, other=JOB_OTHER, ok=(404,)
    ),  # 404 until a partial import has rejected rows
    "enterprises:transfer:job-override": Rule(
        {"programme"}, kwargs=JOB, other=JOB_OTHER, ok=(405,)
    ),  # POST
    "enterprises:transfer:export": Rule(WITH_ROLE),
    # Only the person who asked for an export sees it: zj-staff's; everyone else 404.
    "enterprises:transfer:export-job": Rule(
        {"zj_staff"},
        kwargs=EXPORT,
        other=EXPORT_OTHER,
        hidden=WITH_ROLE - {"zj_staff"},
    ),
    "enterprises:transfer:export-job-progress": Rule(
        {"zj_staff"},
        kwargs=EXPORT,
        other=EXPORT_OTHER,
        hidden=WITH_ROLE - {"zj_staff"},
    ),
    "enterprises:transfer:export-job-download": Rule(
        {"zj_staff"},
        kwargs=EXPORT,
        other=EXPORT_OTHER,
        hidden=WITH_ROLE - {"zj_staff"},
    ),
    # The dashboard adapts to the role; trainers are sent to their home page.
    "reports:dashboard": Rule(REPORTING, redirected={"zj_trainer"}),
    "reports:target-list": Rule(WITH_ROLE),
    # One partner's "Needs attention" block, loaded by its dashboard.
    "reports:dashboard-attention": Rule(
        REPORTING,
        kwargs=lambda w: {"partner_pk": w["cast"].zj.pk},
        other=lambda w: {"partner_pk": w["cast"].sc.pk},
        hidden={"zj_trainer"},
    ),
    # The indicator register: definitions, readable by anyone with a role.
    "reports:indicator-list": Rule(WITH_ROLE),
    # Evaluation results: scoped to the user's workshops (trainers: those they teach).
    "reports:evaluations": Rule(WITH_ROLE),
    "reports:indicator-detail": Rule(WITH_ROLE, kwargs=lambda w: {"code": "cost_recovery"}),
    "reports:target-edit": Rule(
        {"programme"}, kwargs=lambda w: {"partner_pk": w["cast"].zj.pk, "year": 2026}
    ),
    # Copying last year's targets: programme managers (a confirmation page, then POST).
    "reports:target-copy": Rule(
        {"programme"}, kwargs=lambda w: {"partner_pk": w["cast"].zj.pk, "year": 2026}
    ),
    # Targets against actuals and a partner's indicators over time (and its logframe XLSX):
    # read by everyone with a role, for the partners they see.
    "reports:target-actuals": Rule(WITH_ROLE),
    "reports:target-partner": Rule(
        WITH_ROLE,
        kwargs=lambda w: {"partner_pk": w["cast"].zj.pk},
        other=lambda w: {"partner_pk": w["cast"].sc.pk},
    ),
    "reports:target-partner-xlsx": Rule(
        WITH_ROLE,
        kwargs=lambda w: {"partner_pk": w["cast"].zj.pk},
        other=lambda w: {"partner_pk": w["cast"].sc.pk},
    ),
    "preferences": Rule(ALL),
    "reports:run-list": Rule(REPORTING),
    "reports:run-table": Rule(REPORTING),
    "reports:run-create": Rule(REPORTING),
    "reports:run-download": Rule(
        REPORTING, kwargs=lambda w: {"pk": w["zj_run"].pk}, other=lambda w: {"pk": w["sc_run"].pk}
    ),
    "reports:run-download-xlsx": Rule(
        REPORTING, kwargs=lambda w: {"pk": w["zj_run"].pk}, other=lambda w: {"pk": w["sc_run"].pk}
    ),
    # Subscriptions: one's own, and the partner's default one for its managers (staff may
    # report but do not manage the partner's mail: 404, as someone else's subscription).
    "reports:subscription-list": Rule(REPORTING),
    "reports:subscription-create": Rule(REPORTING),
    "reports:subscription-edit": Rule(
        {"programme", "zj_manager"},
        kwargs=SUBSCRIPTION,
        other=SUBSCRIPTION_OTHER,
        hidden={"zj_staff"},
    ),
    "reports:subscription-preview": Rule(
        {"programme", "zj_manager"},
        kwargs=SUBSCRIPTION,
        other=SUBSCRIPTION_OTHER,
        hidden={"zj_staff"},
    ),
    "reports:subscription-run": Rule(
        {"programme", "zj_manager"},
        kwargs=SUBSCRIPTION,
        other=SUBSCRIPTION_OTHER,
        hidden={"zj_staff"},
        ok=(405,),
    ),
    "reports:subscription-delete": Rule(
        {"programme", "zj_manager"},
        kwargs=SUBSCRIPTION,
        other=SUBSCRIPTION_OTHER,
        hidden={"zj_staff"},
        ok=(405,),
    ),
    # POST only: a GET from someone who may use it answers 405
    "reports:run-retry": Rule(
        REPORTING,
        kwargs=lambda w: {"pk": w["zj_run"].pk},
        other=lambda w: {"pk": w["sc_run"].pk},
        ok=(405,),
    ),
    # Trainers: staff of a partner the trainer serves change; managers read; trainers read
    # the trainers of the partners they serve; "my schedule" is for trainer logins.
    "trainers:list": Rule(WITH_ROLE),
    "trainers:create": Rule({"zj_staff"}),
    "trainers:my-schedule": Rule(
        {"zj_trainer"}, redirected={"programme", "zj_manager", "zj_staff"}
    ),
    "trainers:detail": Rule(
        {"programme", "zj_manager", "zj_staff", "zj_trainer"}, kwargs=T, other=T_OTHER
    ),
    "trainers:edit": Rule({"zj_staff"}, kwargs=T, other=T_OTHER),
    "trainers:certification-create": Rule({"zj_staff"}, kwargs=T, other=T_OTHER),
    "trainers:certification-edit": Rule({"zj_staff"}, kwargs=CERT, other=CERT_OTHER),
    # POST only: a GET from someone who may use it answers 405
    "trainers:certification-renew": Rule(
        {"zj_staff"},
        kwargs=lambda w: {"pk": w["certification"].pk},
        other=lambda w: {"pk": w["other_certification"].pk},
        ok=(405,),
    ),
    # Notifications: everyone's own list and preferences; "mark all read" is POST only.
    "notifications:list": Rule(ALL),
    "notifications:preferences": Rule(ALL),
    "notifications:read": Rule(ALL, ok=(405,)),
    # Verifiable certificates: the verification page is public (no login); staff of the
    # issuing partner revoke; trainers see no certificates (their own object is 404).
    "certificates:verify-code": Rule(PUBLIC),
    # The workshop evaluation form behind a participant's QR slip: public, no login (the
    # world's workshop is long over: the page says the evaluation is closed, 200).
    "workshops:evaluate": Rule(PUBLIC, kwargs=lambda w: {"token": w["evaluation_token"].token}),
    "certificates:verify": Rule(PUBLIC, kwargs=lambda w: {"token": w["certificate"].token}),
    "certificates:list": Rule(WITH_ROLE),
    "certificates:detail": Rule(
        {"programme", "zj_manager", "zj_staff"},
        kwargs=lambda w: {"pk": w["certificate"].pk},
        other=lambda w: {"pk": w["other_certificate"].pk},
        hidden={"zj_trainer"},
    ),
    "certificates:revoke": Rule(
        {"zj_staff"},
        kwargs=lambda w: {"pk": w["certificate"].pk},
        other=lambda w: {"pk": w["other_certificate"].pk},
        hidden={"zj_trainer"},
    ),
    # POST only (issues a trainer's certificate)
    "certificates:trainer-issue": Rule(
        {"zj_staff"},
        kwargs=lambda w: {"certification_pk": w["certification"].pk},
        other=lambda w: {"certification_pk": w["other_certification"].pk},
        ok=(405,),
    ),
    # Password reset and invitations: public (an invalid link answers 200 with a message).
    "password_reset": Rule(PUBLIC),
    "password_reset_done": Rule(PUBLIC),
    "password_reset_confirm": Rule(PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}),
    "password_reset_complete": Rule(PUBLIC),
    "people:invitation-accept": Rule(PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}),
    # People: programme managers for every partner, partner managers for their own.
    "people:partner-list": Rule({"programme", "zj_manager"}),
    "people:partner-create": Rule({"programme"}),
    "people:partner-people": Rule({"programme", "zj_manager"}, kwargs=PARTNER, other=PARTNER_OTHER),
    "people:partner-edit": Rule({"programme"}, kwargs=PARTNER, other=PARTNER_OTHER),
    "people:person-invite": Rule({"programme", "zj_manager"}, kwargs=PARTNER, other=PARTNER_OTHER),
    # API tokens (api/): everyone with a role makes personal tokens on this page
    "tokens:list": Rule(WITH_ROLE),
    # Webhooks (webhooks/): partner managers for their partner, programme managers for all
    "webhooks:list": Rule({"programme", "zj_manager"}),
    "webhooks:create": Rule({"programme", "zj_manager"}),
    "webhooks:detail": Rule(
        {"programme", "zj_manager"},
        kwargs=lambda w: {"pk": w["webhook"].pk},
        other=lambda w: {"pk": w["other_webhook"].pk},
        hidden={"zj_trainer"},  # trainers reach no endpoint: not found
    ),
    # POST only: a GET from someone who may use it answers 405
    "webhooks:delete": Rule(
        {"programme", "zj_manager"},
        kwargs=lambda w: {"pk": w["webhook"].pk},
        other=lambda w: {"pk": w["other_webhook"].pk},
        hidden={"zj_trainer"},
        ok=(405,),
    ),
    "webhooks:send-again": Rule(
        {"programme", "zj_manager"},
        kwargs=lambda w: {"pk": w["webhook_delivery"].pk},
        other=lambda w: {"pk": w["other_webhook_delivery"].pk},
        hidden={"zj_trainer"},
        ok=(405,),
    ),
    # One-time login links (score_portal/login_links.py): anonymous; a wrong link is 410
    "login-link-request": Rule({"anonymous"}),
    "login-link": Rule(PUBLIC, kwargs=lambda w: {"token": "wrong-token"}, ok=(410,)),
    # The enterprise contact's portal (contacts/): the contact only; their enterprise's
    # objects of the other enterprises: tests/contacts/test_contact_role.py
    "contacts:home": Rule({CONTACT}),
    "contacts:actions": Rule({CONTACT}),
    "contacts:action-progress": Rule({CONTACT}, kwargs=ACTION, ok=(405,)),
    "contacts:kpis": Rule({CONTACT}),
    "contacts:reading-submit": Rule({CONTACT}),
    "contacts:reading-answer": Rule({CONTACT}, kwargs=lambda w: {"pk": w["contact_returned"].pk}),
    "contacts:assessments": Rule({CONTACT}),
    "contacts:assessment-record": Rule(
        {CONTACT}, kwargs=lambda w: {"module_pk": w["checklist_item"].version.module_id}
    ),
    "contacts:projects": Rule({CONTACT}),
    "contacts:project-submit": Rule({CONTACT}),
    "contacts:suggestions-submit": Rule({CONTACT}),
    "contacts:certificates": Rule({CONTACT}),
    "contacts:reports": Rule({CONTACT}),
    "contacts:report-download": Rule({CONTACT}, kwargs=ENTERPRISE_RUN),
    # a group's report page: its group contact's only (the enterprise's contact: 404)
    "contacts:group-reports": Rule({GROUP_CONTACT}, kwargs=lambda w: {"group_pk": w["group"].pk}),
    # Inviting an enterprise's contact: partner staff and managers, from the enterprise page
    "contacts-staff:invite": Rule(
        {"zj_manager", "zj_staff"}, kwargs=E, other=E_OTHER, hidden={"zj_trainer"}
    ),
    # ... and a group's contact from the group's page
    "contacts-staff:group-invite": Rule(
        {"zj_manager", "zj_staff"}, kwargs=G, other=G_OTHER, hidden={"zj_trainer"}
    ),
    # a group contact chooses the enterprise their pages show (POST only; session only)
    "contacts:switch": Rule({CONTACT}, ok=(405,)),
}
# URLs whose behaviour is tested elsewhere (POST-only or third-party).
NOT_PAGES = {
    "logout",
    "set_language",
    "enterprises:bulk",
    "enterprises:eit-delete",
    "workshops:participant-delete",
    "enterprises:kpi:verify",
    "enterprises:review:verify",
    "trainers:assignment-add",
    "trainers:assignment-remove",
    "reports:workshop-pack",
    "reports:group-report",
    # POST only: tests/url_post_rules.py (walked) and tests/score_portal/test_access_admin.py
    "people:partner-active",
    "people:membership-role",
    "people:person-deactivate",
    "tokens:revoke",
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: superusers only, checked below
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _walk(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}"


# The REST API (namespace "api") answers tokens, not pages: tests/api/test_api_matrix.py
# classifies every one of its URLs with every role's token.
ALL_URL_NAMES = sorted(
    name for name in set(_walk(get_resolver().url_patterns)) if not name.startswith("api:")
)
