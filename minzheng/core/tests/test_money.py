from minzheng.core.money import fen_to_yuan, format_yuan


def test_format_yuan_is_exact_and_signed():
    assert format_yuan(123456789) == "1,234,567.89"
    assert format_yuan(-12345) == "-123.45"
    assert format_yuan(5, grouping=False) == "0.05"
    assert format_yuan(None) == ""
    # 2**53 + 1 fen would lose its last fen through float; Decimal keeps it
    assert format_yuan(9007199254740993, grouping=False) == "90071992547409.93"
    assert str(fen_to_yuan(100)) == "1.00"
