"""Git subtree distribution: publish split branches, update, sync back, extract modules.

Each command is a thin policy layer over real git (``git subtree`` and plumbing); the
manual equivalents are documented in docs/distribution.md.
"""
