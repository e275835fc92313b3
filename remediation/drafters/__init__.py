"""One module per finding-type family; each exposes ``draft(ctx) -> Remediation``."""
