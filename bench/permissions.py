"""Cost of the permission layer for an operator running a network of 40 branches.

Prints: time to compute a user's access (p50/p95 over 200 runs), and the SQL
query count and server time of the members page with 10 and 500 members
(the count must not grow with the number of members). Runs on a throw-away
SQLite database under var/bench/ unless DATABASE_URL is set.

    .venv/bin/python bench/permissions.py
"""

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and bench/calendar.py
# would shadow the standard calendar module (http.cookiejar, hence requests, imports it):
# PITFALLS.md. Drop the folder, then import the project from its root.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import client_for, django_setup, machine, measure_page, timed  # noqa: E402

django_setup()

from accounts.models import User  # noqa: E402
from libraries.models import Library, Membership, Role  # noqa: E402
from libraries.selectors import access_for, access_forget  # noqa: E402


def setup_network(members: int) -> tuple[User, Library]:
    Membership.objects.all().delete()
    User.objects.all().delete()
    Library.objects.filter(parent__isnull=False).delete()
    Library.objects.all().delete()
    head = Library.objects.create(name="Réseau", slug="reseau")
    branches = [Library(name=f"Branche {i}", slug=f"branche-{i}", parent=head) for i in range(40)]
    Library.objects.bulk_create(branches)
    admin = User.objects.create_user("operator", password="x")
    Membership.objects.create(user=admin, library=head, role=Role.ADMINISTRATOR)
    first = Library.objects.get(slug="branche-0")
    users = User.objects.bulk_create([User(username=f"m{i}") for i in range(members)])
    Membership.objects.bulk_create(
        [Membership(user=u, library=first, role=Role.CONTRIBUTOR) for u in users]
    )
    return admin, first


def main() -> None:
    print(f"machine: {machine()}")
    results = {}
    for members in (10, 500):
        admin, branch = setup_network(members)
        results[members] = measure_page(client_for(admin, branch), "/settings/members/", runs=30)
        figures = results[members]
        print(
            f"members page, {members:>3} members: {figures['queries']} queries, "
            f"p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms"
        )

    admin = User.objects.get(username="operator")

    def compute():
        access_forget(admin)
        access_for(admin)

    access = timed(compute, 200)
    print(
        f"access_for (network administrator, 41 libraries): p50 {access['p50']:.2f} ms, "
        f"p95 {access['p95']:.2f} ms"
    )
    same = results[10]["queries"] == results[500]["queries"]
    print(
        f"SUMMARY permissions: access p95 {access['p95']:.2f} ms; members page "
        f"{results[10]['queries']} vs {results[500]['queries']} queries "
        f"({'constant' if same else 'GROWS'}), p95 {results[500]['p95']:.0f} ms at 500 members"
    )


if __name__ == "__main__":
    main()
