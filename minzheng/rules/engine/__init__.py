"""Backend-neutral machinery of the rules engine: periods, money, parameters, the expression
tree and its two evaluators (per case in Python/Decimal, batch in Polars/integer fen)."""
