"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS): strategies for our custom scalars."""

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

schemathesis.graphql.scalar(
    "Decimal",
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False).map(
        lambda d: nodes.String(str(d))
    ),
)
