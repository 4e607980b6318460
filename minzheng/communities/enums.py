"""The community-governance line's vocabulary: English values, Chinese labels."""

from django.db import models


class Ownership(models.TextChoices):
    OWNED = "owned", "自有产权"
    DEVELOPER = "developer", "开发商配建移交"
    LEASED = "leased", "租赁"
    SHARED = "shared", "共建共享（借用）"


class FacilityStatus(models.TextChoices):
    IN_USE = "in_use", "使用中"
    BUILDING = "building", "在建"
    CLOSED = "closed", "停用"


class Post(models.TextChoices):
    CHAIR = "chair", "主任"
    VICE_CHAIR = "vice_chair", "副主任"
    MEMBER = "member", "委员"


class ElectionStatus(models.TextChoices):
    QUALIFYING = "qualifying", "资格联审"
    SCHEDULED = "scheduled", "待投票"
    VOTED = "voted", "已选举"
    CERTIFIED = "certified", "已发证"
    CANCELLED = "cancelled", "已终止"


class DisclosureCategory(models.TextChoices):
    DECISION = "decision", "村（居）民会议决定及执行"
    FUNDS = "funds", "救助补贴资金物资"
    GOVERNMENT = "government", "协助政府工作事项"
    FINANCE = "finance", "财务收支"
    OTHER = "other", "其他群众关心事项"


class MatterCategory(models.TextChoices):
    MAJOR = "major", "大事"
    MINOR = "minor", "小事"
    PRIVATE = "private", "私事"


class MatterOwner(models.TextChoices):
    GOVERNMENT = "government", "政府（部门、乡镇街道）"
    COMMUNITY = "community", "村（社区）及社会组织、群众"
    RESIDENT = "resident", "居民自己"


# 三事分流: 大事 → 政府, 小事 → 村（社区）, 私事 → 居民 (service-lines.md §10).
DEFAULT_OWNER = {MatterCategory.MAJOR: MatterOwner.GOVERNMENT, MatterCategory.MINOR: MatterOwner.COMMUNITY,
                 MatterCategory.PRIVATE: MatterOwner.RESIDENT}  # fmt: skip


class MatterStatus(models.TextChoices):
    OPEN = "open", "办理中"
    DONE = "done", "已办结"


class CharterKind(models.TextChoices):
    CHARTER = "charter", "自治章程"
    COMPACT = "compact", "村规民约（居民公约）"


class WorkerPost(models.TextChoices):
    """三岗十八级: the grade bands of each post (service-lines.md §10, working default)."""

    CHIEF = "chief", "正职"
    DEPUTY = "deputy", "副职"
    STAFF = "staff", "其他社区工作者"


GRADE_BANDS = {WorkerPost.CHIEF: (7, 18), WorkerPost.DEPUTY: (4, 15), WorkerPost.STAFF: (1, 12)}


class SiteLevel(models.TextChoices):
    DISTRICT = "district", "区级"
    CITY = "city", "市级"


class SiteEvaluation(models.TextChoices):
    PENDING = "pending", "待评估"
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"
