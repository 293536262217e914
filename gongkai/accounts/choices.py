from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    AGENCY = "agency", _("本机关")
    OFFICE = "office", _("公开办")
    DEPARTMENT = "department", _("内设部门")
    POLICE_BRANCH = "police_branch", _("警种")
    AFFILIATED = "affiliated", _("直属单位")
    CITY_BUREAU = "city_bureau", _("市（州）局")


class Role(models.TextChoices):
    EDITOR = "editor", _("部门编辑")
    HEAD = "head", _("部门负责人")
    REVIEWER = "reviewer", _("公开办审核员")
    LEADER = "leader", _("领导")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
