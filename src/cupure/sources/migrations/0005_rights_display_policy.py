from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0004_feed_lease_holder_poll_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="publisher",
            name="display_policy",
            field=models.CharField(
                choices=[
                    ("full", "Full text (licensed or syndicated)"),
                    ("excerpt", "Excerpt (headline, lead image, first paragraph)"),
                    ("headline", "Headline and link only"),
                ],
                default="excerpt",
                max_length=10,
            ),
        ),
    ]
