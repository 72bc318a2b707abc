"""factory_boy factories, grouped by app in dependency order."""

import factory
from django.utils.text import slugify

from accounts.models import User
from libraries.models import Library, Membership, Role

PASSWORD = "correct-horse-battery"


# --- accounts ----------------------------------------------------------------
class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# --- libraries ---------------------------------------------------------------
class LibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Library

    name = factory.Sequence(lambda n: f"Médiathèque {n}")
    slug = factory.LazyAttribute(lambda lib: slugify(lib.name))
    parent = None


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    library = factory.SubFactory(LibraryFactory)
    role = Role.CONTRIBUTOR
    validation_level = ""


def member(library: Library, role: str = Role.CONTRIBUTOR, level: str = "", **user_fields) -> User:
    """A user with one membership: the most common arrangement in tests."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, library=library, role=role, validation_level=level)
    return user
