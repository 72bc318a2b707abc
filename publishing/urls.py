from django.urls import path

from publishing.views import (
    accounts,
    actions,
    connect,
    feeds,
    pause,
    public_media,
    relays,
    sandbox,
)

app_name = "publishing"
urlpatterns = [
    path("posts/<int:pk>/publish-now/", actions.publish_now, name="publish_now"),
    path("posts/<int:pk>/delete/", actions.delete_from_networks, name="delete"),
    path("publications/<int:pk>/retry/", actions.retry, name="retry"),
    path("pause/", pause.pause_current, name="pause_current"),
    path("pause/<slug:slug>/", pause.pause_page, name="pause"),
    path("pause/<slug:slug>/resume/", pause.resume_page, name="resume"),
    # Accounts (administrators).
    path("accounts/", accounts.accounts, name="accounts"),
    path("accounts/<int:pk>/", accounts.account, name="account"),
    path("accounts/<int:pk>/test/", accounts.account_test, name="account_test"),
    path("accounts/<int:pk>/settings/", accounts.account_settings, name="account_settings"),
    path("accounts/<int:pk>/disconnect/", accounts.account_disconnect, name="account_disconnect"),
    path(
        "accounts/<int:pk>/feed-token/",
        accounts.account_feed_token_reset,
        name="account_feed_token_reset",
    ),
    # Connect flows (publishing.connect).
    path("accounts/connect/<slug:network>/", connect.connect, name="connect"),
    path(
        "accounts/connect/<slug:network>/continue/",
        connect.connect_continue,
        name="connect_continue",
    ),
    path(
        "accounts/connect/<slug:network>/callback/",
        connect.connect_callback,
        name="connect_callback",
    ),
    path("accounts/connect/<slug:network>/choose/", connect.connect_choose, name="connect_choose"),
    # Relays.
    path("relays/", relays.relay_settings, name="relays"),
    path("relays/rules/<int:pk>/delete/", relays.relay_rule_delete, name="relay_rule_delete"),
    path(
        "relays/partners/<int:pk>/delete/",
        relays.relay_partner_delete,
        name="relay_partner_delete",
    ),
    path("relays/<int:pk>/cancel/", relays.relay_cancel, name="relay_cancel"),
    # Sandbox timeline (members of the library).
    path("sandbox/<slug:library>/", sandbox.timeline, name="sandbox"),
    # Website feed: public, by token.
    path("feeds/items/", feeds.feed_items, name="feed_items"),
    path("feeds/items/<str:key>/", feeds.feed_item, name="feed_item"),
    path("feeds/<str:token>/rss.xml", feeds.feed_rss, name="feed_rss"),
    path("feeds/<str:token>/atom.xml", feeds.feed_atom, name="feed_atom"),
    path("feeds/<str:token>/feed.json", feeds.feed_json, name="feed_json"),
    path("feeds/<str:token>/widget/", feeds.feed_widget, name="feed_widget"),
    # Renditions downloaded by Meta while a publication is sent: public, signed.
    path(
        "public-media/<str:token>/<str:filename>",
        public_media.public_media,
        name="public_media",
    ),
]
