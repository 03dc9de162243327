"""The Spark half of test/bench/spark-sql.mjs: loads a CSV as the tickets table (text columns named
as its header and _row, cached and counted: the load), runs each statement of a compiled Spark script in one
session (the run), counts the result, and prints BENCH_LOAD, BENCH_RUN and BENCH_RESULT lines on
stdout. Spark in local mode on every core, as the parity test's session is configured.
Usage: python spark_run.py tickets.csv script.sql
"""
import re
import sys
import tempfile
import time

from pyspark.sql import SparkSession
from pyspark.sql.functions import monotonically_increasing_id


def main():
    csv, script = sys.argv[1], sys.argv[2]
    spark = (
        SparkSession.builder.master("local[*]").appName("sla-audit-bench")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC").config("spark.driver.memory", "3g")
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="sla-spark-bench-")).getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    t0 = time.time()
    # _row: the file's order (increasing, not the spreadsheet's row numbers), the script's --row-column
    raw = spark.read.csv(csv, header=True, inferSchema=False, multiLine=False, escape='"', encoding="UTF-8").withColumn("_row", monotonically_increasing_id())
    raw.cache()
    rows = raw.count()
    raw.createOrReplaceTempView("tickets")
    print(f"BENCH_LOAD {time.time() - t0:.3f} {rows}", flush=True)
    t0 = time.time()
    with open(script, encoding="utf-8") as f:
        text = f.read()
    for stmt in re.split(r";\s*\n", text.strip()):
        stmt = stmt.strip().rstrip(";")
        if stmt and not all(line.strip().startswith("--") or not line.strip() for line in stmt.splitlines()):
            s0 = time.time()
            spark.sql(stmt)
            print(f"  {time.time() - s0:7.1f} s {' '.join(stmt.split())[:70]}", file=sys.stderr, flush=True)
    m = spark.sql("SELECT count(*) FROM sla_ticket_metrics").collect()[0][0]
    p = spark.sql("SELECT count(*) FROM sla_problems").collect()[0][0]
    print(f"BENCH_RUN {time.time() - t0:.3f}", flush=True)
    print(f"BENCH_RESULT {m} metric rows, {p} problems", flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
