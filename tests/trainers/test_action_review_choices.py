"""The visit form's review of earlier actions offers three answers nobody can confuse
(issue 20, item 7): in Chinese "仍未完成 / 未完成" stood side by side."""

import pytest
from django.utils.translation import override

from tests.factories import EnterpriseFactory
from trainers.forms.visits import VisitForm
from trainers.models import VisitAction

pytestmark = pytest.mark.django_db


def _labels(language):
    action = VisitAction(pk=7, description="Install a suggestion box")
    with override(language):
        form = VisitForm(enterprise=EnterpriseFactory(), open_actions=[action])
        return [str(label) for _value, label in form.fields["review_7"].choices]


def _distinct(labels):
    return all(a not in b for a in labels for b in labels if a is not b)


def test_action_review_answers_are_distinct_in_english():
    labels = _labels("en")
    assert labels == ["Still open", "Done", "Dropped (will not be done)"]
    assert _distinct(labels)


def test_action_review_answers_are_distinct_in_chinese():
    labels = _labels("zh-hans")
    assert labels == ["继续跟进", "已完成", "已放弃（不再跟进）"]
    assert _distinct(labels) and "未完成" not in "".join(labels)


def test_a_dropped_action_reads_dropped_in_chinese_lists():
    with override("zh-hans"):
        assert str(VisitAction.Status.NOT_DONE.label) == "已放弃"
        assert str(VisitAction.Status.OPEN.label) == "待完成"
