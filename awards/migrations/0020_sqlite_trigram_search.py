"""On SQLite, trigram full-text indexes behind the accent-free search boxes (FTS5's trigram
tokenizer), kept in step with the search keys by triggers; PostgreSQL has its own since 0009.
See awards.dbtriggers for why."""

from django.db import migrations

from awards import dbtriggers


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0019_document_templates"),
    ]

    operations = [
        migrations.RunPython(dbtriggers.create_search_indexes, dbtriggers.drop_search_indexes, elidable=False),
    ]
