"""Blocks of hqzt.settings that decide something rather than just read a value: each a function of
what settings.py read from the environment, returning the setting. settings.py stays the one
settings module (DJANGO_SETTINGS_MODULE=hqzt.settings)."""
