"""Choices of the citizens' site: English values, Chinese labels."""

from django.db import models


class MessageTopic(models.TextChoices):
    """群众留言的事项: each reaches the staff who hold its line's permission (``messages.TOPIC_PERMS``)."""

    ASSISTANCE = "assistance", "低保、特困、临时救助"
    ELDERCARE = "eldercare", "养老服务"
    CHILDREN = "children", "儿童福利与保护"
    FUNERAL = "funeral", "殡葬服务"
    MARRIAGE = "marriage", "婚姻登记"
    VOLUNTEER = "volunteer", "志愿服务"
    OTHER = "other", "其他"
