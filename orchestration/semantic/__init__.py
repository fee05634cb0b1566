"""The semantic layer (MetricFlow) from Python: ``funnel metrics`` and the tests."""
