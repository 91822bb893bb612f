"""Config for the tortoise CLI: tortoise -c server.migrations_config.TORTOISE_ORM makemigrations"""

from server.db import tortoise_config

TORTOISE_ORM = tortoise_config("sqlite:///:memory:")
