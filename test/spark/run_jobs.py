"""Runs compiled SQL scripts on Spark in local mode (npm run test:spark).

Reads a JSON list of jobs on stdin: {"name", "tables": {table: csv path}, "statements": [sql],
"queries": {name: sql}}; loads each CSV as a table of text columns named as its header, with the
row number in _row (header = row 1), runs the statements, and prints a line per job as it ends:
"SLA_JOB " and {"name", "result": {query: rows}} as JSON (Spark logs go to stderr), so that the test
of each job waits for its own job alone.
"""
import json
import os
import tempfile
import re
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql.types import LongType, StringType, StructField, StructType


def load(spark, name, path):
    raw = spark.read.csv(path, header=True, inferSchema=False, multiLine=True, escape='"', encoding="UTF-8")
    cols = raw.columns
    # zipWithIndex keeps the file's order: the row numbers a spreadsheet shows
    rows = raw.rdd.zipWithIndex().map(lambda p: (p[1] + 2, *[p[0][c] for c in cols]))
    schema = StructType([StructField("_row", LongType())] + [StructField(c.strip(), StringType()) for c in cols])
    spark.createDataFrame(rows, schema).createOrReplaceTempView(name)


def main():
    jobs = json.load(sys.stdin)
    spark = (
        SparkSession.builder.master("local[2]").appName("sla-audit-parity")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC").config("spark.driver.memory", "3g")
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="sla-spark-")).getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for job in jobs:
        started = time.time()
        spark.catalog.clearCache()
        for name, path in job["tables"].items():
            load(spark, name, path)
        for text in job["statements"]:
            for stmt in re.split(r";\s*\n", text.strip()):
                stmt = stmt.strip().rstrip(";")
                if stmt:
                    t0 = time.time()
                    spark.sql(stmt)
                    if os.environ.get("SPARK_PROFILE"):
                        print(f"  {time.time() - t0:6.1f} s {stmt[:60]!r}", file=sys.stderr)
        result = {q: [r.asDict() for r in spark.sql(sql).collect()] for q, sql in job["queries"].items()}
        print(f"spark: {job['name']}: {time.time() - started:.1f} s", file=sys.stderr)
        print("SLA_JOB " + json.dumps({"name": job["name"], "result": result}, default=str), flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
