"""Printing values and schemas as Spark's golden files print them.

Spark prints a row as its values' text joined by tabs, NULL as `NULL`, doubles as Java's
`Double.toString` does (`1.0`, `1.0E10`), floats as `Float.toString`, and arrays, maps and structs
in its own JSON-like text, which HiveServer2 already carries as a string.
"""

from __future__ import annotations

import datetime
import decimal
import math
import struct

from TCLIService import ttypes  # HiveServer2's Thrift types, shipped with PyHive


def _java_digits(x: float, shortest: str) -> str:
    """Java's Double/Float.toString form of a finite number, given Python's shortest repr."""
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    # The shortest digits, as a digit string and a decimal exponent.
    d = decimal.Decimal(shortest)
    sign = "-" if d < 0 else ""
    digits = "".join(str(c) for c in d.as_tuple().digits).rstrip("0") or "0"
    exponent = d.adjusted()  # position of the first digit
    if 1e-3 <= abs(x) < 1e7:
        if exponent >= 0:
            whole = digits[: exponent + 1].ljust(exponent + 1, "0")
            frac = digits[exponent + 1:] or "0"
        else:
            whole = "0"
            frac = "0" * (-exponent - 1) + digits
        return f"{sign}{whole}.{frac}"
    frac = digits[1:] or "0"
    return f"{sign}{digits[0]}.{frac}E{exponent}"


def java_double(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return _java_digits(x, repr(x))


def java_float(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    f32 = struct.unpack("f", struct.pack("f", x))[0]
    for precision in range(1, 10):
        text = f"{f32:.{precision}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == f32:
            return _java_digits(f32, text)
    return _java_digits(f32, repr(f32))


def value(v, type_id: str) -> str:
    """One value as Spark's golden files print it."""
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return java_float(v) if type_id == "FLOAT_TYPE" else java_double(v)
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", errors="replace")
    if isinstance(v, datetime.datetime):
        text = v.strftime("%Y-%m-%d %H:%M:%S")
        if v.microsecond:
            text += f".{v.microsecond:06d}".rstrip("0")
        return text
    if isinstance(v, datetime.date):
        return v.isoformat()
    return str(v)


def row(values, type_ids: list[str]) -> str:
    return "\t".join(value(v, t) for v, t in zip(values, type_ids))


# --------------------------------------------------------------------------- schemas

# Spark's simple type names and the HiveServer2 type each one is sent as.
_SPARK_TO_HS2 = {
    "boolean": "BOOLEAN_TYPE",
    "tinyint": "TINYINT_TYPE",
    "smallint": "SMALLINT_TYPE",
    "int": "INT_TYPE",
    "bigint": "BIGINT_TYPE",
    "float": "FLOAT_TYPE",
    "double": "DOUBLE_TYPE",
    "string": "STRING_TYPE",
    "binary": "BINARY_TYPE",
    "date": "DATE_TYPE",
    "timestamp": "TIMESTAMP_TYPE",
    "timestamp_ntz": "TIMESTAMP_TYPE",
    "void": "NULL_TYPE",
}


def split_top(text: str, sep: str = ",") -> list[str]:
    """Splits at `sep` outside <>, () and backticks. Angle brackets count only outside
    parentheses: inside them they are comparisons in a column name (`count(a) FILTER (WHERE (a >= 0))`)."""
    parts, parens, angles, quoted, start = [], 0, 0, False, 0
    for i, c in enumerate(text):
        if c == "`":
            quoted = not quoted
        elif quoted:
            continue
        elif c == "(":
            parens += 1
        elif c == ")":
            parens -= 1
        elif c == "<" and parens == 0:
            angles += 1
        elif c == ">" and parens == 0:
            angles -= 1
        elif c == sep and parens == 0 and angles == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def parse_struct(schema: str) -> list[tuple[str, str]] | None:
    """`struct<a:int,b:string>` as [(name, type)]; None when it is not a struct line."""
    if not (schema.startswith("struct<") and schema.endswith(">")):
        return None
    inner = schema[len("struct<"):-1]
    if not inner:
        return []
    fields = []
    for part in split_top(inner):
        # The name ends at the last top-level colon before the type.
        pieces = split_top(part, ":")
        name, typ = ":".join(pieces[:-1]), pieces[-1]
        if name.startswith("`") and name.endswith("`"):
            name = name[1:-1].replace("``", "`")
        fields.append((name, typ.strip()))
    return fields


def expected_type(spark_type: str) -> tuple[str, tuple[int, int] | None]:
    """The HiveServer2 type id (and decimal precision and scale) Spark sends for a Spark type."""
    t = spark_type.lower()
    if t.startswith("decimal"):
        p, _, s = t[len("decimal("):-1].partition(",")
        return "DECIMAL_TYPE", (int(p), int(s))
    if t.startswith(("char(", "varchar(")):
        return "STRING_TYPE", None
    if t.startswith("array<"):
        return "ARRAY_TYPE", None
    if t.startswith("map<"):
        return "MAP_TYPE", None
    if t.startswith("struct<"):
        return "STRUCT_TYPE", None
    if t == "interval":
        return "STRING_TYPE", None  # a calendar interval, which Spark Thrift Server sends as a string
    if t.startswith("interval") and ("year" in t or "month" in t):
        return "INTERVAL_YEAR_MONTH_TYPE", None
    if t.startswith("interval"):
        return "INTERVAL_DAY_TIME_TYPE", None
    return _SPARK_TO_HS2.get(t, t.upper()), None


def actual_columns(schema: ttypes.TTableSchema) -> list[tuple[str, str, tuple[int, int] | None]]:
    """(name, HiveServer2 type id name, decimal precision/scale) for each result column."""
    out = []
    for col in schema.columns:
        entry = col.typeDesc.types[0]
        if entry.primitiveEntry is not None:
            type_id = ttypes.TTypeId._VALUES_TO_NAMES[entry.primitiveEntry.type]  # noqa: SLF001
            qualifiers = None
            q = entry.primitiveEntry.typeQualifiers
            if q is not None and q.qualifiers and "precision" in q.qualifiers:
                qualifiers = (q.qualifiers["precision"].i32Value, q.qualifiers["scale"].i32Value)
        elif entry.arrayEntry is not None:
            type_id, qualifiers = "ARRAY_TYPE", None
        elif entry.mapEntry is not None:
            type_id, qualifiers = "MAP_TYPE", None
        elif entry.structEntry is not None:
            type_id, qualifiers = "STRUCT_TYPE", None
        else:
            type_id, qualifiers = "USER_DEFINED_TYPE", None
        out.append((col.columnName, type_id, qualifiers))
    return out


def schema_difference(expected: str, actual) -> str | None:
    """Why the result's columns differ from Spark's schema line, or None when they match."""
    fields = parse_struct(expected)
    if fields is None or not fields:
        return None  # commands (struct<>) and unusual lines are not checked
    if len(fields) != len(actual):
        return f"{len(actual)} columns, Spark has {len(fields)}"
    for (name, typ), (a_name, a_type, a_qual) in zip(fields, actual):
        want_type, want_qual = expected_type(typ)
        if name != a_name:
            return f"column named {a_name!r}, Spark names it {name!r}"
        if want_type != a_type:
            return f"column {name!r} is {a_type}, Spark's is {typ}"
        if want_qual is not None and a_qual is not None and want_qual != a_qual:
            return f"column {name!r} is decimal{a_qual}, Spark's is {typ}"
    return None
