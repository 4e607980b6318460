from minzheng.core.money import fen_to_yuan, format_yuan, read_typed_yuan


def test_format_yuan_is_exact_and_signed():
    assert format_yuan(123456789) == "1,234,567.89"
    assert format_yuan(-12345) == "-123.45"
    assert format_yuan(5, grouping=False) == "0.05"
    assert format_yuan(None) == ""
    # 2**53 + 1 fen would lose its last fen through float; Decimal keeps it
    assert format_yuan(9007199254740993, grouping=False) == "90071992547409.93"
    assert str(fen_to_yuan(100)) == "1.00"


def test_a_typed_yuan_amount_is_read_once_for_every_line():
    errors: dict[str, str] = {}
    assert read_typed_yuan("1234.56", field="amount", label="金额", errors=errors) == 123456
    assert read_typed_yuan("", field="a", label="捐赠金额", errors=errors, required=False, missing=0) == 0
    assert errors == {}
    for raw, message in (("", "请填写金额"), ("1.001", "金额应为金额（元），最多两位小数"), ("-1", "金额不能为负数"),
                         ("100000000.01", "金额不能超过100,000,000.00元，请核对"), ("1" + "0" * 40, "金额不能超过100,000,000.00元，请核对")):  # fmt: skip
        errors = {}
        assert read_typed_yuan(raw, field="amount", label="金额", errors=errors) is None
        assert errors == {"amount": message}, raw
