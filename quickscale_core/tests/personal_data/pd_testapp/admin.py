from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from quickscale_core.personal_data.admin import PersonalDataAdminMixin

from pd_testapp.models import User


@admin.register(User)
class UserAdmin(PersonalDataAdminMixin, DjangoUserAdmin):
    pass
