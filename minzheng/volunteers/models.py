"""Volunteer rows, each with the code of its division (a volunteer's village, an organisation's
town or the district, a station's village, an activity's division) and read only through
``visible_to(actor)`` / ``access_by_id``.

A station placed in a community service facility links the facility of the community-governance
register (``minzheng.communities``), so indicator 9 has one reading (docs/volunteers.md). A
service request may be offered to a volunteer station, a volunteer organisation or a station of
the social-work network (``minzheng.socialwork``). An organisation's ``registration_no`` waits
for the social-organisation register (``minzheng.sociorgs``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.volunteers.enums import RequestSource, RequestStatus


class Organisation(models.Model):
    """A volunteer organisation (志愿服务组织, 《志愿服务条例》第6条)."""

    name = models.CharField("组织名称", max_length=100)
    registration_no = models.CharField("登记证号（统一社会信用代码）", max_length=30, blank=True)
    division_code = models.CharField("所在区划代码", max_length=12)
    founded_on = models.DateField("成立日期")
    dissolved_on = models.DateField("注销日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "志愿服务组织"

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name="所属组织")
    name = models.CharField("队伍名称", max_length=100)
    division_code = models.CharField("区划代码", max_length=12)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "志愿服务队伍"

    def __str__(self) -> str:
        return self.name


class Station(models.Model):
    """A village's (community's) volunteer station; indicator 9 counts those in the village's
    community service facility."""

    name = models.CharField("站点名称", max_length=100)
    division_code = models.CharField("村（社区）代码", max_length=12)
    facility = models.ForeignKey("communities.ServiceFacility", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="所在社区综合服务设施")  # fmt: skip
    opened_on = models.DateField("建成日期")
    closed_on = models.DateField("撤销日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "志愿服务站点"

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A registered volunteer: a person of the registry, with the consent recorded."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    division_code = models.CharField("村（社区）代码", max_length=12)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="volunteers",
                                     verbose_name="所属组织")  # fmt: skip
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="volunteers", verbose_name="所属队伍")
    skills = models.CharField("服务技能", max_length=200, blank=True)
    available_time = models.CharField("可服务时间", max_length=100, blank=True)
    consent_on = models.DateField("本人同意登记日期")
    guardian_name = models.CharField("监护人姓名", max_length=40, blank=True)
    guardian_consent_on = models.DateField("监护人同意日期", null=True, blank=True)
    registered_on = models.DateField("登记日期")
    left_on = models.DateField("退出日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "注册志愿者"
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(left_on__isnull=True), name="vol_volunteer_one_active"),
        ]


class Activity(models.Model):
    title = models.CharField("活动名称", max_length=120)
    division_code = models.CharField("区划代码", max_length=12)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="activities",
                                     verbose_name="组织方")  # fmt: skip
    station = models.ForeignKey(Station, on_delete=models.PROTECT, null=True, blank=True, related_name="activities", verbose_name="站点")
    held_on = models.DateField("活动日期")
    description = models.CharField("活动内容", max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "志愿服务活动"

    def __str__(self) -> str:
        return self.title


class ServiceHours(models.Model):
    """One volunteer's sign-in and hours at one activity (once per person and activity)."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="hours", verbose_name="活动")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="hours", verbose_name="志愿者")
    division_code = models.CharField("区划代码", max_length=12)  # the activity's
    hours = models.DecimalField("服务时长（小时）", max_digits=4, decimal_places=1)
    signed_in_at = models.DateTimeField("签到时间")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="记录人")  # fmt: skip

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "志愿服务时长"
        constraints = [models.UniqueConstraint(fields=["activity", "volunteer"], name="vol_hours_once_per_activity")]


class Certificate(models.Model):
    """The log of hours certificates issued (free, 民政部令第67号)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="certificates", verbose_name="志愿者")
    division_code = models.CharField("区划代码", max_length=12)
    number = models.CharField("证明编号", max_length=24, unique=True)
    issued_on = models.DateField("出具日期")
    total_hours = models.DecimalField("累计时长（小时）", max_digits=8, decimal_places=1)
    activities = models.PositiveIntegerField("参加活动次数")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "志愿服务时长证明"


class ServiceRequest(models.Model):
    """A need raised from an elderly person's or a child's file or a 三留守 visit, offered to a
    volunteer station or organisation, with the response recorded."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="服务对象")
    division_code = models.CharField("村（社区）代码", max_length=12)
    source = models.CharField("来源", max_length=10, choices=RequestSource.choices)
    need = models.CharField("服务需求", max_length=500)
    raised_on = models.DateField("提出日期")
    status = models.CharField("状态", max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    station = models.ForeignKey(Station, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="对接站点")
    social_work_station = models.ForeignKey("socialwork.Station", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                            verbose_name="对接社会工作站点")  # fmt: skip
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name="对接组织")  # fmt: skip
    offered_on = models.DateField("派单日期", null=True, blank=True)
    response = models.CharField("响应情况", max_length=500, blank=True)
    responded_on = models.DateField("响应日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "志愿服务需求"
