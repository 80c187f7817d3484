"""QuickScale notifications: transactional email (text + HTML, per language) via anymail."""
