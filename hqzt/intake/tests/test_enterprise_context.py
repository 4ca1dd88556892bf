"""Issue 16 item 2: the enterprise's industry and chain, when known, take part in the
suggestion — learnt from the city's history, since the corpus has no enterprises."""

import pytest

from hqzt.enterprises.tests.factories import ChainFactory
from hqzt.intake import labels
from hqzt.intake.corpus import training_samples
from hqzt.intake.model import Classifier, Sample
from hqzt.intake.services import enterprise_context, history_samples, suggest, suggestion_for_need
from hqzt.needs.models import Channel, Scope, Source
from hqzt.needs.services.identification import need_identify
from hqzt.needs.services.registration import NeedItem, need_register

TEXT = "厂里的设备需要做年度检验"


def _history(chain: str, type_name: str, lead: str) -> list[Sample]:
    return [
        Sample(
            text=f"{i}号{TEXT[2:]}",
            type=type_name,
            scope=labels.SCOPE_MARKET,
            complexity=labels.COORDINATED,
            lead=lead,
            weight=3.0,
            context=(f"链:{chain}",),
        )
        for i in range(6)
    ]


def test_the_chain_decides_what_the_words_leave_open() -> None:
    model = Classifier.train(
        [
            *training_samples(),
            *_history("煤层气产业链", "特种设备检验", "特种设备安全监察科"),
            *_history("光机电产业链", "计量", "计量科"),
        ]
    )
    gas = model.suggest(TEXT, ("链:煤层气产业链",))
    optics = model.suggest(TEXT, ("链:光机电产业链",))
    assert (gas.type.name, gas.lead.name) == ("特种设备检验", "特种设备安全监察科")
    assert (optics.type.name, optics.lead.name) == ("计量", "计量科")


def test_an_unknown_enterprise_changes_nothing() -> None:
    # The committed model has never seen these features: the same answer and confidence.
    plain = suggest(TEXT)
    known = suggest(TEXT, context=("行业:机械制造", "链:从未见过的产业链"))
    assert plain.types == known.types and plain.leads == known.leads


@pytest.mark.django_db
def test_history_and_need_suggestions_carry_the_enterprise(
    staff_a, station_a, enterprise_a, metrology, city
) -> None:
    chain = ChainFactory(name="煤层气产业链")
    enterprise_a.industry = "燃气生产"
    enterprise_a.save()
    enterprise_a.chains.add(chain)
    assert enterprise_context(enterprise_a) == ("行业:燃气生产", "链:煤层气产业链")
    sheet = need_register(
        actor=staff_a,
        station=station_a,
        enterprise=enterprise_a,
        contact_name="王经理",
        contact_phone="13812345678",
        source=Source.INBOUND,
        channel=Channel.objects.get(code="phone"),
        items=[NeedItem(need_type=metrology, content=TEXT)],
    )
    need = need_identify(
        need=sheet.needs.get(), actor=staff_a, scope=Scope.MARKET_REGULATION, complexity="simple"
    )
    (sample,) = history_samples(city.pk)
    assert sample.context == ("行业:燃气生产", "链:煤层气产业链")
    assert suggestion_for_need(need) == suggest(TEXT, context=("行业:燃气生产", "链:煤层气产业链"))
