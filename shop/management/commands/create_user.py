from django.core.management.base import BaseCommand, CommandError

from shop.constants import Role
from shop.errors import DomainError
from shop.services import user_upsert


class Command(BaseCommand):
    help = "Create or update a user of any role (API.md Bootstrap)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--shop")
        parser.add_argument("--streamer")
        parser.add_argument("--consumer")

    def handle(self, *args, **opts) -> None:
        try:
            user, changed = user_upsert(
                username=opts["username"],
                password=opts["password"],
                role=opts["role"],
                shop=opts.get("shop"),
                streamer=opts.get("streamer"),
                consumer=opts.get("consumer"),
            )
        except DomainError as exc:
            raise CommandError(f"{exc.message}: {exc.extra.get('errors', '')}") from None
        self.stdout.write(f"{'created/updated' if changed else 'unchanged'}: {user.username} ({opts['role']})")
