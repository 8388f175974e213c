from django.db import migrations

from awards import dbtriggers


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(dbtriggers.install, dbtriggers.uninstall)]
