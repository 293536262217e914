"""Drop `gongkai_ratelimit`, the DatabaseCache table the rate limits used before core.RateCounter
(0006): `migrate` created it with createcachetable after every run, and nothing reads it any more.
Redis installations never had it; IF EXISTS covers them and new databases."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_rate_counter"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS gongkai_ratelimit", reverse_sql=migrations.RunSQL.noop),
    ]
