"""Run in a fleet project by `manage.py shell -c` (scripts/fleet-fixture, test_fleet.py):
with FLEET_INSERT set, add the fixture's rows to its customization model; then print, as
JSON, the model's rows and what the overridden page answers a logged-in user.

FLEET_FIXTURE holds the fixture's data file (tests/e2e/fleet/<version>.json).
"""

import json
import os

from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

fixture = json.loads(os.environ["FLEET_FIXTURE"])
model = apps.get_model(fixture["model"]["label"])
fields = list(fixture["model"]["rows"][0])
if os.environ.get("FLEET_INSERT"):
    for row in fixture["model"]["rows"]:
        model.objects.create(**row)
user, _ = get_user_model().objects.get_or_create(
    username="fleet-probe", defaults={"email": "probe@fleet.example"}
)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
page = fixture["page"]
response = client.get(page["path"])
found = {
    "rows": [{f: str(getattr(o, f)) for f in fields} for o in model.objects.order_by("pk")],
    "status": response.status_code,
    "header": response.get(page["header"][0]),
    "text": page["text"] in response.content.decode(),
}
print(json.dumps(found))
