from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pd_testapp", "0002_audit_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(blank=True, default="", max_length=35),
        ),
    ]
