from minzheng.communities.tests.conftest import staff  # noqa: F401  the same staff of 敦仁街道 and 珍溪镇
