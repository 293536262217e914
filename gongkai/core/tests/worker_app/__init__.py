"""A test-only app whose tasks module gives the real worker in test_jobs_worker.py slow jobs to kill."""
