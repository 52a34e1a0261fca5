"""Accounts made before allauth (issue #21) get allauth's address rows.

allauth logs in by email, sends password resets and confirmations through its
``EmailAddress`` rows, not ``User.email``. Each existing account with an address gets
one row, primary and *not* confirmed: nobody ever proved those addresses (the old
sign-up took any), so their owners confirm them like new readers do. Passwords are
untouched: Django's hashes log in as before.
"""

from django.conf import settings
from django.db import migrations


def add_email_addresses(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    EmailAddress = apps.get_model("account", "EmailAddress")
    has_row = set(EmailAddress.objects.values_list("user_id", flat=True))
    rows = [
        EmailAddress(
            user_id=user_id, email=email.strip().lower(), primary=True, verified=False
        )
        for user_id, email in User.objects.exclude(email="").values_list("pk", "email")
        if user_id not in has_row
    ]
    EmailAddress.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(add_email_addresses, migrations.RunPython.noop),
    ]
