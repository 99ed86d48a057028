"""Orders service: the example the pipeline builds, scans, deploys and smoke-tests."""

__version__ = "0.1.0"
