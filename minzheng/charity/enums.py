from django.db import models


class DonorKind(models.TextChoices):
    INDIVIDUAL = "individual", "个人"
    ENTERPRISE = "enterprise", "企业"
    ORGANISATION = "organisation", "社会组织或其他单位"
    ANONYMOUS = "anonymous", "匿名"


class DutyKind(models.TextChoices):
    ANNUAL_REPORT = "annual_report", "年度工作报告和财务会计报告"
    RELATED_PARTIES = "related_parties", "关联方名单报送"
    CAMPAIGN_PROGRESS = "campaign_progress", "募捐活动进展公开（每3个月）"
    CAMPAIGN_FINAL = "campaign_final", "募捐活动结束后全面公开"
    TRUST_ANNUAL = "trust_annual", "慈善信托年度事务处理情况公开"


class CharityStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    TERMINATED = "terminated", "已终止"
