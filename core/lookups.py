"""Lookups the ORM lacks, for queries whose cost must not grow with the municipality (issue 19)."""

from django.db.models import Lookup


class InOnce(Lookup):
    """``lhs IN (subquery)``, which PostgreSQL runs once: as ``= ANY(ARRAY(subquery))`` it is an InitPlan whose ids
    an index scan reads, so in an OR with other indexed conditions the rows come from a BitmapOr of index scans,
    and beside a join the table is read by its index for those ids alone. An ``EXISTS``, a plain ``IN`` or a join
    there is a filter on every row of the table instead (a hash join over every visit, for one person's visits)."""

    lookup_name = "in_once"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)
