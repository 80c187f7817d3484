"""A project app with a custom user model, as every QuickScale project has."""
