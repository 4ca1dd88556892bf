from django.contrib import admin

from hqzt.core.admin import ReferenceItemAdmin
from hqzt.needs.models import Channel, NeedType


@admin.register(NeedType)
class NeedTypeAdmin(ReferenceItemAdmin):
    list_display = [*ReferenceItemAdmin.list_display, "default_section"]


admin.site.register(Channel, ReferenceItemAdmin)
