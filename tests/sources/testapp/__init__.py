"""A tiny app for the sources tests: one model, one importer. Installed by config.settings_test only."""
