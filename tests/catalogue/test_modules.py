import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from catalogue import services
from catalogue.models import Module
from catalogue.selectors import entry_module

pytestmark = pytest.mark.django_db


def test_the_five_core_modules_are_installed_with_chinese_names():
    modules = {m.code: m for m in Module.objects.all()}
    assert list(modules)[:5] == ["M1", "M2", "M3", "M4", "M5"]
    assert modules["M1"].name_zh == "模块一 工作场所合作"
    assert modules["M5"].name_en == "Occupational Safety and Health"
    assert entry_module() == modules["M1"]


def test_programme_manager_adds_a_module(cast):
    module = services.module_save(
        acting_user=cast.programme,
        code="M6",
        name_en="Lean Manufacturing",
        name_zh="精益生产",
        classroom_days=2,
        planned_visits=3,
        order=60,
    )
    assert Module.objects.get(code="M6") == module


def test_partner_staff_cannot_change_the_catalogue(cast):
    with pytest.raises(PermissionDenied):
        services.module_save(acting_user=cast.zj_staff, code="M9", name_en="X", name_zh="X")


def test_new_entry_module_takes_the_flag(cast):
    basics = services.module_save(
        acting_user=cast.programme,
        code="B0",
        name_en="SCORE Basics",
        name_zh="SCORE 基础",
        is_entry=True,
        order=5,
    )
    assert entry_module() == basics
    assert Module.objects.filter(is_entry=True).count() == 1


def test_duplicate_code_is_refused_case_insensitively(cast):
    with pytest.raises(ValidationError) as caught:
        services.module_save(acting_user=cast.programme, code="m1", name_en="Again", name_zh="重复")
    assert caught.value.message_dict["code"] == ["A module with this code already exists."]
    assert "module_code_unique_ci" not in str(caught.value)


def test_module_form_shows_errors_and_saves_nothing(client, cast):
    client.force_login(cast.programme)
    before = Module.objects.count()
    response = client.post(
        reverse("catalogue:module-create"), {"code": "", "name_en": "", "classroom_days": "0"}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert Module.objects.count() == before


def test_module_form_edits(client, cast):
    client.force_login(cast.programme)
    m2 = Module.objects.get(code="M2")
    data = {
        "code": "M2",
        "name_en": "Quality Management",
        "name_zh": "模块二 质量管理",
        "description": "",
        "classroom_days": 3,
        "planned_visits": 5,
        "order": 20,
        "is_active": "on",
    }
    response = client.post(reverse("catalogue:module-edit", args=[m2.pk]), data)
    assert response.status_code == 302
    m2.refresh_from_db()
    assert (m2.classroom_days, m2.planned_visits) == (3, 5)


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("catalogue:module-list", {}, "/modules/"),
        ("catalogue:module-create", {}, "/modules/new/"),
        ("catalogue:module-edit", {"pk": 3}, "/modules/3/edit/"),
        ("catalogue:kpi-list", {}, "/enterprises/kpi-catalogue/"),
        ("catalogue:kpi-create", {}, "/enterprises/kpi-catalogue/new/"),
        ("catalogue:kpi-edit", {"kpi_pk": 4}, "/enterprises/kpi-catalogue/4/edit/"),
    ],
)
def test_it_keeps_the_paths_the_catalogue_pages_had(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path


def test_it_records_the_author_of_a_module_edit_and_of_the_entry_flag_it_moves(cast):
    m1 = Module.objects.get(code="M1")
    services.module_save(acting_user=cast.programme, module=m1, name_en="Workplace Cooperation+")
    edit = m1.history.latest("history_date")
    assert (edit.history_type, edit.name_en, edit.history_user) == (
        "~",
        "Workplace Cooperation+",
        cast.programme,
    )
    basics = services.module_save(
        acting_user=cast.programme,
        code="B0",
        name_en="Basics",
        name_zh="基础",
        is_entry=True,
        order=5,
    )
    assert basics.history.get().history_user == cast.programme
    moved = m1.history.latest("history_date")
    assert (moved.is_entry, moved.history_user) == (False, cast.programme)


def test_it_records_the_author_of_a_kpi_definition_edit(cast):
    from catalogue.models import KPIDefinition

    kpi = KPIDefinition.objects.first()
    services.kpi_definition_save(acting_user=cast.programme, kpi=kpi, name_en="Renamed")
    assert kpi.history.latest("history_date").history_user == cast.programme
