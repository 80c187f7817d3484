"""Sample configs and the project layout they refer to, shared by the config tests.

(A module of its own, not conftest.py: test modules import these names, and another
test package's conftest.py must not shadow them.)
"""

from __future__ import annotations

from pathlib import Path

VALID_V1 = """\
# QuickScale project definition
schema_version: 1
project:
  name: acme
  version: 0.1.0

# Starting-point theme
theme: starter

backend_extensions: acme.backend_extensions   # inheritance-based customizations

frontend:
  source: ./custom_frontend/
  variant: default
"""

VALID_V2 = """\
schema_version: 2
project:
  name: mystore
  version: 1.0.0
theme: starter
backend_extensions: acme.backend_extensions
modules:
  auth:
  notifications: { provider: sendgrid }   # transactional email
frontend:
  source: ./custom_frontend/
  variant: client_a
customizations:
  models:
    - name: Product
      description: Something we sell.
      fields:
        - { name: name, type: string, max_length: 120 }
        - { name: price, type: decimal, max_digits: 8, decimal_places: 2, default: 9.99 }
        - { name: status, type: string, choices: [draft, live], default: draft }
        - { name: released, type: date, required: false, default: 2024-01-31 }
    - name: Review
      fields:
        - { name: product, type: foreign_key, to: Product, on_delete: cascade }
        - { name: author, type: foreign_key, to: User, on_delete: set_null, required: false }
        - { name: body, type: text }
        - { name: stars, type: integer, default: 5 }
  business_rules:
    - "Products require approval before listing"
    - "Orders over $1000 need manager approval"
"""


def make_project(root: Path) -> Path:
    """The directories and files a generated project has, that the config refers to."""
    (root / "acme").mkdir(parents=True)
    (root / "acme" / "__init__.py").write_text("")
    (root / "acme" / "backend_extensions.py").write_text("")
    for variant in ("default", "client_a"):
        (root / "custom_frontend" / "variants" / variant).mkdir(parents=True)
    return root
