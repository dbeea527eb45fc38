"""The hivewire benchmark harness: TPC-H, result transfer, start-up, memory and concurrency,
measured against Spark Thrift Server, DuckDB, PostgreSQL and DataFusion in-process in one run."""
