"""`gongkai staff`: staff accounts and roles from the server's shell, through the same services as
the workbench, so the separation of the three administrators (三员分立) holds here too.

    gongkai staff create USERNAME --name 张三 [--department 出入境管理局] [--email …] --as SYSADMIN
    gongkai staff grant USERNAME ROLE --as SECADMIN
    gongkai staff revoke USERNAME ROLE --as SECADMIN
    gongkai staff reset-two-factor USERNAME --as SECADMIN
    gongkai staff create USERNAME --name 张三 --role system_admin --bootstrap

`--as` names the administrator doing the work (the audit trail's actor): accounts are the system
administrator's, roles the security administrator's, and nobody grants themselves one. Whether the
named account may do it is the services' decision, as for a signed-in page (an account that is
deactivated or lacks the role is refused with the services' message), and it is asked before the
new account's password is. The
password is asked twice (or read as one line from a pipe), never given as an argument, and held to
the password rules. `reset-two-factor` forgets a person's second factor (a lost phone, no recovery
code left): they enrol again at their next sign-in. `--bootstrap` creates an administrator while nobody holds that role yet (the
first system, security and audit administrators of a new installation); it is refused afterwards.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.choices import ADMIN_ROLES, Role
from gongkai.accounts.models import Department, RoleAssignment, User
from gongkai.accounts.services import (
    PasswordRefusedError,
    RoleConflictError,
    RoleRefusedError,
    check_may_create_staff,
    check_may_manage_roles,
    do_create_staff,
    do_grant_role,
    do_reset_two_factor,
    do_revoke_role,
)

REFUSALS = (PasswordRefusedError, RoleConflictError, RoleRefusedError)


class Command(BaseCommand):
    help = "Create staff accounts, grant and revoke roles (as a named administrator, or --bootstrap)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="a new staff account (the system administrator's work)")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="full name, family name first (张三)")
        create.add_argument("--department", default="", help="the department's name or short name")
        create.add_argument("--email", default="")
        create.add_argument(
            "--role",
            action="append",
            default=[],
            choices=Role.values,
            help="with --bootstrap only: the administrator role of the account (roles are granted separately)",
        )
        create.add_argument(
            "--bootstrap", action="store_true", help="the first holder of an administrator role"
        )
        for name, work in (("grant", "give"), ("revoke", "take away")):
            sub = actions.add_parser(name, help=f"{work} a role (the security administrator's work)")
            sub.add_argument("username")
            sub.add_argument("role", choices=Role.values)
        reset = actions.add_parser(
            "reset-two-factor", help="forget a person's second factor (the security administrator's work)"
        )
        reset.add_argument("username")
        for sub in actions.choices.values():
            sub.add_argument("--as", dest="actor", default="", help="the acting administrator's username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                self.create(options)
            elif options["action"] == "reset-two-factor":
                user = _user(options["username"])
                do_reset_two_factor(user, actor=self.actor(options))
                self.stdout.write(
                    f"reset the second factor of {user.username}: they enrol at the next sign-in"
                )
            else:
                user = _user(options["username"])
                actor = self.actor(options)
                check_may_manage_roles(actor, revoke=options["action"] == "revoke")
                if options["action"] == "grant":
                    do_grant_role(user, options["role"], actor=actor)
                    self.stdout.write(f"granted {options['role']} to {user.username}")
                else:
                    do_revoke_role(user, options["role"], actor=actor)
                    self.stdout.write(f"revoked {options['role']} from {user.username}")
        except RoleRefusedError as exc:
            raise CommandError(f"refused for --as {options['actor']}: {exc}") from None
        except REFUSALS as exc:
            raise CommandError(str(exc)) from None

    def actor(self, options: dict[str, Any]) -> User:
        """The account `--as` names, active or not: the services decide whether it may act."""
        if not options["actor"]:
            raise CommandError("name the acting administrator with --as USERNAME")
        actor = User.objects.filter(username=options["actor"]).first()
        if actor is None:
            raise CommandError(f"no staff account {options['actor']} (--as)")
        return actor

    def create(self, options: dict[str, Any]) -> None:
        username = options["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"{username} exists already")
        department = None
        if options["department"]:
            name = options["department"]
            department = Department.objects.filter(name=name).first() or (
                Department.objects.filter(short_name=name).first()
            )
            if department is None:
                raise CommandError(f"no department named {name}")
        roles: list[str] = options["role"]
        actor: User | None
        if options["bootstrap"]:
            if options["actor"]:
                raise CommandError("--bootstrap acts as the system itself: leave out --as")
            if len(roles) != 1 or roles[0] not in ADMIN_ROLES:
                raise CommandError(
                    "--bootstrap creates one administrator: give one --role of "
                    + ", ".join(sorted(ADMIN_ROLES))
                )
            if RoleAssignment.objects.filter(role=roles[0], user__is_active=True).exists():
                raise CommandError(f"{roles[0]} is held already: --bootstrap is for a new installation only")
            actor = None
        else:
            actor = self.actor(options)
            check_may_create_staff(actor)  # before the password is asked
        user = do_create_staff(
            username=username,
            password=self.password(),
            full_name=options["name"],
            department=department,
            roles=roles,
            email=options["email"],
            actor=actor,
            password_rules=True,
        )
        self.stdout.write(f"created {user.username}" + (f" ({', '.join(roles)})" if roles else ""))

    def password(self) -> str:
        if not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != first:
            raise CommandError("the two passwords differ")
        return first


def _user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active staff account {username}")
    return user
