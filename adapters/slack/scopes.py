"""The bot token scopes dojobot needs: `slack-app-manifest.yml`'s `oauth_config.scopes.bot`
(a test keeps the two equal)."""

BOT_SCOPES: tuple[str, ...] = (
    "commands",
    "chat:write",
    "chat:write.public",
    "im:write",
    "im:history",
    "users:read",
    "usergroups:read",
    "files:write",
)
