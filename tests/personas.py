"""The office's roles as test personas, built through the real role sync: 录入员 (data entry),
审核人 (reviewer), 领导 (leadership), 管理员 (administrator, also the superuser as the office's
is), staff without a role, and the anonymous citizen (a client that never signs in)."""

from django.contrib.auth.models import Group, User

from accounts.roles import ADMINISTRATOR, sync_roles

PERSONAS = {
    "录入员": "luru_chen",
    "审核人": "shenhe_liu",
    "领导": "lingdao_sun",
    "管理员": "guanli_zhou",
}
NO_ROLE_USERNAME = "zhiyuan_wu"
PERSONA_PASSWORD = "R0le-Passw0rd!"


def build_persona(role: str | None, username: str | None = None) -> User:
    """An active staff user in the `role` group (None: no role), after syncing the groups'
    permissions; `username` only for a second person in the same role."""
    sync_roles()
    username = username or PERSONAS.get(role, NO_ROLE_USERNAME)
    user = User.objects.create_user(username, f"{username}@example.invalid", PERSONA_PASSWORD)
    user.is_staff = True
    user.is_superuser = role == ADMINISTRATOR
    user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)  # fresh, without a stale permission cache
