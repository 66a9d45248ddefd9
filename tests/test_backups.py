"""Restores that never overwrite a live site's accounts or content unless told to."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from techniques.backups import write_backup
from techniques.models import Technique
from tests.factories import TechniqueFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_a_user_and_force_replaces_it(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(username="ops")  # archived, with the same name as the operator's below
    TechniqueFactory(title="Archived guide")
    archive = tmp_path / "backup.tar.gz"
    write_backup(archive)
    call_command("flush", interactive=False, verbosity=0)
    User = get_user_model()
    # A fresh server where the operator has just run createsuperuser, and nothing else.
    User.objects.create_superuser("ops", "ops@example.org", "the-operators-own-passphrase")
    with pytest.raises(CommandError, match="already has accounts or content.*--force"):
        call_command("restore", str(archive))
    ops = User.objects.get(username="ops")
    assert ops.check_password("the-operators-own-passphrase") and ops.is_superuser
    assert not Technique.objects.exists()

    call_command("restore", str(archive), "--force", verbosity=0)
    assert list(Technique.objects.values_list("title", flat=True)) == ["Archived guide"]
    assert User.objects.get(username="ops").check_password("correct horse battery staple")
    assert User.objects.count() == 1
