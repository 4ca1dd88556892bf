from django.contrib import admin
from django.utils.html import format_html_join

from hqzt.audit.labels import action_label, action_labels, object_type_label
from hqzt.audit.models import AuditEvent
from hqzt.core.admin import ReadOnlyAdmin


class ActionFilter(admin.SimpleListFilter):
    """The actions that occur, by their Chinese names."""

    title = "操作"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
        labels = action_labels()
        return sorted(((c, labels.get(c, c)) for c in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ObjectTypeFilter(admin.SimpleListFilter):
    title = "对象类型"
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        types = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
        return sorted(((t, object_type_label(t)) for t in types), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the history can be inspected, never edited or deleted. Action codes and
    object types show by their Chinese names."""

    list_display = ["at", "actor", "action_name", "object_type_name", "object_repr", "ip"]
    list_filter = [ActionFilter, ObjectTypeFilter]
    search_fields = ["object_repr", "object_id"]
    date_hierarchy = "at"
    fields = ["at", "actor", "action_name", "object_type_name", "object_id", "object_repr"]
    fields += ["change_list", "ip"]
    readonly_fields = fields

    @admin.display(description="操作", ordering="action")
    def action_name(self, obj: AuditEvent) -> str:
        return action_label(obj.action)

    @admin.display(description="对象类型", ordering="object_type")
    def object_type_name(self, obj: AuditEvent) -> str:
        return object_type_label(obj.object_type)

    @admin.display(description="变更内容")
    def change_list(self, obj: AuditEvent) -> str:
        rows = (obj.changes or {}).get("fields") or []
        if not rows:
            return "—"
        return format_html_join(
            "\n",
            "<div>{}：{} → {}</div>",
            (
                (r.get("label", ""), r.get("before") or "（空）", r.get("after") or "（空）")
                for r in rows
            ),
        )
