"""The conformance runner: Spark's own SQL golden files, run through hivewire over HiveServer2.

Spark's test suite keeps, for each input script, the answer Spark gives to every query in it. This
package runs those queries against a hivewire server through PyHive, compares each answer with
Spark's under Spark's own comparison rules, and reports the pass rate per file, per group and
overall, with every failure given a cause. A committed baseline lists the queries that pass, so
that a query which passed and stops passing fails the test command. A differential mode runs any
script through both hivewire and a local Spark and compares their answers the same way. See
docs/conformance.md.
"""
