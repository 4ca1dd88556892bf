"""The classifier in the identify/dispatch/liaise forms, the record of what people chose, and
retraining from their decisions."""

import pytest
from django.urls import reverse

from hqzt.intake.models import SuggestionRecord
from hqzt.intake.services import build_model, suggest
from hqzt.needs.actions import action_form
from hqzt.needs.models import Channel, Scope, Source
from hqzt.needs.services.identification import need_dispatch, need_identify
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.org.models import Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def need_saying(staff_a, station_a, enterprise_a, metrology):
    """need_saying(text) → a registered need of station A with that content (type 计量)."""

    def make(text: str):
        sheet = need_register(
            actor=staff_a,
            station=station_a,
            enterprise=enterprise_a,
            contact_name="王经理",
            contact_phone="13812345678",
            source=Source.INBOUND,
            channel=Channel.objects.get(code="phone"),
            items=[NeedItem(need_type=metrology, content=text)],
        )
        return sheet.needs.get()

    return make


def _identified(need, staff_a, scope=Scope.MARKET_REGULATION, complexity="coordinated"):
    return need_identify(need=need, actor=staff_a, scope=scope, complexity=complexity)


def test_identify_form_opens_on_the_suggestion(need_saying) -> None:
    form = action_form("identify", need_saying("地磅称不准被投诉，请尽快派人上门检定"))
    assert form.initial == {"scope": Scope.MARKET_REGULATION, "complexity": "coordinated"}
    assert "系统建议：市场监管职能范围" in form.fields["scope"].help_text
    assert "需求类型建议：计量" in form.fields["scope"].help_text

    form = action_form("identify", need_saying("研发费用加计扣除怎么享受"))
    assert form.initial == {"scope": Scope.OTHER_DEPARTMENT}


def test_dispatch_form_opens_on_the_suggested_section_not_the_types_default(
    need_saying, staff_a
) -> None:
    # Registered as 计量 (default 计量科), but the text is about a boiler.
    need = _identified(need_saying("锅炉定期检验到期了，请安排检验所上门"), staff_a)
    form = action_form("dispatch", need)
    assert form.initial["lead_section"] == Section.objects.get(name="特种设备安全监察科").pk
    help_text = form.fields["lead_section"].help_text
    assert help_text.startswith("系统建议：特种设备安全监察科（可信度 ")
    assert "依据：" in help_text and "锅炉" in help_text
    assert help_text.count("%") == 3  # the suggestion and the next two


def test_liaise_form_opens_on_the_suggested_department(need_saying, staff_a) -> None:
    need = _identified(need_saying("增值税留抵退税怎么申请"), staff_a, Scope.OTHER_DEPARTMENT)
    form = action_form("liaise", need)
    assert form.initial["department"] == Section.objects.get(name="市税务局").pk
    assert "系统建议：市税务局" in form.fields["department"].help_text


def test_need_page_shows_the_suggestion(client_for, need_saying, staff_a) -> None:
    need = need_saying("电子秤检定周期是多久")
    page = client_for(staff_a).get(reverse("needs:detail", args=[need.pk])).text
    assert "系统建议：市场监管职能范围" in page


def test_decisions_are_recorded_against_the_suggestion(need_saying, staff_a, chief_a) -> None:
    need = _identified(need_saying("加油机检定到期，请上门检定"), staff_a)
    records = {r.stage: r for r in SuggestionRecord.objects.filter(need=need)}
    assert records["type"].accepted and records["type"].chosen == "计量"
    assert records["identify"].suggested == "市场监管职能范围/需要协调"
    assert records["identify"].accepted
    # The chief overrides the suggested 计量科.
    need_dispatch(
        need=need,
        actor=chief_a,
        handling_mode="independent",
        lead_section=Section.objects.get(name="质量发展科"),
    )
    dispatch = SuggestionRecord.objects.get(need=need, stage="dispatch")
    assert (dispatch.suggested, dispatch.chosen, dispatch.accepted) == (
        "计量科",
        "质量发展科",
        False,
    )
    assert 0 < dispatch.confidence <= 1
    assert dispatch.actor == chief_a


def test_retraining_follows_people_who_keep_overriding(
    settings, tmp_path, need_saying, staff_a, chief_a, city
) -> None:
    """A city where 地磅 needs always go to 质量发展科: after retraining, the city's suggestion
    follows; the corpus-only suggestion does not change."""
    settings.DATA_DIR = tmp_path
    text = "物流园的地磅要做年度检定"
    assert suggest(text, city_id=city.pk).lead.name == "计量科"
    quality = Section.objects.get(name="质量发展科")
    for i in range(8):
        need = _identified(need_saying(f"{i + 1}号地磅年度检定，请上门"), staff_a)
        need_dispatch(need=need, actor=chief_a, handling_mode="independent", lead_section=quality)
    assert SuggestionRecord.objects.filter(stage="dispatch", accepted=False).count() == 8
    build_model(city.pk)
    assert suggest(text, city_id=city.pk).lead.name == "质量发展科"
    assert suggest(text).lead.name == "计量科"


def test_statistics_page_shows_the_adoption_rate(client_for, need_saying, staff_a, supervisor):
    _identified(need_saying("加油机检定到期，请上门检定"), staff_a)
    _identified(need_saying("加油机检定到期，请上门检定"), staff_a, Scope.OTHER_DEPARTMENT)
    page = client_for(supervisor).get(reverse("dashboard:stats")).text
    assert "建议采纳率" in page
    # 职能范围与难易程度: two decisions, one as suggested → 50.0 %.
    assert '<td>职能范围与难易程度</td><td class="text-end">2</td>' in page
    assert "50.0" in page


def test_scheduled_job_retrains_every_city(settings, tmp_path, city) -> None:
    from hqzt.intake.tasks import retrain_intake_models

    settings.DATA_DIR = tmp_path
    retrain_intake_models.call_local()
    assert (tmp_path / "intake" / "model.json.gz").exists()
    assert (tmp_path / "intake" / f"model-city-{city.pk}.json.gz").exists()
