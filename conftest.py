"""Named users per role and a small two-municipality region shared by all tests."""

pytest_plugins = ["profdev.common.tests.fixtures"]
