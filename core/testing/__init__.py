"""In-memory fakes of every port and a FakeClock, shipped with the core.

They are real implementations kept in memory, run through the same contract suites as the
adapters, so tests of the core and of front ends can rely on them.
"""
