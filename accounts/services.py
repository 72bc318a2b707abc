from accounts.models import User


def user_update_preferences(
    *, user: User, display_name: str, language: str, notification_mode: str
) -> User:
    user.display_name = display_name
    user.language = language
    user.notification_mode = notification_mode
    user.full_clean()
    user.save(update_fields=["display_name", "language", "notification_mode"])
    return user


def user_set_language(*, user: User, language: str) -> None:
    if user.is_authenticated and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
