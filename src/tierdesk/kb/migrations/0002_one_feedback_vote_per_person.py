"""One "was this helpful?" vote per article and person: earlier duplicate votes (before this
rule) are removed, keeping each person's latest, then two partial unique constraints hold it
(signed-in people by account, visitors by session key)."""

from django.conf import settings
from django.db import migrations, models


def keep_latest_votes(apps, schema_editor):
    ArticleEvent = apps.get_model("kb", "ArticleEvent")
    votes = ArticleEvent.objects.filter(kind="kb.feedback").order_by("-created_at", "-id")
    seen, duplicates = set(), []
    for pk, article_id, actor_id, visitor in votes.values_list(
        "id", "article_id", "actor_id", "visitor"
    ).iterator():
        if actor_id is not None:
            key = (article_id, "user", actor_id)
        elif visitor:
            key = (article_id, "visitor", visitor)
        else:
            continue
        if key in seen:
            duplicates.append(pk)
        else:
            seen.add(key)
    for start in range(0, len(duplicates), 500):
        ArticleEvent.objects.filter(pk__in=duplicates[start : start + 500]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('kb', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(keep_latest_votes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='articleevent',
            constraint=models.UniqueConstraint(condition=models.Q(('actor__isnull', False), ('kind', 'kb.feedback')), fields=('article', 'actor'), name='kbevent_one_vote_per_user'),
        ),
        migrations.AddConstraint(
            model_name='articleevent',
            constraint=models.UniqueConstraint(condition=models.Q(('actor__isnull', True), ('kind', 'kb.feedback'), models.Q(('visitor', ''), _negated=True)), fields=('article', 'visitor'), name='kbevent_one_vote_per_visitor'),
        ),
    ]
