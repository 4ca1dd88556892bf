"""A ledger row's need type as a person reading it would decide (issue 14 item 3): a synonym,
another department's matter or a missing type is fixed, and the row says so."""

from dataclasses import dataclass, field

from hqzt.documents.spreadsheet import match_key
from hqzt.intake import labels
from hqzt.intake.model import Suggestion
from hqzt.intake.services import suggest
from hqzt.needs.models import NeedType, NeedTypeAlias
from hqzt.org.models import Section


def need_types() -> dict[str, NeedType]:
    """Need types by their name, their code and their aliases (keys without spaces)."""
    lookup = {}
    for need_type in NeedType.objects.all():
        lookup[match_key(need_type.name)] = lookup[f"code:{need_type.code}"] = need_type
    lookup |= {
        match_key(a.alias): a.need_type for a in NeedTypeAlias.objects.select_related("need_type")
    }
    return lookup


@dataclass(frozen=True)
class TypeFix:
    need_type: NeedType
    department: Section | None = None
    aliasable: bool = False  # a synonym worth remembering as an alias of the type
    warnings: list[str] = field(default_factory=list)


# Below this the classifier is guessing: "你好" or "火箭发射" get a type of about 0.3, a need that
# names its subject well above 0.9. A type cell that names nothing is refused, not guessed.
MIN_CONFIDENCE = 0.5


def _understood(suggestion: Suggestion) -> bool:
    """Whether the words name a type, or another department ("社保" names 人社局, not a type)."""
    return bool(
        (suggestion.words and suggestion.type.confidence >= MIN_CONFIDENCE)
        or (
            suggestion.lead_words
            and suggestion.lead.confidence >= MIN_CONFIDENCE
            and suggestion.lead.name in labels.DEPARTMENTS
        )
    )


def type_fix(
    type_text: str, content: str, types: dict[str, NeedType], city_id: int | None
) -> TypeFix | None:
    """The type a row means, as a person reading it would decide (issue 14 item 3): its name
    or alias as written; else the smart intake's suggestion (issue 16) for a synonym or variant
    (标准化服务, 3C认证), another department's matter (税务, 社保, 用地) as a need of that
    department's scope, or a missing type from the need's words. Each decision but the first
    carries its warning naming the deciding word. None: the type cell names nothing known."""
    if type_text and (known := types.get(match_key(type_text))):
        return TypeFix(known)
    suggestion = suggest(type_text or content, city_id=city_id)
    guessed = _understood(suggestion)
    if guessed and type_text and suggestion.scope.name == labels.SCOPE_OTHER:
        # Another department's matter: the need's own words say whether it asks about a policy
        # (税务 + "留抵退税政策怎么申请" is 政策咨询, ROUTING.md rule 3) or names a subject.
        suggestion = suggest(f"{type_text}：{content}", city_id=city_id)
    if type_text and not guessed:
        return None
    if not guessed:
        other = types["code:other"]
        return TypeFix(other, warnings=[f"未填需求类型，也无法从需求内容判断，暂按「{other}」导入"])
    need_type = types[match_key(suggestion.type.name)]
    department = None
    if suggestion.scope.name == labels.SCOPE_OTHER and suggestion.lead.name in labels.DEPARTMENTS:
        department = Section.objects.filter(
            name=suggestion.lead.name, kind=Section.Kind.OTHER_DEPARTMENT
        ).first()
    where = f"属于{department.name}的职能，按其他部门职能范围、" if department else "按"
    if type_text:
        warning = f"需求类型「{type_text}」{where}「{need_type}」导入"
    else:
        word = (suggestion.words or suggestion.lead_words)[0]
        warning = f"未填需求类型，需求内容提到「{word}」，{where}「{need_type}」导入"
    return TypeFix(
        need_type, department, aliasable=bool(type_text) and not department, warnings=[warning]
    )
