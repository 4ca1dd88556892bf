from django.contrib import admin

from hqzt.org.models import OrgUnit, Section


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "region_code", "supervision_phone"]
    list_filter = ["level"]
    search_fields = ["name", "short_name"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_unit", "contact_person", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["kind", "is_active", "org_unit"]
    search_fields = ["name"]
