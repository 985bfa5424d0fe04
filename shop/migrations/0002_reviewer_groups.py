from django.db import migrations

GROUPS = {
    "claim_reviewers": ("claims",),
    "qualification_reviewers": ("qualifications",),
    "abuse_reviewers": ("claims",),
    "service_admins": ("guarantees", "shop"),
}


def create_groups(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
