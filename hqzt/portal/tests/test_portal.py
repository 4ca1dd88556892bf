import io
import re
import uuid

import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from hqzt.needs.models import Need, NeedType
from hqzt.needs.states import Status
from hqzt.supervision.models import Feedback

pytestmark = pytest.mark.django_db


def _submit_data(**overrides):
    data = {
        "enterprise_name": "晋城市门户测试机械有限公司",
        "credit_code": "",
        "contact_name": "孙经理",
        "contact_phone": "139 0356 1234",
        "need_type": NeedType.objects.get(code="metrology").pk,
        "content": "压力表需要检定",
        "key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_home_lists_and_searches_active_stations(client, station_a, station_b):
    station_b.is_active = False
    station_b.save()
    text = client.get(reverse("portal:home")).text
    assert station_a.name in text and station_b.name not in text
    assert station_a.name not in client.get(reverse("portal:home"), {"q": "不存在"}).text


# DB1405 §5.2.4
def test_station_board_shows_the_public_information(client, station_a, chief_a):
    text = client.get(reverse("portal:station", args=[station_a.pk])).text
    assert station_a.service_content in text and "0356-2225678" in text  # supervision phone
    assert chief_a.full_name in text and "需求识别和任务分发" in text
    assert client.get(reverse("portal:station", args=[999])).status_code == 404


def test_submission_lands_pending_with_a_receipt(client, station_a):
    response = client.post(reverse("portal:submit", args=[station_a.pk]), _submit_data())
    assert response.url == reverse("portal:receipt")
    need = Need.objects.get()
    assert need.status == Status.PENDING_ACCEPTANCE and need.channel.code == "portal"
    assert need.contact_phone == "13903561234" and need.first_contact is None
    assert need.enterprise.stations.filter(pk=station_a.pk).exists()
    receipt = client.get(reverse("portal:receipt")).text
    assert need.sheet.tracking_number in receipt and "139****1234" in receipt


def test_double_submission_creates_one_need(client, station_a):
    data = _submit_data()
    response = client.post(reverse("portal:submit", args=[station_a.pk]), data)
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    response = client.post(reverse("portal:submit", args=[station_a.pk]), data)
    # the same form again: the same receipt, no second need
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    assert Need.objects.count() == 1


def test_existing_enterprise_is_matched_by_credit_code(client, station_a, enterprise_b):
    response = client.post(
        reverse("portal:submit", args=[station_a.pk]),
        _submit_data(enterprise_name="简称", credit_code=enterprise_b.credit_code.lower()),
    )
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    assert Need.objects.get().enterprise == enterprise_b


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contact_phone": "1390356"}, "不是有效的电话号码"),
        ({"credit_code": "91350100M000100Y44"}, "校验位错误"),
        ({"content": ""}, "必填项"),
        ({"enterprise_name": "甲"}, "请填写企业全称"),
    ],
)
def test_bad_submission_is_refused_in_chinese(client, station_a, overrides, message):
    response = client.post(reverse("portal:submit", args=[station_a.pk]), _submit_data(**overrides))
    assert response.status_code == 200 and message in response.text
    assert not Need.objects.exists()


def test_uploads_are_checked(client, station_a):
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00not an image")
    response = client.post(
        reverse("portal:submit", args=[station_a.pk]), _submit_data(attachments=fake)
    )
    assert "附件类型不支持" in response.text and not Need.objects.exists()
    png = SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50)
    response = client.post(
        reverse("portal:submit", args=[station_a.pk]), _submit_data(attachments=png)
    )
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    assert Need.objects.get().attachments.get().content_type == "image/png"


def _track(client, number, last4):
    response = client.post(
        reverse("portal:track"), {"tracking_number": number, "phone_last4": last4}
    )
    match = re.search(r'<div class="alert[^"]*" data-testid="track-none">.*?</div>', response.text)
    return response, match.group(0) if match else None


def test_progress_lookup_needs_the_phone_proof(client, station_a, staff_a):
    response = client.post(reverse("portal:submit", args=[station_a.pk]), _submit_data())
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    need = Need.objects.get()
    from hqzt.needs.services.registration import need_accept_intake

    need_accept_intake(need=need, actor=staff_a)
    response, none = _track(client, need.sheet.tracking_number, "1234")
    assert none is None
    assert "服务站已受理" in response.text and "压力表需要检定" in response.text
    assert staff_a.full_name not in response.text  # no staff names or internal notes


def test_wrong_proof_and_unknown_number_answer_the_same(client, station_a):
    response = client.post(reverse("portal:submit", args=[station_a.pk]), _submit_data())
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    number = Need.objects.get().sheet.tracking_number
    wrong, wrong_box = _track(client, number, "9999")
    unknown, unknown_box = _track(client, "20990001", "1234")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong_box == unknown_box is not None


def test_public_posts_are_rate_limited(client, station_a):
    statuses = [
        client.post(
            reverse("portal:track"), {"tracking_number": "1", "phone_last4": "0000"}
        ).status_code
        for _ in range(21)
    ]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429
    response = client.post(reverse("portal:track"), {"tracking_number": "1", "phone_last4": "0"})
    assert response.status_code == 429 and "操作过于频繁" in response.text


def test_feedback_is_recorded_and_reaches_the_supervisors(
    client, station_b, county_supervisor, supervisor
):
    response = client.post(
        reverse("portal:feedback"),
        {"kind": "complaint", "station": station_b.pk, "content": "窗口无人值守", "phone": ""},
    )
    assert "已收到您的意见" in response.text
    feedback = Feedback.objects.get()
    assert feedback.kind == "complaint" and feedback.channel == "portal"
    assert county_supervisor.notifications.filter(kind="feedback").exists()
    assert supervisor.notifications.filter(kind="feedback").exists()


def test_forms_carry_csrf_protection(station_a):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("portal:submit", args=[station_a.pk]), _submit_data())
    assert response.status_code == 403 and not Need.objects.exists()


# --- Printed notice and sign --------------------------------------------------------------------


def _qr_in_pdf(data: bytes) -> list[str]:
    page = PdfReader(io.BytesIO(data)).pages[0]
    found = []
    for image in page.images:
        found += [r.text for r in zxingcpp.read_barcodes(image.image)]
    return found


# DB1405 §5.2.3 §附录A
def test_poster_and_sign_carry_the_station_and_a_working_qr(client, station_a, settings):
    settings.HQZT_BASE_URL = "https://hqzt.example.gov.cn"
    expected = f"https://hqzt.example.gov.cn/portal/stations/{station_a.pk}/submit/"
    poster = client.get(reverse("portal:poster", args=[station_a.pk])).content
    text = PdfReader(io.BytesIO(poster)).pages[0].extract_text()
    assert "惠企直通服务站" in text and station_a.name in text and "监督投诉电话" in text
    assert _qr_in_pdf(poster) == [expected]
    sign = client.get(reverse("portal:sign", args=[station_a.pk, "pdf"])).content
    text = PdfReader(io.BytesIO(sign)).pages[0].extract_text()
    assert "惠企直通服务站" in text and station_a.name in text and "晋城市" in text
    assert _qr_in_pdf(sign) == [expected]
    svg = client.get(reverse("portal:sign", args=[station_a.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert "惠企直通服务站" in svg.text and station_a.name in svg.text and "<path" in svg.text
    assert client.get(reverse("portal:sign", args=[station_a.pk, "gif"])).status_code == 404


@pytest.mark.parametrize("where", ["web", "api"])
def test_a_number_stops_answering_after_a_few_wrong_digits(client, station_a, settings, where):
    """From any address (numbers are sequential, addresses are cheap): after a handful of wrong
    digits the number answers "not found" even to the right digits, for an hour."""
    response = client.post(reverse("portal:submit", args=[station_a.pk]), _submit_data())
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    number = Need.objects.get().sheet.tracking_number

    def lookup(last4: str, n: int) -> bool:
        if where == "web":
            return _track_from(client, number, last4, n)
        response = client.post(
            reverse("api:portal-track"),
            {"tracking_number": number, "phone_last4": last4},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
        return response.status_code == 200

    assert lookup("1234", 0)
    for n in range(settings.PORTAL_TRACK_FAILURES):
        assert not lookup(f"{n:04d}", n + 1)
    assert not lookup("1234", 99)
    from django.core.cache import cache

    cache.clear()  # the hour has passed
    assert lookup("1234", 100)


def _shared_number(client, station_a, station_b):
    """Two stations' first sheets of the year: the same bare number, two enterprises."""
    response = client.post(reverse("portal:submit", args=[station_a.pk]), _submit_data())
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    response = client.post(
        reverse("portal:submit", args=[station_b.pk]),
        _submit_data(enterprise_name="晋城市乙站门户企业有限公司", contact_phone="13803565678"),
    )
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    sheet_a = Need.objects.get(station=station_a).sheet
    sheet_b = Need.objects.get(station=station_b).sheet
    assert sheet_a.tracking_number == sheet_b.tracking_number
    return sheet_a, sheet_b


def test_wrong_digits_on_a_shared_bare_number_lock_only_the_guesser(
    client, station_a, station_b, settings
):
    """Outside probe F4: five wrong digits on a bare number locked it at every station that uses
    it. Now the attacker locks only themself; the other stations' enterprises still look up."""
    from django.core.cache import cache

    sheet_a, sheet_b = _shared_number(client, station_a, station_b)
    bare = sheet_a.tracking_number
    attacker = 200
    for n in range(settings.PORTAL_TRACK_FAILURES):
        assert not _track_from(client, bare, f"{n:04d}", attacker)
    assert not _track_from(client, bare, "1234", attacker)  # locked for the guesser
    assert not _track_from(client, sheet_a.reference, "0000", attacker)  # a guess at A's number
    # The honest enterprises, at station B and at station A, from their own addresses.
    assert _track_from(client, bare, "5678", 7)
    assert _track_from(client, sheet_b.reference, "5678", 8)
    assert _track_from(client, sheet_a.reference, "1234", 9)

    # Many addresses together still do not share the 10,000 guesses: the bare spelling stops
    # answering everybody; each station's own number keeps answering its enterprise.
    cache.clear()
    for n in range(settings.PORTAL_TRACK_BARE_FAILURES):
        assert not _track_from(client, bare, f"{n:04d}", 100 + n)
    assert not _track_from(client, bare, "5678", 30)
    assert _track_from(client, sheet_b.reference, "5678", 31)
    assert _track_from(client, sheet_a.reference, "1234", 32)


def test_wrong_digits_on_a_station_number_lock_that_number_only(
    client, station_a, station_b, settings
):
    sheet_a, sheet_b = _shared_number(client, station_a, station_b)
    for n in range(settings.PORTAL_TRACK_FAILURES):
        assert not _track_from(client, sheet_a.reference, f"{n:04d}", 40 + n)
    # Station A's number is locked for everybody, in either spelling, right digits included …
    assert not _track_from(client, sheet_a.reference, "1234", 60)
    assert not _track_from(client, sheet_a.tracking_number, "1234", 61)
    # … and station B's sheet of the same bare number is not.
    assert _track_from(client, sheet_b.reference, "5678", 62)
    assert _track_from(client, sheet_b.tracking_number, "5678", 63)


def _track_from(client, number, last4, n) -> bool:
    response = client.post(
        reverse("portal:track"),
        {"tracking_number": number, "phone_last4": last4},
        REMOTE_ADDR=f"198.51.100.{n}",
    )
    return 'data-testid="track-none"' not in response.text


def test_the_same_form_sent_again_with_other_content_is_refused(client, station_a):
    data = _submit_data()
    response = client.post(reverse("portal:submit", args=[station_a.pk]), data)
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    again = client.post(
        reverse("portal:submit", args=[station_a.pk]), {**data, "content": "改了内容"}
    )
    assert again.status_code == 200 and "这份表单已经提交过" in again.text
    assert Need.objects.get().content == "压力表需要检定"


# DB1405 §4
def test_the_six_service_principles_are_on_the_portal_notice_and_poster(client, station_a):
    """§4 服务理念: the portal, the station's public notice board and its printed poster."""
    from hqzt.stations.principles import SERVICE_PRINCIPLES

    assert len(SERVICE_PRINCIPLES) == 6
    home = client.get(reverse("portal:home")).text
    notice = client.get(reverse("portal:station", args=[station_a.pk])).text
    for principle in SERVICE_PRINCIPLES:
        assert principle in home and principle in notice
    station_a.service_content = "计量、标准化、检验检测、认证认可咨询与帮办。" * 40
    station_a.route_guidance = "乘3路公交至园区站下车向东200米"
    station_a.save()
    poster = client.get(reverse("portal:poster", args=[station_a.pk])).content
    text = PdfReader(io.BytesIO(poster)).pages[0].extract_text().replace("\n", "")
    for principle in SERVICE_PRINCIPLES:
        assert principle in text
    assert "监督投诉电话" in text and "园区站下车" in text  # a long content does not push it off


# DB1405 §6.2
def test_notice_and_poster_publish_miniprogram_im_and_phone(client, station_a, settings):
    """§6.2: 小程序 (the web portal), 即时通讯 with its QR code, 客服电话 side by side."""
    settings.HQZT_BASE_URL = "https://hqzt.example.gov.cn"
    station_a.im_contact = "微信群“甲站惠企直通”"
    station_a.im_link = "https://weixin.qq.com/g/abc"
    station_a.save()
    notice = client.get(reverse("portal:station", args=[station_a.pk])).text
    contacts = notice[notice.index('data-testid="contacts"') :]
    assert "小程序/网页门户" in contacts and "即时通讯：微信群“甲站惠企直通”" in contacts
    assert "客服电话" in contacts and 'data-testid="im-qr"' in contacts
    poster = client.get(reverse("portal:poster", args=[station_a.pk])).content
    text = PdfReader(io.BytesIO(poster)).pages[0].extract_text().replace("\n", "")
    assert "即时通讯：微信群“甲站惠企直通”" in text and "客服电话" in text and "小程序" in text
    submit = f"https://hqzt.example.gov.cn/portal/stations/{station_a.pk}/submit/"
    assert sorted(_qr_in_pdf(poster)) == sorted([submit, "https://weixin.qq.com/g/abc"])


def test_a_station_without_im_shows_no_empty_im_line(client, station_a):
    notice = client.get(reverse("portal:station", args=[station_a.pk])).text
    assert 'data-testid="im"' not in notice and "客服电话" in notice


def test_web_portal_submissions_are_named_web_portal(client, station_a):
    response = client.post(reverse("portal:submit", args=[station_a.pk]), _submit_data())
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    assert Need.objects.get().channel.name == "网页门户"


def test_full_width_last_digits_find_the_need(client, station_a):
    # A Chinese input method in full-width mode (outside probe): ６０００ is 6000.
    response = client.post(reverse("portal:submit", args=[station_a.pk]), _submit_data())
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    number = Need.objects.get().sheet.tracking_number
    response, none = _track(client, number, "１２３４")
    assert none is None and "压力表需要检定" in response.text
