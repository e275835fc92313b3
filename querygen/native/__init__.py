"""The same QuerySpec as each platform's own API filter (Wiz GraphQL, Prisma RQL/alerts,
Lacework search bodies); what a platform cannot say raises ``NotExpressible``."""

from querygen.native.base import NativeFilter, NotExpressible, compile_native
from querygen.native.lacework import to_lacework
from querygen.native.prisma import to_prisma
from querygen.native.wiz import to_wiz

__all__ = ["NativeFilter", "NotExpressible", "compile_native", "to_lacework", "to_prisma", "to_wiz"]
